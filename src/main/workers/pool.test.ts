import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../engine/ports/clock';
import type { FlakyMethods } from './fixtures/flakyWorker';
import type { TestMethods } from './fixtures/testWorker';
import { WorkerPool, type WorkerPoolOptions } from './pool';
import { WorkerError } from './protocol';
import { failure, fixture, gate, open, openAllGates } from './fixtures/testSupport';

const pools: Array<WorkerPool<TestMethods> | WorkerPool<FlakyMethods>> = [];
const cleanups: Array<() => void> = [];

async function start(options: WorkerPoolOptions = {}): Promise<WorkerPool<TestMethods>> {
  const pool = await WorkerPool.start<TestMethods>(fixture('testWorker'), { name: 'test', ...options });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  openAllGates();
  await Promise.all(pools.splice(0).map((pool) => pool.stop({ deadlineMs: 2_000 })));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('WorkerPool', () => {
  it('runs one request per worker and queues the rest in order', async () => {
    const pool = await start({ size: 2 });
    const gates3 = [gate(), gate(), gate()];
    const held = gates3.map((shared) => pool.request('hold', { gate: shared }));
    expect(pool.stats).toMatchObject({ size: 2, live: 2, busy: 2, queued: 1 });
    open(gates3[0] as Int32Array);
    expect(await held[0]).toBe('released');
    // The queued one took the freed worker.
    expect(pool.stats).toMatchObject({ busy: 2, queued: 0 });
    open(gates3[1] as Int32Array);
    open(gates3[2] as Int32Array);
    expect(await Promise.all(held.slice(1))).toEqual(['released', 'released']);
    expect(pool.stats).toMatchObject({ busy: 0, queued: 0 });
  });

  it('counts the requests its workers answered and failed, and reads each worker\'s event-loop utilisation', async () => {
    const pool = await start({ size: 2 });
    expect(pool.stats).toMatchObject({ completed: 0, failed: 0 });
    await pool.request('echo', { text: 'a' });
    await pool.request('count', { to: 2 });
    await failure(pool.request('fail', { message: 'no' }));
    expect(pool.stats).toMatchObject({ completed: 2, failed: 1 });
    const loads = pool.workerLoads();
    expect(loads).toHaveLength(2);
    expect(new Set(loads.map((l) => l.threadId)).size).toBe(2);
    for (const { elu } of loads) {
      expect(elu.utilization).toBeGreaterThanOrEqual(0);
      expect(elu.utilization).toBeLessThanOrEqual(1);
      expect(elu.idle + elu.active).toBeGreaterThan(0);
    }
  });

  it('passes progress through', async () => {
    const pool = await start({ size: 1 });
    const seen: number[] = [];
    expect(await pool.request('count', { to: 3 }, { onProgress: (p) => seen.push(p.done) })).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('answers a crash mid-request with WORKER_CRASHED and replaces the worker', async () => {
    const crashes: WorkerError[] = [];
    const pool = await start({ size: 1, onCrash: (error) => crashes.push(error) });
    const before = await pool.request('echo', { text: 'before' });
    const dying = pool.request('exit', { code: 3 });
    const queued = pool.request('echo', { text: 'after' });
    const error = await failure(dying);
    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toMatch(/exit code 3/);
    // The request queued behind the crash runs on the replacement.
    const after = await queued;
    expect(after.text).toBe('after');
    expect(after.threadId).not.toBe(before.threadId);
    expect(crashes).toHaveLength(1);
    expect(pool.stats).toMatchObject({ live: 1, replaced: 1 });
  });

  it('times out and cancels requests still waiting in the queue', async () => {
    const clock = new SimulatedClock(0);
    const pool = await start({ size: 1, clock });
    const shared = gate();
    const held = pool.request('hold', { gate: shared });
    const timed = pool.request('echo', { text: 'late' }, { timeoutMs: 1_000 });
    const controller = new AbortController();
    const canceled = pool.request('echo', { text: 'unwanted' }, { signal: controller.signal });
    expect(pool.stats.queued).toBe(2);
    controller.abort();
    expect((await failure(canceled)).code).toBe('WORKER_CANCELED');
    clock.advanceTo(1_000);
    const timeout = await failure(timed);
    expect(timeout.code).toBe('WORKER_TIMEOUT');
    expect(pool.stats.queued).toBe(0);
    open(shared);
    expect(await held).toBe('released');
  });

  it('counts queue time against a request’s timeout', async () => {
    const clock = new SimulatedClock(0);
    const pool = await start({ size: 1, clock });
    const first = gate();
    const held = pool.request('hold', { gate: first });
    const next = pool.request('hold', { gate: gate() }, { timeoutMs: 1_000 });
    let settled = false;
    next.catch(() => (settled = true));
    clock.advanceTo(600);
    open(first);
    await held;
    // `next` is now on the worker, with what is left of its 1000 ms, not a fresh 1000.
    expect(pool.stats).toMatchObject({ busy: 1, queued: 0 });
    clock.advanceTo(999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    clock.advanceTo(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(true);
    expect((await failure(next)).code).toBe('WORKER_TIMEOUT');
  });

  it('drain-then-stop: refuses new work, drops the queue, waits for work in flight', async () => {
    const pool = await start({ size: 1 });
    const shared = gate();
    const held = pool.request('hold', { gate: shared });
    const queued = pool.request('echo', { text: 'queued' });
    const stopping = pool.stop({ deadlineMs: 60_000 });
    expect((await failure(queued)).code).toBe('WORKER_STOPPED');
    expect((await failure(pool.request('echo', { text: 'new' }))).code).toBe('WORKER_STOPPED');
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    open(shared);
    expect(await held).toBe('released');
    await stopping;
    expect(pool.stats.live).toBe(0);
  });

  it('gives up, and says so to every caller, when replacements cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-pool-'));
    const marker = join(dir, 'broken');
    const previous = process.env.KEEL_TEST_WORKER_BREAK_FILE;
    process.env.KEEL_TEST_WORKER_BREAK_FILE = marker;
    cleanups.push(() => {
      if (previous === undefined) delete process.env.KEEL_TEST_WORKER_BREAK_FILE;
      else process.env.KEEL_TEST_WORKER_BREAK_FILE = previous;
      rmSync(dir, { recursive: true, force: true });
    });
    const crashes: WorkerError[] = [];
    const pool = await WorkerPool.start<FlakyMethods>(fixture('flakyWorker'), { size: 1, maxFailedStarts: 2, onCrash: (e) => crashes.push(e) });
    pools.push(pool);
    writeFileSync(marker, '');
    expect((await failure(pool.request('exit', { code: 5 }))).code).toBe('WORKER_CRASHED');
    // A queued request waits for a replacement that never comes, and is told so.
    const waiting = await failure(pool.request('exit', { code: 0 }));
    expect(waiting.code).toBe('WORKER_CRASHED');
    expect(waiting.message).toMatch(/no workers left: .*the runtime this worker needs is gone/);
    expect((await failure(pool.request('exit', { code: 0 }))).code).toBe('WORKER_CRASHED');
    expect(crashes).toHaveLength(1);
  });

  it('fails to start, stopping what did start, when a worker cannot start', async () => {
    const error = await failure(WorkerPool.start(fixture('brokenWorker'), { size: 2 }));
    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toMatch(/the model file is corrupt/);
  });
});
