import { describe, expect, it } from 'vitest';
import { syntheticBars } from '../features/syntheticBars';
import { modelFromJsonText } from '../trees';
import { dataHash, trainModel } from './trainModel';

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
    expect(outcome.folds).toHaveLength(3);
    for (const [i, fold] of outcome.folds.entries()) {
      // Each fold trains only on rows before its test block, less the horizon's purge.
      expect(fold.trainRows).toBeLessThanOrEqual(fold.fold * Math.floor(outcome.rows / 4) - 5);
      if (i > 0) expect(fold.from).toBeGreaterThan(outcome.folds[i - 1]!.to);
      expect('accuracy' in fold.metrics).toBe(true);
    }
    expect(outcome.summary.accuracy).toBeGreaterThan(0);
    expect(outcome.summary.accuracy).toBeLessThanOrEqual(1);
    expect(outcome.features).toHaveLength(20);
    expect(outcome.featureImportance.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 6);
    const model = modelFromJsonText(outcome.modelJson);
    expect(model).toMatchObject({ kind: 'gbdt', numClasses: 3, numFeatures: 20 });
    expect(outcome.dataHash).toBe(dataHash(bars));
    expect(outcome.trainingWindow).toEqual({ from: bars[0]!.time, to: bars.at(-1)!.time });
    expect(progress.at(-1)).toEqual([4, 4, 'done']);
    expect(progress.some(([, , m]) => m === 'final model')).toBe(true);
    expect(outcome.log.join('\n')).toMatch(/fold 1: trained on/);
    // The training reference: deciles of every feature over the rows trained on.
    expect(outcome.reference.rows).toBe(outcome.rows);
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
    expect(outcome.summary).toHaveProperty('rmse');
    expect(outcome.folds.every((f) => 'rmse' in f.metrics)).toBe(true);
  });

  it('refuses unknown features and too little data with a typed error, and stops when cancelled', async () => {
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(900), target: { kind: 'return', horizon: 3 }, features: ['tea_leaves'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/tea_leaves/) });
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(150), target: { kind: 'return', horizon: 3 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/Too little data/) });
    await expect(trainModel({ algorithm: 'gbdt', bars: trendingBars(900), target: { kind: 'return', horizon: 3 }, params: { rounds: 500 } }, { isCancelled: () => true })).rejects.toMatchObject({ name: 'TrainingCancelled' });
  });
});
