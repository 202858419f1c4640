/**
 * Selectors: plain functions of the state. Derived lists are memoised on the
 * identity of their inputs, so a selector returns the same array until the
 * underlying slice really changes and a component never re-renders for a
 * tick it does not show.
 */
import type { AccountSummary, Activity, Instrument, Order, Position, Ticker, VenueStatus } from '../../shared/domain';
import type { RiskConfig, RiskUsage, TradingState } from '../../shared/risk';
import type { VenueView } from '../../shared/contract';
import { venueScheme, type VenueScheme } from '../lib/venueScheme';
import { sameMoneyAccounts, sumAccounts, type AccountTotals } from '../lib/accountTotals';
import { marketKey } from './market';
import { isOpenOrder } from './orders';
import type { DenialEntry } from './risk';
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

const venueViewIndex = memo1((list: VenueView[]) => new Map(list.map((v) => [v.id, v])));

/** A venue as Settings → Exchanges lists it (exchange, mode, label); undefined until the list is loaded. */
export function venueViewOf(s: KeelState, venue: string | null): VenueView | undefined {
  return venue ? venueViewIndex(s.venueList).get(venue) : undefined;
}

/** Paper, demo or live, for the colours and badges; null for an unknown venue. */
export function schemeOf(s: KeelState, venue: string | null): VenueScheme | null {
  return venueScheme(venueViewOf(s, venue), s.venues.find((v) => v.venue === venue));
}

export const selectVenueScheme = (s: KeelState): VenueScheme | null => schemeOf(s, s.venue);

const venueIds = memo1((venues: VenueStatus[]) => venues.map((v) => v.venue));
/** Every venue's id, in the engine's order (paper first). */
export const selectVenueIds = (s: KeelState): string[] => venueIds(s.venues);

/** The accounts the header sums: every venue of the selected one's kind of money, in the chosen currency. */
let totalsMemo: { key: unknown[]; value: AccountTotals | null } | null = null;
export function selectHeaderTotals(s: KeelState): AccountTotals | null {
  const key = [s.accounts, s.venueList, s.venues, s.venue, s.sumCurrency];
  if (totalsMemo && totalsMemo.key.every((k, i) => k === key[i])) return totalsMemo.value;
  const accounts = sameMoneyAccounts(s.accounts, (venue) => schemeOf(s, venue), selectVenueScheme(s));
  const value = sumAccounts(accounts, s.sumCurrency);
  totalsMemo = { key, value };
  return value;
}

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

/** An open reduce-only stop (a stop-limit, a trailing stop) on the side that shrinks the position: what caps its loss. */
export function protects(o: Order, p: Position): boolean {
  return (
    o.venue === p.venue &&
    o.symbol === p.symbol &&
    o.reduceOnly &&
    (o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') &&
    o.side === (p.side === 'long' ? 'sell' : 'buy') &&
    isOpenOrder(o)
  );
}

const unprotected = memo2((positions: Position[], open: Order[]) => positions.filter((p) => !open.some((o) => protects(o, p))));
/** Open positions with no protective stop working for them. */
export const selectUnprotectedPositions = (s: KeelState): Position[] => unprotected(s.positions, selectOpenOrders(s));

const warningCount = memo1((list: KeelState['activity']) => list.filter((a) => a.level !== 'info').length);
/** Warnings and errors in the activity log, for the tab badge. */
export const selectActivityWarnings = (s: KeelState): number => warningCount(selectActivityView(s));

/** The trading state, or null while unknown (never loaded, or the host does not serve it). */
export const selectTradingState = (s: KeelState): TradingState | null => s.riskState?.state ?? null;

export const selectVenueUsage = (s: KeelState): RiskUsage | undefined => (s.venue ? s.riskUsage[s.venue] : undefined);

export const selectVenueRiskConfig = (s: KeelState): RiskConfig | undefined =>
  s.venue ? s.riskConfigs[s.venue] : undefined;

/** How far apart the engine's activity entry and its denial event may be stamped and still be one event. */
const DENIAL_MATCH_MS = 5_000;

function covers(a: Activity, d: DenialEntry): boolean {
  if (Math.abs(a.timestamp - d.timestamp) > DENIAL_MATCH_MS) return false;
  return a.message.includes(d.message) || (a.message.length > 0 && d.message.includes(a.message));
}

/**
 * The activity log with order denials the engine did not also log. The
 * engine writes an activity entry for each denial, and that entry is the one
 * shown; a denial event with no matching entry (an older host, a dropped
 * write) still reaches the log, as a synthetic row with a negative id.
 */
export function activityWithDenials(activity: Activity[], denials: DenialEntry[]): Activity[] {
  if (denials.length === 0) return activity;
  const oldest = Math.min(...denials.map((d) => d.timestamp)) - DENIAL_MATCH_MS;
  const recent = activity.filter((a) => a.timestamp >= oldest);
  const missing = denials.filter((d) => !recent.some((a) => covers(a, d)));
  if (missing.length === 0) return activity;
  const synthetic: Activity[] = missing.map((d) => ({
    id: -d.seq,
    timestamp: d.timestamp,
    level: 'warning',
    category: 'risk',
    message: `Order denied (${d.code}): ${d.side} ${d.quantity} ${d.symbol} on ${d.venue} — ${d.message}`,
    data: d,
  }));
  return [...synthetic, ...activity].sort((a, b) => b.timestamp - a.timestamp || b.id - a.id);
}

const activityView = memo2(activityWithDenials);
export const selectActivityView = (s: KeelState): Activity[] => activityView(s.activity, s.denials);
