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
import type { PredictBatchResult } from '../../src/shared/contract';
import { logisticModel } from '../support/onnx/models';

let keel: Keel;
let dataDir: string;
const progress: JobView[] = [];
const registryUpdates: ModelRecord[][] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-models-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 5, checkResults: true });
  keel.engine.bus.subscribe((topic, payload) => {
    if (topic === 'jobs.progress') progress.push(payload as JobView);
    if (topic === 'models.updated') registryUpdates.push((payload as { models: ModelRecord[] }).models);
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
    // How it was trained is kept with it: the parameters asked for, the defaults filled in.
    expect(model.trainingParams).toMatchObject({ objective: 'multiclass', numClasses: 3, rounds: 15, maxDepth: 3, learningRate: 0.1 });
    expect(registryUpdates.at(-1)?.map((m) => m.id)).toContain(model.id);

    // Scoring a CSV of bars: one row per bar past the feature pipeline's warm-up, three probabilities each.
    const candles = await keel.engine.candles('paper', 'BTC/USDT:USDT', '1m', 300);
    const csv = ['time,open,high,low,close,volume', ...candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
    const scored = await call<PredictBatchResult>('models.predictBatch', { id: model.id, csv });
    expect(scored.columns).toEqual(['time', 'p_long', 'p_short', 'p_neutral']);
    expect(scored.rows.length + scored.skipped).toBe(candles.length);
    expect(scored.skipped).toBeGreaterThan(0);
    for (const row of scored.rows) expect(row[1]! + row[2]! + row[3]!).toBeCloseTo(1, 5);
    expect(scored.csv.split('\n')).toHaveLength(scored.rows.length + 1);

    const active = await call<ModelRecord>('models.activate', { id: model.id });
    expect(active.status).toBe('active');
    expect(registryUpdates.at(-1)?.find((m) => m.id === model.id)?.status).toBe('active');
    await expect(call('models.delete', { id: model.id })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await call<{ models: ModelRecord[] }>('models.list')).models.map((m) => m.id)).toEqual([model.id]);
    // Retired, no version of the name is used; activating it again brings it back.
    expect((await call<ModelRecord>('models.retire', { id: model.id })).status).toBe('retired');
    expect(registryUpdates.at(-1)?.find((m) => m.id === model.id)?.status).toBe('retired');
    expect((await call<ModelRecord>('models.activate', { id: model.id })).status).toBe('active');
  }, 120_000);

  it('imports an ONNX model checked against its features and golden rows, refuses one whose golden row differs, and scores bars with it', async () => {
    // p(long) = sigmoid(2·ret_1 − 0.01·rsi_14 + 0.5), as two classes [short-ish, long-ish] by a softmax over [0, z].
    const bytes = logisticModel({ weights: [[0, 2], [0, -0.01]], bias: [0, 0.5] });
    const z = (ret: number, rsi: number) => 2 * ret - 0.01 * rsi + 0.5;
    const p1 = (ret: number, rsi: number) => 1 / (1 + Math.exp(-z(ret, rsi)));
    const golden = [{ input: [0.01, 50], expected: [1 - p1(0.01, 50), p1(0.01, 50)] }];
    const imported = await call<ModelRecord>('models.import', { name: 'onnx-momentum', onnxBase64: Buffer.from(bytes).toString('base64'), features: ['ret_1', 'rsi_14'], goldenRows: golden });
    expect(imported).toMatchObject({ algorithm: 'onnx', status: 'candidate', features: ['ret_1', 'rsi_14'], version: 1 });
    const wrong = [{ input: [0.01, 50], expected: [0.5, 0.5] }];
    await expect(call('models.import', { name: 'onnx-momentum', onnxBase64: Buffer.from(bytes).toString('base64'), features: ['ret_1', 'rsi_14'], goldenRows: wrong })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/golden row/) });
    await expect(call('models.import', { name: 'x', onnxBase64: Buffer.from('not a model').toString('base64'), features: ['ret_1'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const candles = await keel.engine.candles('paper', 'BTC/USDT:USDT', '1m', 200);
    const csv = ['time,open,high,low,close,volume', ...candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
    const scored = await call<PredictBatchResult>('models.predictBatch', { id: imported.id, csv });
    expect(scored.columns).toEqual(['time', 'p_0', 'p_1']);
    expect(scored.rows.length).toBeGreaterThan(0);
    for (const row of scored.rows) expect(row[1]! + row[2]!).toBeCloseTo(1, 5);
  }, 60_000);

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
    // A bad tree parameter is refused at once, not as a failed job.
    const jobsBefore = (await call<{ jobs: JobView[] }>('jobs.list')).jobs.length;
    await expect(call('models.train', { name: 'bad', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, params: { maxDepth: 99 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/maxDepth/) });
    expect((await call<{ jobs: JobView[] }>('jobs.list')).jobs).toHaveLength(jobsBefore);
  }, 120_000);
});
