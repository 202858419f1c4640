import { describe, expect, it } from 'vitest';
import { trainingMetricsSchema } from '../../../shared/contract/trainingMetrics';
import { FEATURES_WARMUP } from '../features/featureSet';
import { syntheticBars } from '../features/syntheticBars';
import { modelFromJsonText, TREE_MODEL_FORMAT } from '../trees';
import { dataHash, minimumTrainingBars, minimumTrainingRows, trainModel } from './trainModel';

/** Bars whose next moves follow their recent return (momentum), so a model has something to find. */
function trendingBars(count: number) {
  return syntheticBars({ count, seed: 11, interval: 60_000, sigma: (i) => 0.002 + 0.001 * Math.sin(i / 40), drift: 0.0002 });
}

describe('trainModel', () => {
  it('trains a direction model with walk-forward folds, purged, and keeps a model trained on every row', async () => {
    const bars = trendingBars(1_400);
    const progress: Array<[number, number, string]> = [];
    const outcome = await trainModel(
      { algorithm: 'gbdt', bars, target: { kind: 'direction', horizon: 5, threshold: 0.001 }, params: { rounds: 20, maxDepth: 3 }, folds: 3 },
      { onProgress: (done, total, message) => progress.push([done, total, message]) },
    );
    const metrics = outcome.metrics;
    if (metrics.kind !== 'classification') throw new Error(`expected classification metrics, got ${metrics.kind}`);
    expect(metrics).toMatchObject({ format: TREE_MODEL_FORMAT, rows: 1_400 - (FEATURES_WARMUP - 1) - 5 });
    expect(metrics.folds).toHaveLength(3);
    for (const [i, fold] of metrics.folds.entries()) {
      // Each fold trains on every row before its test block, less the horizon's purge.
      expect(fold.trainRows).toBe(fold.fold * Math.floor(metrics.rows / 4) - 5);
      if (i > 0) expect(fold.from).toBeGreaterThan(metrics.folds[i - 1]!.to);
      expect(fold.metrics.rows).toBe(fold.testRows);
      // The ML-scored strategy decided on every bar of the block (the data before it covers its warm-up).
      expect(fold.backtest).toMatchObject({ strategy: 'ml-scored', threshold: 0.75, bars: fold.testRows, from: fold.from, to: fold.to });
      expect(fold.backtest!.exposurePct).toBeGreaterThanOrEqual(0);
      expect(fold.backtest!.exposurePct).toBeLessThanOrEqual(100);
    }
    expect(metrics.accuracy).toBeCloseTo(metrics.folds.reduce((s, f) => s + f.metrics.accuracy, 0) / 3, 12);
    // Exactly the contract's shape: parsing (which drops unknown keys) gives the same object back.
    expect(trainingMetricsSchema.parse(metrics)).toEqual(metrics);
    expect(outcome.features).toHaveLength(20);
    expect(outcome.featureImportance.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 6);
    const model = modelFromJsonText(outcome.modelJson);
    expect(model).toMatchObject({ kind: 'gbdt', numClasses: 3, numFeatures: 20 });
    expect(outcome.dataHash).toBe(dataHash(bars));
    expect(outcome.trainingWindow).toEqual({ from: bars[0]!.time, to: bars.at(-1)!.time });
    expect(progress.at(-1)).toEqual([4, 4, 'done']);
    expect(progress.some(([, , m]) => m === 'final model')).toBe(true);
    // Each fold's backtest is a step of its own, and the bar never moves back.
    expect(progress.some(([done, , m]) => m === 'fold 2 of 3: backtest' && done === 2)).toBe(true);
    expect(progress.map(([done]) => done)).toEqual(progress.map(([done]) => done).sort((a, b) => a - b));
    expect(outcome.log.join('\n')).toMatch(/fold 1: trained on/);
    // The training reference: deciles of every feature over the rows trained on.
    expect(outcome.reference.rows).toBe(outcome.metrics.rows);
    expect(outcome.reference.features.map((f) => f.feature)).toEqual(outcome.features);
    const ret1 = outcome.reference.features.find((f) => f.feature === 'ret_1')!;
    expect(ret1.edges).toHaveLength(9);
    for (const share of ret1.shares) expect(share).toBeCloseTo(0.1, 2);
    expect(ret1.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('trains a return model as a regression forest on the features asked for', async () => {
    const outcome = await trainModel({ algorithm: 'random-forest', bars: trendingBars(900), target: { kind: 'return', horizon: 3 }, features: ['ret_1', 'rsi_14', 'atr_14_norm'], params: { trees: 10, maxDepth: 4 }, folds: 2 });
    expect(outcome.features).toEqual(['ret_1', 'rsi_14', 'atr_14_norm']);
    expect(modelFromJsonText(outcome.modelJson)).toMatchObject({ kind: 'forest', task: 'regression', numFeatures: 3 });
    const metrics = outcome.metrics;
    if (metrics.kind !== 'regression') throw new Error(`expected regression metrics, got ${metrics.kind}`);
    expect(metrics.folds).toHaveLength(2);
    expect(metrics.rmse).toBeCloseTo((metrics.folds[0]!.metrics.rmse + metrics.folds[1]!.metrics.rmse) / 2, 12);
    expect(trainingMetricsSchema.parse(metrics)).toEqual(metrics);
    // The ML-scored strategy trades direction models only.
    expect(metrics.folds.map((f) => f.backtest)).toEqual([null, null]);
  });

  it('backtests each direction fold with the ML-scored strategy: a model sure of a climb holds one long, net of fees', async () => {
    // A steady climb: every target is long, so the model calls long, confidently, on every bar.
    const bars = syntheticBars({ count: 700, seed: 3, interval: 60_000, sigma: 0.0001, drift: 0.001 });
    const outcome = await trainModel({ algorithm: 'gbdt', bars, target: { kind: 'direction', horizon: 2, threshold: 0.0001 }, params: { rounds: 30, maxDepth: 2 }, folds: 2 });
    if (outcome.metrics.kind !== 'classification') throw new Error('expected classification metrics');
    for (const fold of outcome.metrics.folds) {
      const b = fold.backtest!;
      // Long from the first bar decided to the end of the block: one round trip, closed after it.
      expect(b).toMatchObject({ bars: fold.testRows, trades: 1, winRatePct: 100 });
      expect(b.acted).toBe(1);
      expect(b.fees).toBeGreaterThan(0);
      expect(b.netPnl).toBeGreaterThan(0);
      // A tenth of equity in the position (the default sizing): a fraction of holding's gain.
      expect(b.returnPct).toBeGreaterThan(0);
      expect(b.returnPct).toBeLessThan(b.buyHoldReturnPct);
      expect(b.returnPct).toBeCloseTo((b.netPnl / 10_000) * 100, 9);
    }
    expect(outcome.log.join('\n')).toMatch(/fold 1: .*ML-scored backtest 1 trades, net/);
  });

  it('needs enough rows for every fold to train on at least 50 after the purge', () => {
    expect(minimumTrainingRows(5)).toBe(275);
    expect(minimumTrainingRows(1, 2)).toBe(200);
    expect(minimumTrainingBars(5)).toBe(275 + FEATURES_WARMUP - 1 + 5);
  });

  it('refuses unknown features and too little data with a typed error, and stops when cancelled', async () => {
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(900), target: { kind: 'return', horizon: 3 }, features: ['tea_leaves'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/tea_leaves/) });
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(150), target: { kind: 'return', horizon: 3 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/Too little data/) });
    // One bar short of what four folds over 3 bars need.
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(minimumTrainingBars(3) - 1), target: { kind: 'return', horizon: 3 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { needed: minimumTrainingRows(3) } });
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(900), target: { kind: 'return', horizon: 3 }, params: { rounds: 500 } }, { isCancelled: () => true })).rejects.toMatchObject({ name: 'TrainingCancelled' });
  });
});
