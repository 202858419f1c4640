/**
 * Models through the contract: a model trained on the paper venue's history
 * in the ML worker (progress published, the main thread free), registered as
 * a candidate with its walk-forward metrics, importance and log; activated,
 * protected from deletion while active; and a long training cancelled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import type { JobView } from '../../src/shared/contract';
import type { ModelRecord } from '../../src/shared/models';

let keel: Keel;
let dataDir: string;
const progress: JobView[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-models-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 5, checkResults: true });
  keel.engine.bus.subscribe((topic, payload) => {
    if (topic === 'jobs.progress') progress.push(payload as JobView);
  });
});

afterAll(async () => {
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function finished(jobId: string): Promise<JobView> {
  for (let i = 0; i < 1_200; i++) {
    const job = (await call<{ jobs: JobView[] }>('jobs.list')).jobs.find((j) => j.id === jobId)!;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const data = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m' } as const;

describe('models', () => {
  it('trains on the venue history in a worker, with progress, and registers a candidate with its metrics', async () => {
    const { jobId } = await call<{ jobId: string }>('models.train', { name: 'btc-direction', algorithm: 'gbdt', data, target: { kind: 'direction', horizon: 5, threshold: 0.0005 }, params: { rounds: 15, maxDepth: 3 } });
    const job = await finished(jobId);
    expect(job, job.error ?? '').toMatchObject({ status: 'done', name: 'btc-direction' });
    expect(progress.filter((p) => p.id === jobId).length).toBeGreaterThan(2);
    const model = await call<ModelRecord>('models.get', { id: job.modelId! });
    expect(model).toMatchObject({ name: 'btc-direction', version: 1, algorithm: 'gbdt', status: 'candidate', target: { kind: 'direction', horizon: 5 } });
    expect(model.metrics.accuracy).toEqual(expect.any(Number));
    expect((model.metrics.folds as unknown[]).length).toBeGreaterThan(0);
    expect(model.featureImportance.length).toBe(model.features.length);
    expect(model.trainingLog.join('\n')).toMatch(/fold 1/);
    expect(model.sizeBytes).toBeGreaterThan(0);

    const active = await call<ModelRecord>('models.activate', { id: model.id });
    expect(active.status).toBe('active');
    await expect(call('models.delete', { id: model.id })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await call<{ models: ModelRecord[] }>('models.list')).models.map((m) => m.id)).toEqual([model.id]);
  }, 120_000);

  it('cancels a long training, registering nothing, and refuses bad input with a typed error', async () => {
    const before = (await call<{ models: ModelRecord[] }>('models.list')).models.length;
    const { jobId } = await call<{ jobId: string }>('models.train', { name: 'slow', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, params: { rounds: 100_000, maxDepth: 8 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await call('jobs.cancel', { id: jobId });
    expect(await finished(jobId)).toMatchObject({ status: 'cancelled', modelId: null });
    expect((await call<{ models: ModelRecord[] }>('models.list')).models).toHaveLength(before);
    await expect(call('jobs.cancel', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { jobId: bad } = await call<{ jobId: string }>('models.train', { name: 'bad', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, features: ['tea_leaves'] });
    expect(await finished(bad)).toMatchObject({ status: 'failed', error: expect.stringMatching(/tea_leaves/) });
  }, 120_000);
});
