/**
 * The default fill model: orders meet the market's book, as on a live
 * exchange.
 *
 * - Market orders (and triggered stop-markets) walk the book as takers, one
 *   fill per price level; what the book cannot fill expires.
 * - Limit orders take what the book offers up to their price, then rest
 *   (IOC: the rest expires; FOK: all or nothing; post-only never takes).
 * - Resting orders fill as maker, at their own price, when the book moves
 *   through them (up to the liquidity through their price) or a trade prints
 *   through their price (up to the trade's size, queue order); a print at
 *   their own price does not reach them (the queue ahead of them).
 * - Stops trigger on the last trade price, at once when it is already
 *   reached at submission.
 * - A new bar (bar-driven markets) counts as the book moving to its close,
 *   and stops are checked against the close.
 * - Fees: the instrument's maker and taker rates.
 *
 * With a cash account, what a buy may take depends on the price, so market
 * buys walk the book one level at a time and stop when the cash runs out.
 */
import type { InstrumentMath } from './instruments';
import { marketLimit } from './matchingEngine';
import type { MarketUpdate, TradePrint } from './marketSource';
import type { PaperOrder } from './paperOrder';
import { NOTHING_LEFT_TO_REDUCE, isStop, marketOnTrigger, type FillContext, type FillModel, type LiquidityRole, type TradedInstrument } from './fillModel';
import { FillBuffer } from './syntheticBook';

export class BookWalkFillModel implements FillModel {
  private readonly fills = new FillBuffer();

  feeK(math: InstrumentMath, liquidity: LiquidityRole): bigint {
    return liquidity === 'maker' ? math.makerFeeK : math.takerFeeK;
  }

  execute(order: PaperOrder, traded: TradedInstrument, context: FillContext, now: number): void {
    if (isStop(order) && !order.triggered) {
      if (stopReached(order, traded.market.lastTicks())) this.trigger(traded, order, context, now);
      else context.arm(traded, order);
      return;
    }
    if (order.type === 'market' || marketOnTrigger(order)) this.executeMarket(traded, order, context, now);
    else this.executeLimit(traded, order, context, now);
  }

  marketChanged(update: MarketUpdate, traded: TradedInstrument, context: FillContext, now: number): void {
    switch (update.kind) {
      case 'book':
        this.fillCrossed(traded, context, now);
        break;
      case 'trade':
        this.tradeThrough(traded, update.trade, context, now);
        break;
      case 'bar':
        this.fillCrossed(traded, context, now);
        this.triggerReached(traded, traded.market.lastTicks(), context, now);
        break;
    }
  }

  private executeMarket(traded: TradedInstrument, order: PaperOrder, context: FillContext, now: number): void {
    this.take(traded, order, marketLimit(order.side), context, now);
    context.completeImmediate(order, now, 'no more liquidity in the book for the rest of the market order');
  }

  private executeLimit(traded: TradedInstrument, order: PaperOrder, context: FillContext, now: number): void {
    if (order.timeInForce === 'FOK') {
      const wanted = context.fillableLots(order);
      if (traded.orders.fillable(order.side, order.priceTicks) < wanted) {
        context.finish(order, 'expired', now, 'fill-or-kill: not enough liquidity at the limit price to fill in full', 'OrderExpired');
        return;
      }
      this.take(traded, order, order.priceTicks, context, now);
      context.completeImmediate(order, now, 'fill-or-kill remainder');
      return;
    }
    if (!order.postOnly) this.take(traded, order, order.priceTicks, context, now);
    if (order.remainingLots === 0) context.finish(order, 'filled', now);
    else if (order.reduceOnly && context.fillableLots(order) === 0) context.finish(order, 'canceled', now, NOTHING_LEFT_TO_REDUCE, 'OrderCanceled');
    else if (order.timeInForce === 'IOC') context.finish(order, 'expired', now, 'immediate-or-cancel remainder', 'OrderExpired');
    else context.rest(traded, order);
  }

  /** Takes the market's liquidity as taker, one fill per level. */
  private take(traded: TradedInstrument, order: PaperOrder, limitTicks: number, context: FillContext, now: number): void {
    const max = context.fillableLots(order);
    if (max <= 0) return;
    if (context.account.pricedFills(order.side)) {
      this.takeLevelByLevel(traded, order, limitTicks, context, now);
      return;
    }
    const fills = this.fills;
    fills.reset();
    traded.orders.take(order.side, max, limitTicks, fills);
    for (let i = 0; i < fills.count; i++) context.fill(traded, order, fills.ticks[i]!, fills.lots[i]!, 'taker', now);
  }

  /** Takes one price level at a time, as much as the account can settle at that price. */
  private takeLevelByLevel(traded: TradedInstrument, order: PaperOrder, limitTicks: number, context: FillContext, now: number): void {
    const buy = order.side === 'buy';
    const fills = this.fills;
    for (;;) {
      const touch = buy ? traded.market.bestAsk() : traded.market.bestBid();
      if (Number.isNaN(touch) || (buy ? touch > limitTicks : touch < limitTicks)) return;
      const lots = context.fillableLots(order, touch, 'taker');
      if (lots <= 0) return;
      fills.reset();
      if (traded.orders.take(order.side, lots, touch, fills) === 0) return;
      for (let i = 0; i < fills.count; i++) context.fill(traded, order, fills.ticks[i]!, fills.lots[i]!, 'taker', now);
    }
  }

  private trigger(traded: TradedInstrument, order: PaperOrder, context: FillContext, now: number): void {
    if (context.trigger(traded, order, now)) this.execute(order, traded, context, now);
  }

  /** Resting orders the moved book went through fill as maker at their own price, up to the liquidity through it. */
  private fillCrossed(traded: TradedInstrument, context: FillContext, now: number): void {
    const book = traded.orders;
    if (book.restingCount === 0) return;
    for (const order of book.collectCrossed()) {
      if (!order.isOpen || order.level === null) continue;
      const max = context.fillableLots(order, order.priceTicks, 'maker');
      if (max <= 0) continue;
      this.fills.reset();
      const lots = book.take(order.side, max, order.priceTicks, this.fills);
      if (lots === 0) continue;
      context.fill(traded, order, order.priceTicks, lots, 'maker', now);
      context.afterMakerFill(order, now);
    }
  }

  /** A print fills resting orders it went through (up to its size, in queue order) and triggers the stops it reached. */
  private tradeThrough(traded: TradedInstrument, trade: TradePrint, context: FillContext, now: number): void {
    const book = traded.orders;
    if (book.restingCount > 0) {
      let left = trade.lots;
      for (const order of book.collectTradeThrough(trade.side, trade.ticks, trade.lots)) {
        if (left <= 0) break;
        if (!order.isOpen || order.level === null) continue;
        const lots = Math.min(left, context.fillableLots(order, order.priceTicks, 'maker'));
        if (lots <= 0) continue;
        context.fill(traded, order, order.priceTicks, lots, 'maker', now);
        context.afterMakerFill(order, now);
        left -= lots;
      }
    }
    this.triggerReached(traded, trade.ticks, context, now);
  }

  private triggerReached(traded: TradedInstrument, lastTicks: number, context: FillContext, now: number): void {
    if (traded.orders.armedCount === 0 || Number.isNaN(lastTicks)) return;
    for (const order of traded.orders.collectTriggered(lastTicks)) {
      if (order.isOpen && !order.triggered && order.level !== null) this.trigger(traded, order, context, now);
    }
  }
}

function stopReached(order: PaperOrder, lastTicks: number): boolean {
  return order.rises ? lastTicks >= order.stopTicks : lastTicks <= order.stopTicks;
}
