/**
 * What a failed ccxt call means for Keel. Every call ends in one of a few
 * outcomes, and each has one right response:
 *
 * - refused: the venue answered and said no (bad order, no margin). Final;
 *   the order is rejected with the reason and nothing is retried.
 * - not-found: the venue has no such order. Final for a query or a cancel.
 * - unknown: timeout, 5xx, a lost or garbled answer. The request may or may
 *   not have been carried out; for a write, the venue must be asked, never
 *   sent the request again.
 * - rate-limited: 429 or a ban (418). The whole venue backs off.
 * - clock-skew: the venue judged our timestamp out of its window (-1021).
 *   Resync the time difference and retry once (the request was refused, so
 *   nothing happened).
 * - auth: the key is wrong, expired or lacks a permission. The venue stops
 *   and asks for keys again.
 *
 * ccxt's error classes are read by name along the prototype chain, so this
 * works without loading ccxt (it is loaded lazily) and across its bundles.
 */
import type { VenueRejectCode } from '../../engine/ports/venue';
import { errorText } from '../../../shared/errors';

export type VenueFailure =
  | { kind: 'refused'; code: VenueRejectCode; reason: string }
  | { kind: 'not-found'; reason: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'rate-limited'; banned: boolean; reason: string }
  | { kind: 'clock-skew'; reason: string }
  | { kind: 'auth'; reason: string };

/** The names of an error's classes, most specific first ("RequestTimeout", "NetworkError", "OperationFailed", ...). */
export function errorClassNames(error: unknown): string[] {
  const names: string[] = [];
  let proto: unknown = error !== null && typeof error === 'object' ? Object.getPrototypeOf(error) : null;
  while (proto && proto !== Object.prototype) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== '') names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  // A bundler may rename classes; ccxt also sets `name` on every instance.
  const own = (error as { name?: unknown } | null)?.name;
  if (typeof own === 'string' && !names.includes(own)) names.unshift(own);
  return names;
}

/** The venue's numeric code in a message: Binance's ("code":-4164) or Bybit's ("retCode":110094). */
function venueCode(message: string): number | null {
  const match = /"(?:code|retCode)"\s*:\s*(-?\d+)/.exec(message) ?? /\b(-[1-9]\d{3})\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/** Bybit's codes whose words say less than the code: a minimum order value, the reduce-only rule, a duplicate orderLinkId. */
const BYBIT_MIN_NOTIONAL = 110094;
const BYBIT_REDUCE_ONLY = 110017;
const BYBIT_DUPLICATE_CLIENT_ID = 110072;

/** The venue's own words, without ccxt's "binanceusdm POST http://… " prefix: `msg` when the body has one. */
function venueMessage(message: string): string {
  const msg = /"msg"\s*:\s*"([^"]*)"/.exec(message)?.[1] ?? /"retMsg"\s*:\s*"([^"]*)"/.exec(message)?.[1] ?? /"sMsg"\s*:\s*"([^"]*)"/.exec(message)?.[1];
  return msg ?? message;
}

function rejectCode(names: string[], message: string): VenueRejectCode {
  const code = venueCode(message);
  const text = message.toLowerCase();
  if (names.includes('InsufficientFunds') || code === -2019 || code === -2018) return 'INSUFFICIENT_MARGIN';
  if (names.includes('OrderImmediatelyFillable') || names.includes('OrderNotFillable') || code === -5022 || text.includes('post only')) return 'POST_ONLY_REJECTED';
  if (code === -4164 || code === BYBIT_MIN_NOTIONAL || text.includes('notional')) return 'MIN_NOTIONAL';
  if (code === -2022 || code === BYBIT_REDUCE_ONLY || text.includes('reduceonly') || text.includes('reduce only') || text.includes('reduce-only')) return 'REDUCE_ONLY_REJECTED';
  if (code === -1111 || code === -4014 || code === -4023 || text.includes('precision')) return 'INVALID_PRECISION';
  return 'VENUE_REJECTED';
}

/** Classifies a failed call. `redact` cleans the text before it goes anywhere (a keyed venue's errors may carry signed URLs). */
export function classifyFailure(error: unknown, redact: (text: string) => string = (t) => t): VenueFailure {
  const names = errorClassNames(error);
  const raw = errorText(error);
  const reason = redact(venueMessage(raw));
  const is = (name: string) => names.includes(name);
  if (is('DDoSProtection') || is('RateLimitExceeded')) {
    // ccxt raises DDoSProtection for both 429 and 418; the status sits in the message.
    return { kind: 'rate-limited', banned: /\b418\b/.test(raw) || /banned/i.test(raw), reason };
  }
  if (is('InvalidNonce')) return { kind: 'clock-skew', reason };
  if (is('AuthenticationError')) return { kind: 'auth', reason };
  if (is('OrderNotFound')) return { kind: 'not-found', reason };
  // A duplicate client order id means an earlier send of this very order reached the venue: its fate is asked, not assumed.
  if (is('DuplicateOrderId') || venueCode(raw) === -4116 || venueCode(raw) === BYBIT_DUPLICATE_CLIENT_ID) return { kind: 'unknown', reason };
  if (is('InvalidOrder') || is('InsufficientFunds') || is('BadRequest') || is('BadSymbol') || is('OperationRejected') || is('ArgumentsRequired') || is('NotSupported')) {
    return { kind: 'refused', code: rejectCode(names, raw), reason };
  }
  // NetworkError, OperationFailed, ExchangeNotAvailable, RequestTimeout, BadResponse, a plain ExchangeError
  // (which on a write may well have been carried out), and anything else: nobody can say what happened.
  return { kind: 'unknown', reason };
}
