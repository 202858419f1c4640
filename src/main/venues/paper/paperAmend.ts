/**
 * Amending a working order at the paper venue, in place: the order keeps
 * its ids and its fills, and its queue position follows the rules exchanges
 * apply (Binance, Bybit, CME):
 *
 * - a new price, or a larger quantity, loses time priority: the order goes
 *   to the back of its (new) price level, and a new price that crosses the
 *   market takes liquidity like a new order would (a post-only one is
 *   refused instead);
 * - a smaller quantity keeps its place in the queue;
 * - a new stop price re-arms an untriggered stop (one that has triggered
 *   works on as its market or limit part and takes no new stop price).
 *
 * The new terms meet the same rules as a new order (lot and tick steps, the
 * minimum, the price band, the position limit of the leverage's margin
 * bracket, margin for what is added); a quantity at or below
 * what has filled is refused. The outcome is one event: `OrderAmended` with
 * the order's terms after it, or `OrderAmendRejected` with the reason.
 */
import { hasLimitPrice, hasStopPrice } from '../../../shared/domain';
import type { AmendOrder, ExecutionEvent } from '../../engine/ports/venue';
import { MALFORMED, OFF_STEP, formatSteps, toSteps } from './fixedPoint';
import type { FillContext, FillModel, TradedInstrument } from './fillModel';
import { bracketLimitRejection, priceTicksOf } from './orderRules';
import type { PaperOrder } from './paperOrder';

export interface PaperAmendParts {
  context: FillContext;
  fillModel: FillModel;
  emit: (event: ExecutionEvent) => void;
  /** Notes the order as changed, for the store. */
  changed: (order: PaperOrder) => void;
}

/** New terms in whole ticks and lots, or why they are refused. */
function newTerms(order: PaperOrder, cmd: AmendOrder, traded: TradedInstrument): { lots: number; priceTicks: number; stopTicks: number } | string {
  const { math } = traded;
  const markTicks = traded.market.markTicks();
  let lots = order.lots;
  if (cmd.quantity !== null) {
    lots = toSteps(cmd.quantity, math.lot);
    if (lots === OFF_STEP) return `quantity ${cmd.quantity} is not a multiple of the lot size ${math.lot.text}`;
    if (lots === MALFORMED || lots <= 0) return `quantity "${cmd.quantity}" must be a positive decimal`;
    if (lots > math.maxLots) return `quantity ${cmd.quantity} is above the maximum ${formatSteps(math.maxLots, math.lot)}`;
    if (lots < math.minLots) return `quantity ${cmd.quantity} is below the minimum ${formatSteps(math.minLots, math.lot)}`;
    if (lots <= order.filledLots) return `quantity ${cmd.quantity} is not above the ${formatSteps(order.filledLots, math.lot)} already filled`;
  }
  let priceTicks = order.priceTicks;
  if (cmd.price !== null) {
    if (!hasLimitPrice(order.type)) return `a ${order.type} order has no limit price`;
    const ticks = priceTicksOf(cmd.price, 'price', math.tick, markTicks);
    if (typeof ticks !== 'number') return ticks.reason;
    priceTicks = ticks;
  }
  let stopTicks = order.stopTicks;
  if (cmd.stopPrice !== null) {
    if (!hasStopPrice(order.type)) return `a ${order.type} order takes no stop price`;
    if (order.triggered) return 'the stop has already triggered';
    const ticks = priceTicksOf(cmd.stopPrice, 'stop price', math.tick, markTicks);
    if (typeof ticks !== 'number') return ticks.reason;
    stopTicks = ticks;
  }
  return { lots, priceTicks, stopTicks };
}

export function amendPaperOrder(order: PaperOrder, cmd: AmendOrder, traded: TradedInstrument, now: number, parts: PaperAmendParts): void {
  const { context, emit } = parts;
  const refuse = (reason: string) => emit({ type: 'OrderAmendRejected', clientOrderId: order.clientOrderId, reason, timestamp: now });
  const terms = newTerms(order, cmd, traded);
  if (typeof terms === 'string') return refuse(terms);
  const repriced = terms.priceTicks !== order.priceTicks;
  const grows = terms.lots > order.lots;
  if (order.postOnly && repriced && traded.market.wouldTake(order.side, terms.priceTicks)) {
    return refuse(`post-only ${order.side} at ${formatSteps(terms.priceTicks, traded.math.tick)} would take liquidity`);
  }
  if (!order.reduceOnly && (grows || repriced || terms.stopTicks !== order.stopTicks)) {
    // Margin is judged for the order as amended, with what it holds now given back first.
    const heldLots = order.reservedLots;
    const heldTicks = order.reservedTicks;
    context.account.release(order);
    const reference = hasLimitPrice(order.type) ? terms.priceTicks : order.type === 'market' || order.type === 'trailing_stop' ? heldTicks : terms.stopTicks;
    const limit = bracketLimitRejection(order.symbol, order.side, terms.lots - order.filledLots, reference, { instrument: traded.instrument, math: traded.math, account: context.account });
    const funds = context.account.checkFunds(order.symbol, order.side, terms.lots - order.filledLots, reference);
    if (heldLots > 0) context.account.reserve(order, heldTicks);
    if (limit) return refuse(limit.reason);
    if (!funds.ok) return refuse(funds.reason);
  }

  const { math } = traded;
  // A new price or a larger quantity goes to the back of the queue; a new stop price re-arms the stop.
  const requeued = repriced || grows || terms.stopTicks !== order.stopTicks;
  if (requeued) {
    traded.orders.remove(order);
    context.account.release(order);
  }
  order.lots = terms.lots;
  order.quantity = formatSteps(terms.lots, math.lot);
  order.priceTicks = terms.priceTicks;
  if (hasLimitPrice(order.type)) order.price = formatSteps(terms.priceTicks, math.tick);
  order.stopTicks = terms.stopTicks;
  if (hasStopPrice(order.type)) order.stopPrice = formatSteps(terms.stopTicks, math.tick);
  order.updatedAt = now;
  parts.changed(order);
  emit({ type: 'OrderAmended', clientOrderId: order.clientOrderId, quantity: order.quantity, price: order.price, stopPrice: order.stopPrice, requested: true, reason: null, timestamp: now });
  // A bracket's take-profit or stop-loss still waiting for its entry keeps waiting, on its new terms.
  if (!order.active) return;
  if (requeued) {
    // Worked again as if new: a price that crosses the market takes liquidity, a stop already reached triggers.
    parts.fillModel.execute(order, traded, context, now);
    return;
  }
  // A smaller quantity keeps its place in the queue; what it holds shrinks with it.
  if (order.reservedLots > 0) context.account.reserve(order, order.reservedTicks);
}
