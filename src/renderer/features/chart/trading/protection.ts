/**
 * The position's take-profit and stop-loss set from the chart: dragging the
 * position line's TP or SL handle to a price moves the reduce-only exit
 * already working for it (amended, as its line would be), or places one: a
 * take-profit as a reduce-only limit, a stop-loss as a reduce-only
 * stop-market, on the other side, for the position's size. A take-profit
 * goes where the price is better than the last (above it for a long, below
 * for a short), a stop-loss where it is worse: anything else would fill or
 * trigger at once.
 */
import type { AmendOrderParams } from '../../../../shared/contract';
import { Dec } from '../../../../shared/decimal';
import type { Instrument, Order, OrderSide, Position } from '../../../../shared/domain';
import { DEFAULT_TICKET, type TicketDraft } from '../../../stores/ui';
import { NO_ATTACHMENTS } from '../../../stores/ticketAttachments';
import { amendForDrag, canDragOrder } from './orderDrag';

export type ProtectionKind = 'tp' | 'sl';

export const PROTECTION_LABEL: Record<ProtectionKind, string> = { tp: 'take-profit', sl: 'stop-loss' };

/** The side that reduces the position. */
export function exitSide(position: Pick<Position, 'side'>): OrderSide {
  return position.side === 'long' ? 'sell' : 'buy';
}

function isExitFor(o: Order, p: Position): boolean {
  return o.venue === p.venue && o.symbol === p.symbol && o.reduceOnly && o.side === exitSide(p) && canDragOrder(o);
}

/**
 * The working exit of this kind for the position, if any: a bracket's
 * take-profit or stop-loss first, else a reduce-only limit or take-profit
 * (tp) or a reduce-only stop or stop-limit (sl) on the exit side. Trailing
 * stops are the venue's to move and are not taken.
 */
export function protectiveOrder(position: Position, orders: readonly Order[], kind: ProtectionKind): Order | null {
  const exits = orders.filter((o) => isExitFor(o, position));
  const byRole = exits.find((o) => o.role === kind);
  if (byRole) return byRole;
  const types = kind === 'tp' ? ['limit', 'take_profit', 'take_profit_limit'] : ['stop', 'stop_limit'];
  return exits.find((o) => (o.role === null || o.role === undefined) && types.includes(o.type)) ?? null;
}

export type ProtectionPlan =
  | { kind: 'amend'; order: Order; params: AmendOrderParams }
  | { kind: 'place'; draft: TicketDraft }
  | { kind: 'refused'; error: string };

/** What a drag of the position's `kind` handle to `price` asks for; `last` is the last price (null while unknown). */
export function planProtection(
  kind: ProtectionKind,
  position: Position,
  orders: readonly Order[],
  price: string,
  last: string | null,
  inst: Instrument | undefined,
): ProtectionPlan {
  if (!Dec.isValid(price) || !Dec.parse(price).isPositive()) return { kind: 'refused', error: 'Drop the handle on a price above zero.' };
  if (last !== null && Dec.isValid(last)) {
    const p = Dec.parse(price);
    const l = Dec.parse(last);
    const above = kind === 'tp' ? position.side === 'long' : position.side === 'short';
    if (above ? !p.gt(l) : !p.lt(l)) {
      return {
        kind: 'refused',
        error: `The ${PROTECTION_LABEL[kind]} of a ${position.side} goes ${above ? 'above' : 'below'} the last price (${last}).`,
      };
    }
  }
  const existing = protectiveOrder(position, orders, kind);
  if (existing) {
    const check = amendForDrag(existing, price, inst);
    return check.ok ? { kind: 'amend', order: existing, params: check.params } : { kind: 'refused', error: check.error };
  }
  const takeProfit = kind === 'tp';
  return {
    kind: 'place',
    draft: {
      ...DEFAULT_TICKET,
      side: exitSide(position),
      type: takeProfit ? 'limit' : 'stop',
      sizeMode: 'base',
      quantity: Dec.isValid(position.quantity) ? Dec.parse(position.quantity).abs().toString() : position.quantity,
      price: takeProfit ? price : '',
      stopPrice: takeProfit ? '' : price,
      timeInForce: 'GTC',
      reduceOnly: true,
      attach: NO_ATTACHMENTS,
    },
  };
}
