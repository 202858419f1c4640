/**
 * What an amend changes, read from the blotter's edit fields: only the
 * terms that differ from the order's go out (`orders.amend` refuses an amend
 * that changes nothing), each checked against the instrument's tick and lot
 * as typed. Which fields an order offers follows the engine's rules: a limit
 * price for types that have one, a stop price for untriggered stops and
 * take-profits (a trailing stop's follows the market), a quantity except for
 * a bracket's take-profit and stop-loss (sized by their entry).
 */
import type { AmendOrderParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import { hasLimitPrice, hasStopPrice, type Instrument, type Order } from '../../../shared/domain';
import { readUserDecimal } from '../../lib/numberInput';

export interface AmendFields {
  price: boolean;
  stopPrice: boolean;
  quantity: boolean;
}

export function amendableFields(order: Order): AmendFields {
  return {
    price: hasLimitPrice(order.type),
    stopPrice: hasStopPrice(order.type) && !order.triggered,
    quantity: order.role !== 'tp' && order.role !== 'sl',
  };
}

export interface AmendDraft {
  price: string;
  stopPrice: string;
  quantity: string;
}

export type AmendCheck = { ok: true; params: AmendOrderParams } | { ok: false; field: keyof AmendDraft | null; error: string };

function read(text: string, label: string, step: string, what: string): Dec | string {
  const r = readUserDecimal(text);
  if (!r.ok || !r.value.isPositive()) return `${label} must be a number greater than zero.`;
  if (!r.value.isMultipleOf(Dec.parse(step))) return `${label} must be a multiple of the ${what} ${step}.`;
  return r.value;
}

export function checkAmendDraft(order: Order, draft: AmendDraft, inst: Instrument | undefined): AmendCheck {
  const fields = amendableFields(order);
  const params: AmendOrderParams = { orderId: order.id };
  const tick = inst?.tickSize ?? '0.00000001';
  const lot = inst?.lotSize ?? '0.00000001';
  if (fields.price && order.price !== null) {
    const p = read(draft.price, 'Limit price', tick, 'tick size');
    if (typeof p === 'string') return { ok: false, field: 'price', error: p };
    if (!p.eq(Dec.parse(order.price))) params.price = p.toString();
  }
  if (fields.stopPrice && order.stopPrice !== null) {
    const p = read(draft.stopPrice, 'Stop price', tick, 'tick size');
    if (typeof p === 'string') return { ok: false, field: 'stopPrice', error: p };
    if (!p.eq(Dec.parse(order.stopPrice))) params.stopPrice = p.toString();
  }
  if (fields.quantity) {
    const q = read(draft.quantity, 'Quantity', lot, 'lot size');
    if (typeof q === 'string') return { ok: false, field: 'quantity', error: q };
    if (!q.gt(Dec.parse(order.filledQuantity))) {
      return { ok: false, field: 'quantity', error: `Quantity must be more than the ${order.filledQuantity} already filled.` };
    }
    if (!q.eq(Dec.parse(order.quantity))) params.quantity = q.toString();
  }
  if (params.price === undefined && params.stopPrice === undefined && params.quantity === undefined) {
    return { ok: false, field: null, error: 'Nothing has changed.' };
  }
  return { ok: true, params };
}
