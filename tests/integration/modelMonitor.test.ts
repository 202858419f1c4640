/**
 * Model monitoring through the contract, on Keel as the composition root
 * builds it: a model trained in the ML worker on synthetic bars is fed, bar
 * by bar, the rows it scores on a continuation of those bars whose
 * volatility jumps halfway. `models.drift` reads ok while the bars are like
 * the training ones and drifting after the jump (the returns' PSI), with
 * `models.drift` events on the way; `models.retrain` trains a new candidate
 * version whose parent is the original; the schedule is set and cleared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { computeFeatureMatrix } from '../../src/main/ml/features/featureMatrix';
import { FEATURE_NAMES } from '../../src/main/ml/features/featureSet';
import { syntheticBars } from '../../src/main/ml/features/syntheticBars';
import type { Bar } from '../../src/shared/domain';
import type { JobView, ModelDrift, PredictBatchResult } from '../../src/shared/contract';
import type { ModelRecord } from '../../src/shared/models';

let keel: Keel;
let dataDir: string;
const driftEvents: ModelDrift[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-monitor-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 5, checkResults: true });
  keel.engine.bus.subscribe((topic, payload) => {
    if (topic === 'models.drift') driftEvents.push(payload as ModelDrift);
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

async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

function csvOf(bars: readonly Bar[]): string {
  return ['time,open,high,low,close,volume', ...bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume].join(','))].join('\n');
}

/** Hourly bars: the first 1,600 train the model; the next 800 are like them; the last 800 are three and a half times as volatile. */
const TRAIN = 1_600;
const SHIFT = 2_400;
const bars = syntheticBars({ count: 3_200, seed: 21, sigma: (i) => (i < SHIFT ? 0.01 : 0.035) });
const features = ['ret_1', 'ret_3', 'volume_z_20', 'tod_sin', 'tod_cos'];

describe('model monitoring', () => {
  it('goes from ok to drifting as the scored bars move away from the training bars, and retrains a new version after the original', async () => {
    const dataset = await call<{ id: string }>('datasets.import', { name: 'synthetic', csv: csvOf(bars.slice(0, TRAIN)) });
    const { jobId } = await call<{ jobId: string }>('models.train', { name: 'synthetic-direction', algorithm: 'gbdt', data: { dataset: dataset.id }, features, target: { kind: 'direction', horizon: 3, threshold: 0.005 }, params: { rounds: 20, maxDepth: 3 } });
    const trained = await finished(jobId);
    expect(trained, trained.error ?? '').toMatchObject({ status: 'done' });
    const v1 = await call<ModelRecord>('models.get', { id: trained.modelId! });

    // What the live scorer would report: the model's probabilities and its input row for each closed bar after training.
    const scored = await call<PredictBatchResult>('models.predictBatch', { id: v1.id, csv: csvOf(bars) });
    const matrix = computeFeatureMatrix(bars);
    const columns = features.map((f) => FEATURE_NAMES.indexOf(f));
    const index = new Map(bars.map((b, i) => [b.time, i]));
    const observe = (from: number, to: number) => {
      for (const [time, long, short, neutral] of scored.rows) {
        const i = index.get(time!)!;
        if (i < from || i >= to) continue;
        keel.modelMonitor.observe({
          modelId: v1.id,
          venue: 'paper',
          symbol: 'SYN/USDT',
          timeframe: '1h',
          time: time!,
          close: bars[i]!.close,
          features: columns.map((c) => matrix.values[i * matrix.cols + c]!),
          probabilities: { long: long!, short: short!, neutral: neutral! },
          value: null,
        });
      }
    };

    observe(TRAIN, SHIFT);
    const calm = await call<ModelDrift>('models.drift', { id: v1.id });
    expect(calm).toMatchObject({ modelId: v1.id, name: 'synthetic-direction', version: 1, status: 'ok', hasReference: true, schedule: null });
    expect(calm.streams).toHaveLength(1);
    const stream = calm.streams[0]!;
    expect(stream).toMatchObject({ venue: 'paper', symbol: 'SYN/USDT', timeframe: '1h', observations: SHIFT - TRAIN, outcomes: SHIFT - TRAIN - 3, pending: 3, psiRows: calm.thresholds.psiWindow });
    expect(stream.reasons, JSON.stringify(stream.reasons)).toEqual([]);
    expect(stream.maxPsi).toBeLessThan(calm.thresholds.psiWatch);
    expect(stream.batchAccuracy).toEqual(expect.any(Number));
    expect(stream.onlineAccuracy).toEqual(expect.any(Number));

    observe(SHIFT, bars.length);
    const shifted = await call<ModelDrift>('models.drift', { id: v1.id });
    expect(shifted.status).toBe('drifting');
    const ret1 = shifted.streams[0]!.psi.find((f) => f.feature === 'ret_1')!;
    expect(ret1.status).toBe('drifting');
    expect(ret1.psi).toBeGreaterThan(shifted.thresholds.psiDrift);
    expect(shifted.streams[0]!.reasons).toContainEqual({ kind: 'psi', status: 'drifting', text: expect.stringMatching(/ret_1 \(\d+\.\d\d\)/) });
    // Published too, at most once a second: the latest view reaches subscribers.
    await eventually(() => driftEvents.find((e) => e.modelId === v1.id && e.status === 'drifting'), 'a drifting models.drift event');
    expect(driftEvents.filter((e) => e.modelId === v1.id).length).toBeLessThan(10);

    // Retrain: a new candidate version, same recipe, its parent the original.
    const retrain = await call<{ jobId: string }>('models.retrain', { id: v1.id });
    await expect(call('models.retrain', { id: v1.id })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/already running/) });
    const retrained = await finished(retrain.jobId);
    expect(retrained, retrained.error ?? '').toMatchObject({ status: 'done', name: 'synthetic-direction' });
    const v2 = await call<ModelRecord>('models.get', { id: retrained.modelId! });
    expect(v2).toMatchObject({ name: 'synthetic-direction', version: 2, status: 'candidate', parentId: v1.id, algorithm: 'gbdt', features, target: v1.target });
    expect(v2.trainingWindow!.to - v2.trainingWindow!.from).toBe(v1.trainingWindow!.to - v1.trainingWindow!.from);
    expect(v2.trainingParams).toMatchObject({ rounds: 20, maxDepth: 3, data: { dataset: dataset.id } });

    // The schedule is the name's, shown with each version's drift view.
    const { schedule } = await call<{ schedule: ModelDrift['schedule'] }>('models.setSchedule', { name: 'synthetic-direction', everyHours: 24 });
    expect(schedule).toMatchObject({ name: 'synthetic-direction', everyHours: 24, lastRunAt: null });
    expect((await call<ModelDrift>('models.drift', { id: v2.id })).schedule).toEqual(schedule);
    expect(await call('models.setSchedule', { name: 'synthetic-direction', everyHours: null })).toEqual({ schedule: null });
    await expect(call('models.setSchedule', { name: 'nobody', everyHours: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('models.drift', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);
});
