/**
 * Backtests slice: imported datasets, backtest and optimization runs (newest
 * first), their live progress, the full results fetched for finished runs,
 * the run on screen, the runs ticked for comparison and a run to load back
 * into the form. A run only moves forward (queued → running → finished), so
 * a late copy never takes it back.
 */
import type { BacktestResult, BacktestStatus, BacktestSummary, Dataset } from '../../shared/contract';
import type { SliceCreator } from './store';

export interface BacktestProgress {
  done: number;
  total: number;
}

export interface BacktestsSlice {
  /** Newest first. */
  datasets: Dataset[];
  /** Newest first. */
  backtests: BacktestSummary[];
  /** Latest progress by run id, from `backtests.progress` (ahead of the summaries' copy). */
  backtestProgress: Record<string, BacktestProgress>;
  /** Full results of finished runs, by id. */
  backtestResults: Record<string, BacktestResult>;
  backtestsLoaded: boolean;
  backtestsError: string | null;
  /** The run whose result is shown. */
  selectedBacktest: string | null;
  /** Runs ticked for side-by-side comparison, in the order they were ticked. */
  compareBacktests: string[];
  /** A run to load into the new-backtest form ("run it again, changed"); `seq` changes with every request. */
  backtestDraft: { seq: number; run: BacktestSummary } | null;
  setDatasets(list: Dataset[]): void;
  upsertDataset(dataset: Dataset): void;
  removeDataset(id: string): void;
  setBacktests(list: BacktestSummary[]): void;
  upsertBacktests(list: BacktestSummary[]): void;
  setBacktestResult(result: BacktestResult): void;
  removeBacktest(id: string): void;
  setBacktestsError(error: string | null): void;
  selectBacktest(id: string | null): void;
  toggleCompare(id: string): void;
  clearCompare(): void;
  draftBacktest(run: BacktestSummary): void;
}

export const FINISHED_STATUSES: readonly BacktestStatus[] = ['done', 'failed', 'canceled'];

export function isFinished(status: BacktestStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

function rank(status: BacktestStatus): number {
  return status === 'queued' ? 0 : status === 'running' ? 1 : 2;
}

/** Whether `incoming` may replace `current` (same run): never backwards in status, nor in progress while running. */
export function isNewerSummary(current: BacktestSummary, incoming: BacktestSummary): boolean {
  const a = rank(current.status);
  const b = rank(incoming.status);
  if (a !== b) return b > a;
  if (b === 2) return true;
  return incoming.progress.done >= current.progress.done;
}

function byCreatedDesc(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function mergeBacktests(current: BacktestSummary[], incoming: readonly BacktestSummary[]): BacktestSummary[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((b) => [b.id, b]));
  let changed = false;
  for (const b of incoming) {
    const prev = byId.get(b.id);
    if (prev && (prev === b || !isNewerSummary(prev, b))) continue;
    byId.set(b.id, b);
    changed = true;
  }
  return changed ? [...byId.values()].sort(byCreatedDesc) : current;
}

/** A snapshot replaces the list, except where we already hold a later copy of a run it names. */
export function replaceBacktests(current: BacktestSummary[], snapshot: readonly BacktestSummary[]): BacktestSummary[] {
  const byId = new Map(current.map((b) => [b.id, b]));
  return snapshot
    .map((b) => {
      const prev = byId.get(b.id);
      return prev && !isNewerSummary(prev, b) ? prev : b;
    })
    .sort(byCreatedDesc);
}

/** Folds progress events in; a count that went backwards (an older event) is ignored. */
export function applyProgress(
  current: Record<string, BacktestProgress>,
  incoming: readonly ({ id: string } & BacktestProgress)[],
): Record<string, BacktestProgress> {
  let next: Record<string, BacktestProgress> | null = null;
  for (const p of incoming) {
    const prev = (next ?? current)[p.id];
    if (prev && prev.done > p.done) continue;
    if (prev && prev.done === p.done && prev.total === p.total) continue;
    next ??= { ...current };
    next[p.id] = { done: p.done, total: p.total };
  }
  return next ?? current;
}

/** The best known progress of a run: the event's count when it is ahead of the summary's. */
export function progressOf(run: BacktestSummary, live: BacktestProgress | undefined): BacktestProgress {
  return live && live.done >= run.progress.done ? live : run.progress;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

let draftSeq = 0;

export const createBacktestsSlice: SliceCreator<BacktestsSlice> = (set) => ({
  datasets: [],
  backtests: [],
  backtestProgress: {},
  backtestResults: {},
  backtestsLoaded: false,
  backtestsError: null,
  selectedBacktest: null,
  compareBacktests: [],
  backtestDraft: null,
  setDatasets: (list) => set({ datasets: [...list].sort(byCreatedDesc) }),
  upsertDataset: (dataset) =>
    set((s) => ({ datasets: [dataset, ...s.datasets.filter((d) => d.id !== dataset.id)].sort(byCreatedDesc) })),
  removeDataset: (id) => set((s) => ({ datasets: s.datasets.filter((d) => d.id !== id) })),
  setBacktests: (list) => set((s) => ({ backtests: replaceBacktests(s.backtests, list), backtestsLoaded: true })),
  upsertBacktests: (list) => set((s) => ({ backtests: mergeBacktests(s.backtests, list) })),
  setBacktestResult: (result) =>
    set((s) => {
      const { stats: _stats, trades: _trades, equity: _equity, optimize: _optimize, ...summary } = result;
      return {
        backtestResults: { ...s.backtestResults, [result.id]: result },
        backtests: mergeBacktests(s.backtests, [summary]),
      };
    }),
  removeBacktest: (id) =>
    set((s) => ({
      backtests: s.backtests.filter((b) => b.id !== id),
      backtestResults: withoutKey(s.backtestResults, id),
      backtestProgress: withoutKey(s.backtestProgress, id),
      compareBacktests: s.compareBacktests.filter((x) => x !== id),
      selectedBacktest: s.selectedBacktest === id ? null : s.selectedBacktest,
    })),
  setBacktestsError: (backtestsError) => set({ backtestsError }),
  selectBacktest: (selectedBacktest) => set({ selectedBacktest }),
  toggleCompare: (id) =>
    set((s) => ({
      compareBacktests: s.compareBacktests.includes(id)
        ? s.compareBacktests.filter((x) => x !== id)
        : [...s.compareBacktests, id],
    })),
  clearCompare: () => set({ compareBacktests: [] }),
  draftBacktest: (run) => set({ backtestDraft: { seq: ++draftSeq, run } }),
});
