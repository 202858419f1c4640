/**
 * The fill model for bar-driven markets (backtests on historical OHLCV):
 * nothing fills when it arrives; every order is worked on the bars that
 * follow, market orders at the next bar's open. The rules, exactly:
 *
 * Arrival (an order accepted while bar i is the latest one):
 * - A market order waits off the book for bar i+1, holding funds at the
 *   touch (the last close).
 * - A limit order rests (post-only is refused by the order rules when it
 *   would take at the last close).
 * - A stop arms, even when its price is already reached: it is judged on bar
 *   i+1 like any other.
 *
 * Each new bar works the instrument's open orders in the order they were
 * accepted, against that bar's open O, high H and low L:
 * 1. A waiting market order fills at O, as taker.
 * 2. An armed buy stop triggers when H ≥ stop, a sell stop when L ≤ stop, at
 *    the trigger price T = max(O, stop) for a buy and min(O, stop) for a sell
 *    (the open when the bar gapped through the stop). A stop-market fills at
 *    T, as taker. A stop-limit fills at T, as taker, when its limit is at or
 *    beyond T (buy limit ≥ T, sell limit ≤ T); otherwise it rests as a limit
 *    order from the next bar on (the bar's path after the trigger is unknown,
 *    so it is not assumed to come back to the limit within the bar).
 * 3. A resting buy limit fills when L < limit, at min(O, limit); a sell limit
 *    when H > limit, at max(O, limit); as maker. Strictly through: a bar that
 *    only touches the limit does not reach an order queued at it.
 * 4. An IOC or FOK limit that this bar does not fill expires; a FOK also
 *    expires when it cannot fill in full.
 *
 * Quantity: bars have no depth, so an order fills in full in one fill
 * (unless `maxVolumeShare` caps a resting limit's fill to a share of the
 * bar's volume, the rest waiting for later bars),
 * except that a reduce-only order fills at most the position, and on a cash
 * account a buy fills at most what the cash pays for at the fill price and a
 * sell at most what is held. The rest of a market (or triggered stop-market)
 * order that cannot fill then expires; a resting limit keeps waiting.
 *
 * Commission: a configured rate times the fill's value (quantity × price) for
 * every fill, or else the instrument's taker fee for taker fills and maker
 * fee for maker fills. Either way it must be exact in the instrument's
 * integer arithmetic (a rate with few enough decimals).
 */
import { Dec } from '../../../shared/decimal';
import type { InstrumentMath } from './instruments';
import type { MarketUpdate, TickBar } from './marketSource';
import type { PaperOrder } from './paperOrder';
import { isStop, marketOnTrigger, type FillContext, type FillModel, type LiquidityRole, type TradedInstrument } from './fillModel';

export interface NextBarOpenFillModelOptions {
  /** Commission rate on every fill's value, as a decimal string ("0.002"); default: the instrument's maker and taker fees. */
  commission?: string;
  /**
   * The share of a bar's volume one resting limit order may take in that
   * bar, as a decimal string ("0.1" = 10%); the rest keeps resting for the
   * bars after. Default: no cap (bars have no depth; the order fills in full).
   */
  maxVolumeShare?: string;
}

const UNITS = 10n ** 18n;

export class NextBarOpenFillModel implements FillModel {
  private readonly commission: Dec | null;
  private readonly maxVolumeShare: number | null;
  private readonly commissionK = new Map<InstrumentMath, bigint>();

  constructor(options: NextBarOpenFillModelOptions = {}) {
    this.commission = options.commission === undefined ? null : Dec.parse(options.commission);
    this.maxVolumeShare = options.maxVolumeShare === undefined ? null : Number(options.maxVolumeShare);
    if (this.maxVolumeShare !== null && !(this.maxVolumeShare > 0 && this.maxVolumeShare <= 1)) {
      throw new RangeError(`The volume share must be above 0 and at most 1, got ${options.maxVolumeShare}`);
    }
    if (this.commission?.isNegative()) throw new RangeError(`Commission must not be negative, got ${options.commission}`);
  }

