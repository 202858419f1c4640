/**
 * What an amend may change, checked before anything is sent, with messages
 * a trader understands. Pure: the order, the instrument, the change and the
 * last price come in; the order's terms after the amend come out, or a
 * typed error says why not. The risk stage judges the new terms afterwards
 * (see `RiskStage.evaluateAmend`).
 *
 * The rules:
 * - Only a working order can be amended (not one the venue has not
 *   acknowledged, one being cancelled, one that ended, or one whose previous
 *   amend is still waiting for the venue).
 * - A price only for types with a limit price; a stop price only for types
 *   with a stop price (a trailing stop's is the venue's to move).
 * - The new quantity is the whole quantity, filled part included, and must
 *   be more than what has filled (to stop the rest, cancel it). A bracket's
 *   take-profit and stop-loss are sized by their entry's fills: only their
 *   prices can change.
 * - Lot and tick steps, the minimum quantity and notional, as for a new
 *   order; a stop price may not be moved past the last price (it would
 *   trigger at once).
 * - An amend that changes nothing is refused.
 */
import { Dec } from '../../../shared/decimal';
import { hasLimitPrice, hasStopPrice, isTerminalStatus, type Instrument, type Order } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { checkStopNotCrossed, type OrderIntent } from './preTrade';

export interface AmendChange {
  quantity: Dec | null;
  price: Dec | null;
  stopPrice: Dec | null;
}

export interface AmendedTerms {
  quantity: Dec;
  price: Dec | null;
  stopPrice: Dec | null;
  /** True when the quantity still to fill grows (the risk stage then judges margin and limits). */
  increases: boolean;
  /** True when only the quantity shrinks: a partial cancel, which even HALTED allows. */
  onlyDecreases: boolean;
}

function decOrNull(text: string | null): Dec | null {
  return text === null ? null : Dec.parse(text);
}

/**
 * `sizing`: Keel itself sizes a take-profit or stop-loss it manages to its
 * entry's fills (see `ManagedGroups`); only then may their quantity change.
 */
export function checkAmend(order: Order, change: AmendChange, instrument: Instrument, last: Dec, sizing = false): AmendedTerms {
  const id = order.id;
  if (isTerminalStatus(order.status)) {
    throw new KeelError('INVALID_STATE', `Order ${id} is already ${order.status}; there is nothing to amend.`, { orderId: id, status: order.status });
  }
  if (order.status === 'pending_new') {
    throw new KeelError('INVALID_STATE', `Order ${id} has not been acknowledged by ${order.venue} yet; amend it once it is open.`, { orderId: id });
  }
  if (order.status === 'pending_cancel') {
    throw new KeelError('INVALID_STATE', `Order ${id} is being cancelled; it cannot be amended.`, { orderId: id });
  }
  if (order.amending) {
    throw new KeelError('INVALID_STATE', `An earlier amend of ${id} is still waiting for ${order.venue}; try again once it is answered.`, { orderId: id });
  }
  const words = order.type.replaceAll('_', '-');
  if (change.price !== null && !hasLimitPrice(order.type)) {
    throw new KeelError('VALIDATION_FAILED', `A ${words} order has no limit price to change.`, { field: 'price' });
  }
  if (change.stopPrice !== null && !hasStopPrice(order.type)) {
    const why = order.type === 'trailing_stop' ? 'A trailing stop’s stop price follows the market; change its quantity, or cancel it and place another.' : `A ${words} order has no stop price to change.`;
    throw new KeelError('VALIDATION_FAILED', why, { field: 'stopPrice' });
  }
  if (change.quantity !== null && !sizing && (order.role === 'tp' || order.role === 'sl')) {
    throw new KeelError('VALIDATION_FAILED', `A ${order.role === 'tp' ? 'take-profit' : 'stop-loss'} is sized by its entry's fills; only its prices can change.`, { field: 'quantity' });
  }

  const lot = Dec.parse(instrument.lotSize);
  const tick = Dec.parse(instrument.tickSize);
  const filled = Dec.parse(order.filledQuantity);
  const before = { quantity: Dec.parse(order.quantity), price: decOrNull(order.price), stopPrice: decOrNull(order.stopPrice) };
  const next = {
    quantity: change.quantity ?? before.quantity,
    price: change.price ?? before.price,
    stopPrice: change.stopPrice ?? before.stopPrice,
  };
  if (change.quantity !== null) {
    if (change.quantity.lte(filled)) {
      throw new KeelError(
        'VALIDATION_FAILED',
        `Order ${id} has already filled ${filled.toString()} ${instrument.base}; the new quantity must be more than that (cancel the order to stop the rest).`,
        { field: 'quantity', filledQuantity: filled.toString() },
      );
    }
    if (!change.quantity.isMultipleOf(lot)) {
      throw new KeelError('INVALID_PRECISION', `Quantity ${change.quantity.toString()} ${instrument.base} is not a multiple of the lot size ${instrument.lotSize} for ${instrument.symbol}.`, {
        field: 'quantity',
        lotSize: instrument.lotSize,
      });
    }
    if (change.quantity.lt(Dec.parse(instrument.minQuantity))) {
      throw new KeelError('INVALID_PRECISION', `Quantity ${change.quantity.toString()} ${instrument.base} is below the minimum ${instrument.minQuantity} ${instrument.base} for ${instrument.symbol}.`, {
        field: 'quantity',
        minQuantity: instrument.minQuantity,
      });
    }
  }
  for (const [field, value] of [
    ['price', change.price],
    ['stopPrice', change.stopPrice],
  ] as const) {
    if (value !== null && !value.isMultipleOf(tick)) {
      const label = field === 'price' ? 'Limit price' : 'Stop price';
      throw new KeelError('INVALID_PRECISION', `${label} ${value.toString()} is not a multiple of the tick size ${instrument.tickSize} for ${instrument.symbol}.`, {
        field,
        tickSize: instrument.tickSize,
      });
    }
  }
  const same = (a: Dec | null, b: Dec | null) => (a === null ? b === null : b !== null && a.eq(b));
  if (same(next.price, before.price) && same(next.stopPrice, before.stopPrice) && next.quantity.eq(before.quantity)) {
    throw new KeelError('VALIDATION_FAILED', `Order ${id} already has these terms; nothing to amend.`, { orderId: id });
  }
  // A stop that has triggered works as its market or limit part: its stop price no longer matters.
  if (change.stopPrice !== null && !order.triggered) {
    const intent: OrderIntent = { side: order.side, type: order.type, quantity: next.quantity, price: next.price, stopPrice: change.stopPrice, reduceOnly: order.reduceOnly };
    checkStopNotCrossed(intent, last, instrument);
  }
  const reference = next.price ?? next.stopPrice;
  if (!order.reduceOnly && reference !== null && next.quantity.mul(reference).lt(Dec.parse(instrument.minNotional))) {
    throw new KeelError(
      'MIN_NOTIONAL',
      `Order value ${next.quantity.mul(reference).toFixed(2)} ${instrument.quote} is below the minimum ${instrument.minNotional} ${instrument.quote} for ${instrument.symbol}.`,
      { minNotional: instrument.minNotional },
    );
  }
  const increases = next.quantity.gt(before.quantity);
  const onlyDecreases = change.price === null && change.stopPrice === null && next.quantity.lt(before.quantity);
  return { ...next, increases, onlyDecreases };
}
