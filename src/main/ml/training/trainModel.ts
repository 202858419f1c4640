/**
 * Training a tree model on bars, with walk-forward validation: the feature
 * pipeline turns the bars into rows (the same code that scores live), the
 * target is the direction (long/short/neutral) or the return over the next
 * N bars, and the rows are cut in time into folds+1 blocks. Each fold
 * trains on everything before its test block, less a purge of N rows (their
 * targets reach into the test block), and is measured on the block. The
 * model kept is then trained on all the rows, and the distribution of each
 * feature over those rows is kept as the reference live drift (PSI) is
 * measured against. Pure: plain data in and out,
 * progress and cancel through hooks, so it runs in a worker.
 */
import { createHash } from 'node:crypto';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ModelTarget } from '../../../shared/models';
import { computeFeatureMatrix } from '../features/featureMatrix';
import { FEATURE_NAMES, featuresHash } from '../features/featureSet';
import { computeTargets } from '../features/targets';
import { buildFeatureReference, type FeatureReference } from '../drift/featureReference';
import { featureImportance, matrix, modelToJsonText, predict, trainForestAsync, trainGbdtAsync, type Matrix, type TreeModel } from '../trees';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from './metrics';

export interface TrainRequest {
  algorithm: 'gbdt' | 'random-forest';
  bars: readonly Bar[];
  target: ModelTarget;
  /** A subset of the pipeline's features, in its order; all of them by default. */
  features?: readonly string[];
  /** Tree parameters beyond the objective, which follows from the target. */
  params?: Record<string, unknown>;
  /** Walk-forward folds (default 4). */
  folds?: number;
}

export interface TrainHooks {
  onProgress?: (done: number, total: number, message: string) => void;
  isCancelled?: () => boolean;
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  from: number;
  to: number;
  metrics: ClassificationMetrics | RegressionMetrics;
}

export interface TrainOutcome {
  modelJson: string;
  features: string[];
  featuresHash: string;
  trainingWindow: { from: number; to: number };
  dataHash: string;
  rows: number;
  folds: FoldResult[];
  /** The folds' figures averaged (accuracy, log loss, AUC; or RMSE, MAE, R², hit rate). */
  summary: Record<string, number | null>;
  featureImportance: Array<{ feature: string; importance: number }>;
  /** Each feature's decile edges and shares over the training rows: what live PSI compares with. */
  reference: FeatureReference;
  log: string[];
}

/** Fewest rows with a target that training accepts. */
const MIN_ROWS = 200;

