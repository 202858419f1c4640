/**
 * The research store (datasets and backtest runs) on the journal's SQLite
 * database: the connection the app opens once with openJournalDatabase and
 * hands to SqliteJournal too, so there is one writer and one file. Tables
 * are created by migration 9.
 *
 * A dataset's bars are one blob of float64s (datasets/barBlob.ts), written
 * and read in one statement each. A run's result is one blob in
 * backtest_results (backtest/resultBlob.ts: the equity curve as float64s,
 * the rest compressed JSON; results written as compressed JSON before it
 * still read), apart from its summary: listing runs and saving their
 * progress never read or rewrite a result. Every value is checked before the
 * first write, and every multi-statement change is one transaction.
 */
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';
import type { BacktestResult, BacktestSummary, Dataset } from '../../shared/contract';
import type { Bar } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import { parseJsonText, toJsonText } from '../core/jsonText';
import { decodeBars, decodePackedBars, encodeBars, type BarRange } from '../backtest/datasets/barBlob';
import { decodeResult, resultLabel, storedBytes, type ResultReading } from '../backtest/resultBlob';
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
} from '../backtest/researchStore';

interface DatasetRow {
  id: string;
  name: string;
  symbol: string;
  bars: number;
  from_ms: number;
  to_ms: number;
  period_ms: number;
  created_at: number;
}

interface RunRow {
  id: string;
  kind: BacktestSummary['kind'];
  name: string;
  status: BacktestSummary['status'];
  error: string | null;
  strategy: string;
  data: string;
  settings: string;
  progress_done: number;
  progress_total: number;
  return_pct: number | null;
  sharpe_ratio: number | null;
  trade_count: number | null;
  created_at: number;
  finished_at: number | null;
}

const RUN_COLUMNS =
  'id, kind, name, status, error, strategy, data, settings, progress_done, progress_total, return_pct, sharpe_ratio, trade_count, created_at, finished_at';

const UNFINISHED = UNFINISHED_BACKTEST_STATUSES.map((s) => `'${s}'`).join(', ');

export class SqliteResearchStore implements ResearchStore {
  private readonly insertDataset: Database.Statement<[DatasetRow]>;
  private readonly insertBars: Database.Statement<[string, Buffer]>;
  private readonly selectDataset: Database.Statement<[string], DatasetRow>;
  private readonly selectDatasets: Database.Statement<[], DatasetRow>;
  private readonly selectBars: Database.Statement<[string], { bars: number; ohlcv: Buffer | null }>;
  private readonly deleteBarsOf: Database.Statement<[string]>;
  private readonly deleteDatasetRow: Database.Statement<[string]>;
  private readonly upsertRun: Database.Statement<[RunRow]>;
  private readonly runExists: Database.Statement<[string], { one: number }>;
  private readonly upsertResult: Database.Statement<[string, Buffer]>;
  private readonly selectRun: Database.Statement<[string], RunRow & { body: Buffer | null }>;
  private readonly selectRuns: Database.Statement<[], RunRow>;
  private readonly deleteResultOf: Database.Statement<[string]>;
  private readonly deleteRunRow: Database.Statement<[string]>;
  private readonly failUnfinished: Database.Statement<[string]>;
  private readonly inTransaction: <T>(fn: () => T) => T;