  feeK(math: InstrumentMath, liquidity: LiquidityRole): bigint {
    if (!this.commission) return liquidity === 'maker' ? math.makerFeeK : math.takerFeeK;
    let k = this.commissionK.get(math);
    if (k === undefined) {
      const scaled = math.notionalK * this.commission.units;
      if (scaled % UNITS !== 0n) throw new RangeError(`${math.symbol}: commission ${this.commission.toString()} needs more than 18 decimals on one tick × one lot`);
      k = scaled / UNITS;
      this.commissionK.set(math, k);
    }
    return k;
  }

  execute(order: PaperOrder, traded: TradedInstrument, context: FillContext, _now?: number): void {
    if (isStop(order) && !order.triggered) context.arm(traded, order);
    else if (order.type === 'market') context.hold(order, order.side === 'buy' ? traded.market.bestAsk() : traded.market.bestBid());
    else context.rest(traded, order);
  }

  marketChanged(update: MarketUpdate, traded: TradedInstrument, context: FillContext, now: number): void {
    if (update.kind !== 'bar') return;
    for (const order of context.openOrders(traded.instrument.symbol)) {
      if (order.isOpen) this.work(order, update.bar, traded, context, now);
    }
  }

  private work(order: PaperOrder, bar: TickBar, traded: TradedInstrument, context: FillContext, now: number): void {
    const buy = order.side === 'buy';
    if (isStop(order) && !order.triggered) {
      const rises = order.rises;
      if (!(rises ? bar.high >= order.stopTicks : bar.low <= order.stopTicks)) return;
      const at = rises ? Math.max(bar.open, order.stopTicks) : Math.min(bar.open, order.stopTicks);
      if (!context.trigger(traded, order, now)) return;
      if (marketOnTrigger(order)) {
        this.fillAt(traded, order, at, 'taker', context, now);
        context.completeImmediate(order, now, 'the account could not settle the rest at the trigger price');
      } else if (buy ? order.priceTicks >= at : order.priceTicks <= at) {
        this.fillAt(traded, order, at, 'taker', context, now);
        this.afterLimit(traded, order, context, now);
      } else if (order.timeInForce !== 'GTC') {
        context.finish(order, 'expired', now, `${order.timeInForce}: the limit was not reached when the stop triggered`, 'OrderExpired');
      } else {
        context.rest(traded, order);
      }
      return;
    }
    if (order.type === 'market') {
      this.fillAt(traded, order, bar.open, 'taker', context, now);
      context.completeImmediate(order, now, 'the account could not settle the rest at the open');
      return;
    }
    const limit = order.priceTicks;
    const reached = buy ? bar.low < limit : bar.high > limit;
    if (!reached) {
      if (order.timeInForce !== 'GTC') context.finish(order, 'expired', now, `${order.timeInForce}: the next bar did not reach the limit`, 'OrderExpired');
      return;
    }
    const at = buy ? Math.min(bar.open, limit) : Math.max(bar.open, limit);
    if (order.timeInForce === 'FOK' && context.fillableLots(order, at, 'maker') < order.remainingLots) {
      context.finish(order, 'expired', now, 'fill-or-kill: the account could not settle it in full', 'OrderExpired');
      return;
    }
    const cap = this.maxVolumeShare === null ? Number.POSITIVE_INFINITY : Math.floor(bar.volumeLots * this.maxVolumeShare);
    this.fillAt(traded, order, at, 'maker', context, now, cap);
    this.afterLimit(traded, order, context, now);
  }

  /** Ends or keeps a limit order after its fill on this bar. */
  private afterLimit(traded: TradedInstrument, order: PaperOrder, context: FillContext, now: number): void {
    if (order.timeInForce !== 'GTC') context.completeImmediate(order, now, `${order.timeInForce} remainder`);
    else if (order.level === null && order.remainingLots > 0) context.rest(traded, order);
    else context.afterMakerFill(order, now);
  }

  protected fillAt(traded: TradedInstrument, order: PaperOrder, ticks: number, liquidity: LiquidityRole, context: FillContext, now: number, capLots = Number.POSITIVE_INFINITY): void {
    const lots = Math.min(context.fillableLots(order, ticks, liquidity), capLots);
    if (lots > 0) context.fill(traded, order, ticks, lots, liquidity, now);
  }
}
