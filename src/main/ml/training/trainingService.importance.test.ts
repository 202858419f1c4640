/**
 * Permutation importance of imported ONNX models through the training
 * service and the real ML worker: on bars (Keel's features, the version's
 * target as labels) and on the golden rows kept with the import; a
 * dominant feature stands out, a feature the model ignores measures zero,
 * the same seed gives the same figures, and the version keeps them.
 * Refusals start no job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { logisticModel } from '../../../../tests/support/onnx/models';
import { Rng } from '../../../../tests/support/rng';
import { permutationImportanceSchema, type JobView } from '../../../shared/contract/ml';
import type { Bar } from '../../../shared/domain';
import { silentLogger } from '../../engine/ports/logger';
import { locateWorker } from '../../workers/locate';
import { WorkerPool } from '../../workers/pool';
import { MemoryModelStore } from '../registry/memoryModelStore';
import { ModelRegistry } from '../registry/modelRegistry';
import type { MlWorkerMethods } from '../worker/mlWorker';
import { MemoryTrainingJobStore } from './memoryTrainingJobStore';
import { GOLDEN_ROWS_KEY, TrainingService } from './trainingService';

const T0 = Date.UTC(2024, 0, 1);
const FEATURES = ['ret_1', 'volume_z_20', 'rsi_14'];

/** A zigzag: each bar's close undoes the last move, so the sign of `ret_1` calls the next bar's direction. */
function zigzag(count: number): Bar[] {
  const rng = new Rng(5);
  return Array.from({ length: count }, (_, i) => {
    const close = i % 2 === 0 ? 100 : 101;
    const open = i % 2 === 0 ? 101 : 100;
    return { time: T0 + i * 60_000, open, high: Math.max(open, close) + 0.1, low: Math.min(open, close) - 0.1, close, volume: 1_000 + 500 * rng.next() };
  });
}

/** Classes long, short, neutral: long after a fall (ret_1 < 0), short after a rise; `volume_z_20` and `rsi_14` weigh nothing. */
const WEIGHTS = [
  [-1_000, 1_000, 0],
  [0, 0, 0],
  [0, 0, 0],
];
const BIAS = [0, 0, -5];
const ONNX = logisticModel({ weights: WEIGHTS, bias: BIAS });

