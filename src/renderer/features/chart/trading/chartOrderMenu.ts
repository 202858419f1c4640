/**
 * What a right-click on the chart offers to place at the price under the
 * pointer: below the last price a buy limit and a sell stop, above it a
 * sell limit and a buy stop (the orders that wait there; a limit on the other
 * side would fill at once and a stop would trigger at once). The order is the
 * ticket's, with the side, type and price the menu item says: its size (a
 * quantity, a value, a share of margin) and reduce-only come from the ticket;
 * it rests (GTC) and carries none of the ticket's attachments or one-order
 * overrides, which were typed for the ticket's own order.
 */
import { Dec } from '../../../../shared/decimal';
import type { OrderSide } from '../../../../shared/domain';
import { NO_ATTACHMENTS } from '../../../stores/ticketAttachments';
import type { TicketDraft } from '../../../stores/ui';

export interface ChartOrderChoice {
  side: OrderSide;
  type: 'limit' | 'stop';
}

const BUY_LIMIT: ChartOrderChoice = { side: 'buy', type: 'limit' };
const SELL_LIMIT: ChartOrderChoice = { side: 'sell', type: 'limit' };
const BUY_STOP: ChartOrderChoice = { side: 'buy', type: 'stop' };
const SELL_STOP: ChartOrderChoice = { side: 'sell', type: 'stop' };

/** The orders offered at `price`, given the last price (null while unknown: all four, limits first). */
export function orderChoicesAt(price: string, last: string | null): ChartOrderChoice[] {
  if (last === null || !Dec.isValid(last) || !Dec.isValid(price)) return [BUY_LIMIT, SELL_LIMIT, BUY_STOP, SELL_STOP];
  const p = Dec.parse(price);
  const l = Dec.parse(last);
  if (p.lt(l)) return [BUY_LIMIT, SELL_STOP];
  if (p.gt(l)) return [SELL_LIMIT, BUY_STOP];
  // At the last price a stop would trigger at once: only the limits.
  return [BUY_LIMIT, SELL_LIMIT];
}

/** "Buy limit", "Sell stop". */
export function choiceLabel(choice: ChartOrderChoice): string {
  return `${choice.side === 'buy' ? 'Buy' : 'Sell'} ${choice.type}`;
}

/** The ticket's order as the menu item places it. */
export function chartOrderDraft(ticket: TicketDraft, choice: ChartOrderChoice, price: string): TicketDraft {
  const limit = choice.type === 'limit';
  return {
    ...ticket,
    side: choice.side,
    type: choice.type,
    price: limit ? price : '',
    stopPrice: limit ? '' : price,
    timeInForce: 'GTC',
    postOnly: limit && ticket.postOnly,
    overridePriceBand: false,
    triggerNow: false,
    attach: NO_ATTACHMENTS,
  };
}
