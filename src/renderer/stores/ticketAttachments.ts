/**
 * What the order ticket attaches to an order beyond its own fields, as typed:
 * a bracket's take-profit and stop-loss (trigger prices; the stop-loss may
 * trail instead), a trailing stop's trail, an OCO pair's second leg. Part of
 * the ticket's draft; the ticket turns it into `orders.place` params (see
 * features/order-ticket/attachmentsModel).
 */
export type TrailUnit = 'distance' | 'percent';
export type OcoLeg = 'none' | 'stop' | 'limit' | 'take_profit';

export interface TicketAttachments {
  /** Take-profit trigger price ('' for none). */
  takeProfit: string;
  /** Stop-loss trigger price ('' for none); ignored while `stopLossTrails`. */
  stopLoss: string;
  /** The stop-loss trails by `trail` instead of sitting at a price. */
  stopLossTrails: boolean;
  /** A trailing stop's (or trailing stop-loss's) trail, and what it is counted in. */
  trail: string;
  trailUnit: TrailUnit;
  /** An OCO pair's second leg and its price (its stop price, or its limit price for a limit). */
  oco: OcoLeg;
  ocoPrice: string;
}

export const NO_ATTACHMENTS: TicketAttachments = {
  takeProfit: '',
  stopLoss: '',
  stopLossTrails: false,
  trail: '',
  trailUnit: 'percent',
  oco: 'none',
  ocoPrice: '',
};