/** The model's own answer, as a golden row expects it. */
function softmax(input: readonly number[]): number[] {
  const logits = BIAS.map((b, c) => b + input.reduce((sum, x, f) => sum + x * WEIGHTS[f]![c]!, 0));
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

const services: TrainingService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

function harness() {
  let ids = 0;
  const registry = new ModelRegistry(new MemoryModelStore(), () => T0, () => `m-${++ids}`);
  const published: JobView[] = [];
  let jobs = 0;
  const service = new TrainingService({
    registry,
    pool: () => WorkerPool.start<MlWorkerMethods>(locateWorker('mlWorker'), { name: 'ml-importance-test', size: 1 }),
    loadBars: async () => ({ symbol: 'ZZ/USD', bars: zigzag(400) }),
    jobs: new MemoryTrainingJobStore(),
    publish: (_topic, job) => published.push(job),
    now: () => T0 + 1_000,
    newId: () => `job-${++jobs}`,
    log: silentLogger,
  });
  services.push(service);
  return { service, registry, published };
}

async function measured(h: ReturnType<typeof harness>, params: Parameters<TrainingService['importance']>[0]) {
  const { jobId } = await h.service.importance(params);
  await h.service.settled(jobId);
  const job = h.service.list().find((j) => j.id === jobId)!;
  expect(job, job.error ?? '').toMatchObject({ kind: 'importance', status: 'done', modelId: params.id });
  return permutationImportanceSchema.parse(h.registry.get(params.id).metrics.importance);
}

describe('permutation importance of an imported model', () => {
  it('on bars: the feature the model reads dominates, the ones it ignores measure zero, and the version keeps it', async () => {
    const h = harness();
    const model = await h.service.importOnnx({ name: 'zz', onnxBase64: Buffer.from(ONNX).toString('base64'), features: FEATURES });
    const importance = await measured(h, { id: model.id, data: { dataset: 'd1' }, repeats: 3, seed: 7 });
    expect(importance).toMatchObject({ kind: 'permutation', metric: 'logLoss', repeats: 3, seed: 7, source: 'bars', data: { dataset: 'd1' }, computedAt: T0 + 1_000 });
    // Every bar past the features' warm-up with a next bar: 400 − 70 − 1.
    expect(importance.rows).toBe(329);
    // The model calls every zigzag right, confidently.
    expect(importance.baseline).toBeLessThan(1e-3);
    const [ret1, volume, rsi] = importance.features;
    expect(ret1).toMatchObject({ feature: 'ret_1' });
    // Shuffled, about half the calls turn wrong at a confidence near 1: a log loss of several nats.
    expect(ret1!.importance).toBeGreaterThan(3);
    expect(volume).toEqual({ feature: 'volume_z_20', importance: 0, std: 0 });
    expect(rsi).toEqual({ feature: 'rsi_14', importance: 0, std: 0 });
    const stored = h.registry.get(model.id);
    expect(stored.featureImportance.map((f) => f.feature)[0]).toBe('ret_1');
    expect(stored.featureImportance[0]!.importance).toBe(ret1!.importance);
    // Progress was reported feature by feature.
    expect(h.published.some((j) => j.kind === 'importance' && j.message === 'feature 1 of 3')).toBe(true);

    // The same seed on the same rows: the same figures; another seed, other shuffles.
    expect((await measured(h, { id: model.id, data: { dataset: 'd1' }, repeats: 3, seed: 7 })).features).toEqual(importance.features);
    expect((await measured(h, { id: model.id, data: { dataset: 'd1' }, repeats: 3, seed: 8 })).features[0]!.importance).not.toBe(ret1!.importance);
  }, 60_000);

  it('on the golden rows kept with the import when no bars are chosen, labelled by the class each expects', async () => {
    const h = harness();
    const rng = new Rng(9);
    const goldenRows = Array.from({ length: 40 }, () => {
      const input = [(rng.next() - 0.5) * 0.02, rng.next() * 4 - 2, rng.next() * 100];
      return { input, expected: softmax(input) };
    });
    const model = await h.service.importOnnx({ name: 'zz', onnxBase64: Buffer.from(ONNX).toString('base64'), features: FEATURES, goldenRows });
    expect(model.trainingParams[GOLDEN_ROWS_KEY]).toEqual(goldenRows);
    const importance = await measured(h, { id: model.id, metric: 'accuracy' });
    expect(importance).toMatchObject({ source: 'golden-rows', data: null, from: null, to: null, rows: 40, metric: 'accuracy', baseline: 1, repeats: 5, seed: 1 });
    expect(importance.features[0]!.importance).toBeGreaterThan(0.2);
    expect(importance.features.slice(1).map((f) => f.importance)).toEqual([0, 0]);
  }, 60_000);

  it('is refused at once, starting no job, for what it cannot measure', async () => {
    const h = harness();
    const plain = await h.service.importOnnx({ name: 'plain', onnxBase64: Buffer.from(ONNX).toString('base64'), features: FEATURES });
    await expect(h.service.importance({ id: plain.id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/kept 0 golden rows from its import; choose bars/) });
    const foreign = await h.service.importOnnx({ name: 'foreign', onnxBase64: Buffer.from(ONNX).toString('base64'), features: ['a', 'b', 'c'] });
    await expect(h.service.importance({ id: foreign.id, data: { dataset: 'd1' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/not all Keel's \(a, b, c\)/) });
    await expect(h.service.importance({ id: plain.id, data: { dataset: 'd1' }, from: T0, to: T0 + 10 * 60_000 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/Too few bars to measure on: 10 in the range/) });
    await expect(h.service.importance({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const trained = h.registry.register(
      { name: 'trees', algorithm: 'gbdt', features: FEATURES, featuresHash: 'x', target: { kind: 'direction', horizon: 1, threshold: 0 }, trainingWindow: null, dataHash: null, metrics: {}, featureImportance: [], trainingLog: [], errors: [], parentId: null, maxAgeMs: null },
      new Uint8Array([1]),
    );
    await expect(h.service.importance({ id: trained.id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/trees' gain/) });
    expect(h.service.list()).toEqual([]);
  }, 60_000);
});
