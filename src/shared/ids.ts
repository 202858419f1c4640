/**
 * Identifiers as distinct types, so a venue order id cannot be passed where a
 * client order id belongs. Each is a plain string at run time, branded for the
 * compiler, and made only through its checked constructor, which refuses bad
 * text with a VALIDATION_FAILED KeelError. The grammars are the contract's
 * (`clientOrderIdSchema`, `venueId`, `symbol`); the tests hold them equal.
 */
import { KeelError } from './errors';

declare const brand: unique symbol;

/** A string the compiler tells apart by `B`; nothing extra exists at run time. */
export type Brand<B extends string> = string & { readonly [brand]: B };

/** Keel's own id for an order. */
export type OrderId = Brand<'OrderId'>;
/** The id Keel sends with an order: its idempotency key at the venue. */
export type ClientOrderId = Brand<'ClientOrderId'>;
/** The id a venue gives an order it acknowledged. */
export type VenueOrderId = Brand<'VenueOrderId'>;
/** The id a venue gives one trade (one fill). */
export type TradeId = Brand<'TradeId'>;
export type StrategyId = Brand<'StrategyId'>;
export type VenueId = Brand<'VenueId'>;
/** One market on one venue: `venue:symbol`, e.g. "paper:BTC/USDT:USDT". */
export type InstrumentId = Brand<'InstrumentId'>;

export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;
export const VENUE_ID_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/;
/** A ccxt unified symbol: BASE/QUOTE, and :SETTLE for derivatives. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(?::[A-Z0-9]{1,20})?$/;
/** Ids other systems choose (venue order ids, trade ids): 1-64 visible ASCII characters, no spaces. */
export const OPAQUE_ID_PATTERN = /^[\x21-\x7e]{1,64}$/;
export const STRATEGY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The longest piece of refused text repeated back in an error message. */
const SHOWN_CHARS = 40;

function shown(value: unknown): string {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value}`;
  return value.length > SHOWN_CHARS ? `"${value.slice(0, SHOWN_CHARS)}…" (${value.length} characters)` : `"${value}"`;
}

function checked<T extends string>(kind: string, pattern: RegExp, rule: string, text: string): T {
  if (typeof text !== 'string' || !pattern.test(text)) {
    throw new KeelError('VALIDATION_FAILED', `${shown(text)} is not a valid ${kind}: it ${rule}.`, { kind, value: text });
  }
  return text as T;
}

export function orderId(text: string): OrderId {
  return checked('order id', OPAQUE_ID_PATTERN, 'must be 1-64 visible characters without spaces', text);
}

export function clientOrderId(text: string): ClientOrderId {
  return checked('client order id', CLIENT_ORDER_ID_PATTERN, 'must be 1-36 letters, digits, "-" or "_"', text);
}

export function venueOrderId(text: string): VenueOrderId {
  return checked('venue order id', OPAQUE_ID_PATTERN, 'must be 1-64 visible characters without spaces', text);
}

export function tradeId(text: string): TradeId {
  return checked('trade id', OPAQUE_ID_PATTERN, 'must be 1-64 visible characters without spaces', text);
}

export function strategyId(text: string): StrategyId {
  return checked(
    'strategy id',
    STRATEGY_ID_PATTERN,
    'must be 1-64 letters, digits, ".", "-" or "_", starting with a letter or digit',
    text,
  );
}

export function venueId(text: string): VenueId {
  return checked('venue id', VENUE_ID_PATTERN, 'must be 2-32 lower-case letters, digits, "-" or "_", starting with a letter, such as "paper"', text);
}

function unifiedSymbol(text: string): string {
  return checked('symbol', SYMBOL_PATTERN, 'must be a unified symbol such as "BTC/USDT" or "BTC/USDT:USDT"', text);
}

/** The id of `symbol` on `venue`. */
export function instrumentKey(venue: string, symbol: string): InstrumentId {
  return `${venueId(venue)}:${unifiedSymbol(symbol)}` as InstrumentId;
}

/** The venue and symbol of an instrument id (a venue id holds no ":", so the first one splits them). */
export function parseInstrumentId(text: string): { venue: VenueId; symbol: string } {
  const at = typeof text === 'string' ? text.indexOf(':') : -1;
  const venue = at < 0 ? '' : text.slice(0, at);
  const symbol = at < 0 ? '' : text.slice(at + 1);
  if (!VENUE_ID_PATTERN.test(venue) || !SYMBOL_PATTERN.test(symbol)) {
    throw new KeelError(
      'VALIDATION_FAILED',
      `${shown(text)} is not a valid instrument id: it must be a venue id, ":" and a unified symbol, such as "paper:BTC/USDT:USDT".`,
      { kind: 'instrument id', value: text },
    );
  }
  return { venue: venue as VenueId, symbol };
}

/** Checks text that should already be an instrument id, e.g. one read back from the journal. */
export function instrumentId(text: string): InstrumentId {
  parseInstrumentId(text);
  return text as InstrumentId;
}
