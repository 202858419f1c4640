/**
 * Signals slice: two lists of what models said about closed bars, each kept
 * live by `signals.new` (inserted) and `signals.updated` (replaced by id):
 * the Signals view's feed, narrowed by its strategy and symbol filters, and
 * the chart's, for the instrument and timeframe on screen. Each is loaded
 * from `signals.list` for one query, newest first and capped in memory;
 * signals that arrive while it loads are laid over the snapshot when it
 * lands, so a late answer never hides a newer copy, and an answer for a
 * query no longer on screen is dropped.
 */
import type { Signal } from '../../shared/contract';
import type { Timeframe } from '../../shared/domain';
import type { SliceCreator } from './store';

/** What a list shows: every signal matching each field given. */
export interface SignalQuery {
  venue?: string;
  symbol?: string;
  timeframe?: Timeframe;
  strategyId?: string;
  orderId?: string;
}

export interface SignalList {
  query: SignalQuery;
  /** Newest bar first, then created later first; at most the list's cap. */
  rows: Signal[];
  loaded: boolean;
  error: string | null;
  /** Signals that arrived since the load began; null when no load is waiting. */
  arrived: Signal[] | null;
}

export type SignalListName = 'signalFeed' | 'chartSignals';

/** Rows each list keeps in memory: the feed's screenful of history, and the chart's markers. */
export const SIGNAL_CAPS: Record<SignalListName, number> = { signalFeed: 1_000, chartSignals: 500 };

/** The Signals view's filters: null shows every strategy or symbol. */
export interface SignalFeedFilter {
  strategyId: string | null;
  symbol: string | null;
}

export interface SignalsSlice {
  signalFeed: SignalList;
  chartSignals: SignalList;
  signalFeedFilter: SignalFeedFilter;
  setSignalFeedFilter(patch: Partial<SignalFeedFilter>): void;
  /** A load of `query` begins: rows of another query are cleared, and what arrives meanwhile is kept aside. */
  beginSignalLoad(list: SignalListName, query: SignalQuery): void;
  finishSignalLoad(list: SignalListName, query: SignalQuery, snapshot: readonly Signal[]): void;
  failSignalLoad(list: SignalListName, query: SignalQuery, error: string): void;
}

export const EMPTY_SIGNAL_LIST: SignalList = { query: {}, rows: [], loaded: false, error: null, arrived: null };

const QUERY_FIELDS = ['venue', 'symbol', 'timeframe', 'strategyId', 'orderId'] as const;

export function sameQuery(a: SignalQuery, b: SignalQuery): boolean {
  return QUERY_FIELDS.every((f) => a[f] === b[f]);
}

export function matchesQuery(s: Signal, q: SignalQuery): boolean {
  return (
    (q.venue === undefined || s.venue === q.venue) &&
    (q.symbol === undefined || s.symbol === q.symbol) &&
    (q.timeframe === undefined || s.timeframe === q.timeframe) &&
    (q.strategyId === undefined || s.strategyId === q.strategyId) &&
    (q.orderId === undefined || s.orderIds.includes(q.orderId))
  );
}

/** The host's order: newest bar first, then the one created later. */
export function newestFirst(a: Signal, b: Signal): number {
  return b.time - a.time || b.createdAt - a.createdAt;
}

/**
 * Lays signals over a list: a signal it holds is replaced (the later copy
 * wins), a new one that matches the query is inserted in its place, then the
 * oldest beyond `cap` go. Answers `rows` itself when nothing changed.
 */
export function upsertSignals(rows: Signal[], incoming: readonly Signal[], query: SignalQuery, cap: number): Signal[] {
  const relevant = incoming.filter((s) => matchesQuery(s, query));
  if (relevant.length === 0) return rows;
  const byId = new Map(rows.map((s) => [s.id, s]));
  for (const s of relevant) byId.set(s.id, s);
  // Stable: rows keep their order among equals, so a replaced copy keeps its place.
  return [...byId.values()].sort(newestFirst).slice(0, cap);
}

/** The list after live signals arrived. */
export function foldSignals(list: SignalList, incoming: readonly Signal[], cap: number): SignalList {
  const rows = upsertSignals(list.rows, incoming, list.query, cap);
  const arrived = list.arrived === null ? null : [...list.arrived, ...incoming.filter((s) => matchesQuery(s, list.query))];
  if (rows === list.rows && (arrived === null || arrived.length === list.arrived?.length)) return list;
  return { ...list, rows, arrived };
}

export function beginLoad(list: SignalList, query: SignalQuery): SignalList {
  const same = sameQuery(list.query, query);
  return { query: { ...query }, rows: same ? list.rows : [], loaded: same && list.loaded, error: null, arrived: [] };
}

export function finishLoad(list: SignalList, query: SignalQuery, snapshot: readonly Signal[], cap: number): SignalList {
  if (!sameQuery(list.query, query)) return list;
  const fresh = snapshot.filter((s) => matchesQuery(s, query)).sort(newestFirst).slice(0, cap);
  return { query: list.query, rows: upsertSignals(fresh, list.arrived ?? [], query, cap), loaded: true, error: null, arrived: null };
}

export function failLoad(list: SignalList, query: SignalQuery, error: string): SignalList {
  if (!sameQuery(list.query, query)) return list;
  // What was shown stays (what arrived meanwhile is in it already), with the reason the load failed.
  return { ...list, error, arrived: null };
}

/** The feed's query for its filters. */
export function feedQuery(filter: SignalFeedFilter): SignalQuery {
  return {
    ...(filter.strategyId === null ? {} : { strategyId: filter.strategyId }),
    ...(filter.symbol === null ? {} : { symbol: filter.symbol }),
  };
}

export const createSignalsSlice: SliceCreator<SignalsSlice> = (set) => ({
  signalFeed: EMPTY_SIGNAL_LIST,
  chartSignals: EMPTY_SIGNAL_LIST,
  signalFeedFilter: { strategyId: null, symbol: null },
  setSignalFeedFilter: (patch) => set((s) => ({ signalFeedFilter: { ...s.signalFeedFilter, ...patch } })),
  beginSignalLoad: (name, query) => set((s) => ({ [name]: beginLoad(s[name], query) })),
  finishSignalLoad: (name, query, snapshot) => set((s) => ({ [name]: finishLoad(s[name], query, snapshot, SIGNAL_CAPS[name]) })),
  failSignalLoad: (name, query, error) => set((s) => ({ [name]: failLoad(s[name], query, error) })),
});
