/**
 * Backtests and searches, all in the built backtest workers the app runs
 * them in: the SMA cross over a million one-minute bars on one thread
 * (bars/s), the GOOG reference run's wall time, a grid search
 * through BacktestService over every core and over one worker (trials/s,
 * bars/s, the scaling), the main thread's event-loop delay while the search
 * runs, and what sending bars to a worker costs the main thread as objects
 * and packed. Sizes can be lowered for a quick look:
 * KEEL_BENCH_BACKTEST_BARS (default 1,000,000), KEEL_BENCH_SEARCH_BARS
 * (100,000), KEEL_BENCH_SEARCH_TRIALS (16, a square of 4 × 4 by default).
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BacktestService } from '../src/main/backtest/service/backtestService';
import { InMemoryResearchStore } from '../src/main/backtest/inMemoryResearchStore';
import { packBars, type BacktestWorkerMethods } from '../src/main/backtest/worker/backtestWorker';
import { WorkerPool } from '../src/main/workers/pool';
import { backtestSettingsSchema } from '../src/shared/contract/backtests';
import type { Bar } from '../src/shared/domain';
import { builtWorker } from './builtWorker';
import { MINUTE, minuteBars } from './minuteBars';
import { loadReferenceRun } from '../tests/support/referenceBacktests';

interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

const LOOP_RESOLUTION_MS = 10;

/** The histogram records the gaps between its timer's ticks; the delay is what a gap has beyond the timer's period. */
function lateness(gapNs: number): number {
  return Math.max(0, gapNs / 1e6 - LOOP_RESOLUTION_MS);
}

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

export interface SingleThreadBench {
  bars: number;
  trades: number;
  seconds: number;
  barsPerSecond: number;
}

/** A pool of one built backtest worker: the thread a trader's backtest runs on. */
function oneBacktestWorker(): Promise<WorkerPool<BacktestWorkerMethods>> {
  return WorkerPool.start<BacktestWorkerMethods>(builtWorker('backtestWorker'), { name: 'backtest', size: 1 });
}

/**
 * (a) SMA cross 10/30 over `count` one-minute bars on one thread: a
 * backtest worker as the app starts it, timed from the request to the
 * answer (the bars copied in, the run, the result and its equity back).
 */
export async function benchSmaCrossOneThread(count: number): Promise<SingleThreadBench> {
  const bars = packBars(minuteBars(count));
  const pool = await oneBacktestWorker();
  try {
    const started = process.hrtime.bigint();
    const result = await pool.request('backtest', { strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, bars, symbol: 'SYN', settings: backtestSettingsSchema.parse({}) });
    const s = seconds(started);
    return { bars: count, trades: result.stats.trades, seconds: s, barsPerSecond: count / s };
  } finally {
    await pool.stop();
  }
}

export interface ReferenceRunBench {
  bars: number;
  runs: number;
  warmUps: number;
  medianSeconds: number;
  barsPerSecond: number;
  /** The reference backtester's own median on the same run, as its fixture recorded it. */
  referenceMedianSeconds: number | null;
}

/**
 * (b) The GOOG reference run (SMA 10/30, finalize trades) in a backtest
 * worker: the median wall time of `runs` runs after `warmUps` more. A run
 * this short is mostly the JIT's warm-up at first (about 54 ms a run over
 * the first five, 20 ms by the fiftieth); a worker of the app's pool that
 * has been searching is long past it.
 */
export async function benchGoogReference(runs = 20, warmUps = 20): Promise<ReferenceRunBench> {
  const run = loadReferenceRun('goog_sma10_30_testsuite');
  const settings = backtestSettingsSchema.parse({ finalizeTrades: run.meta.backtest_kwargs.finalize_trades === 'True' });
  const bars = packBars(run.bars);
  const pool = await oneBacktestWorker();
  try {
    const once = () => pool.request('backtest', { strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, bars, symbol: 'GOOG', settings });
    for (let i = 0; i < warmUps; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      await once();
      times.push(seconds(started));
    }
    const medianSeconds = median(times);
    const timing = (run.meta as unknown as { timing?: { run_s_median?: number } }).timing;
    return { bars: run.bars.length, runs, warmUps, medianSeconds, barsPerSecond: run.bars.length / medianSeconds, referenceMedianSeconds: timing?.run_s_median ?? null };
  } finally {
    await pool.stop();
  }
}

