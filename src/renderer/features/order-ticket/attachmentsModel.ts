/**
 * The ticket's attachments (see stores/ticketAttachments) turned into
 * `orders.place` params, with the checks a trader expects while typing: a
 * take-profit above a buy's entry and below a sell's, a stop-loss the other
 * way, prices on the tick, a trail on the tick or a percentage below 100.
 * Pure, so it is unit tested; the engine checks everything again.
 */
import type { PlaceOrderParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderSide, OrderType } from '../../../shared/domain';
import { readUserDecimal } from '../../lib/numberInput';
import type { TicketAttachments } from '../../stores/ticketAttachments';

/** Entry types a take-profit and stop-loss may be attached to. */
export function takesBracket(type: OrderType, reduceOnly: boolean): boolean {
  return !reduceOnly && (type === 'market' || type === 'limit' || type === 'stop' || type === 'stop_limit');
}

/** Order types that may be the first leg of an OCO pair: anything that waits. */
export function takesOco(type: OrderType): boolean {
  return type !== 'market';
}

export type AttachmentField = 'takeProfit' | 'stopLoss' | 'trail' | 'ocoPrice';

export type AttachmentCheck =
  | { ok: true; params: Pick<PlaceOrderParams, 'takeProfit' | 'stopLoss' | 'trailing' | 'oco'> }
  | { ok: false; field: AttachmentField; error: string };

function price(text: string, label: string, inst: Instrument): Dec | string {
  const r = readUserDecimal(text);
  if (!r.ok) return `${label} must be a number such as ${inst.tickSize}.`;
  if (!r.value.isPositive()) return `${label} must be greater than zero.`;
  if (!r.value.isMultipleOf(Dec.parse(inst.tickSize))) return `${label} must be a multiple of the tick size ${inst.tickSize}.`;
  return r.value;
}

function trail(a: TicketAttachments, inst: Instrument): NonNullable<PlaceOrderParams['trailing']> | string {
  if (a.trail.trim() === '') return 'Enter the trail: a distance or a percentage.';
  const r = readUserDecimal(a.trail);
  if (!r.ok || !r.value.isPositive()) return 'The trail must be a number greater than zero.';
  if (a.trailUnit === 'percent') {
    if (!r.value.lt(Dec.parse('100'))) return 'A trailing percentage must be below 100.';
    return { percent: r.value.toString() };
  }
  if (!r.value.isMultipleOf(Dec.parse(inst.tickSize))) return `The trail distance must be a multiple of the tick size ${inst.tickSize}.`;
  return { distance: r.value.toString() };
}

/**
 * The params the attachments add to an order of `type` on `side` whose
 * entry price is `entryPrice` (its limit or stop price, or the touch for a
 * market order; null when not known yet). Empty take-profit and stop-loss
 * fields attach nothing.
 */
export function attachmentParams(
  a: TicketAttachments,
  order: { type: OrderType; side: OrderSide; reduceOnly: boolean },
  entryPrice: Dec | null,
  inst: Instrument,
): AttachmentCheck {
  const params: Pick<PlaceOrderParams, 'takeProfit' | 'stopLoss' | 'trailing' | 'oco'> = {};
  if (order.type === 'trailing_stop') {
    const t = trail(a, inst);
    if (typeof t === 'string') return { ok: false, field: 'trail', error: t };
    params.trailing = t;
  }
  if (takesBracket(order.type, order.reduceOnly)) {
    const buy = order.side === 'buy';
    if (a.takeProfit.trim() !== '') {
      const tp = price(a.takeProfit, 'Take-profit', inst);
      if (typeof tp === 'string') return { ok: false, field: 'takeProfit', error: tp };
      if (entryPrice && (buy ? !tp.gt(entryPrice) : !tp.lt(entryPrice))) {
        return { ok: false, field: 'takeProfit', error: `The take-profit of a ${order.side} goes ${buy ? 'above' : 'below'} its entry (${entryPrice.toString()}).` };
      }
      params.takeProfit = { triggerPrice: tp.toString() };
    }
    if (a.stopLossTrails) {
      const t = trail(a, inst);
      if (typeof t === 'string') return { ok: false, field: 'trail', error: t };
      params.stopLoss = { trailing: t };
    } else if (a.stopLoss.trim() !== '') {
      const sl = price(a.stopLoss, 'Stop-loss', inst);
      if (typeof sl === 'string') return { ok: false, field: 'stopLoss', error: sl };
      if (entryPrice && (buy ? !sl.lt(entryPrice) : !sl.gt(entryPrice))) {
        return { ok: false, field: 'stopLoss', error: `The stop-loss of a ${order.side} goes ${buy ? 'below' : 'above'} its entry (${entryPrice.toString()}).` };
      }
      params.stopLoss = { triggerPrice: sl.toString() };
    }
  }
  if (a.oco !== 'none' && takesOco(order.type) && params.takeProfit === undefined && params.stopLoss === undefined) {
    const p = price(a.ocoPrice, a.oco === 'limit' ? 'The OCO leg’s limit price' : 'The OCO leg’s stop price', inst);
    if (typeof p === 'string') return { ok: false, field: 'ocoPrice', error: a.ocoPrice.trim() === '' ? 'Enter the OCO leg’s price.' : p };
    params.oco = a.oco === 'limit' ? { type: 'limit', price: p.toString() } : { type: a.oco, stopPrice: p.toString() };
  }
  return { ok: true, params };
}
