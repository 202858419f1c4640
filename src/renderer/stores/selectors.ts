/**
 * Selectors: plain functions of the state. Derived lists are memoised on the
 * identity of their inputs, so a selector returns the same array until the
 * underlying slice really changes and a component never re-renders for a
 * tick it does not show.
 */
import type { AccountSummary, Instrument, Order, Position, Ticker, VenueStatus } from '../../shared/domain';
import { marketKey } from './market';
import { isOpenOrder } from './orders';
import type { KeelState } from './store';

function memo1<A, R>(fn: (a: A) => R): (a: A) => R {
  let lastA: A | undefined;
  let lastR: R | undefined;
  let primed = false;
  return (a) => {
    if (!primed || a !== lastA) {
      lastA = a;
      lastR = fn(a);
      primed = true;
    }
    return lastR as R;
  };
}

function memo2<A, B, R>(fn: (a: A, b: B) => R): (a: A, b: B) => R {
  let lastA: A | undefined;
  let lastB: B | undefined;
  let lastR: R | undefined;
  let primed = false;
  return (a, b) => {
    if (!primed || a !== lastA || b !== lastB) {
      lastA = a;
      lastB = b;
      lastR = fn(a, b);
      primed = true;
    }
    return lastR as R;
  };
}

const instrumentIndex = memo1((list: Instrument[]) => new Map(list.map((i) => [marketKey(i.venue, i.symbol), i])));

export function selectInstrument(s: KeelState, venue: string | null, symbol: string | null): Instrument | undefined {
  if (!venue || !symbol) return undefined;
  return instrumentIndex(s.instruments).get(marketKey(venue, symbol));
}

/** Looks an instrument up for a row; rows carry their own venue. */
export function instrumentFor(s: KeelState, venue: string, symbol: string): Instrument | undefined {
  return findInstrument(s.instruments, venue, symbol);
}

/** The same look-up on a list already selected (for tables rendering many rows). */
export function findInstrument(list: Instrument[], venue: string, symbol: string): Instrument | undefined {
  return instrumentIndex(list).get(marketKey(venue, symbol));
}

export const selectActiveInstrument = (s: KeelState): Instrument | undefined => selectInstrument(s, s.venue, s.symbol);

const venueInstruments = memo2((list: Instrument[], venue: string | null) => list.filter((i) => i.venue === venue));
export const selectVenueInstruments = (s: KeelState): Instrument[] => venueInstruments(s.instruments, s.venue);

export function selectTicker(s: KeelState, venue: string | null, symbol: string | null): Ticker | undefined {
  return venue && symbol ? s.tickers[marketKey(venue, symbol)] : undefined;
}

export const selectActiveTicker = (s: KeelState): Ticker | undefined => selectTicker(s, s.venue, s.symbol);

export const selectVenueStatus = (s: KeelState): VenueStatus | undefined => s.venues.find((v) => v.venue === s.venue);

/** Paper only when the venue says so: the amber frame must never reassure about a real venue. */
export const selectIsPaper = (s: KeelState): boolean => selectVenueStatus(s)?.paper === true;

export const selectAccount = (s: KeelState): AccountSummary | undefined => (s.venue ? s.accounts[s.venue] : undefined);

const openOrders = memo1((orders: Order[]) => orders.filter(isOpenOrder));
export const selectOpenOrders = (s: KeelState): Order[] => openOrders(s.orders);

const symbolOpenOrders = memo2((orders: Order[], key: string) =>
  orders.filter((o) => marketKey(o.venue, o.symbol) === key),
);
export const selectActiveOpenOrders = (s: KeelState): Order[] =>
  symbolOpenOrders(selectOpenOrders(s), marketKey(s.venue ?? '', s.symbol ?? ''));

export const selectActivePosition = (s: KeelState): Position | undefined =>
  s.positions.find((p) => p.venue === s.venue && p.symbol === s.symbol);

const warningCount = memo1((list: KeelState['activity']) => list.filter((a) => a.level !== 'info').length);
/** Warnings and errors in the activity log, for the tab badge. */
export const selectActivityWarnings = (s: KeelState): number => warningCount(s.activity);
