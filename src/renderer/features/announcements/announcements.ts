/**
 * What a fill, a triggered stop, a price alert or any other alert says when
 * it announces itself. Fills of one order that arrive together (a market
 * order walking the book) are told as one: the total quantity at the
 * average price.
 */
import { Dec } from '../../../shared/decimal';
import type { AlertRecord, PriceAlert } from '../../../shared/contract';
import type { Fill, Instrument, Order } from '../../../shared/domain';
import { alertNotice } from '../alerts/alertText';
import { ORDER_TYPE_LABEL, fmtPrice, fmtQty } from '../../lib/format';
import type { ToneKind } from '../../lib/tone';

/** Fills of one order gathered for a single announcement. */
export interface FillGroup {
  orderId: string;
  venue: string;
  symbol: string;
  side: Fill['side'];
  quantity: Dec;
  /** Σ quantity × price, for the average. */
  value: Dec;
  liquidity: Set<Fill['liquidity']>;
  /** The first trade's id: names the notice so windows and repeats replace rather than stack it. */
  tradeId: string;
  /** When the latest of them happened: an order last updated before it does not know about it yet. */
  lastAt: number;
}

export function gatherFill(groups: Map<string, FillGroup>, fill: Fill): void {
  if (!Dec.isValid(fill.quantity) || !Dec.isValid(fill.price)) return;
  const qty = Dec.parse(fill.quantity);
  const value = qty.mul(Dec.parse(fill.price));
  const g = groups.get(fill.orderId);
  if (g) {
    g.quantity = g.quantity.add(qty);
    g.value = g.value.add(value);
    g.liquidity.add(fill.liquidity);
    g.lastAt = Math.max(g.lastAt, fill.timestamp);
    return;
  }
  groups.set(fill.orderId, {
    orderId: fill.orderId,
    venue: fill.venue,
    symbol: fill.symbol,
    side: fill.side,
    quantity: qty,
    value,
    liquidity: new Set([fill.liquidity]),
    tradeId: fill.tradeId,
    lastAt: fill.timestamp,
  });
}

export interface Announcement {
  title: string;
  body: string;
  tone: ToneKind;
  /** Identifies the event: a desktop notice with the same tag replaces the earlier one. */
  tag: string;
  kind: 'success' | 'info' | 'error';
}

const sideWord = (side: Fill['side']) => (side === 'buy' ? 'Buy' : 'Sell');

/** "Filled: Buy 0.010 BTC/USDT:USDT" / "at 78,000.0 · limit, maker"; "Partly filled" while the order still works. */
export function fillAnnouncement(group: FillGroup, order: Order | undefined, inst: Instrument | undefined): Announcement {
  const average = group.quantity.isPositive() ? group.value.div(group.quantity) : null;
  const partly =
    order !== undefined && Dec.isValid(order.filledQuantity) && Dec.isValid(order.quantity) && Dec.parse(order.filledQuantity).lt(Dec.parse(order.quantity));
  const how = [order ? ORDER_TYPE_LABEL[order.type].toLowerCase() : null, [...group.liquidity].join('/')].filter(Boolean).join(', ');
  return {
    title: `${partly ? 'Partly filled' : 'Filled'}: ${sideWord(group.side)} ${fmtQty(group.quantity, inst)} ${group.symbol}`,
    body: `${average ? `at ${fmtPrice(average.toString(), inst)}` : ''}${how ? ` · ${how}` : ''}${order?.venue && order.venue !== 'paper' ? ` · ${order.venue}` : ''}`.replace(/^ · /, ''),
    tone: group.side,
    tag: `fill-${group.tradeId}`,
    kind: 'success',
  };
}

/** "Stop triggered: Sell 0.010 BTC/USDT:USDT" / "stop 77,800.0 · now a market order". */
export function triggerAnnouncement(order: Order, inst: Instrument | undefined): Announcement {
  const now = order.type === 'stop_limit' && order.price ? `now a limit order at ${fmtPrice(order.price, inst)}` : 'now a market order';
  return {
    title: `Stop triggered: ${sideWord(order.side)} ${fmtQty(order.quantity, inst)} ${order.symbol}`,
    body: `${order.stopPrice ? `stop ${fmtPrice(order.stopPrice, inst)} · ` : ''}${now}`,
    tone: 'trigger',
    tag: `trigger-${order.id}`,
    kind: 'info',
  };
}

/** A price alert that fired: told like a fill (toast, tone, desktop notice as the trader chose for announcements). */
export function priceAlertAnnouncement(alert: PriceAlert): Announcement {
  return {
    // The whole notice in the title: it reads the same as a toast and as a desktop notice.
    title: alertNotice(alert),
    body: '',
    tone: 'alert',
    tag: `price-alert-${alert.id}`,
    kind: 'info',
  };
}

/** Any other alert the engine raised (fills and price alerts have their own notices). */
export function alertAnnouncement(alert: AlertRecord): Announcement {
  return {
    title: alert.title,
    body: alert.body,
    tone: 'alert',
    tag: `alert-${alert.id}`,
    kind: alert.severity === 'critical' ? 'error' : 'info',
  };
}

/** Kinds announced by a path of their own (fills gathered per order; price alerts from their event), not again as an alert. */
export const ANNOUNCED_ELSEWHERE: ReadonlySet<AlertRecord['kind']> = new Set(['fill', 'priceAlert']);
