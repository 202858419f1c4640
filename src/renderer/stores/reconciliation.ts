/**
 * Reconciliation slice: each venue's latest reconciliation report (what
 * Keel's books and the venue's disagree on, and what the trader decided),
 * which venue the Reconciliation view shows, and why a venue's report could
 * not be loaded. Reports arrive from `reconciliation.latest`, from the
 * answers of `run` and `resolve`, and from `reconciliation.updated`; a stale
 * copy never overwrites a newer one, whichever lands last.
 */
import type { ReconciliationItem, ReconciliationReport } from '../../shared/contract';
import type { VenueStatus } from '../../shared/domain';
import type { KeelState, SliceCreator } from './store';

export interface ReconciliationSlice {
  /** Each venue's latest report; null when the venue has never been reconciled; absent until asked. */
  reconciliations: Record<string, ReconciliationReport | null>;
  /** Why a venue's latest report could not be loaded (the engine's message). */
  reconciliationErrors: Record<string, string>;
  /** The venue the Reconciliation view shows; null picks the first venue. */
  reconciliationVenue: string | null;
  /** A venue's report as `reconciliation.latest` answered it. */
  setReconciliation(venue: string, report: ReconciliationReport | null): void;
  /** A report from an answer (`run`, `resolve`) or an event. */
  applyReconciliations(reports: readonly ReconciliationReport[]): void;
  setReconciliationError(venue: string, error: string | null): void;
  showReconciliationVenue(venue: string): void;
}

/** A difference still waiting for the trader: it keeps its venue from trading. */
export function isUnresolvedBlocking(item: ReconciliationItem): boolean {
  return item.blocking && item.resolution === null;
}

export function unresolvedBlocking(report: ReconciliationReport | null | undefined): number {
  return report ? report.items.filter(isUnresolvedBlocking).length : 0;
}

function resolvedCount(report: ReconciliationReport): number {
  return report.items.filter((i) => i.resolution !== null).length;
}

/**
 * The newer of two copies of a venue's report. The same report only gains
 * resolutions (an item is never unresolved), so the copy with more of them
 * is the later one; of two different reports the later-started wins. On a
 * tie the incoming copy, which was sent later.
 */
export function newerReport(current: ReconciliationReport | null | undefined, incoming: ReconciliationReport): ReconciliationReport {
  if (!current) return incoming;
  if (current.id === incoming.id) return resolvedCount(incoming) >= resolvedCount(current) ? incoming : current;
  return incoming.startedAt >= current.startedAt ? incoming : current;
}

export function mergeReports(
  current: Record<string, ReconciliationReport | null>,
  incoming: readonly ReconciliationReport[],
): Record<string, ReconciliationReport | null> {
  let next = current;
  for (const report of incoming) {
    const kept = newerReport(next[report.venue], report);
    if (kept !== next[report.venue]) next = { ...next, [report.venue]: kept };
  }
  return next;
}

/** What needs the trader across the venues the engine runs: blocking differences, and venues that could not be reconciled at all. */
export interface ReconciliationAttention {
  blocking: number;
  /** Venues whose latest report failed without a difference to resolve (the venue stays blocked). */
  failed: string[];
}

export function reconciliationAttention(
  venues: readonly Pick<VenueStatus, 'venue'>[],
  reports: Record<string, ReconciliationReport | null>,
): ReconciliationAttention {
  let blocking = 0;
  const failed: string[] = [];
  for (const { venue } of venues) {
    const report = reports[venue];
    const n = unresolvedBlocking(report);
    blocking += n;
    if (report && !report.ok && n === 0) failed.push(venue);
  }
  return { blocking, failed };
}

/** Blocking differences across venues, for the navigation badge (a number, so it needs no memo). */
export const selectBlockingDifferences = (s: KeelState): number => reconciliationAttention(s.venues, s.reconciliations).blocking;

/** Venues that could not be reconciled, joined, so the selection stays a primitive. */
export const selectFailedReconciliations = (s: KeelState): string => reconciliationAttention(s.venues, s.reconciliations).failed.join(', ');

export const createReconciliationSlice: SliceCreator<ReconciliationSlice> = (set) => ({
  reconciliations: {},
  reconciliationErrors: {},
  reconciliationVenue: null,
  setReconciliation: (venue, report) =>
    set((s) => {
      const errors = withoutKey(s.reconciliationErrors, venue);
      // A late "never reconciled" answer does not erase a report an event has brought since.
      if (report === null) return venue in s.reconciliations ? { reconciliationErrors: errors } : { reconciliations: { ...s.reconciliations, [venue]: null }, reconciliationErrors: errors };
      return { reconciliations: mergeReports(s.reconciliations, [report]), reconciliationErrors: errors };
    }),
  applyReconciliations: (reports) =>
    set((s) => {
      const next = mergeReports(s.reconciliations, reports);
      return next === s.reconciliations ? {} : { reconciliations: next };
    }),
  setReconciliationError: (venue, error) =>
    set((s) => ({ reconciliationErrors: error === null ? withoutKey(s.reconciliationErrors, venue) : { ...s.reconciliationErrors, [venue]: error } })),
  showReconciliationVenue: (reconciliationVenue) => set({ reconciliationVenue }),
});

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _dropped, ...rest } = record;
  return rest;
}
