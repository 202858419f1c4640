/**
 * The research store held in memory, for tests and for tools that need no
 * disk. It keeps exactly what the SQLite store would give back: bars in the
 * same float64 encoding, results in the same blob (resultBlob.ts), summaries
 * as JSON text, so no caller can change what is stored by mutating an
 * object it passed in or got back, and a value the store would alter is
 * refused here as it is there.
 */
import type { BacktestResult, BacktestSummary, Dataset } from '../../shared/contract';
import type { Bar } from '../../shared/domain';
import { parseJsonText, toJsonText } from '../core/jsonText';
import { decodeBars, decodePackedBars, encodeBars, type BarRange } from './datasets/barBlob';
import { decodeResult, resultLabel, storedBytes, type ResultReading } from './resultBlob';
import {
  UNFINISHED_BACKTEST_STATUSES,
  checkDatasetBars,
  datasetExists,
  datasetFields,
  emptyBacktestResult,
  noBacktest,
  noDataset,
  summaryFields,
  type BacktestResultInput,
  type ResearchStore,
} from './researchStore';

interface StoredDataset {
  /** Save order, standing in for SQLite's rowid as the tie-break of listings. */
  readonly seq: number;
  readonly meta: string;
  readonly count: number;
  readonly bars: Buffer;
}

interface StoredRun {
  readonly seq: number;
  createdAt: number;
  summary: string;
  result: Uint8Array | null;
}

const UNFINISHED: ReadonlySet<string> = new Set(UNFINISHED_BACKTEST_STATUSES);

export class InMemoryResearchStore implements ResearchStore {
  private readonly datasets = new Map<string, StoredDataset>();
  private readonly runs = new Map<string, StoredRun>();
  private seq = 0;

  saveDataset(meta: Dataset, bars: readonly Bar[]): void {
    checkDatasetBars(meta, bars);
    const text = toJsonText(datasetFields(meta), `Dataset ${meta.id}`);
    if (this.datasets.has(meta.id)) throw datasetExists(meta.id);
    this.datasets.set(meta.id, { seq: ++this.seq, meta: text, count: bars.length, bars: encodeBars(bars) });
  }

  listDatasets(): Dataset[] {
    const rows = [...this.datasets.values()].map((row) => ({ row, meta: this.readDataset(row) }));
    rows.sort((a, b) => b.meta.createdAt - a.meta.createdAt || b.row.seq - a.row.seq);
    return rows.map(({ meta }) => meta);
  }

  getDataset(id: string): Dataset | null {
    const row = this.datasets.get(id);
    return row ? this.readDataset(row) : null;
  }

  loadDatasetBars(id: string): Bar[] {
    const row = this.datasets.get(id);
    if (!row) throw noDataset(id);
    return decodeBars(row.bars, row.count, `dataset ${id}`);
  }

  loadPackedDatasetBars(id: string, range?: BarRange, options?: { shared?: boolean }): Float64Array {
    const row = this.datasets.get(id);
    if (!row) throw noDataset(id);
    return decodePackedBars(row.bars, row.count, `dataset ${id}`, range, options);
  }

  deleteDataset(id: string): boolean {
    return this.datasets.delete(id);
  }

  saveBacktest(summary: BacktestSummary): void {
    const text = toJsonText(summaryFields(summary), `Backtest ${summary.id}`);
    const row = this.runs.get(summary.id);
    if (row) {
      row.summary = text;
      row.createdAt = summary.createdAt;
    } else {
      this.runs.set(summary.id, { seq: ++this.seq, createdAt: summary.createdAt, summary: text, result: null });
    }
  }

  saveBacktestResult(id: string, result: BacktestResultInput | Uint8Array): void {
    const bytes = storedBytes(result, resultLabel(id));
    const row = this.runs.get(id);
    if (!row) throw noBacktest(id);
    // Bytes handed in stay the caller's: the store keeps its own copy, as SQLite does (a copy, not Buffer's slice, which shares).
    row.result = bytes === result ? new Uint8Array(bytes) : bytes;
  }

  getBacktest(id: string, reading: ResultReading = {}): BacktestResult | null {
    const row = this.runs.get(id);
    if (!row) return null;
    const body = row.result === null ? emptyBacktestResult() : decodeResult(row.result, `result of backtest ${id}`, reading);
    return { ...this.readSummary(row), ...body };
  }

  hasBacktest(id: string): boolean {
    return this.runs.has(id);
  }

  listBacktests(): BacktestSummary[] {
    return [...this.runs.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq).map((row) => this.readSummary(row));
  }

  deleteBacktest(id: string): boolean {
    return this.runs.delete(id);
  }

  markUnfinishedAsFailed(reason: string): number {
    let marked = 0;
    for (const row of this.runs.values()) {
      const summary = this.readSummary(row);
      if (!UNFINISHED.has(summary.status)) continue;
      row.summary = JSON.stringify({ ...summary, status: 'failed', error: reason } satisfies BacktestSummary);
      marked++;
    }
    return marked;
  }

  private readDataset(row: StoredDataset): Dataset {
    return parseJsonText<Dataset>(row.meta, 'dataset');
  }

  private readSummary(row: StoredRun): BacktestSummary {
    return parseJsonText<BacktestSummary>(row.summary, 'backtest summary');
  }
}