export interface SearchBench {
  workers: number;
  trials: number;
  barsPerTrial: number;
  /** From `optimize` until the last trial answered (the best's closing backtest excluded). */
  trialsSeconds: number;
  trialsPerSecond: number;
  barsPerSecond: number;
  /** Until the search was done and stored, closing backtest included. */
  totalSeconds: number;
  /** The main thread's event-loop delay over the whole search (lateness of a 10 ms timer), ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** (c, d) A grid search of `side` × `side` SMA crosses through BacktestService on a pool of `workers`. */
export async function benchGridSearch(bars: Bar[], side: number, workers: number): Promise<SearchBench> {
  const store = new InMemoryResearchStore();
  store.saveDataset({ id: 'bench', name: 'bench', symbol: 'SYN', bars: bars.length, from: bars[0]!.time, to: bars[bars.length - 1]!.time, periodMs: MINUTE, createdAt: 0 }, bars);
  let lastTrialAt: bigint | null = null;
  let total = 0;
  const service = new BacktestService({
    store,
    pool: () => WorkerPool.start<BacktestWorkerMethods>(builtWorker('backtestWorker'), { name: 'backtest', size: workers }),
    publish: (topic, payload) => {
      if (topic !== 'backtests.progress') return;
      const progress = payload as { done: number; total: number };
      total = progress.total;
      if (progress.done === progress.total) lastTrialAt = process.hrtime.bigint();
    },
  });
  // Warm every worker (its JIT) so start-up is not counted.
  const warmTo = bars[Math.min(bars.length - 1, 2_000)]!.time;
  const warm = Array.from({ length: workers }, () => service.run({ strategy: { type: 'sma-cross', params: { fast: 2, slow: 3 } }, data: { dataset: 'bench' }, settings: { to: warmTo } }).id);
  await Promise.all(warm.map((id) => service.settled(id)));
  const fast = Array.from({ length: side }, (_, i) => 5 + 5 * i);
  const slow = Array.from({ length: side }, (_, i) => 5 + 5 * side + 10 * i);
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  lastTrialAt = null;
  delay.enable();
  const started = process.hrtime.bigint();
  const { id } = service.optimize({ strategy: { type: 'sma-cross', grid: { fast, slow } }, data: { dataset: 'bench' }, method: 'grid', objective: 'sharpe' });
  await service.settled(id);
  const totalSeconds = seconds(started);
  delay.disable();
  const result = service.get(id);
  await service.stop();
  if (result.status !== 'done') throw new Error(`the bench search ended ${result.status}: ${result.error}`);
  const trialsSeconds = lastTrialAt === null ? totalSeconds : Number((lastTrialAt as bigint) - started) / 1e9;
  const trials = result.optimize?.trials.length ?? total;
  return {
    workers,
    trials,
    barsPerTrial: bars.length,
    trialsSeconds,
    trialsPerSecond: trials / trialsSeconds,
    barsPerSecond: (trials * bars.length) / trialsSeconds,
    totalSeconds,
    loopDelayP50Ms: lateness(delay.percentile(50)),
    loopDelayP99Ms: lateness(delay.percentile(99)),
    loopDelayMaxMs: lateness(delay.max),
  };
}

export interface TransferBench {
  bars: number;
  objectsMs: number;
  packMs: number;
  packedCloneMs: number;
  sharedCloneMs: number;
}

/** What handing `count` bars to a worker costs this thread: a structured clone of objects, or packing then cloning a Float64Array. */
export function benchBarTransfer(count: number): TransferBench {
  const bars = minuteBars(count);
  const time = (fn: () => unknown): number => {
    const started = process.hrtime.bigint();
    fn();
    return seconds(started) * 1000;
  };
  const objectsMs = median([0, 1, 2].map(() => time(() => structuredClone(bars))));
  const packMs = median([0, 1, 2].map(() => time(() => packBars(bars))));
  const packed = packBars(bars);
  const packedCloneMs = median([0, 1, 2].map(() => time(() => structuredClone(packed))));
  const shared = packBars(bars, { shared: true });
  const sharedCloneMs = median([0, 1, 2].map(() => time(() => structuredClone(shared))));
  return { bars: count, objectsMs, packMs, packedCloneMs, sharedCloneMs };
}

export async function backtestRows(results: Record<string, unknown>): Promise<BenchRow[]> {
  const oneThreadBars = envCount('KEEL_BENCH_BACKTEST_BARS', 1_000_000);
  const searchBars = envCount('KEEL_BENCH_SEARCH_BARS', 100_000);
  const side = Math.max(1, Math.round(Math.sqrt(envCount('KEEL_BENCH_SEARCH_TRIALS', 16))));
  const cores = availableParallelism();
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

  const transfer = benchBarTransfer(1_000_000);
  const oneThread = await benchSmaCrossOneThread(oneThreadBars);
  const goog = await benchGoogReference();
  const searchData = minuteBars(searchBars, 9);
  const allCores = await benchGridSearch(searchData, side, cores);
  const oneWorker = await benchGridSearch(searchData, side, 1);
  const scaling = allCores.barsPerSecond / oneWorker.barsPerSecond;
  results.backtests = { transfer, oneThread, goog, allCores, oneWorker, scaling };

  return [
    { name: `Bars to a worker, 1M as objects: structured clone ms`, value: fmt(transfer.objectsMs, 1), target: '—', met: null },
    { name: 'Bars to a worker, 1M packed (Float64Array): pack + clone ms', value: fmt(transfer.packMs + transfer.packedCloneMs, 1), target: '—', met: null },
    { name: 'Bars to a worker, 1M packed over a SharedArrayBuffer: clone ms', value: fmt(transfer.sharedCloneMs, 2), target: '—', met: null },
    { name: `SMA cross 10/30, ${fmt(oneThread.bars)} one-minute bars, one thread (a backtest worker): bars/s`, value: fmt(oneThread.barsPerSecond), target: '≥ 1,000,000', met: oneThread.barsPerSecond >= 1_000_000 },
    { name: `SMA cross 10/30, ${fmt(oneThread.bars)} one-minute bars, one thread: s`, value: fmt(oneThread.seconds, 1), target: '—', met: null },
    { name: `GOOG reference run (${fmt(goog.bars)} bars) in a backtest worker, median of ${goog.runs} after ${goog.warmUps} ms`, value: fmt(goog.medianSeconds * 1000, 1), target: '—', met: null },
    { name: 'GOOG reference run: bars/s', value: fmt(goog.barsPerSecond), target: '—', met: null },
    ...(goog.referenceMedianSeconds === null
      ? []
      : [{ name: 'GOOG reference run, the reference backtester (fixture) ms', value: fmt(goog.referenceMedianSeconds * 1000, 1), target: '—', met: null }]),
    { name: `Grid search, ${allCores.trials} trials × ${fmt(searchBars)} bars, ${cores} workers: trials/s`, value: fmt(allCores.trialsPerSecond, 3), target: '—', met: null },
    { name: `Grid search, ${cores} workers: bars/s`, value: fmt(allCores.barsPerSecond), target: '—', met: null },
    { name: `Grid search, 1 worker: trials/s`, value: fmt(oneWorker.trialsPerSecond, 3), target: '—', met: null },
    { name: `Grid search, 1 worker: bars/s`, value: fmt(oneWorker.barsPerSecond), target: '—', met: null },
    { name: `Grid search scaling, ${cores} workers over 1`, value: `${fmt(scaling, 2)}×`, target: '—', met: null },
    { name: `Main-thread event-loop delay during the ${cores}-worker search, p99 ms`, value: fmt(allCores.loopDelayP99Ms, 1), target: '≤ 5', met: allCores.loopDelayP99Ms <= 5 },
    { name: `Main-thread event-loop delay during the ${cores}-worker search, max ms`, value: fmt(allCores.loopDelayMaxMs, 1), target: '—', met: null },
  ];
}
