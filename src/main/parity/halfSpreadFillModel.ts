/**
 * The paper venue's fill model (takers walk the book, resting orders fill
 * as the book goes through them) over a market made of bars, where the book
 * is the close alone: every taker fill is moved across the venue's half
 * spread (a buy pays the close × (1 + half spread), a sell gets the close ×
 * (1 − half spread), rounded against the taker onto the tick), as a market
 * order live meets the best ask or bid rather than the last trade. Maker
 * fills stay at their own price.
 */
import { Dec } from '../../shared/decimal';
import { BookWalkFillModel } from '../venues/paper/bookWalkFillModel';
import type { FillContext, FillModel, LiquidityRole, TradedInstrument } from '../venues/paper/fillModel';
import type { InstrumentMath } from '../venues/paper/instruments';
import type { MarketUpdate } from '../venues/paper/marketSource';
import type { PaperOrder } from '../venues/paper/paperOrder';

const UNITS = 10n ** 18n;

export class HalfSpreadFillModel implements FillModel {
  private readonly inner = new BookWalkFillModel();
  private readonly units: bigint;

  /** `halfSpread` as a decimal string rate ("0.00005"). */
  constructor(halfSpread: string) {
    const rate = Dec.parse(halfSpread);
    if (rate.isNegative() || rate.gte(Dec.parse('1'))) throw new RangeError(`A half spread must be within [0, 1), got ${halfSpread}`);
    this.units = rate.units;
  }

  feeK(math: InstrumentMath, liquidity: LiquidityRole): bigint {
    return this.inner.feeK(math, liquidity);
  }

  execute(order: PaperOrder, traded: TradedInstrument, context: FillContext, now: number): void {
    this.inner.execute(order, traded, this.across(context), now);
  }

  marketChanged(update: MarketUpdate, traded: TradedInstrument, context: FillContext, now: number): void {
    this.inner.marketChanged(update, traded, this.across(context), now);
  }

  /** The exchange's context, with taker fills moved across the half spread. */
  private across(context: FillContext): FillContext {
    if (this.units === 0n) return context;
    const fill: FillContext['fill'] = (traded, order, ticks, lots, liquidity, now) =>
      context.fill(traded, order, liquidity === 'taker' ? this.takerTicks(order.side, ticks) : ticks, lots, liquidity, now);
    return new Proxy(context, {
      get(target, property, receiver) {
        if (property === 'fill') return fill;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private takerTicks(side: 'buy' | 'sell', ticks: number): number {
    if (side === 'buy') {
      const up = BigInt(ticks) * (UNITS + this.units);
      return Number(up / UNITS + (up % UNITS === 0n ? 0n : 1n));
    }
    return Math.max(1, Number((BigInt(ticks) * (UNITS - this.units)) / UNITS));
  }
}