  constructor(db: Database.Database) {
    this.insertDataset = db.prepare<[DatasetRow]>(
      `INSERT INTO datasets (id, name, symbol, bars, from_ms, to_ms, period_ms, created_at)
       VALUES (@id, @name, @symbol, @bars, @from_ms, @to_ms, @period_ms, @created_at)`,
    );
    this.insertBars = db.prepare<[string, Buffer]>('INSERT INTO dataset_bars (dataset_id, ohlcv) VALUES (?, ?)');
    this.selectDataset = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE id = ?');
    // rowid breaks ties of equal creation times: the dataset saved later comes first, as in memory.
    this.selectDatasets = db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY created_at DESC, rowid DESC');
    this.selectBars = db.prepare<[string], { bars: number; ohlcv: Buffer | null }>(
      'SELECT d.bars, b.ohlcv FROM datasets d LEFT JOIN dataset_bars b ON b.dataset_id = d.id WHERE d.id = ?',
    );
    this.deleteBarsOf = db.prepare<[string]>('DELETE FROM dataset_bars WHERE dataset_id = ?');
    this.deleteDatasetRow = db.prepare<[string]>('DELETE FROM datasets WHERE id = ?');
    // An update keeps the row (and its rowid, the listing's tie-break) and never touches the result.
    this.upsertRun = db.prepare<[RunRow]>(
      `INSERT INTO backtest_runs (${RUN_COLUMNS})
       VALUES (@id, @kind, @name, @status, @error, @strategy, @data, @settings, @progress_done, @progress_total, @return_pct, @sharpe_ratio, @trade_count, @created_at, @finished_at)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, status = excluded.status, error = excluded.error,
         strategy = excluded.strategy, data = excluded.data, settings = excluded.settings, progress_done = excluded.progress_done,
         progress_total = excluded.progress_total, return_pct = excluded.return_pct, sharpe_ratio = excluded.sharpe_ratio,
         trade_count = excluded.trade_count, created_at = excluded.created_at, finished_at = excluded.finished_at`,
    );
    this.runExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM backtest_runs WHERE id = ?');
    this.upsertResult = db.prepare<[string, Buffer]>(
      'INSERT INTO backtest_results (run_id, body) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET body = excluded.body',
    );
    this.selectRun = db.prepare<[string], RunRow & { body: Buffer | null }>(
      `SELECT ${RUN_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, x.body FROM backtest_runs r LEFT JOIN backtest_results x ON x.run_id = r.id WHERE r.id = ?`,
    );
    this.selectRuns = db.prepare<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM backtest_runs ORDER BY created_at DESC, rowid DESC`);
    this.deleteResultOf = db.prepare<[string]>('DELETE FROM backtest_results WHERE run_id = ?');
    this.deleteRunRow = db.prepare<[string]>('DELETE FROM backtest_runs WHERE id = ?');
    this.failUnfinished = db.prepare<[string]>(`UPDATE backtest_runs SET status = 'failed', error = ? WHERE status IN (${UNFINISHED})`);
    this.inTransaction = writeTransactions(db);
  }

  saveDataset(meta: Dataset, bars: readonly Bar[]): void {
    checkDatasetBars(meta, bars);
    const d = datasetFields(meta);
    // Refuses NaN and Infinity, which SQLite would turn into NULL.
    toJsonText(d, `Dataset ${d.id}`);
    const ohlcv = encodeBars(bars);
    this.inTransaction(() => {
      if (this.selectDataset.get(d.id) !== undefined) throw datasetExists(d.id);
      this.insertDataset.run({
        id: d.id,
        name: d.name,
        symbol: d.symbol,
        bars: d.bars,
        from_ms: d.from,
        to_ms: d.to,
        period_ms: d.periodMs,
        created_at: d.createdAt,
      });
      this.insertBars.run(d.id, ohlcv);
    });
  }

  listDatasets(): Dataset[] {
    return this.selectDatasets.all().map(toDataset);
  }

  getDataset(id: string): Dataset | null {
    const row = this.selectDataset.get(id);
    return row ? toDataset(row) : null;
  }

  loadDatasetBars(id: string): Bar[] {
    const row = this.storedBars(id);
    return decodeBars(row.ohlcv, row.bars, `dataset ${id}`);
  }

  loadPackedDatasetBars(id: string, range?: BarRange, options?: { shared?: boolean }): Float64Array {
    const row = this.storedBars(id);
    return decodePackedBars(row.ohlcv, row.bars, `dataset ${id}`, range, options);
  }

  private storedBars(id: string): { bars: number; ohlcv: Buffer } {
    const row = this.selectBars.get(id);
    if (!row) throw noDataset(id);
    if (row.ohlcv === null) throw new KeelError('INTERNAL', `Stored bars of dataset ${id} are missing`);
    return { bars: row.bars, ohlcv: row.ohlcv };
  }

  deleteDataset(id: string): boolean {
    return this.inTransaction(() => {
      // Explicitly, so the bars go even on a connection opened without foreign keys.
      this.deleteBarsOf.run(id);
      return this.deleteDatasetRow.run(id).changes === 1;
    });
  }

  saveBacktest(summary: BacktestSummary): void {
    const s = summaryFields(summary);
    toJsonText(s, `Backtest ${s.id}`);
    this.upsertRun.run({
      id: s.id,
      kind: s.kind,
      name: s.name,
      status: s.status,
      error: s.error,
      strategy: JSON.stringify(s.strategy),
      data: JSON.stringify(s.data),
      settings: JSON.stringify(s.settings),
      progress_done: s.progress.done,
      progress_total: s.progress.total,
      return_pct: s.returnPct,
      sharpe_ratio: s.sharpeRatio,
      trade_count: s.tradeCount,
      created_at: s.createdAt,
      finished_at: s.finishedAt,
    });
  }

  saveBacktestResult(id: string, result: BacktestResultInput | Uint8Array): void {
    const bytes = storedBytes(result, resultLabel(id));
    this.inTransaction(() => {
      if (this.runExists.get(id) === undefined) throw noBacktest(id);
      this.upsertResult.run(id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
  }

  getBacktest(id: string, reading: ResultReading = {}): BacktestResult | null {
    const row = this.selectRun.get(id);
    if (!row) return null;
    const body = row.body === null ? emptyBacktestResult() : decodeResult(row.body, `result of backtest ${id}`, reading);
    return { ...toSummary(row), ...body };
  }

  hasBacktest(id: string): boolean {
    return this.runExists.get(id) !== undefined;
  }

  listBacktests(): BacktestSummary[] {
    return this.selectRuns.all().map(toSummary);
  }

  deleteBacktest(id: string): boolean {
    return this.inTransaction(() => {
      this.deleteResultOf.run(id);
      return this.deleteRunRow.run(id).changes === 1;
    });
  }

  markUnfinishedAsFailed(reason: string): number {
    return this.failUnfinished.run(reason).changes;
  }
}

function toDataset(r: DatasetRow): Dataset {
  return { id: r.id, name: r.name, symbol: r.symbol, bars: r.bars, from: r.from_ms, to: r.to_ms, periodMs: r.period_ms, createdAt: r.created_at };
}

function toSummary(r: RunRow): BacktestSummary {
  const what = `backtest ${r.id}`;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    error: r.error,
    strategy: parseJsonText<BacktestSummary['strategy']>(r.strategy, `strategy of ${what}`),
    data: parseJsonText<BacktestSummary['data']>(r.data, `data of ${what}`),
    settings: parseJsonText<BacktestSummary['settings']>(r.settings, `settings of ${what}`),
    progress: { done: r.progress_done, total: r.progress_total },
    returnPct: r.return_pct,
    sharpeRatio: r.sharpe_ratio,
    tradeCount: r.trade_count,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}
