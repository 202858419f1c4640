/**
 * Reads a model's metrics for the screen through the contract's own schema
 * (`readableTrainingMetricsSchema`): a trained version has classification
 * figures (direction target: accuracy, log loss, AUC, precision and recall
 * per class, calibration bins) or regression figures (return target: RMSE,
 * MAE, R², direction hits), averaged and per walk-forward fold, a direction
 * model's folds each with the ML-scored strategy's backtest on the block. A
 * version trained before fold backtests existed reads with none, one from
 * before they ran the strategy with its calls traded gross of costs
 * (shown apart); an imported model's metrics are not training
 * metrics and read as none. Folds are combined here for the "all folds"
 * views: calibration bins pooled row by row, per-class figures averaged.
 */
import {
  readableTrainingMetricsSchema,
  type CalibrationBin,
  type FoldStrategyBacktest,
  type LegacyFoldBacktest,
  type ReadableFold,
  type ReadableTrainingMetrics,
} from '../../../shared/contract/trainingMetrics';

export type { CalibrationBin, FoldStrategyBacktest, LegacyFoldBacktest };
export type Fold = ReadableFold;

/** The engine's direction classes, by label: 0 long, 1 short, 2 neutral. */
export const DIRECTION_CLASS_NAMES: readonly string[] = ['Long', 'Short', 'Neutral'];

/** The headline figures a model can have; null where it has none. */
export const SUMMARY_KEYS = ['accuracy', 'logLoss', 'auc', 'rmse', 'mae', 'r2', 'directionHitRate', 'rows'] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];
export type MetricsSummary = Record<SummaryKey, number | null>;

export interface ModelMetrics {
  /** Which figures the version has; null when it has no training metrics (an import). */
  kind: ReadableTrainingMetrics['kind'] | null;
  summary: MetricsSummary;
  folds: Fold[];
}

const NO_SUMMARY: MetricsSummary = { accuracy: null, logLoss: null, auc: null, rmse: null, mae: null, r2: null, directionHitRate: null, rows: null };

export function readMetrics(metrics: Record<string, unknown>): ModelMetrics {
  const parsed = readableTrainingMetricsSchema.safeParse(metrics);
  if (!parsed.success) return { kind: null, summary: NO_SUMMARY, folds: [] };
  const m = parsed.data;
  const summary: MetricsSummary =
    m.kind === 'classification'
      ? { ...NO_SUMMARY, accuracy: m.accuracy, logLoss: m.logLoss, auc: m.auc, rows: m.rows }
      : { ...NO_SUMMARY, rmse: m.rmse, mae: m.mae, r2: m.r2, directionHitRate: m.directionHitRate, rows: m.rows };
  return { kind: m.kind, summary, folds: m.folds };
}

/** One of a fold's headline figures, or null when the fold has no such figure. */
export function foldFigure(fold: Fold, key: SummaryKey): number | null {
  const value = (fold.metrics as Partial<Record<SummaryKey, number | null>>)[key];
  return typeof value === 'number' ? value : null;
}

function classificationFolds(folds: readonly Fold[]) {
  return folds.flatMap((f) => ('perClass' in f.metrics ? [{ fold: f.fold, metrics: f.metrics }] : []));
}

export interface ClassRow {
  label: string;
  precision: number | null;
  recall: number | null;
  support: number;
}

function className(label: number): string {
  return DIRECTION_CLASS_NAMES[label] ?? `Class ${label}`;
}

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

/** Precision and recall per class for one fold, or each averaged over the folds that have it (support summed). */
export function perClassRows(folds: readonly Fold[], fold: number | 'all'): ClassRow[] {
  const chosen = classificationFolds(folds).filter((f) => fold === 'all' || f.fold === fold);
  const labels = [...new Set(chosen.flatMap((f) => f.metrics.perClass.map((c) => c.label)))].sort((a, b) => a - b);
  return labels.map((label) => {
    const entries = chosen.flatMap((f) => f.metrics.perClass.filter((c) => c.label === label));
    return {
      label: className(label),
      precision: mean(entries.map((c) => c.precision)),
      recall: mean(entries.map((c) => c.recall)),
      support: entries.reduce((a, c) => a + c.support, 0),
    };
  });
}

/** Calibration bins of one fold, or of every fold pooled (each row counted once); empty bins left out. */
export function calibrationRows(folds: readonly Fold[], fold: number | 'all'): CalibrationBin[] {
  const chosen = classificationFolds(folds).filter((f) => fold === 'all' || f.fold === fold);
  const bins = new Map<string, { from: number; to: number; confidence: number; hits: number; rows: number }>();
  for (const f of chosen) {
    for (const b of f.metrics.calibration) {
      if (b.rows <= 0) continue;
      const key = `${b.from}|${b.to}`;
      const acc = bins.get(key) ?? { from: b.from, to: b.to, confidence: 0, hits: 0, rows: 0 };
      acc.confidence += b.confidence * b.rows;
      acc.hits += b.hitRate * b.rows;
      acc.rows += b.rows;
      bins.set(key, acc);
    }
  }
  return [...bins.values()]
    .sort((a, b) => a.from - b.from)
    .map((b) => ({ from: b.from, to: b.to, confidence: b.confidence / b.rows, hitRate: b.hits / b.rows, rows: b.rows }));
}

function isStrategyBacktest(b: FoldStrategyBacktest | LegacyFoldBacktest): b is FoldStrategyBacktest {
  return 'strategy' in b;
}

/** Equity carried from one block to the next: the blocks follow each other in time. */
function chained<T>(rows: readonly { backtest: T }[], pick: (b: T) => number): number {
  return (rows.reduce((equity, r) => equity * (1 + pick(r.backtest) / 100), 1) - 1) * 100;
}

/** Each fold's ML-scored backtest in fold order, with the folds chained; null when no fold has one. */
export function backtestRows(
  folds: readonly Fold[],
): { folds: Array<{ fold: number; backtest: FoldStrategyBacktest }>; chainedReturnPct: number; chainedBuyHoldPct: number; trades: number; netPnl: number; fees: number } | null {
  const rows = folds.flatMap((f) => (f.backtest && isStrategyBacktest(f.backtest) ? [{ fold: f.fold, backtest: f.backtest }] : []));
  if (rows.length === 0) return null;
  const sum = (pick: (b: FoldStrategyBacktest) => number) => rows.reduce((a, r) => a + pick(r.backtest), 0);
  return {
    folds: rows,
    chainedReturnPct: chained(rows, (b) => b.returnPct),
    chainedBuyHoldPct: chained(rows, (b) => b.buyHoldReturnPct),
    trades: sum((b) => b.trades),
    netPnl: sum((b) => b.netPnl),
    fees: sum((b) => b.fees),
  };
}

/** Folds of a version trained before fold backtests ran the strategy: its calls traded gross of costs, chained; null when none has one. */
export function legacyBacktestRows(folds: readonly Fold[]): { folds: Array<{ fold: number; backtest: LegacyFoldBacktest }>; chainedReturnPct: number; chainedBuyHoldPct: number } | null {
  const rows = folds.flatMap((f) => (f.backtest && !isStrategyBacktest(f.backtest) ? [{ fold: f.fold, backtest: f.backtest }] : []));
  if (rows.length === 0) return null;
  return { folds: rows, chainedReturnPct: chained(rows, (b) => b.returnPct), chainedBuyHoldPct: chained(rows, (b) => b.buyHoldReturnPct) };
}
