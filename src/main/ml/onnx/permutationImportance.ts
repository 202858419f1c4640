/**
 * Permutation feature importance: how much a model's score drops when one
 * feature's column is shuffled, breaking its link to the label while
 * keeping its distribution. Model-agnostic (it only calls `predict`), so it
 * serves imported ONNX models, whose internals Keel cannot read. Seeded:
 * the same seed gives the same shuffles and the same numbers.
 */
import { OnnxModelError } from './errors';

export type ImportanceMetric = 'logLoss' | 'accuracy';

/** Anything that maps rows to probabilities per class, `width` columns per row. */
export interface ProbabilityModel {
  readonly width: number;
  predict(rows: Float32Array, count: number): Promise<Float32Array>;
}

export interface PermutationImportanceRequest {
  model: ProbabilityModel;
  /** count × featureCount values, row-major. */
  rows: Float32Array;
  count: number;
  featureCount: number;
  /** The true class index of each row, in [0, width). */
  labels: ArrayLike<number>;
  metric: ImportanceMetric;
  seed: number;
  /** Shuffles per feature; default 5. */
  repeats?: number;
  /** Called after each feature is done. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface FeatureImportance {
  feature: number;
  /** Mean drop in score over the repeats (log loss: increase in loss; accuracy: loss of accuracy). Higher = more important. */
  importance: number;
  /** Standard deviation of the drop over the repeats. */
  std: number;
  drops: number[];
}

export interface PermutationImportanceResult {
  metric: ImportanceMetric;
  /** The metric on the unshuffled rows (log loss, or accuracy). */
  baseline: number;
  /** One entry per feature, in column order. */
  features: FeatureImportance[];
}

const LOG_LOSS_EPSILON = 1e-15;

/** Mean log loss, or accuracy, of `probabilities` (count × width) against `labels`. */
export function scoreProbabilities(metric: ImportanceMetric, probabilities: Float32Array, width: number, labels: ArrayLike<number>, count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    const row = i * width;
    if (metric === 'logLoss') {
      const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probabilities[row + label]!));
      total -= Math.log(p);
    } else {
      let best = 0;
      for (let c = 1; c < width; c++) if (probabilities[row + c]! > probabilities[row + best]!) best = c;
      if (best === label) total += 1;
    }
  }
  return total / count;
}

export async function permutationImportance(request: PermutationImportanceRequest): Promise<PermutationImportanceResult> {
  const { model, rows, count, featureCount, labels, metric } = request;
  const repeats = request.repeats ?? 5;
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(featureCount) || featureCount < 1 || rows.length !== count * featureCount) {
    throw new OnnxModelError('INVALID_REQUEST', `expected ${count} rows × ${featureCount} features, got ${rows.length} values`);
  }
  if (labels.length !== count) throw new OnnxModelError('INVALID_REQUEST', `expected ${count} labels, got ${labels.length}`);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= model.width) throw new OnnxModelError('INVALID_REQUEST', `label of row ${i} is ${label}; classes are 0..${model.width - 1}`);
  }
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw new OnnxModelError('INVALID_REQUEST', `repeats must be a whole number ≥ 1, got ${repeats}`);

  // Higher is better for both, so a drop is (baseline − shuffled) in "goodness".
  const goodness = (score: number): number => (metric === 'logLoss' ? -score : score);
  const baseline = scoreProbabilities(metric, await model.predict(rows, count), model.width, labels, count);
  const random = mulberry32(request.seed);
  const work = rows.slice();
  const column = new Float32Array(count);
  const features: FeatureImportance[] = [];
  for (let f = 0; f < featureCount; f++) {
    for (let i = 0; i < count; i++) column[i] = rows[i * featureCount + f]!;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      request.signal?.throwIfAborted();
      shuffle(column, random);
      for (let i = 0; i < count; i++) work[i * featureCount + f] = column[i]!;
      const score = scoreProbabilities(metric, await model.predict(work, count), model.width, labels, count);
      drops.push(goodness(baseline) - goodness(score));
    }
    for (let i = 0; i < count; i++) work[i * featureCount + f] = rows[i * featureCount + f]!;
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const variance = drops.reduce((a, d) => a + (d - mean) ** 2, 0) / repeats;
    features.push({ feature: f, importance: mean, std: Math.sqrt(variance), drops });
    request.onProgress?.(f + 1, featureCount);
  }
  return { metric, baseline, features };
}

/** Fisher–Yates in place. */
function shuffle(values: Float32Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
