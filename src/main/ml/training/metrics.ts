/**
 * How good a model's out-of-sample answers were. Classification: accuracy,
 * precision and recall per class, log loss, AUC (one class against the rest,
 * averaged), and calibration (the confidence of the chosen class against how
 * often it was right, in ten bins). Regression: RMSE, MAE, R² and how often
 * the sign of the forecast was right. Pure functions over plain arrays.
 */
import type { ClassificationFigures, RegressionFigures } from '../../../shared/contract/trainingMetrics';

/** The contract's shapes: the training registers exactly these. */
export type ClassificationMetrics = ClassificationFigures;
export type RegressionMetrics = RegressionFigures;

const EPS = 1e-15;

/** `probs` is rows × classes, row-major; `labels` the true class per row. */
export function classificationMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): ClassificationMetrics {
  const rows = labels.length;
  if (probs.length !== rows * classes) throw new RangeError(`expected ${rows * classes} probabilities, got ${probs.length}`);
  let correct = 0;
  let loss = 0;
  const tp = new Array<number>(classes).fill(0);
  const predicted = new Array<number>(classes).fill(0);
  const support = new Array<number>(classes).fill(0);
  const bins = Array.from({ length: 10 }, () => ({ confidence: 0, hits: 0, rows: 0 }));
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    const p = probs[r * classes + label]!;
    loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, p)));
    support[label]! += 1;
    predicted[best]! += 1;
    if (best === label) {
      correct += 1;
      tp[label]! += 1;
    }
    const confidence = probs[r * classes + best]!;
    const bin = bins[Math.min(9, Math.floor(confidence * 10))]!;
    bin.confidence += confidence;
    bin.hits += best === label ? 1 : 0;
    bin.rows += 1;
  }
  const aucs: number[] = [];
  for (let c = 0; c < classes; c++) {
    const auc = binaryAuc(
      Array.from({ length: rows }, (_, r) => probs[r * classes + c]!),
      Array.from({ length: rows }, (_, r) => (labels[r] === c ? 1 : 0)),
    );
    if (auc !== null) aucs.push(auc);
  }
  return {
    rows,
    accuracy: rows === 0 ? 0 : correct / rows,
    logLoss: rows === 0 ? 0 : loss / rows,
    auc: aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length,
    perClass: support.map((s, c) => ({ label: c, precision: predicted[c]! === 0 ? null : tp[c]! / predicted[c]!, recall: s === 0 ? null : tp[c]! / s, support: s })),
    calibration: bins.map((b, i) => ({ from: i / 10, to: (i + 1) / 10, confidence: b.rows === 0 ? 0 : b.confidence / b.rows, hitRate: b.rows === 0 ? 0 : b.hits / b.rows, rows: b.rows })),
  };
}

/** The probability that a random positive scores above a random negative (ties count half); null without both. */
export function binaryAuc(scores: readonly number[], positives: readonly number[]): number | null {
  const order = scores.map((s, i) => [s, positives[i]!] as const).sort((a, b) => a[0] - b[0]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2; // average rank of the tie group (1-based)
    for (let k = i; k < j; k++) {
      if (order[k]![1] === 1) {
        pos += 1;
        rankSum += rank;
      } else neg += 1;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function regressionMetrics(forecasts: ArrayLike<number>, outcomes: ArrayLike<number>): RegressionMetrics {
  const rows = outcomes.length;
  let se = 0;
  let ae = 0;
  let mean = 0;
  let hits = 0;
  let signed = 0;
  for (let i = 0; i < rows; i++) mean += outcomes[i]!;
  mean = rows === 0 ? 0 : mean / rows;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const e = forecasts[i]! - outcomes[i]!;
    se += e * e;
    ae += Math.abs(e);
    total += (outcomes[i]! - mean) ** 2;
    if (outcomes[i]! !== 0) {
      signed += 1;
      if (Math.sign(forecasts[i]!) === Math.sign(outcomes[i]!)) hits += 1;
    }
  }
  return {
    rows,
    rmse: rows === 0 ? 0 : Math.sqrt(se / rows),
    mae: rows === 0 ? 0 : ae / rows,
    r2: total === 0 ? null : 1 - se / total,
    directionHitRate: signed === 0 ? null : hits / signed,
  };
}
