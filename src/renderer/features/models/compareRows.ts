/**
 * Versions side by side: one row per property (how each was made, then its
 * out-of-sample metrics, then what it leans on), each row saying whether the
 * versions differ and, for metrics, which is better.
 */
import type { ModelRecord } from '../../../shared/models';
import { fmtDateTime } from '../../lib/format';
import { bestIndexes } from '../backtests/statsFormat';
import { ALGORITHM_LABEL, fmtBytes, fmtDelta, fmtMaxAge, fmtMetric, fmtTarget, fmtWindow, metricFieldsFor, type MetricField } from './modelFormat';
import { BADGE_LABEL, modelBadges, versionName } from './modelList';
import { readMetrics } from './modelMetrics';

export interface CompareRow {
  label: string;
  values: string[];
  /** Indexes of the better value(s); empty when the row is not a score or all are equal. */
  best: number[];
  /** The versions differ in this row. */
  differs: boolean;
  help?: string;
  metric: boolean;
  /** Two versions: how the second's metric differs from the first's. */
  delta: string | null;
}

function row(label: string, values: string[], extra: Partial<CompareRow> = {}): CompareRow {
  return { label, values, best: [], differs: new Set(values).size > 1, metric: false, delta: null, ...extra };
}

export function compareRows(models: readonly ModelRecord[], now: number): CompareRow[] {
  const metrics = models.map((m) => readMetrics(m.metrics));
  const fields = new Map<string, MetricField>();
  for (const m of models) for (const f of metricFieldsFor(m.target)) fields.set(f.key, f);

  const metricRows = [...fields.values()].flatMap((f) => {
    const values = metrics.map((m) => m.summary[f.key]);
    if (values.every((v) => v === null)) return [];
    const delta = values.length === 2 ? fmtDelta(f, values[0]!, values[1]!) : null;
    return [row(f.label, values.map((v) => fmtMetric(f, v)), { best: bestIndexes(f, values), help: f.help, metric: true, delta })];
  });

  return [
    row('Version', models.map(versionName)),
    row('Status', models.map((m) => modelBadges(m, now).map((b) => BADGE_LABEL[b]).join(', '))),
    row('Algorithm', models.map((m) => ALGORITHM_LABEL[m.algorithm])),
    row('Created', models.map((m) => fmtDateTime(m.createdAt).slice(0, 16))),
    row('Target', models.map((m) => fmtTarget(m.target))),
    row('Training window', models.map((m) => fmtWindow(m.trainingWindow, true, now))),
    row('Data hash', models.map((m) => m.dataHash?.slice(0, 12) ?? '—'), { help: 'The same hash means the same bars' }),
    row('Features', models.map((m) => `${m.features.length} · ${m.featuresHash}`), { help: 'Count and hash of the feature set and its code' }),
    ...metricRows,
    row('Rows', metrics.map((m) => fmtMetric({ kind: 'count' }, m.summary.rows))),
    row('Folds', metrics.map((m) => String(m.folds.length))),
    row('Most important', models.map((m) => m.featureImportance.slice().sort((a, b) => b.importance - a.importance).slice(0, 3).map((f) => f.feature).join(', ') || '—')),
    row('Maximum age', models.map(fmtMaxAge)),
    row('Size', models.map((m) => fmtBytes(m.sizeBytes))),
  ];
}
