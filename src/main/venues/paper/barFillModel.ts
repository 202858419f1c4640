/**
 * The "bar" fill model of Keel's backtests, faithful to the reference
 * backtester (../shared/reference/backtesting): a market order fills at
 * once at the market's current price, which the backtest driver sets to
 * the next bar's open after a bar closes (or leaves at the close for
 * trade-on-close). The market's touch carries the spread (see
 * `BarMarketSource`), so margin checks and sizing see an entry's price. Limits and stops are worked against the bars that follow
 * exactly as `NextBarOpenFillModel` documents (gaps at the open, strictly
 * through for limits).
 *
 * Costs on taker fills:
 * - an entry spread: a fill that opens or adds to a position pays
 *   price × (1 + spread) buying and price × (1 − spread) selling; a fill
 *   that reduces a position pays the raw price (the reference charges the
 *   spread on entries only);
 * - `slippageTicks` ticks against every taker fill (the "intrabar" option).
 * An adjusted price that falls between ticks is rounded against the trader.
 */
import { Dec } from '../../../shared/decimal';
import type { FillContext, LiquidityRole, TradedInstrument } from './fillModel';
import { NextBarOpenFillModel, type NextBarOpenFillModelOptions } from './nextBarOpenFillModel';
import type { PaperOrder } from './paperOrder';

export interface BarFillModelOptions extends NextBarOpenFillModelOptions {
  /** Entry spread rate as a decimal string ("0.0002"); default none. */
  spread?: string;
  /** Ticks against every taker fill; default 0. */
  slippageTicks?: number;
}

const UNITS = 10n ** 18n;

export class BarFillModel extends NextBarOpenFillModel {
  private readonly spreadUnits: bigint;
  private readonly slippageTicks: number;

  constructor(options: BarFillModelOptions = {}) {
    super(options);
    const spread = Dec.parse(options.spread ?? '0');
    if (spread.isNegative()) throw new RangeError(`Spread must not be negative, got ${options.spread}`);
    this.spreadUnits = spread.units;
    this.slippageTicks = options.slippageTicks ?? 0;
    if (!Number.isInteger(this.slippageTicks) || this.slippageTicks < 0) throw new RangeError(`Slippage must be a whole number of ticks, got ${options.slippageTicks}`);
  }

  override execute(order: PaperOrder, traded: TradedInstrument, context: FillContext, now: number): void {
    const price = traded.market.lastTicks();
    if (order.type !== 'market' || Number.isNaN(price)) {
      super.execute(order, traded, context);
      return;
    }
    this.fillAt(traded, order, price, 'taker', context, now);
    context.completeImmediate(order, now, 'the account could not settle the rest at the current price');
  }

  protected override fillAt(traded: TradedInstrument, order: PaperOrder, ticks: number, liquidity: LiquidityRole, context: FillContext, now: number, capLots?: number): void {
    super.fillAt(traded, order, liquidity === 'taker' ? this.takerTicks(order, ticks, context) : ticks, liquidity, context, now, capLots);
  }

  private takerTicks(order: PaperOrder, ticks: number, context: FillContext): number {
    const buy = order.side === 'buy';
    let price = ticks;
    const position = context.account.positionLots(order.symbol);
    const entering = position === 0 || (position > 0) === buy;
    if (entering && this.spreadUnits > 0n) {
      const scaled = BigInt(ticks) * (buy ? UNITS + this.spreadUnits : UNITS - this.spreadUnits);
      const whole = scaled / UNITS;
      const exact = whole * UNITS === scaled;
      price = Number(buy && !exact ? whole + 1n : whole);
    }
    return buy ? price + this.slippageTicks : Math.max(1, price - this.slippageTicks);
  }
}
