import { describe, expect, it } from 'vitest';
import type { WorkerLoad, WorkerPoolStats } from '../workers/pool';
import { PoolWatch, type WatchedPool } from './poolWatch';

class FakePool implements WatchedPool {
  stats: WorkerPoolStats = { size: 2, live: 2, busy: 1, queued: 4, replaced: 0, completed: 9, failed: 1 };
  loads: WorkerLoad[] = [];
  workerLoads(): WorkerLoad[] {
    return this.loads;
  }
}

const elu = (idle: number, active: number) => ({ idle, active, utilization: active / (idle + active) });

describe('PoolWatch', () => {
  it('lists expected pools as not started until their first start resolves', async () => {
    const watch = new PoolWatch(['backtest', 'training']);
    expect(watch.read().map((p) => [p.name, p.started])).toEqual([
      ['backtest', false],
      ['training', false],
    ]);
    const pool = new FakePool();
    const started = await watch.track('training', Promise.resolve(pool));
    expect(started).toBe(pool);
    expect(watch.read()[1]).toEqual({ name: 'training', started: true, size: 2, live: 2, busy: 1, queued: 4, replaced: 0, completed: 9, failed: 1, workers: [] });
  });

  it("gives each worker's utilisation over the time since the previous read", async () => {
    const watch = new PoolWatch();
    const pool = new FakePool();
    await watch.track('backtest', Promise.resolve(pool));
    pool.loads = [{ threadId: 3, elu: elu(100, 100) }];
    expect(watch.read()[0]!.workers).toEqual([{ threadId: 3, utilization: null }]);
    // Since then: 300 ms busy, 100 ms idle.
    pool.loads = [{ threadId: 3, elu: elu(200, 400) }];
    expect(watch.read()[0]!.workers).toEqual([{ threadId: 3, utilization: 0.75 }]);
  });

  it('passes a failed start through and keeps the pool listed as not started', async () => {
    const watch = new PoolWatch();
    await expect(watch.track('scoring', Promise.reject(new Error('no worker')))).rejects.toThrow('no worker');
    expect(watch.read()).toMatchObject([{ name: 'scoring', started: false }]);
  });
});
