/**
 * How a model reads on screen: its algorithm and target in words, sizes and
 * ages, and each metric with its label, format and which direction is
 * better (one table, used by the list's key metric, the detail's summary
 * and folds, and the comparison).
 */
import type { ModelRecord, ModelTarget } from '../../../shared/models';
import { fmtDateTime } from '../../lib/format';
import { fmtNumber } from '../backtests/statsFormat';
import type { MetricsSummary, SummaryKey } from './modelMetrics';

export const ALGORITHM_LABEL: Record<ModelRecord['algorithm'], string> = {
  gbdt: 'Gradient-boosted trees',
  'random-forest': 'Random forest',
  'online-logistic': 'Online logistic',
  onnx: 'Imported (ONNX)',
};

export const ALGORITHM_SHORT: Record<ModelRecord['algorithm'], string> = {
  gbdt: 'GBDT',
  'random-forest': 'Forest',
  'online-logistic': 'Online',
  onnx: 'ONNX',
};

export type MetricKind = 'share' | 'score' | 'small' | 'count';

export interface MetricField {
  key: SummaryKey;
  label: string;
  /** For a narrow column. */
  short: string;
  kind: MetricKind;
  /** `high`: more is better; `low`: less is better; null: not a score. */
  better: 'high' | 'low' | null;
  help: string;
}

export const METRIC_FIELDS: readonly MetricField[] = [
  { key: 'accuracy', label: 'Accuracy', short: 'Acc', kind: 'share', better: 'high', help: 'Share of out-of-sample bars whose direction was called right' },
  { key: 'logLoss', label: 'Log loss', short: 'Log loss', kind: 'score', better: 'low', help: 'How sure the model was of the wrong answers (lower is better)' },
  { key: 'auc', label: 'AUC', short: 'AUC', kind: 'score', better: 'high', help: 'How well the probabilities rank each class against the rest (0.5 is chance)' },
  { key: 'rmse', label: 'RMSE', short: 'RMSE', kind: 'small', better: 'low', help: 'Root mean squared error of the forecast return' },
  { key: 'mae', label: 'MAE', short: 'MAE', kind: 'small', better: 'low', help: 'Mean absolute error of the forecast return' },
  { key: 'r2', label: 'R²', short: 'R²', kind: 'score', better: 'high', help: 'Share of the return variance the forecast explains' },
  { key: 'directionHitRate', label: 'Direction hits', short: 'Hits', kind: 'share', better: 'high', help: 'Share of bars whose forecast had the sign of the outcome' },
  { key: 'rows', label: 'Rows', short: 'Rows', kind: 'count', better: null, help: 'Rows with features and a target' },
];

export function metricField(key: SummaryKey): MetricField {
  return METRIC_FIELDS.find((f) => f.key === key)!;
}

/** A share as a percent with one decimal: 0.52149 → "52.1%". */
export function fmtShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${fmtNumber(value * 100, 1)}%`;
}

/** Errors of returns are small: three significant digits, written out without trailing zeros ("0.00123", "0.00034"). */
export function fmtSmall(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  const text = fmtNumber(value, Math.min(digits, 12));
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function fmtMetric(field: Pick<MetricField, 'kind'>, value: number | null | undefined): string {
  switch (field.kind) {
    case 'share':
      return fmtShare(value);
    case 'score':
      return fmtNumber(value, 3);
    case 'small':
      return fmtSmall(value);
    case 'count':
      return fmtNumber(value, 0);
  }
}

/** How far `b` is from `a`, signed: percentage points for shares ("+1.2 pp"); null when either is missing. */
export function fmtDelta(field: Pick<MetricField, 'kind'>, a: number | null, b: number | null): string | null {
  if (a === null || b === null) return null;
  const d = b - a;
  const sign = d > 0 ? '+' : '';
  switch (field.kind) {
    case 'share':
      return `${sign}${fmtNumber(d * 100, 1)} pp`;
    case 'score':
      return `${sign}${fmtNumber(d, 3)}`;
    case 'small':
      return `${sign}${fmtSmall(d)}`;
    case 'count':
      return `${sign}${fmtNumber(d, 0)}`;
  }
}

/** The figure the list shows for a version: accuracy for a direction model, RMSE for a return model. */
export function keyMetric(target: ModelTarget, summary: MetricsSummary): { field: MetricField; text: string } {
  const field = metricField(target.kind === 'direction' ? 'accuracy' : 'rmse');
  return { field, text: fmtMetric(field, summary[field.key]) };
}

/** The metrics that apply to a target (the list's and comparison's rows). */
export function metricFieldsFor(target: ModelTarget): MetricField[] {
  const keys: SummaryKey[] = target.kind === 'direction' ? ['accuracy', 'logLoss', 'auc'] : ['rmse', 'mae', 'r2', 'directionHitRate'];
  return keys.map(metricField);
}

/** "Direction over 5 bars beyond ±0.1%", "Return over 12 bars". */
export function fmtTarget(target: ModelTarget): string {
  const bars = `${target.horizon} bar${target.horizon === 1 ? '' : 's'}`;
  if (target.kind === 'return') return `Return over ${bars}`;
  return `Direction over ${bars} beyond ±${fmtNumber(target.threshold * 100, target.threshold * 100 < 0.1 ? 3 : 2).replace(/\.?0+$/, '')}%`;
}

/** "2026-11-24 13:09 → 2026-11-25 22:29"; `short` leaves the year out when both ends are in the year of `now`. */
export function fmtWindow(window: ModelRecord['trainingWindow'], short = false, now: number = Date.now()): string {
  if (!window) return '—';
  const year = new Date(now).getFullYear();
  const drop = short && new Date(window.from).getFullYear() === year && new Date(window.to).getFullYear() === year;
  const at = (ms: number) => fmtDateTime(ms).slice(drop ? 5 : 0, 16);
  return `${at(window.from)} → ${at(window.to)}`;
}

export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmtNumber(bytes / 1024, 1)} KB`;
  return `${fmtNumber(bytes / (1024 * 1024), 1)} MB`;
}

/** A span in the largest whole unit that fits: "30 days", "12 hours", "90 minutes". */
export function fmtSpan(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n.toLocaleString('en-US')} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  if (ms >= 3_600_000) return `${fmtNumber(ms / 3_600_000, 1)} hours`;
  return `${fmtNumber(ms / 60_000, 1)} minutes`;
}

/** "Never", or the age limit and when it is (or was) reached. */
export function fmtMaxAge(model: Pick<ModelRecord, 'createdAt' | 'maxAgeMs'>): string {
  if (model.maxAgeMs === null) return 'Never expires';
  return `${fmtSpan(model.maxAgeMs)} (until ${fmtDateTime(model.createdAt + model.maxAgeMs).slice(0, 16)})`;
}
