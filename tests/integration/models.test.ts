/**
 * Models through the contract: a model trained on the paper venue's history
 * in the ML worker (progress published, the main thread free), registered as
 * a candidate with its walk-forward metrics in the contract's shape,
 * importance and log; batch predictions from bars and from features files
 * (the same answer both ways; faults named by row and column); activated,
 * protected from deletion while active; a long training cancelled; a range
 * too short refused; and the jobs kept across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { trainingMetricsSchema, type JobView } from '../../src/shared/contract';
import type { Candle } from '../../src/shared/domain';
import type { ModelRecord } from '../../src/shared/models';
import type { PredictBatchResult } from '../../src/shared/contract';
import { computeFeatureMatrix } from '../../src/main/ml/features/featureMatrix';
import { STOPPED_WHILE_RUNNING } from '../../src/main/ml/training/trainingService';
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

async function call<T>(method: string, params: unknown = {}, on: Keel = keel): Promise<T> {
  const outcome = await on.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function finished(jobId: string, on: Keel = keel): Promise<JobView> {
  for (let i = 0; i < 1_200; i++) {
    const job = (await call<{ jobs: JobView[] }>('jobs.list', {}, on)).jobs.find((j) => j.id === jobId)!;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const data = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m' } as const;

function barsCsv(candles: readonly Candle[]): string {
  return ['time,open,high,low,close,volume', ...candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
}

/** The feature pipeline's rows for the candles as a features file: the model's features in reverse order after a time column. */
function featuresCsv(candles: readonly Candle[], features: readonly string[]): string {
  const matrix = computeFeatureMatrix(candles.map((c) => ({ time: c.time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) })));
  const order = [...features].reverse();
  const lines = [['time', ...order].join(',')];
  for (let r = 0; r < matrix.rows; r++) {
    if (matrix.ready[r] !== 1) continue;
    lines.push([matrix.times[r], ...order.map((f) => matrix.values[r * matrix.cols + matrix.names.indexOf(f)])].join(','));
  }
  return lines.join('\n');
}