export async function trainModel(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const log: string[] = [];
  const say = (line: string) => log.push(line);
  const features = request.features ? [...request.features] : [...FEATURE_NAMES];
  const unknown = features.filter((f) => !FEATURE_NAMES.includes(f as (typeof FEATURE_NAMES)[number]));
  if (unknown.length > 0) throw new KeelError('VALIDATION_FAILED', `Unknown features: ${unknown.join(', ')}. Known: ${FEATURE_NAMES.join(', ')}.`);
  const columns = features.map((f) => FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number]));
  const folds = request.folds ?? 4;
  const horizon = request.target.horizon;
  const classes = request.target.kind === 'direction' ? 3 : 0;

  const full = computeFeatureMatrix(request.bars);
  const targets = computeTargets(request.bars, { horizon, threshold: request.target.kind === 'direction' ? request.target.threshold : 0 });
  const label = request.target.kind === 'direction' ? targets.direction : targets.forwardReturn;
  const rowsUsed: number[] = [];
  for (let r = 0; r < full.rows; r++) if (full.ready[r] === 1 && Number.isFinite(label[r]!)) rowsUsed.push(r);
  if (rowsUsed.length < MIN_ROWS) {
    throw new KeelError('VALIDATION_FAILED', `Too little data: ${rowsUsed.length} rows have features and a target (at least ${MIN_ROWS} are needed); choose a longer range.`, { rows: rowsUsed.length });
  }
  say(`${request.bars.length} bars, ${rowsUsed.length} rows with features and a ${request.target.kind} target over ${horizon} bars; ${features.length} features`);

  const x = subset(full.values, full.cols, rowsUsed, columns);
  const y = Float64Array.from(rowsUsed, (r) => label[r]!);
  const chunk = Math.floor(rowsUsed.length / (folds + 1));
  const total = folds + 1;
  const results: FoldResult[] = [];
  const train = async (from: number, to: number, step: string): Promise<TreeModel> => {
    const data = { x: slice(x, from, to), y: y.subarray(from, to), featureNames: features };
    const progress = (done: number, of: number) => hooks.onProgress?.(results.length + done / of, total, step);
    const trainingHooks = { onProgress: progress, isCancelled: () => hooks.isCancelled?.() ?? false };
    if (request.algorithm === 'gbdt') {
      const params = { ...request.params, objective: classes > 0 ? ('multiclass' as const) : ('regression' as const), ...(classes > 0 ? { numClasses: classes } : {}) };
      return (await trainGbdtAsync(data, params, trainingHooks)).model;
    }
    const params = { ...request.params, task: classes > 0 ? ('classification' as const) : ('regression' as const), ...(classes > 0 ? { numClasses: classes } : {}) };
    return (await trainForestAsync(data, params, trainingHooks)).model;
  };

  for (let k = 1; k <= folds; k++) {
    const testFrom = k * chunk;
    const testTo = k === folds ? rowsUsed.length : (k + 1) * chunk;
    // Rows whose target reaches into the test block are purged from training.
    const trainTo = Math.max(0, testFrom - horizon);
    if (trainTo < 50) continue;
    const model = await train(0, trainTo, `fold ${k} of ${folds}`);
    const out = predict(model, slice(x, testFrom, testTo));
    const truth = y.subarray(testFrom, testTo);
    const metrics = classes > 0 ? classificationMetrics(out, Array.from(truth), classes) : regressionMetrics(out, truth);
    results.push({ fold: k, trainRows: trainTo, testRows: testTo - testFrom, from: request.bars[rowsUsed[testFrom]!]!.time, to: request.bars[rowsUsed[testTo - 1]!]!.time, metrics });
    say(`fold ${k}: trained on ${trainTo} rows, tested on ${testTo - testFrom}: ${describe(metrics)}`);
  }
  const model = await train(0, rowsUsed.length, 'final model');
  hooks.onProgress?.(total, total, 'done');
  const gain = featureImportance(model).gain;
  const importance = features.map((feature, i) => ({ feature, importance: gain[i]! })).sort((a, b) => b.importance - a.importance);
  say(`final model on all ${rowsUsed.length} rows; most important: ${importance.slice(0, 3).map((f) => f.feature).join(', ')}`);
  return {
    modelJson: modelToJsonText(model),
    features,
    featuresHash: featuresHash(features),
    trainingWindow: { from: request.bars[0]!.time, to: request.bars[request.bars.length - 1]!.time },
    dataHash: dataHash(request.bars),
    rows: rowsUsed.length,
    folds: results,
    summary: summarise(results),
    featureImportance: importance,
    reference: buildFeatureReference(x, features),
    log,
  };
}

function subset(values: Float32Array, cols: number, rows: number[], columns: number[]): Matrix {
  const out = new Float32Array(rows.length * columns.length);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = values[rows[i]! * cols + columns[j]!]!;
  return matrix(out, rows.length, columns.length);
}

function slice(x: Matrix, from: number, to: number): Matrix {
  return matrix(x.values.subarray(from * x.cols, to * x.cols), to - from, x.cols);
}

function describe(m: ClassificationMetrics | RegressionMetrics): string {
  return 'accuracy' in m ? `accuracy ${m.accuracy.toFixed(3)}, log loss ${m.logLoss.toFixed(3)}, AUC ${m.auc?.toFixed(3) ?? '—'}` : `RMSE ${m.rmse.toExponential(3)}, R² ${m.r2?.toFixed(3) ?? '—'}`;
}

function summarise(folds: FoldResult[]): Record<string, number | null> {
  const mean = (pick: (m: FoldResult['metrics']) => number | null): number | null => {
    const values = folds.map((f) => pick(f.metrics)).filter((v): v is number => v !== null && Number.isFinite(v));
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  };
  if (folds.length > 0 && 'accuracy' in folds[0]!.metrics) {
    return { accuracy: mean((m) => (m as ClassificationMetrics).accuracy), logLoss: mean((m) => (m as ClassificationMetrics).logLoss), auc: mean((m) => (m as ClassificationMetrics).auc), folds: folds.length };
  }
  return { rmse: mean((m) => (m as RegressionMetrics).rmse), mae: mean((m) => (m as RegressionMetrics).mae), r2: mean((m) => (m as RegressionMetrics).r2), directionHitRate: mean((m) => (m as RegressionMetrics).directionHitRate), folds: folds.length };
}

/** A digest of the training bars, so two models can be told to come from the same data. */
export function dataHash(bars: readonly Bar[]): string {
  const hash = createHash('sha256');
  const row = new Float64Array(6);
  for (const b of bars) {
    row[0] = b.time;
    row[1] = b.open;
    row[2] = b.high;
    row[3] = b.low;
    row[4] = b.close;
    row[5] = b.volume;
    hash.update(Buffer.from(row.buffer));
  }
  return hash.digest('hex').slice(0, 32);
}
