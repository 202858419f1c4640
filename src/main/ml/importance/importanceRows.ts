/**
 * The rows a permutation importance is measured on, with their labels:
 * - from bars: Keel's feature pipeline makes each row (in the model's
 *   feature order) and the version's direction target labels it (long 0,
 *   short 1, neutral 2, the model's output order); rows still warming up or
 *   with no target yet are left out, and past a bound only the newest are
 *   kept;
 * - from the golden rows kept with an import: each input row, labelled with
 *   the class its expected output calls (the most probable; for a binary
 *   model's single P(class 1), class 1 from 0.5 up). The importance then
 *   says how much the model's own answers lean on each feature.
 * Pure: it runs in the ML worker.
 */
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ModelTarget } from '../../../shared/models';
import { computeFeatureMatrix } from '../features/featureMatrix';
import { FEATURE_NAMES } from '../features/featureSet';
import { computeTargets } from '../features/targets';

/** Most rows measured on: each shuffle scores them all, features × repeats times. */
export const MAX_IMPORTANCE_ROWS = 20_000;
/** Fewest rows worth shuffling. */
export const MIN_IMPORTANCE_ROWS = 2;

export interface ImportanceRows {
  /** count × features, row-major. */
  rows: Float32Array;
  labels: Int32Array;
  count: number;
  /** Open times of the first and last row (bars only). */
  from: number | null;
  to: number | null;
}

/** Why a model's features cannot be made from bars; null when every one is the pipeline's. */
export function pipelineProblem(features: readonly string[]): string | null {
  const unknown = features.filter((f) => !FEATURE_NAMES.includes(f as (typeof FEATURE_NAMES)[number]));
  return unknown.length === 0 ? null : `its features are not all Keel's (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}): measure it on its golden rows`;
}

export function rowsFromBars(bars: readonly Bar[], features: readonly string[], target: ModelTarget): ImportanceRows {
  const problem = pipelineProblem(features);
  if (problem) throw new KeelError('VALIDATION_FAILED', `The importance cannot be measured on bars: ${problem}.`);
  if (target.kind !== 'direction') throw new KeelError('VALIDATION_FAILED', 'The importance is measured on bars for a direction model (long, short, neutral) only.');
  const matrix = computeFeatureMatrix(bars);
  const columns = features.map((f) => matrix.names.indexOf(f));
  const { direction } = computeTargets(bars, { horizon: target.horizon, threshold: target.threshold });
  const used: number[] = [];
  for (let r = 0; r < matrix.rows; r++) if (matrix.ready[r] === 1 && Number.isFinite(direction[r]!)) used.push(r);
  const kept = used.slice(-MAX_IMPORTANCE_ROWS);
  if (kept.length < MIN_IMPORTANCE_ROWS) {
    throw new KeelError('VALIDATION_FAILED', `Too few rows to measure on: ${bars.length} bars give ${kept.length} rows with features and a target; choose a longer range.`, { rows: kept.length });
  }
  const rows = new Float32Array(kept.length * features.length);
  const labels = new Int32Array(kept.length);
  kept.forEach((r, i) => {
    for (let j = 0; j < columns.length; j++) rows[i * columns.length + j] = matrix.values[r * matrix.cols + columns[j]!]!;
    labels[i] = direction[r]!;
  });
  return { rows, labels, count: kept.length, from: bars[kept[0]!]!.time, to: bars[kept.at(-1)!]!.time };
}

export interface StoredGoldenRow {
  input: readonly number[];
  expected: readonly number[];
}

export function rowsFromGoldenRows(golden: readonly StoredGoldenRow[], featureCount: number): ImportanceRows {
  if (golden.length < MIN_IMPORTANCE_ROWS) {
    throw new KeelError('VALIDATION_FAILED', `The import kept ${golden.length} golden row${golden.length === 1 ? '' : 's'}; at least ${MIN_IMPORTANCE_ROWS} are needed: measure it on bars instead.`, { rows: golden.length });
  }
  const rows = new Float32Array(golden.length * featureCount);
  const labels = new Int32Array(golden.length);
  golden.forEach((g, i) => {
    if (g.input.length !== featureCount) throw new KeelError('VALIDATION_FAILED', `Golden row ${i + 1} has ${g.input.length} inputs; the model has ${featureCount} features.`);
    rows.set(g.input, i * featureCount);
    labels[i] = calledClass(g.expected);
  });
  return { rows, labels, count: golden.length, from: null, to: null };
}

/** The class an expected output calls: the most probable, or for a single P(class 1), class 1 from 0.5 up. */
export function calledClass(expected: readonly number[]): number {
  if (expected.length === 1) return expected[0]! >= 0.5 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < expected.length; c++) if (expected[c]! > expected[best]!) best = c;
  return best;
}