describe('models', () => {
  it('trains on the venue history in a worker, with progress, and registers a candidate with its metrics', async () => {
    const { jobId } = await call<{ jobId: string }>('models.train', { name: 'btc-direction', algorithm: 'gbdt', data, target: { kind: 'direction', horizon: 5, threshold: 0.0005 }, params: { rounds: 15, maxDepth: 3 } });
    const job = await finished(jobId);
    expect(job, job.error ?? '').toMatchObject({ status: 'done', name: 'btc-direction' });
    expect(progress.filter((p) => p.id === jobId).length).toBeGreaterThan(2);
    const model = await call<ModelRecord>('models.get', { id: job.modelId! });
    expect(model).toMatchObject({ name: 'btc-direction', version: 1, algorithm: 'gbdt', status: 'candidate', target: { kind: 'direction', horizon: 5 } });
    // The metrics are exactly the contract's shape.
    const metrics = trainingMetricsSchema.parse(model.metrics);
    expect(metrics).toEqual(model.metrics);
    if (metrics.kind !== 'classification') throw new Error(`expected classification metrics, got ${metrics.kind}`);
    expect(metrics.accuracy).toEqual(expect.any(Number));
    expect(metrics.folds).toHaveLength(4);
    // Each fold's ML-scored backtest ends with its block (one whose history is shorter than the strategy's warm-up starts later, or has none).
    expect(metrics.folds.every((f) => f.backtest === null || (f.backtest.strategy === 'ml-scored' && f.backtest.to === f.to && f.backtest.bars <= f.testRows))).toBe(true);
    expect(metrics.folds.at(-1)!.backtest).toMatchObject({ strategy: 'ml-scored', bars: metrics.folds.at(-1)!.testRows });
    expect(model.featureImportance.length).toBe(model.features.length);
    expect(model.trainingLog.join('\n')).toMatch(/fold 1/);
    expect(model.sizeBytes).toBeGreaterThan(0);
    // How it was trained is kept with it: the parameters asked for, the defaults filled in.
    expect(model.trainingParams).toMatchObject({ objective: 'multiclass', numClasses: 3, rounds: 15, maxDepth: 3, learningRate: 0.1 });
    expect(registryUpdates.at(-1)?.map((m) => m.id)).toContain(model.id);

    // Scoring a CSV of bars: one row per bar past the feature pipeline's warm-up, three probabilities each.
    const candles = await keel.engine.candles('paper', 'BTC/USDT:USDT', '1m', 300);
    const scored = await call<PredictBatchResult>('models.predictBatch', { id: model.id, csv: barsCsv(candles) });
    expect(scored.columns).toEqual(['time', 'p_long', 'p_short', 'p_neutral']);
    expect(scored.rows.length + scored.skipped).toBe(candles.length);
    expect(scored.skipped).toBeGreaterThan(0);
    for (const row of scored.rows) expect(row[1]! + row[2]! + row[3]!).toBeCloseTo(1, 5);
    expect(scored.csv.split('\n')).toHaveLength(scored.rows.length + 1);
    // The same rows as a features file, columns in another order: the same answer.
    const fromFeatures = await call<PredictBatchResult>('models.predictBatch', { id: model.id, csv: featuresCsv(candles, model.features) });
    expect(fromFeatures).toEqual({ ...scored, skipped: 0 });

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

    // Its features given as they are, in any order and without times: the model's own formula, row by row.
    const rows = [
      [50, 0.01],
      [70, -0.02],
      [10, 0.003],
    ];
    const byFeatures = await call<PredictBatchResult>('models.predictBatch', { id: imported.id, csv: ['rsi_14,ret_1', ...rows.map((r) => r.join(','))].join('\n') });
    expect(byFeatures.columns).toEqual(['row', 'p_0', 'p_1']);
    expect(byFeatures.rows.map((r) => r[0])).toEqual([2, 3, 4]);
    byFeatures.rows.forEach((row, i) => expect(row[2]).toBeCloseTo(p1(rows[i]![1]!, rows[i]![0]!), 5));
    // Faults are named by row and column.
    await expect(call('models.predictBatch', { id: imported.id, csv: 'rsi_14\n50' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { row: 1, column: null, columnName: 'ret_1', rule: 'missing-feature' } });
    await expect(call('models.predictBatch', { id: imported.id, csv: 'rsi_14,ret_1,volume\n50,0.01,3' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { row: 1, column: 3, columnName: 'volume', rule: 'unknown-column' } });
    await expect(call('models.predictBatch', { id: imported.id, csv: 'rsi_14,ret_1\n50,0.01\n50,1..2' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^Row 3, column 2 \(ret_1\)/), data: { row: 3, column: 2, rule: 'number' } });
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

  it('refuses a date range that is empty or too short for the folds, naming it, and starts no job', async () => {
    const jobsBefore = (await call<{ jobs: JobView[] }>('jobs.list')).jobs.length;
    const [last] = await keel.engine.candles('paper', 'BTC/USDT:USDT', '1m', 1);
    const to = last!.time;
    await expect(call('models.train', { name: 'r', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, from: to, to })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/training range is empty/) });
    await expect(call('models.train', { name: 'r', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, from: to - 100 * 60_000, to })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^The range .+ holds 100 bars; training 4 walk-forward folds over 3 bars needs at least/),
      data: { bars: 100 },
    });
    expect((await call<{ jobs: JobView[] }>('jobs.list')).jobs).toHaveLength(jobsBefore);
  });
});

describe('training jobs across a restart', () => {
  it('lists the last run\'s jobs; the one training when Keel stopped is failed, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-models-restart-'));
    try {
      const first = await createKeel({ dataDir: dir, mode: 'headless', seed: 5, checkResults: true });
      let long: string;
      let done: string;
      try {
        ({ jobId: done } = await call<{ jobId: string }>('models.train', { name: 'quick', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, params: { rounds: 3, maxDepth: 2 } }, first));
        expect((await finished(done, first)).status).toBe('done');
        ({ jobId: long } = await call<{ jobId: string }>('models.train', { name: 'long', algorithm: 'gbdt', data, target: { kind: 'return', horizon: 3 }, params: { rounds: 100_000, maxDepth: 8 } }, first));
        for (let i = 0; i < 400; i++) {
          const job = (await call<{ jobs: JobView[] }>('jobs.list', {}, first)).jobs.find((j) => j.id === long)!;
          if (job.done > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      } finally {
        await first.shutdown();
      }
      const second = await createKeel({ dataDir: dir, mode: 'headless', seed: 5, checkResults: true });
      try {
        const { jobs } = await call<{ jobs: JobView[] }>('jobs.list', {}, second);
        expect(jobs.map((j) => [j.id, j.name, j.status])).toEqual([
          [long, 'long', 'failed'],
          [done, 'quick', 'done'],
        ]);
        expect(jobs[0]).toMatchObject({ error: STOPPED_WHILE_RUNNING, modelId: null });
        expect(jobs[1]!.modelId).toEqual((await call<{ models: ModelRecord[] }>('models.list', {}, second)).models[0]!.id);
      } finally {
        await second.shutdown();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
