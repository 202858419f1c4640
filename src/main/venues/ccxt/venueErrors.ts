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

/**
 * The venue's numeric code in a message: Binance's ("code":-4164), Bybit's ("retCode":110094), OKX's (the refused
 * order's "sCode":"51008", else its quoted "code":"50011"). ccxt raises on OKX's code "1" only when every order in the
 * answer was refused, so the first non-zero sCode is the refusal.
 */
function venueCode(message: string): number | null {
  const match = /"sCode"\s*:\s*"([1-9]\d*)"/.exec(message) ?? /"(?:code|retCode)"\s*:\s*"?(-?\d+)/.exec(message) ?? /\b(-[1-9]\d{3})\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/** Bybit's codes whose words say less than the code: a minimum order value, the reduce-only rule, a duplicate orderLinkId. */
const BYBIT_MIN_NOTIONAL = 110094;
const BYBIT_REDUCE_ONLY = 110017;
const BYBIT_DUPLICATE_CLIENT_ID = 110072;
/** OKX's: no position in this direction to reduce (51169, which ccxt leaves a plain ExchangeError), a reduce-only order on the position's own side (51170). */
const OKX_REDUCE_ONLY = [51169, 51170];
/** OKX's: under the minimum size (51020) or not a whole number of lots (51121), both in contracts. */
const OKX_SIZE = [51020, 51121];
/** OKX's duplicate clOrdId among open orders (51016). */
const OKX_DUPLICATE_CLIENT_ID = 51016;

/** The venue's own words, without ccxt's "binanceusdm POST http://… " prefix: OKX's sMsg (its top-level `msg` only says "All operations failed"), else a non-empty `msg` or `retMsg`. */
function venueMessage(message: string): string {
  const msg = /"sMsg"\s*:\s*"([^"]+)"/.exec(message)?.[1] ?? /"msg"\s*:\s*"([^"]+)"/.exec(message)?.[1] ?? /"retMsg"\s*:\s*"([^"]+)"/.exec(message)?.[1];
  return msg ?? message;
}

function rejectCode(names: string[], message: string): VenueRejectCode {
  const code = venueCode(message);
  const text = message.toLowerCase();
  if (names.includes('InsufficientFunds') || code === -2019 || code === -2018) return 'INSUFFICIENT_MARGIN';
  if (names.includes('OrderImmediatelyFillable') || names.includes('OrderNotFillable') || code === -5022 || text.includes('post only')) return 'POST_ONLY_REJECTED';
  if (code === -4164 || code === BYBIT_MIN_NOTIONAL || text.includes('notional')) return 'MIN_NOTIONAL';
  // Binance's -2027 ("exceeded the maximum allowable position at current leverage"), OKX's 51004 (the tier limit).
  if (code === -2027 || code === 51004 || text.includes('maximum allowable position')) return 'LEVERAGE_BRACKET_EXCEEDED';
  if (code === -2022 || code === BYBIT_REDUCE_ONLY || (code !== null && OKX_REDUCE_ONLY.includes(code)) || text.includes('reduceonly') || text.includes('reduce only') || text.includes('reduce-only')) return 'REDUCE_ONLY_REJECTED';
  if (code === -1111 || code === -4014 || code === -4023 || (code !== null && OKX_SIZE.includes(code)) || text.includes('precision')) return 'INVALID_PRECISION';
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
  const code = venueCode(raw);
  if (is('DuplicateOrderId') || code === -4116 || code === BYBIT_DUPLICATE_CLIENT_ID || code === OKX_DUPLICATE_CLIENT_ID) return { kind: 'unknown', reason };
  // An order OKX refused for the reduce-only rule, though ccxt has no class for 51169 and calls it a plain ExchangeError.
  if (code !== null && OKX_REDUCE_ONLY.includes(code)) return { kind: 'refused', code: 'REDUCE_ONLY_REJECTED', reason };
  if (is('InvalidOrder') || is('InsufficientFunds') || is('BadRequest') || is('BadSymbol') || is('OperationRejected') || is('ArgumentsRequired') || is('NotSupported')) {
    return { kind: 'refused', code: rejectCode(names, raw), reason };
  }
  // NetworkError, OperationFailed, ExchangeNotAvailable, RequestTimeout, BadResponse, a plain ExchangeError
  // (which on a write may well have been carried out), and anything else: nobody can say what happened.
  return { kind: 'unknown', reason };
}
