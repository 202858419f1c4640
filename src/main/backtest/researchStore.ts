/**
 * Where research lives: imported datasets of bars, and backtest and search
 * runs with their results. Not engine state (nothing here moves money, and a
 * backtest's own books stay in its in-memory journal), so it has a port of
 * its own: SqliteResearchStore keeps it in the journal file, beside the
 * books; InMemoryResearchStore keeps it for tests. Both are held to
 * tests/support/researchStoreConformance.ts.
 *
 * Errors are KeelErrors: NOT_FOUND for an id the store does not hold,
 * INVALID_STATE for a dataset id already taken, VALIDATION_FAILED for a
 * value the store could not give back exactly (a bar count that does not
 * match, NaN or Infinity in a body), INTERNAL for a damaged stored row. A
 * refused call writes nothing.
 */
import type { BacktestResult, BacktestSummary, Dataset, EquityPoint } from '../../shared/contract';
import type { Bar } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { BarRange } from './datasets/barBlob';
import type { ResultReading } from './resultBlob';

/** What a finished run adds to its summary. */
export type BacktestResultBody = Pick<BacktestResult, 'stats' | 'trades' | 'equity' | 'optimize' | 'signals' | 'warnings' | 'equityTotal'>;

/** A result to store: its equity as points, or packed as a worker answers it (`packEquity`), which stores without a point object per bar. */
export type BacktestResultInput = Omit<BacktestResultBody, 'equity'> & { equity: readonly EquityPoint[] | Float64Array };

/** The result of a run that has none saved (queued, running, failed before the end). */
export function emptyBacktestResult(): BacktestResultBody {
  return { stats: null, trades: [], equity: [], optimize: null };
}

export interface ResearchStore {
  /** Stores a new dataset and its bars together; `meta.bars` must be the number of bars, at least one. */
  saveDataset(meta: Dataset, bars: readonly Bar[]): void;
  /** Every dataset, newest created first (ties: the one saved later first); bars not included. */
  listDatasets(): Dataset[];
  getDataset(id: string): Dataset | null;
  /** The dataset's bars in the order saved; NOT_FOUND when there is no such dataset. */
  loadDatasetBars(id: string): Bar[];
  /**
   * The dataset's bars within `range` (from included, to excluded), packed
   * as a worker takes them (`packBars`; over a SharedArrayBuffer with
   * `shared`) straight from what is stored, without a bar object per bar:
   * the same bars as `barsInRange(loadDatasetBars(id), range)`. NOT_FOUND
   * when there is no such dataset.
   */
  loadPackedDatasetBars(id: string, range?: BarRange, options?: { shared?: boolean }): Float64Array;
  /** Deletes the dataset and its bars; false when there was none. Runs that used it keep their results. */
  deleteDataset(id: string): boolean;

  /** Inserts the run, or replaces its summary (status, progress, headline figures...) keeping any result saved. */
  saveBacktest(summary: BacktestSummary): void;
  /**
   * Stores (or replaces) a run's result; NOT_FOUND when the run was never
   * saved. Save the result before the summary that says `done`: a crash in
   * between then leaves a run that start-up marks failed, never a done run
   * without its result. The result may come already encoded
   * (`encodeResult`'s bytes, made in the worker that ran it): it is then
   * written as it is, after a check of its layout (resultBlob.ts).
   */
  saveBacktestResult(id: string, result: BacktestResultInput | Uint8Array): void;
  /** The run's summary and result; a run without a saved result has an empty one. `reading` may ask for a thinned equity curve. */
  getBacktest(id: string, reading?: ResultReading): BacktestResult | null;
  /** Whether the run exists, without reading its result (a long run's is megabytes). */
  hasBacktest(id: string): boolean;
  /** Every run's summary, newest created first (ties: the one first saved later first), without results. */
  listBacktests(): BacktestSummary[];
  /** Deletes the run and its result; false when there was none. */
  deleteBacktest(id: string): boolean;
  /**
   * At start-up: every run still `queued` or `running` was cut off by the
   * last shutdown or crash; each becomes `failed` with `reason` as its error
   * (its finish time stays unknown, null). Returns how many.
   */
  markUnfinishedAsFailed(reason: string): number;
}

/** Checks a dataset can be stored as given, before anything is written. */
export function checkDatasetBars(meta: Dataset, bars: readonly Bar[]): void {
  if (bars.length === 0) throw new KeelError('VALIDATION_FAILED', `Dataset ${meta.id} has no bars`);
  if (meta.bars !== bars.length) {
    throw new KeelError('VALIDATION_FAILED', `Dataset ${meta.id} says it has ${meta.bars} bars but ${bars.length} were given`);
  }
}

/** The dataset's own fields and no others: what a store keeps, whatever else the object carried. */
export function datasetFields(d: Dataset): Dataset {
  return { id: d.id, name: d.name, symbol: d.symbol, bars: d.bars, from: d.from, to: d.to, periodMs: d.periodMs, createdAt: d.createdAt };
}

/** The summary's own fields and no others. */
export function summaryFields(s: BacktestSummary): BacktestSummary {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    status: s.status,
    error: s.error,
    strategy: s.strategy,
    data: s.data,
    settings: s.settings,
    progress: { done: s.progress.done, total: s.progress.total },
    returnPct: s.returnPct,
    sharpeRatio: s.sharpeRatio,
    tradeCount: s.tradeCount,
    createdAt: s.createdAt,
    finishedAt: s.finishedAt,
  };
}

export function datasetExists(id: string): KeelError {
  return new KeelError('INVALID_STATE', `A dataset ${id} already exists`);
}

export function noDataset(id: string): KeelError {
  return new KeelError('NOT_FOUND', `No dataset ${id}`);
}

export function noBacktest(id: string): KeelError {
  return new KeelError('NOT_FOUND', `No backtest ${id}`);
}

/** The statuses of a run that has not ended. */
export const UNFINISHED_BACKTEST_STATUSES = ['queued', 'running'] as const;
