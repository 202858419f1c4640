/**
 * Which of a venue's instruments the watchlist shows, and in what order: a
 * search over every instrument the venue offers (symbol, base or quote;
 * every word must match) and a sort by instrument, last price or 24h change,
 * either way. Instruments without a price yet sort last whichever way.
 */
import type { Instrument, Ticker } from '../../../shared/domain';
import { marketKey } from '../../stores/market';

export const WATCH_SORT_KEYS = ['symbol', 'last', 'change'] as const;
export type WatchSortKey = (typeof WATCH_SORT_KEYS)[number];

export interface WatchSort {
  key: WatchSortKey;
  descending: boolean;
}

/** The venue's own order: the list as the venue gives it. */
export const VENUE_ORDER: WatchSort | null = null;

export function matchesSearch(inst: Instrument, query: string): boolean {
  const words = query.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${inst.symbol} ${inst.base} ${inst.quote} ${inst.base}${inst.quote} ${inst.kind === 'linear_perpetual' ? 'perp perpetual' : 'spot'}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function sortValue(inst: Instrument, key: WatchSortKey, tickers: Readonly<Record<string, Ticker>>): string | number | null {
  if (key === 'symbol') return inst.symbol;
  const t = tickers[marketKey(inst.venue, inst.symbol)];
  if (!t) return null;
  const v = key === 'last' ? Number(t.last) : t.changePercent24h;
  return Number.isFinite(v) ? v : null;
}

/** The instruments to show, filtered by `query`, in `sort`'s order (the venue's own when null). */
export function watchlistRows(
  instruments: readonly Instrument[],
  tickers: Readonly<Record<string, Ticker>>,
  query: string,
  sort: WatchSort | null,
): Instrument[] {
  const shown = instruments.filter((i) => matchesSearch(i, query));
  if (!sort) return shown;
  const sign = sort.descending ? -1 : 1;
  return shown
    .map((inst, index) => ({ inst, index, value: sortValue(inst, sort.key, tickers) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const c = typeof a.value === 'string' ? a.value.localeCompare(b.value as string) : a.value - (b.value as number);
      return c !== 0 ? sign * c : a.index - b.index;
    })
    .map((r) => r.inst);
}

/** A click on a column: first its natural direction (names A→Z, numbers high→low), then the other, then the venue's order. */
export function nextSort(current: WatchSort | null, key: WatchSortKey): WatchSort | null {
  const first = key !== 'symbol';
  if (!current || current.key !== key) return { key, descending: first };
  if (current.descending === first) return { key, descending: !first };
  return VENUE_ORDER;
}
