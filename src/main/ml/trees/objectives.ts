/**
 * The boosting losses: their starting scores, per-row gradients and
 * hessians, mean loss (the training log and early stopping) and the map from
 * raw scores to what a caller reads (probabilities per class, or the value).
 *
 * - binary: logistic loss on labels 0/1, one raw score per row (the log-odds of class 1).
 * - multiclass: softmax cross-entropy on labels 0..K-1, K raw scores per row;
 *   the hessian carries LightGBM's K/(K-1) factor, which keeps K trees fitted
 *   at once from overshooting.
 * - regression: squared error, one score per row.
 */
import { KeelError } from '../../../shared/errors';
import type { Labels } from './matrix';

export type BoostObjective = 'binary' | 'multiclass' | 'regression';

export interface Loss {
  /** Raw scores per row. */
  slots: number;
  /** The score every row starts from, per slot. */
  baseScore(labels: Labels): Float64Array;
  /** From scores (rows × slots, row-major) into grad and hess (slots × rows, one block per slot). */
  gradients(scores: Float64Array, labels: Labels, grad: Float64Array, hess: Float64Array): void;
  /** Mean loss over the rows. */
  loss(scores: Float64Array, labels: Labels): number;
}

const EPS = 1e-15;
const MIN_HESSIAN = 1e-16;

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export function lossFor(objective: BoostObjective, numClasses: number): Loss {
  switch (objective) {
    case 'binary':
      return binaryLoss;
    case 'regression':
      return squaredError;
    case 'multiclass':
      return softmaxLoss(numClasses);
  }
}

const binaryLoss: Loss = {
  slots: 1,
  baseScore(labels) {
    let positives = 0;
    for (let i = 0; i < labels.length; i++) positives += labels[i]!;
    const p = Math.min(1 - EPS, Math.max(EPS, positives / Math.max(1, labels.length)));
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(scores, labels, grad, hess) {
    for (let i = 0; i < labels.length; i++) {
      const p = sigmoid(scores[i]!);
      grad[i] = p - labels[i]!;
      hess[i] = Math.max(MIN_HESSIAN, p * (1 - p));
    }
  },
  loss(scores, labels) {
    let sum = 0;
    for (let i = 0; i < labels.length; i++) sum += labels[i] === 1 ? softplus(-scores[i]!) : softplus(scores[i]!);
    return sum / Math.max(1, labels.length);
  },
};

const squaredError: Loss = {
  slots: 1,
  baseScore(labels) {
    let sum = 0;
    for (let i = 0; i < labels.length; i++) sum += labels[i]!;
    return Float64Array.of(labels.length > 0 ? sum / labels.length : 0);
  },
  gradients(scores, labels, grad, hess) {
    for (let i = 0; i < labels.length; i++) {
      grad[i] = scores[i]! - labels[i]!;
      hess[i] = 1;
    }
  },
  loss(scores, labels) {
    let sum = 0;
    for (let i = 0; i < labels.length; i++) {
      const e = scores[i]! - labels[i]!;
      sum += e * e;
    }
    return sum / Math.max(1, labels.length);
  },
};

function softmaxLoss(k: number): Loss {
  if (!Number.isInteger(k) || k < 3) throw new KeelError('VALIDATION_FAILED', `multiclass needs at least 3 classes, got ${k}`);
  const factor = k / (k - 1);
  const p = new Float64Array(k);
  return {
    slots: k,
    baseScore(labels) {
      const counts = new Float64Array(k);
      for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
      return counts.map((c) => Math.log(Math.max(EPS, c / Math.max(1, labels.length))));
    },
    gradients(scores, labels, grad, hess) {
      const n = labels.length;
      for (let i = 0; i < n; i++) {
        softmaxInto(scores, i * k, k, p, 0);
        const y = labels[i]!;
        for (let c = 0; c < k; c++) {
          const pc = p[c]!;
          grad[c * n + i] = pc - (c === y ? 1 : 0);
          hess[c * n + i] = Math.max(MIN_HESSIAN, factor * pc * (1 - pc));
        }
      }
    },
    loss(scores, labels) {
      let sum = 0;
      for (let i = 0; i < labels.length; i++) {
        const at = i * k;
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, scores[at + c]!);
        let z = 0;
        for (let c = 0; c < k; c++) z += Math.exp(scores[at + c]! - max);
        sum += max + Math.log(z) - scores[at + labels[i]!]!;
      }
      return sum / Math.max(1, labels.length);
    },
  };
}

/** out[outAt .. outAt + k) = softmax(scores[at .. at + k)). */
export function softmaxInto(scores: ArrayLike<number>, at: number, k: number, out: Float64Array, outAt: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[at + c]!);
  let z = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(scores[at + c]! - max);
    out[outAt + c] = e;
    z += e;
  }
  for (let c = 0; c < k; c++) out[outAt + c]! /= z;
}

/** Checks labels against the task: whole numbers 0..classes-1 for classification, finite numbers for regression. */
export function checkLabels(labels: Labels, rows: number, classes: number | null, what = 'labels'): void {
  if (labels.length !== rows) throw new KeelError('VALIDATION_FAILED', `${what}: ${labels.length} labels for ${rows} rows`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    const ok = classes === null ? Number.isFinite(y) : Number.isInteger(y) && y >= 0 && y < classes;
    if (!ok) {
      const expected = classes === null ? 'a finite number' : `a class in 0..${classes - 1}`;
      throw new KeelError('VALIDATION_FAILED', `${what}: row ${i} has ${y}, expected ${expected}`);
    }
  }
}
