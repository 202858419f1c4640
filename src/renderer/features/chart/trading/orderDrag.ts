/**
 * An open order's line on the chart, and what dragging it asks for. The
 * line stands where the order waits: a limit at its price, a stop or
 * take-profit at its trigger until it has triggered, then (a stop-limit, a
 * take-profit-limit) at its limit price. Dragging it amends that price; a
 * stop-limit's limit moves with its trigger by the same amount, so the gap
 * the trader chose between them stays. A trailing stop's trigger is the
 * venue's and a market order has no line to drag. The amend is checked by
 * the blotter's amend rules (amendModel), the same as its Edit dialog.
 */
import { Dec } from '../../../../shared/decimal';
import { hasLimitPrice, type Instrument, type Order } from '../../../../shared/domain';
import { amendableFields, checkAmendDraft, type AmendCheck } from '../../blotter/amendModel';

/** Which of the order's prices its line shows. */
export function lineField(order: Order): 'price' | 'stopPrice' | null {
  if (order.type === 'market') return null;
  if (hasLimitPrice(order.type) && (order.type === 'limit' || order.triggered)) return 'price';
  return order.stopPrice !== null ? 'stopPrice' : order.price !== null ? 'price' : null;
}

/** The price the order's line stands at, as the order carries it; null when it has no line. */
export function linePrice(order: Order): string | null {
  const field = lineField(order);
  return field === null ? null : order[field];
}

/** Whether the order's line can be dragged: a working order, with the price its line shows open to an amend. */
export function canDragOrder(order: Order): boolean {
  const field = lineField(order);
  if (field === null || order.amending || order.status === 'pending_new' || order.status === 'pending_cancel') return false;
  return amendableFields(order)[field];
}

/** The amend a drag of the order's line to `price` asks for, checked; "Nothing has changed" when it was put back. */
export function amendForDrag(order: Order, price: string, inst: Instrument | undefined): AmendCheck {
  const field = lineField(order);
  if (field === null || !canDragOrder(order)) return { ok: false, field: null, error: 'This order’s price cannot be moved on the chart.' };
  const draft = { price: order.price ?? '', stopPrice: order.stopPrice ?? '', quantity: order.quantity };
  draft[field] = price;
  if (field === 'stopPrice' && order.price !== null && order.stopPrice !== null && amendableFields(order).price && Dec.isValid(price)) {
    // A stop-limit's limit keeps its distance from the trigger.
    const shifted = Dec.parse(order.price).add(Dec.parse(price).sub(Dec.parse(order.stopPrice)));
    if (!shifted.isPositive()) return { ok: false, field: 'price', error: 'The limit price would fall to zero or below.' };
    draft.price = shifted.toString();
  }
  return checkAmendDraft(order, draft, inst);
}
