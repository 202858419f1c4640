/**
 * Loads the Analytics view's data from the host: the figures, the equity
 * curve and the round trips for the filters on screen, once the view is
 * shown, again when the filters change, and again (a moment after the last
 * one) when new fills arrive while it is on screen. Only the answer to the
 * newest request is kept.
 */
import { useCallback, useEffect, useRef } from 'react';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { rangeOf, scopeFromKey } from './analyticsFilters';

/** Round trips loaded into the journal table. */
export const JOURNAL_ROWS = 2_000;
/** Fills arriving in a burst are answered with one reload. */
const FILL_SETTLE_MS = 1_200;

export function useAnalytics(): { reload: () => void } {
  const { client, store } = useServices();
  const visible = useKeel((s) => s.workspaceView === 'analytics');
  const filters = useKeel((s) => s.analyticsFilters);
  // The newest fill's id changes with every fill, however many the store keeps.
  const newestFill = useKeel((s) => s.fills[0]?.tradeId ?? null);
  const epoch = useKeel((s) => s.syncEpoch);
  const latest = useRef(0);
  const loadedAt = useRef<string | null>(null);

  const reload = useCallback(() => {
    const s = store.getState();
    const { scopeKey, range, customFrom, customTo } = s.analyticsFilters;
    const span = rangeOf(range, customFrom, customTo, Date.now());
    if ('error' in span) {
      s.setAnalyticsError(span.error);
      return;
    }
    const request = ++latest.current;
    loadedAt.current = s.fills[0]?.tradeId ?? null;
    const params = { scope: scopeFromKey(scopeKey), ...span };
    s.setAnalyticsLoading(true);
    Promise.all([
      client.invoke('analytics.summary', params),
      client.invoke('analytics.equity', params),
      client.invoke('journal.trades', { filters: { ...params, limit: JOURNAL_ROWS } }),
    ]).then(
      ([summary, equity, journal]) => {
        if (request !== latest.current) return;
        const now = store.getState();
        now.setAnalytics({ requestKey: JSON.stringify(params), summary, equity, trades: journal.trades, moreTrades: journal.nextCursor !== null });
        now.setAnalyticsLoading(false);
      },
      (err: unknown) => {
        if (request !== latest.current) return;
        const now = store.getState();
        now.setAnalyticsError(errorMessage(err));
        now.setAnalyticsLoading(false);
      },
    );
  }, [client, store]);

  useEffect(() => {
    if (visible && epoch > 0) reload();
  }, [visible, filters, epoch, reload]);

  useEffect(() => {
    if (!visible || newestFill === loadedAt.current) return;
    const timer = setTimeout(reload, FILL_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [visible, newestFill, reload]);

  return { reload };
}
