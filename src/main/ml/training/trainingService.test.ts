/**
 * The training service with the real ML worker: jobs kept in the journal
 * across a restart (a job running when Keel stopped, cleanly or not, comes
 * back failed with the reason), training limited to a date range (the
 * version's window is the range used; an empty or too short range refused
 * before any job starts), and metrics registered in the contract's shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BacktestData, JobView, TrainModelParams } from '../../../shared/contract';
import { trainingMetricsSchema } from '../../../shared/contract/trainingMetrics';
import type { Bar } from '../../../shared/domain';
import { silentLogger } from '../../engine/ports/logger';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { SqliteModelStore } from '../../journal/sqliteModelStore';
import { SqliteTrainingJobStore } from '../../journal/sqliteTrainingJobStore';
import { locateWorker } from '../../workers/locate';
import { WorkerPool } from '../../workers/pool';
import { syntheticBars } from '../features/syntheticBars';
import { ModelRegistry } from '../registry/modelRegistry';
import type { MlWorkerMethods } from '../worker/mlWorker';
import { MemoryTrainingJobStore } from './memoryTrainingJobStore';
import { dataHash, minimumTrainingBars } from './trainModel';
import type { TrainingJobStore } from './trainingJobStore';
import { STOPPED_WHILE_RUNNING, TrainingService } from './trainingService';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const BARS = syntheticBars({ count: 1_500, seed: 4, start: T0, interval: MINUTE, sigma: 0.002 });
const DATA: BacktestData = { dataset: 'd1' };

const services: TrainingService[] = [];
const databases: JournalDatabase[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  for (const db of databases.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDb(file: string): JournalDatabase {
  const db = openJournalDatabase(file);
  databases.push(db);
  return db;
}

interface Harness {
  service: TrainingService;
  registry: ModelRegistry;
  published: JobView[];
  loads: BacktestData[];
  clock: { now: number };
}

function harness(jobs: TrainingJobStore, load: () => Promise<readonly Bar[]> = async () => BARS): Harness {
  const registry = new ModelRegistry(new SqliteModelStore(openDb(':memory:')), () => T0, idMaker('m'));
  const published: JobView[] = [];
  const loads: BacktestData[] = [];
  const clock = { now: T0 + 10 * 86_400_000 };
  const service = new TrainingService({
    registry,
    pool: () => WorkerPool.start<MlWorkerMethods>(locateWorker('mlWorker'), { name: 'ml-test', size: 1 }),
    loadBars: async (data) => {
      loads.push(data);
      return { symbol: 'BTC/USDT', bars: await load() };
    },
    jobs,
    publish: (_topic, job) => published.push(job),
    now: () => clock.now,
    newId: idMaker('job'),
    log: silentLogger,
  });
  services.push(service);
  return { service, registry, published, loads, clock };
}

function idMaker(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
}

function params(patch: Partial<TrainModelParams> = {}): TrainModelParams {
  return { name: 'btc', algorithm: 'gbdt', data: DATA, target: { kind: 'direction', horizon: 5, threshold: 0.001 }, params: { rounds: 5, maxDepth: 3 }, ...patch };
}

/** Waits until the job has reported progress from the worker (it is then really training). */
async function training(h: Harness, id: string): Promise<void> {
  for (let i = 0; i < 400 && !h.published.some((p) => p.id === id && p.done > 0); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(h.published.some((p) => p.id === id && p.done > 0)).toBe(true);
}

describe('training jobs kept in the journal', () => {
  it('lists the jobs of the last run after a restart; one running when Keel stopped comes back failed, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-training-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const first = harness(new SqliteTrainingJobStore(openDb(file)));
    const { jobId: done } = await first.service.train(params());
    await first.service.settled(done);
    const { jobId: long } = await first.service.train(params({ name: 'long', params: { rounds: 100_000, maxDepth: 6 } }));
    await training(first, long);
    await first.service.stop();
    expect(first.published.at(-1)).toMatchObject({ id: long, status: 'failed', error: STOPPED_WHILE_RUNNING });
    databases.splice(0).forEach((db) => db.close());

    const second = harness(new SqliteTrainingJobStore(openDb(file)));
    const jobs = second.service.list();
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      [long, 'failed'],
      [done, 'done'],
    ]);
    expect(jobs[0]).toMatchObject({ name: 'long', error: STOPPED_WHILE_RUNNING, message: 'failed', modelId: null });
    expect(jobs[1]!.modelId).toEqual(expect.any(String));
    // A job of the last run cannot be cancelled any more, but it is known.
    expect(() => second.service.cancel(done)).not.toThrow();
    expect(() => second.service.cancel('job-none')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  }, 60_000);

  it('after a crash (the job never ended in the journal) the restart fails it with the reason, once, in the journal too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-training-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const crashed: JobView = { id: 'job-x', kind: 'train', name: 'btc', status: 'running', done: 2.5, total: 5, message: 'fold 3 of 4', startedAt: T0, finishedAt: null, modelId: null, error: null };
    new SqliteTrainingJobStore(openDb(file)).save(crashed);
    databases.splice(0).forEach((db) => db.close());

    const after = harness(new SqliteTrainingJobStore(openDb(file)));
    const failed = { ...crashed, status: 'failed', message: 'failed', finishedAt: after.clock.now, error: STOPPED_WHILE_RUNNING };
    expect(after.service.list()).toEqual([failed]);
    databases.splice(0).forEach((db) => db.close());
    expect(new SqliteTrainingJobStore(openDb(file)).list()).toEqual([failed]);
  });

  it('a cancelled job stays cancelled, and a refused training leaves no job', async () => {
    const h = harness(new MemoryTrainingJobStore());
    const { jobId } = await h.service.train(params({ params: { rounds: 100_000, maxDepth: 6 } }));
    await training(h, jobId);
    h.service.cancel(jobId);
    await h.service.settled(jobId);
    expect(h.service.list()).toEqual([expect.objectContaining({ id: jobId, status: 'cancelled', error: null })]);
    await expect(h.service.train(params({ params: { maxDepth: 99 } }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(h.service.list()).toHaveLength(1);
  }, 60_000);

  it('starts no job when Keel began stopping while the bars loaded', async () => {
    let release: (bars: readonly Bar[]) => void = () => undefined;
    const h = harness(new MemoryTrainingJobStore(), () => new Promise((resolve) => (release = resolve)));
    const training = h.service.train(params());
    await h.service.stop();
    release(BARS);
    await expect(training).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(h.service.list()).toEqual([]);
  });
});

describe('training on a date range', () => {
  it('trains on the bars in the range only: the version keeps that window and that data hash, and metrics in the contract shape', async () => {
    const h = harness(new MemoryTrainingJobStore());
    const from = T0 + 100 * MINUTE;
    const to = T0 + 1_000 * MINUTE;
    const { jobId } = await h.service.train(params({ from, to }));
    await h.service.settled(jobId);
    const job = h.service.list()[0]!;
    expect(job, job.error ?? '').toMatchObject({ status: 'done' });
    const model = h.registry.get(job.modelId!);
    const used = BARS.filter((b) => b.time >= from && b.time < to);
    expect(model.trainingWindow).toEqual({ from, to: to - MINUTE });
    expect(model.dataHash).toBe(dataHash(used));
    expect(trainingMetricsSchema.parse(model.metrics)).toEqual(model.metrics);
    expect(model.metrics).toMatchObject({ kind: 'classification', rows: used.length - 70 - 5 });
  }, 60_000);

  it('refuses an empty range before loading anything, and a range too short for the folds with its count, starting no job', async () => {
    const h = harness(new MemoryTrainingJobStore());
    await expect(h.service.train(params({ from: T0 + MINUTE, to: T0 + MINUTE }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^The training range is empty: from 2024-01-01 00:01 UTC is not before to 2024-01-01 00:01 UTC/) });
    expect(h.loads).toEqual([]);
    const short = { from: T0, to: T0 + 200 * MINUTE };
    await expect(h.service.train(params(short))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^The range 2024-01-01 00:00 UTC → 2024-01-01 03:20 UTC holds 200 bars; training 4 walk-forward folds over 5 bars needs at least 350/),
      data: { ...short, bars: 200, needed: minimumTrainingBars(5) },
    });
    // Applies to any source: a venue's history the same.
    await expect(h.service.train(params({ ...short, data: { venue: 'paper', symbol: 'BTC/USDT', timeframe: '1m' } }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { bars: 200 } });
    expect(h.service.list()).toEqual([]);
    expect(h.published).toEqual([]);
  });
});
