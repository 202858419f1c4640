/**
 * What the trader reads about an order sent by hand, wherever it was sent
 * from (the ticket, the chart): the engine's refusal (a risk, halt or
 * reduce-only refusal says so first, and a price-band refusal says how to
 * send it anyway) and the order as placed.
 */
import type { Instrument, Order } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { errorMessage } from '../../api/client';
import { ORDER_TYPE_LABEL, fmtPrice, fmtQty, fmtStatus } from '../../lib/format';

const DENIAL_PREFIX: Partial<Record<string, string>> = {
  RISK_REJECTED: 'Refused by risk limit',
  HALTED: 'Refused: trading is halted',
  REDUCING_ONLY: 'Refused: reduce only',
};

/** The engine's refusal as the trader reads it. */
export function denialText(err: unknown): string {
  const message = errorMessage(err);
  if (!(err instanceof KeelError)) return message;
  const prefix = DENIAL_PREFIX[err.code];
  if (!prefix) return message;
  const limit = typeof err.data === 'object' && err.data !== null ? (err.data as { limit?: unknown }).limit : undefined;
  const band = limit === 'priceBandPercent' || /price band/i.test(message);
  const hint = band && !/override price band/i.test(message) ? ' Tick “Override price band” to send this one order anyway.' : '';
  return `${prefix} — ${message}${hint}`;
}

/** The refusal with its error code, where it has one: "… (WOULD_TRIGGER_IMMEDIATELY)". */
export function typedDenialText(err: unknown): string {
  const text = denialText(err);
  return err instanceof KeelError && !text.includes(err.code) ? `${text} (${err.code})` : text;
}

/** "Buy 0.010 BTC/USDT:USDT limit @ 61,000.0 — Open". */
export function placedText(order: Order, inst: Instrument | undefined): string {
  const limit = order.price ? ` @ ${fmtPrice(order.price, inst)}` : '';
  const at =
    order.type === 'stop' && order.stopPrice
      ? ` @ ${fmtPrice(order.stopPrice, inst)}`
      : order.stopPrice
        ? `${limit} (stop ${fmtPrice(order.stopPrice, inst)})`
        : limit;
  return `${order.side === 'buy' ? 'Buy' : 'Sell'} ${fmtQty(order.quantity, inst)} ${order.symbol} ${ORDER_TYPE_LABEL[order.type].toLowerCase()}${at} — ${fmtStatus(order.status)}`;
}
