import { describe, expect, it } from 'vitest';
import type { JobView, TrainModelParams } from '../../../shared/contract/ml';
import type { TrainOptions } from '../training/trainingService';
import { HOUR, registerTestModel, T0, testRegistry } from './fixtures/models';
import { ModelRetrainer, retrainPlan, type TrainingPort } from './retrain';

const venueData = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h', from: T0 - 2_000 * HOUR, to: T0 } as const;
const treeParams = { objective: 'multiclass', numClasses: 3, rounds: 40, learningRate: 0.05, maxDepth: 4, maxLeaves: 31, minSamplesLeaf: 20, minChildWeight: 0.001, lambda: 1, minGain: 0, subsample: 1, featureFraction: 1, maxBins: 255, seed: 0 };

function fakeTraining(running: string[] = []): TrainingPort & { calls: Array<[TrainModelParams, TrainOptions]> } {
  const calls: Array<[TrainModelParams, TrainOptions]> = [];
  const job = (name: string, status: JobView['status']): JobView => ({ id: `j-${name}`, kind: 'train', name, status, done: 0, total: 1, message: '', startedAt: T0, finishedAt: null, modelId: null, error: null });
  return {
    calls,
    train: async (params, options) => {
      calls.push([params, options]);
      await Promise.resolve();
      return { jobId: `job${calls.length}` };
    },
    list: () => [...running.map((n) => job(n, 'running')), job('finished-one', 'done')],
    reportFailed: (name, error) => ({ ...job(name, 'failed'), error }),
  };
}

describe('retraining a version', () => {
  it('keeps its recipe: algorithm, features, target, tree parameters and maximum age, on the latest window of the same length', () => {
    const registry = testRegistry();
    const v1 = registerTestModel(registry, { features: ['ret_1', 'rsi_14'], target: { kind: 'direction', horizon: 6, threshold: 0.002 }, trainingParams: { ...treeParams, folds: 4, features: 2, data: venueData } });
    const plan = retrainPlan(v1);
    expect(plan.params).toEqual({
      name: 'btc-direction',
      algorithm: 'gbdt',
      // The venue's history up to now: the window is cut from its end.
      data: { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' },
      features: ['ret_1', 'rsi_14'],
      target: { kind: 'direction', horizon: 6, threshold: 0.002 },
      params: { rounds: 40, learningRate: 0.05, maxDepth: 4, maxLeaves: 31, minSamplesLeaf: 20, minChildWeight: 0.001, lambda: 1, minGain: 0, subsample: 1, featureFraction: 1, maxBins: 255, seed: 0 },
    });
    expect(plan.options).toEqual({ parentId: v1.id, lastMs: v1.trainingWindow!.to - v1.trainingWindow!.from });
    const forest = registerTestModel(registry, { name: 'forest', algorithm: 'random-forest', trainingParams: { task: 'classification', numClasses: 3, trees: 25, bootstrap: false, maxFeatures: 'sqrt', data: { dataset: 'ds-1' } } });
    expect(retrainPlan(forest).params).toMatchObject({ algorithm: 'random-forest', data: { dataset: 'ds-1' }, params: { trees: 25, bootstrap: false, maxFeatures: 'sqrt' } });
  });

  it('refuses an imported model, and a version that does not record its data, with a typed error', () => {
    const registry = testRegistry();
    const onnx = registerTestModel(registry, { name: 'onnx', algorithm: 'onnx' });
    expect(() => retrainPlan(onnx)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/imported ONNX model/) }));
    const old = registerTestModel(registry, { name: 'old', trainingParams: treeParams });
    expect(() => retrainPlan(old)).toThrow(expect.objectContaining({ code: 'INVALID_STATE', message: expect.stringMatching(/does not record the data/) }));
  });

  it('starts a job, and never a second one while a training of the name runs or is still loading its data', async () => {
    const registry = testRegistry();
    const v1 = registerTestModel(registry, { trainingParams: { ...treeParams, data: venueData } });
    const idle = fakeTraining();
    const retrainer = new ModelRetrainer(registry, idle);
    const first = retrainer.retrain(v1.id);
    // The first is loading its data (no job listed yet): a second click is refused, not a second job.
    await expect(retrainer.retrain(v1.id)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/already running/) });
    await expect(first).resolves.toEqual({ jobId: 'job1' });
    expect(idle.calls).toHaveLength(1);
    expect(idle.calls[0]![1].parentId).toBe(v1.id);
    const busy = fakeTraining(['btc-direction']);
    await expect(new ModelRetrainer(registry, busy).retrain(v1.id)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/already running/) });
    expect(busy.calls).toEqual([]);
    await expect(retrainer.retrain('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
