/**
 * What a retrain needs from the training service: a version keeps its data
 * source and training reference, can be trained after a chosen version on
 * the data's last window, and a retrain that cannot start is listed failed.
 */
import { describe, expect, it } from 'vitest';
import type { JobView, TrainModelParams } from '../../../shared/contract/ml';
import type { Bar } from '../../../shared/domain';
import type { Logger } from '../../engine/ports/logger';
import type { WorkerPool } from '../../workers/pool';
import { referenceOf } from '../drift/featureReference';
import { syntheticBars } from '../features/syntheticBars';
import { MemoryModelStore } from '../registry/memoryModelStore';
import { ModelRegistry } from '../registry/modelRegistry';
import { createMlHandlers, type MlWorkerMethods } from '../worker/mlWorker';
import { MemoryTrainingJobStore } from './memoryTrainingJobStore';
import { TrainingService } from './trainingService';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The ML worker's own handlers, run in this thread. */
function inThreadPool(): WorkerPool<MlWorkerMethods> {
  const handlers = createMlHandlers();
  return {
    request: (method: 'train', params: MlWorkerMethods['train']['params'], options: { signal?: AbortSignal; onProgress?: (p: unknown) => void } = {}) =>
      handlers.train(params, { id: 1, signal: options.signal ?? new AbortController().signal, progress: (p) => options.onProgress?.(p) }),
    stop: async () => undefined,
  } as unknown as WorkerPool<MlWorkerMethods>;
}

function setup(bars: readonly Bar[]) {
  let ids = 0;
  let now = 1_000;
  const registry = new ModelRegistry(new MemoryModelStore(), () => now, () => `m${++ids}`);
  const published: JobView[] = [];
  const loaded: unknown[] = [];
  const training = new TrainingService({
    registry,
    pool: async () => inThreadPool(),
    loadBars: async (data) => {
      loaded.push(data);
      return { symbol: 'X', bars };
    },
    publish: (_topic, job) => published.push(job),
    now: () => ++now,
    newId: () => `job${++ids}`,
    jobs: new MemoryTrainingJobStore(),
    log: quiet,
  });
  return { registry, training, published, loaded };
}

const bars = syntheticBars({ count: 900, seed: 5, interval: 3_600_000 });
const params: TrainModelParams = { name: 'btc', algorithm: 'gbdt', data: { dataset: 'ds-1' }, features: ['ret_1', 'rsi_14', 'volume_z_20'], target: { kind: 'direction', horizon: 3, threshold: 0.002 }, params: { rounds: 5, maxDepth: 2 } };

describe('the training service', () => {
  it('keeps with a version the data source it was trained on and its training reference', async () => {
    const { registry, training } = setup(bars);
    const { jobId } = await training.train(params);
    await training.settled(jobId);
    const job = training.list().find((j) => j.id === jobId)!;
    expect(job, job.error ?? '').toMatchObject({ status: 'done' });
    const v1 = registry.get(job.modelId!);
    expect(v1.trainingParams).toMatchObject({ data: { dataset: 'ds-1' }, rounds: 5, maxDepth: 2 });
    const reference = referenceOf(v1.trainingParams)!;
    expect(reference.features.map((f) => f.feature)).toEqual(['ret_1', 'rsi_14', 'volume_z_20']);
    expect(reference.rows).toBe(v1.metrics.rows);
    expect(v1.parentId).toBeNull();
  });

  it('trains after a chosen version, on the last window of the data only', async () => {
    const { registry, training, loaded } = setup(bars);
    const first = await training.train(params);
    await training.settled(first.jobId);
    const v1 = registry.get(training.list().find((j) => j.id === first.jobId)!.modelId!);
    const second = await training.train(params);
    await training.settled(second.jobId);
    const v2 = registry.get(training.list().find((j) => j.id === second.jobId)!.modelId!);
    expect(v2.parentId).toBe(v1.id);
    const lastMs = 500 * 3_600_000;
    const third = await training.train(params, { parentId: v1.id, lastMs });
    await training.settled(third.jobId);
    const v3 = registry.get(training.list().find((j) => j.id === third.jobId)!.modelId!);
    expect(v3).toMatchObject({ version: 3, parentId: v1.id, trainingWindow: { from: bars.at(-1)!.time - lastMs, to: bars.at(-1)!.time } });
    expect(loaded).toEqual([{ dataset: 'ds-1' }, { dataset: 'ds-1' }, { dataset: 'ds-1' }]);
  });

  it('lists a training that could not start as a failed job', () => {
    const { training, published } = setup(bars);
    const job = training.reportFailed('btc', 'nothing to retrain');
    expect(job).toMatchObject({ name: 'btc', status: 'failed', error: 'nothing to retrain', modelId: null });
    expect(training.list()).toEqual([job]);
    expect(published).toEqual([job]);
  });
});
