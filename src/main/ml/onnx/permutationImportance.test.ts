import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../tests/support/rng';
import { logisticModel } from '../../../../tests/support/onnx/models';
import { importOnnxModel, type OnnxModel } from './onnxModel';
import { permutationImportance, scoreProbabilities, type ProbabilityModel } from './permutationImportance';

/** 400 rows: the label follows `signal` (with 5% flipped), `noise` is unrelated to it. */
function dataset(seed: number): { rows: Float32Array; labels: Int32Array; count: number } {
  const rng = new Rng(seed);
  const count = 400;
  const rows = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const signal = rng.next() * 2 - 1;
    const noise = rng.next() * 2 - 1;
    rows[i * 2] = signal;
    rows[i * 2 + 1] = noise;
    labels[i] = (signal > 0) !== rng.chance(0.05) ? 1 : 0;
  }
  return { rows, labels, count };
}

describe('permutation importance of an imported ONNX model', () => {
  let model: OnnxModel;
  const data = dataset(42);

  beforeAll(async () => {
    // A fitted-looking logistic model: leans hard on `signal`, a little on `noise`.
    model = await importOnnxModel({ bytes: logisticModel({ weights: [[-3, 3], [0.2, -0.2]], bias: [0, 0] }), features: ['signal', 'noise'] });
  });
  afterAll(() => model.close());

  for (const metric of ['logLoss', 'accuracy'] as const) {
    it(`ranks the informative feature above the noise one (${metric})`, async () => {
      const result = await permutationImportance({ model, ...data, featureCount: 2, metric, seed: 1, repeats: 4 });
      const [signal, noise] = result.features;
      expect(signal!.importance).toBeGreaterThan(noise!.importance + 5 * (signal!.std + noise!.std));
      expect(signal!.importance).toBeGreaterThan(metric === 'logLoss' ? 0.2 : 0.3);
      expect(Math.abs(noise!.importance)).toBeLessThan(0.05);
      expect(signal!.drops).toHaveLength(4);
      if (metric === 'accuracy') expect(result.baseline).toBeGreaterThan(0.9);
    });
  }

  it('repeats exactly for the same seed, and differs for another', async () => {
    const run = (seed: number) => permutationImportance({ model, ...data, featureCount: 2, metric: 'logLoss', seed, repeats: 3 });
    const [a, b, c] = await Promise.all([run(9), run(9), run(10)]);
    expect(b).toEqual(a);
    expect(c.features[0]!.drops).not.toEqual(a.features[0]!.drops);
  });

  it('reports progress per feature and stops when aborted', async () => {
    const progress: [number, number][] = [];
    await permutationImportance({ model, ...data, featureCount: 2, metric: 'accuracy', seed: 3, repeats: 1, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const controller = new AbortController();
    controller.abort();
    await expect(permutationImportance({ model, ...data, featureCount: 2, metric: 'accuracy', seed: 3, signal: controller.signal })).rejects.toThrow();
  });
});

describe('permutation importance inputs', () => {
  const constant: ProbabilityModel = { width: 2, predict: (_rows, count) => Promise.resolve(new Float32Array(count * 2).fill(0.5)) };

  it('scores log loss and accuracy by hand', () => {
    const probabilities = Float32Array.from([0.8, 0.2, 0.3, 0.7, 0.6, 0.4]);
    const labels = [0, 1, 1];
    expect(scoreProbabilities('logLoss', probabilities, 2, labels, 3)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3, 6);
    expect(scoreProbabilities('accuracy', probabilities, 2, labels, 3)).toBeCloseTo(2 / 3, 10);
  });

  it('gives a model that ignores its inputs zero importance everywhere', async () => {
    const result = await permutationImportance({ model: constant, rows: Float32Array.from([1, 2, 3, 4]), count: 2, featureCount: 2, labels: [0, 1], metric: 'logLoss', seed: 1 });
    expect(result.baseline).toBeCloseTo(Math.log(2), 6);
    expect(result.features.map((f) => f.importance)).toEqual([0, 0]);
  });

  it('refuses labels outside the classes and mismatched sizes', async () => {
    const base = { model: constant, rows: Float32Array.from([1, 2, 3, 4]), count: 2, featureCount: 2, metric: 'accuracy' as const, seed: 1 };
    await expect(permutationImportance({ ...base, labels: [0, 2] })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: 'label of row 1 is 2; classes are 0..1' });
    await expect(permutationImportance({ ...base, labels: [0] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(permutationImportance({ ...base, featureCount: 3, labels: [0, 1] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(permutationImportance({ ...base, labels: [0, 1], repeats: 0 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
