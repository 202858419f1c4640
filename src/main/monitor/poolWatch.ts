/**
 * Where the system monitor finds the worker pools: each pool starts on first
 * use inside its own service (backtests, training, scoring), so the
 * composition root hands each service a start function wrapped by `track`,
 * and the monitor reads whatever has started. Each worker's event-loop
 * utilisation is turned into a share of the interval since the previous read.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { WorkerPoolMetrics } from '../../shared/contract/monitor';
import type { WorkerLoad, WorkerPoolStats } from '../workers/pool';

/** What the monitor reads of a pool. */
export interface WatchedPool {
  readonly stats: WorkerPoolStats;
  workerLoads(): WorkerLoad[];
}

export class PoolWatch {
  private readonly pools = new Map<string, WatchedPool | null>();
  private readonly lastElu = new Map<number, EventLoopUtilization>();

  /** `expected`: pools listed (as not started) before their first use. */
  constructor(expected: readonly string[] = []) {
    for (const name of expected) this.pools.set(name, null);
  }

  /** Passes a pool's start through, keeping the pool once started; a later start under the same name replaces it. */
  track<P extends WatchedPool>(name: string, starting: Promise<P>): Promise<P> {
    if (!this.pools.has(name)) this.pools.set(name, null);
    return starting.then((pool) => {
      this.pools.set(name, pool);
      return pool;
    });
  }

  read(): WorkerPoolMetrics[] {
    const seen = new Set<number>();
    const out: WorkerPoolMetrics[] = [];
    for (const [name, pool] of this.pools) {
      if (pool === null) {
        out.push({ name, started: false, size: 0, live: 0, busy: 0, queued: 0, completed: 0, failed: 0, replaced: 0, workers: [] });
        continue;
      }
      const stats = pool.stats;
      const workers = pool.workerLoads().map(({ threadId, elu }) => {
        seen.add(threadId);
        const previous = this.lastElu.get(threadId);
        this.lastElu.set(threadId, elu);
        return { threadId, utilization: previous === undefined ? null : clamp01(performance.eventLoopUtilization(elu, previous).utilization) };
      });
      out.push({ name, started: true, ...stats, workers });
    }
    // Threads that ended take their readings with them.
    for (const threadId of this.lastElu.keys()) if (!seen.has(threadId)) this.lastElu.delete(threadId);
    return out;
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
