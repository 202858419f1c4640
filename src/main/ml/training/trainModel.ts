/**
 * Training a tree model on bars, with walk-forward validation: the feature
 * pipeline turns the bars into rows (the same code that scores live), the
 * target is the direction (long/short/neutral) or the return over the next
 * N bars, and the rows are cut in time into folds+1 blocks. Each fold
 * trains on everything before its test block, less a purge of N rows (their
 * targets reach into the test block), and is measured on the block. The
 * model kept is then trained on all the rows, and the distribution of each
 * feature over those rows is kept as the reference live drift (PSI) is
 * measured against. A direction model's folds are also backtested: the
 * ML-scored strategy trades each fold's model on its test block through the
 * backtest kernel, fees and fill model included (`foldBacktest.ts`). The
 * metrics come out in the contract's shape (`TrainingMetrics`). Plain data
 * in and out, progress and cancel through hooks, so it runs in a worker.
 */
import { createHash } from 'node:crypto';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ClassificationFold, FoldStrategyBacktest, RegressionFold, TrainingMetrics } from '../../../shared/contract/trainingMetrics';
import type { ModelTarget } from '../../../shared/models';
import { computeFeatureMatrix } from '../features/featureMatrix';
import { FEATURE_NAMES, FEATURES_WARMUP, featuresHash } from '../features/featureSet';
import { computeTargets } from '../features/targets';
import { SCORING_WARMUP_BARS } from '../scoring/modelScoring';
import { buildFeatureReference, type FeatureReference } from '../drift/featureReference';
import { featureImportance, matrix, modelToJsonText, predict, trainForestAsync, trainGbdtAsync, TREE_MODEL_FORMAT, type Matrix, type TreeModel } from '../trees';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from './metrics';
import { foldModel, foldStrategyBacktest } from './foldBacktest';

export interface TrainRequest {
  algorithm: 'gbdt' | 'random-forest';
  bars: readonly Bar[];
  target: ModelTarget;
  /** A subset of the pipeline's features, in its order; all of them by default. */
  features?: readonly string[];
  /** Tree parameters beyond the objective, which follows from the target. */
  params?: Record<string, unknown>;
  /** Walk-forward folds (default DEFAULT_FOLDS). */
  folds?: number;
}

export interface TrainHooks {
  onProgress?: (done: number, total: number, message: string) => void;
  isCancelled?: () => boolean;
  /** Told of each fold once it is measured and backtested, with the model it trained. */
  onFold?: (fold: FoldResult, model: TreeModel) => void;
}

export type FoldResult = ClassificationFold | RegressionFold;

export interface TrainOutcome {
  modelJson: string;
  features: string[];
  featuresHash: string;
  trainingWindow: { from: number; to: number };
  dataHash: string;
  /** The folds' figures averaged and each fold in full, as the version records them. */
  metrics: TrainingMetrics;
  featureImportance: Array<{ feature: string; importance: number }>;
  /** Each feature's decile edges and shares over the training rows: what live PSI compares with. */
  reference: FeatureReference;
  log: string[];
}

export const DEFAULT_FOLDS = 4;
/** Fewest rows with a target that training accepts. */
const MIN_ROWS = 200;
/** Fewest rows a fold trains on. */
const MIN_FOLD_TRAIN_ROWS = 50;

/** Rows with features and a target needed for `folds` walk-forward folds, each training on enough rows after the purge. */
export function minimumTrainingRows(horizon: number, folds: number = DEFAULT_FOLDS): number {
  return Math.max(MIN_ROWS, (folds + 1) * (MIN_FOLD_TRAIN_ROWS + horizon));
}

/** Bars that give those rows: the pipeline's warm-up before the first, the horizon after the last. */
export function minimumTrainingBars(horizon: number, folds: number = DEFAULT_FOLDS): number {
  return minimumTrainingRows(horizon, folds) + FEATURES_WARMUP - 1 + horizon;
}

