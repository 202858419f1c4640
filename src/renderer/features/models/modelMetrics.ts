/**
 * Reads a model's metrics for the screen. The contract carries them as a
 * free record, so each figure is read on its own and a model that lacks one
 * (an imported model has no folds) shows what it has. Walk-forward folds
 * carry accuracy, log loss, AUC, precision and recall per class and
 * calibration bins (direction targets), or RMSE, MAE, R² and the direction
 * hit rate (return targets). Folds are combined here for the "all folds"
 * views: calibration bins pooled row by row, per-class figures averaged.
 */
import { z } from 'zod';

/** The engine's direction classes, by label: 0 long, 1 short, 2 neutral. */
export const DIRECTION_CLASS_NAMES: readonly string[] = ['Long', 'Short', 'Neutral'];

const perClassSchema = z.object({ label: z.number().int(), precision: z.number().nullable(), recall: z.number().nullable(), support: z.number() });
const binSchema = z.object({ from: z.number(), to: z.number(), confidence: z.number(), hitRate: z.number(), rows: z.number() });

const foldMetricsSchema = z.object({
  rows: z.number(),
  accuracy: z.number().optional(),
  logLoss: z.number().optional(),
  auc: z.number().nullable().optional(),
  perClass: z.array(perClassSchema).optional(),
  calibration: z.array(binSchema).optional(),
  rmse: z.number().optional(),
  mae: z.number().optional(),
  r2: z.number().nullable().optional(),
  directionHitRate: z.number().nullable().optional(),
});

const foldSchema = z.object({ fold: z.number().int(), trainRows: z.number(), testRows: z.number(), from: z.number(), to: z.number(), metrics: foldMetricsSchema });

export type Fold = z.infer<typeof foldSchema>;
export type PerClass = z.infer<typeof perClassSchema>;
export type CalibrationBin = z.infer<typeof binSchema>;

/** The headline figures a model can have; null where it has none. */
export const SUMMARY_KEYS = ['accuracy', 'logLoss', 'auc', 'rmse', 'mae', 'r2', 'directionHitRate', 'rows'] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];
export type MetricsSummary = Record<SummaryKey, number | null>;

export interface ModelMetrics {
  summary: MetricsSummary;
  folds: Fold[];
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function readMetrics(metrics: Record<string, unknown>): ModelMetrics {
  const summary = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, finite(metrics[k])])) as MetricsSummary;
  const rawFolds = Array.isArray(metrics.folds) ? metrics.folds : [];
  const folds = rawFolds.flatMap((f) => {
    const parsed = foldSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
  return { summary, folds };
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
  const chosen = fold === 'all' ? folds : folds.filter((f) => f.fold === fold);
  const labels = [...new Set(chosen.flatMap((f) => (f.metrics.perClass ?? []).map((c) => c.label)))].sort((a, b) => a - b);
  return labels.map((label) => {
    const entries = chosen.flatMap((f) => (f.metrics.perClass ?? []).filter((c) => c.label === label));
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
  const chosen = fold === 'all' ? folds : folds.filter((f) => f.fold === fold);
  const bins = new Map<string, { from: number; to: number; confidence: number; hits: number; rows: number }>();
  for (const f of chosen) {
    for (const b of f.metrics.calibration ?? []) {
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
