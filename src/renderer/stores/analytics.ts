/**
 * Analytics slice: what the Analytics view is looking at (a scope and a date
 * range) and what the host answered for it: the figures, the equity curve
 * and daily results, and the round trips of the trade journal. Each answer
 * carries the request it was for, so a late answer to an older request
 * never replaces a newer one.
 */
import type { AnalyticsEquity, AnalyticsSummary, RoundTripView } from '../../shared/contract';
import type { SliceCreator } from './store';

export const RANGE_PRESETS = ['1d', '7d', '30d', '90d', 'ytd', 'all', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface AnalyticsFilters {
  /** A scope as a select value: "account", "venue:paper", "strategy:<id>", "symbol:<venue>|<symbol>", "regime:<label>", "manual". */
  scopeKey: string;
  range: RangePreset;
  /** "YYYY-MM-DD", UTC days, for the custom range. */
  customFrom: string;
  customTo: string;
}

export interface AnalyticsData {
  /** The request this answers (filters as a key, and when it was asked). */
  requestKey: string;
  summary: AnalyticsSummary;
  equity: AnalyticsEquity;
  trades: RoundTripView[];
  /** More round trips exist than were loaded. */
  moreTrades: boolean;
}

export interface AnalyticsSlice {
  analyticsFilters: AnalyticsFilters;
  analytics: AnalyticsData | null;
  analyticsLoading: boolean;
  analyticsError: string | null;
  setAnalyticsFilters(patch: Partial<AnalyticsFilters>): void;
  setAnalytics(data: AnalyticsData): void;
  setAnalyticsLoading(loading: boolean): void;
  setAnalyticsError(error: string | null): void;
  /** A round trip changed (its note or tags): the loaded list shows the new copy. */
  replaceRoundTrip(trip: RoundTripView): void;
}

export const DEFAULT_ANALYTICS_FILTERS: AnalyticsFilters = { scopeKey: 'account', range: '30d', customFrom: '', customTo: '' };

export function replaceTrip(list: readonly RoundTripView[], trip: RoundTripView): RoundTripView[] {
  return list.map((t) => (t.id === trip.id ? trip : t));
}

export const createAnalyticsSlice: SliceCreator<AnalyticsSlice> = (set) => ({
  analyticsFilters: DEFAULT_ANALYTICS_FILTERS,
  analytics: null,
  analyticsLoading: false,
  analyticsError: null,
  setAnalyticsFilters: (patch) => set((s) => ({ analyticsFilters: { ...s.analyticsFilters, ...patch } })),
  setAnalytics: (analytics) => set({ analytics, analyticsError: null }),
  setAnalyticsLoading: (analyticsLoading) => set({ analyticsLoading }),
  setAnalyticsError: (analyticsError) => set({ analyticsError }),
  replaceRoundTrip: (trip) => set((s) => (s.analytics ? { analytics: { ...s.analytics, trades: replaceTrip(s.analytics.trades, trip) } } : {})),
});