export async function trainModel(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const log: string[] = [];
  const say = (line: string) => log.push(line);
  const features = request.features ? [...request.features] : [...FEATURE_NAMES];
  const unknown = features.filter((f) => !FEATURE_NAMES.includes(f as (typeof FEATURE_NAMES)[number]));
  if (unknown.length > 0) throw new KeelError('VALIDATION_FAILED', `Unknown features: ${unknown.join(', ')}. Known: ${FEATURE_NAMES.join(', ')}.`);
  const columns = features.map((f) => FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number]));
  const folds = request.folds ?? DEFAULT_FOLDS;
  const horizon = request.target.horizon;
  const classes = request.target.kind === 'direction' ? 3 : 0;

  const full = computeFeatureMatrix(request.bars);
  const targets = computeTargets(request.bars, { horizon, threshold: request.target.kind === 'direction' ? request.target.threshold : 0 });
  const label = request.target.kind === 'direction' ? targets.direction : targets.forwardReturn;
  const rowsUsed: number[] = [];
  for (let r = 0; r < full.rows; r++) if (full.ready[r] === 1 && Number.isFinite(label[r]!)) rowsUsed.push(r);
  const minRows = minimumTrainingRows(horizon, folds);
  if (rowsUsed.length < minRows) {
    throw new KeelError('VALIDATION_FAILED', `Too little data: ${rowsUsed.length} rows have features and a target (at least ${minRows} are needed for ${folds} folds over ${horizon} bars); choose a longer range.`, { rows: rowsUsed.length, needed: minRows });
  }
  say(`${request.bars.length} bars, ${rowsUsed.length} rows with features and a ${request.target.kind} target over ${horizon} bars; ${features.length} features`);

  const x = subset(full.values, full.cols, rowsUsed, columns);
  const y = Float64Array.from(rowsUsed, (r) => label[r]!);
  const chunk = Math.floor(rowsUsed.length / (folds + 1));
  const total = folds + 1;
  const classFolds: ClassificationFold[] = [];
  const returnFolds: RegressionFold[] = [];
  const foldsDone = () => classFolds.length + returnFolds.length;
  const train = async (from: number, to: number, step: string): Promise<TreeModel> => {
    const data = { x: slice(x, from, to), y: y.subarray(from, to), featureNames: features };
    const progress = (done: number, of: number) => hooks.onProgress?.(foldsDone() + done / of, total, step);
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
    const trainTo = testFrom - horizon;
    const model = await train(0, trainTo, `fold ${k} of ${folds}`);
    const out = predict(model, slice(x, testFrom, testTo));
    const truth = y.subarray(testFrom, testTo);
    const testRows = rowsUsed.slice(testFrom, testTo);
    const fold = { fold: k, trainRows: trainTo, testRows: testTo - testFrom, from: request.bars[testRows[0]!]!.time, to: request.bars[testRows.at(-1)!]!.time };
    let metrics: ClassificationMetrics | RegressionMetrics;
    let result: FoldResult;
    if (classes > 0) {
      // The fold's training has reported its end (k of the total); the backtest says what it does at the same mark.
      hooks.onProgress?.(foldsDone() + 1, total, `fold ${k} of ${folds}: backtest`);
      const backtest = await foldStrategyBacktest({
        model: foldModel(k, modelToJsonText(model), features, request.target, request.algorithm),
        bars: request.bars,
        firstTestBar: testRows[0]!,
        lastTestBar: testRows.at(-1)!,
        cancelled: () => hooks.isCancelled?.() ?? false,
      });
      const figures = classificationMetrics(out, Array.from(truth), classes);
      result = { ...fold, metrics: figures, backtest };
      classFolds.push(result);
      metrics = figures;
      say(`fold ${k}: trained on ${trainTo} rows, tested on ${testTo - testFrom}: ${describe(metrics)}; ${describeBacktest(backtest)}`);
    } else {
      const figures = regressionMetrics(out, truth);
      result = { ...fold, metrics: figures, backtest: null };
      returnFolds.push(result);
      metrics = figures;
      say(`fold ${k}: trained on ${trainTo} rows, tested on ${testTo - testFrom}: ${describe(metrics)}`);
    }
    hooks.onFold?.(result, model);
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
    metrics: classes > 0 ? classificationSummary(classFolds, rowsUsed.length) : regressionSummary(returnFolds, rowsUsed.length),
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

function describeBacktest(b: FoldStrategyBacktest | null): string {
  if (!b) return `no ML-scored backtest: the block ends before the strategy's warm-up of ${SCORING_WARMUP_BARS} bars`;
  const sharpe = b.sharpeRatio === null ? '—' : b.sharpeRatio.toFixed(2);
  return `ML-scored backtest ${b.trades} trades, net ${b.netPnl.toFixed(2)} after ${b.fees.toFixed(2)} fees, ${b.returnPct.toFixed(2)}% (hold ${b.buyHoldReturnPct.toFixed(2)}%), max drawdown ${b.maxDrawdownPct.toFixed(2)}%, Sharpe ${sharpe}`;
}

function mean<F>(folds: readonly F[], pick: (f: F) => number | null): number | null {
  const values = folds.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function classificationSummary(folds: ClassificationFold[], rows: number): TrainingMetrics {
  return {
    kind: 'classification',
    format: TREE_MODEL_FORMAT,
    rows,
    accuracy: mean(folds, (f) => f.metrics.accuracy),
    logLoss: mean(folds, (f) => f.metrics.logLoss),
    auc: mean(folds, (f) => f.metrics.auc),
    folds,
  };
}

function regressionSummary(folds: RegressionFold[], rows: number): TrainingMetrics {
  return {
    kind: 'regression',
    format: TREE_MODEL_FORMAT,
    rows,
    rmse: mean(folds, (f) => f.metrics.rmse),
    mae: mean(folds, (f) => f.metrics.mae),
    r2: mean(folds, (f) => f.metrics.r2),
    directionHitRate: mean(folds, (f) => f.metrics.directionHitRate),
    folds,
  };
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
