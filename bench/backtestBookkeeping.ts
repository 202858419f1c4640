/**
 * What a backtest costs the engine's main thread around the run itself, on
 * one-minute bars (100,000 by default):
 *   npx tsx bench/backtestBookkeeping.ts [bars=100000] [runs=7]
 * - launch: a dataset's bars from the research store to the packed form a
 *   worker takes, straight from the stored bytes and cut to the date range
 *   on the time column, beside the way through bar objects (loadDatasetBars,
 *   barsInRange, packBars);
 * - save and load of the result (SMA cross 10/30 over the same bars): the
 *   equity kept as float64 bytes, beside the whole body as compressed JSON,
 *   the format before;
 * each in memory and in SQLite (in memory), median of `runs` ms; and first
 * - through BacktestService on one worker: the longest the main thread was
 *   held (event-loop delay, max) during one run and during a grid search of
 *   four trials.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { toJsonText } from '../src/main/core/jsonText';
import { InMemoryResearchStore } from '../src/main/backtest/inMemoryResearchStore';
import { packEquity, unpackEquity } from '../src/main/backtest/packedEquity';
import type { ResearchStore } from '../src/main/backtest/researchStore';
import { decodeResult } from '../src/main/backtest/resultBlob';
import { BacktestService } from '../src/main/backtest/service/backtestService';
import { barsInRange, runStrategyBacktest } from '../src/main/backtest/strategyBacktest';
import { packBars, type BacktestWorkerMethods } from '../src/main/backtest/worker/backtestWorker';
import { smaCross } from '../src/main/engine/strategies/catalog/smaCross';
import { openJournalDatabase } from '../src/main/journal/database';
import { SqliteResearchStore } from '../src/main/journal/sqliteResearchStore';
import { builtWorker } from './builtWorker';
import { WorkerPool } from '../src/main/workers/pool';
import { backtestSettingsSchema, type BacktestSummary, type Dataset } from '../src/shared/contract/backtests';
import type { Bar } from '../src/shared/domain';
import { MINUTE, minuteBars } from './minuteBars';

function medianMs(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function datasetOf(bars: Bar[]): Dataset {
  return { id: 'bench', name: 'bench', symbol: 'SYN', bars: bars.length, from: bars[0]!.time, to: bars.at(-1)!.time, periodMs: MINUTE, createdAt: 0 };
}

async function steps(bars: Bar[], runs: number): Promise<void> {
  const n = bars.length;
  const whole = backtestSettingsSchema.parse({});
  const half = { from: bars[Math.floor(n / 4)]!.time, to: bars[Math.floor((3 * n) / 4)]!.time };
  const local = await runStrategyBacktest({ definition: smaCross, params: { fast: 10, slow: 30 }, symbol: 'SYN', bars, settings: whole });
  const packedEquity = packEquity(local.equity);
  const body = { stats: local.stats, trades: local.trades, optimize: null };
  console.log(`${n.toLocaleString('en-US')} bars, ${local.trades.length} trades; median of ${runs} runs, ms`);
  const stores: Array<[string, ResearchStore]> = [
    ['in memory', new InMemoryResearchStore()],
    ['SQLite', new SqliteResearchStore(openJournalDatabase(':memory:'))],
  ];
  for (const [name, store] of stores) {
    store.saveDataset(datasetOf(bars), bars);
    const summary: BacktestSummary = {
      id: 'b',
      kind: 'backtest',
      name: 'b',
      status: 'done',
      error: null,
      strategy: { type: 'sma-cross', params: {} },
      data: { dataset: 'bench' },
      settings: whole,
      progress: { done: n, total: n },
      returnPct: null,
      sharpeRatio: null,
      tradeCount: null,
      createdAt: 0,
      finishedAt: 0,
    };
    store.saveBacktest(summary);
    const rows: Array<[string, number]> = [
      ['launch, all bars: stored bytes -> packed', medianMs(runs, () => store.loadPackedDatasetBars('bench', whole, { shared: true }))],
      ['launch, all bars: through bar objects', medianMs(runs, () => packBars(barsInRange(store.loadDatasetBars('bench'), whole), { shared: true }))],
      ['launch, middle half: stored bytes -> packed', medianMs(runs, () => store.loadPackedDatasetBars('bench', half, { shared: true }))],
      ['launch, middle half: through bar objects', medianMs(runs, () => packBars(barsInRange(store.loadDatasetBars('bench'), half), { shared: true }))],
      ['save, equity packed', medianMs(runs, () => store.saveBacktestResult('b', { ...body, equity: packedEquity }))],
      ['load, equity packed', medianMs(runs, () => store.getBacktest('b'))],
      // What the Backtests panel asks for: a chart's worth of the curve.
      ['load, equity thinned to 10,000 points', medianMs(runs, () => store.getBacktest('b', { equityPoints: 10_000 }))],
    ];
    // The format before: the whole body, equity points included, as JSON text compressed (unpacking the worker's curve first).
    let legacy = Buffer.alloc(0);
    rows.push([
      'save, whole body as JSON (before)',
      medianMs(runs, () => {
        const text = Buffer.from(toJsonText({ ...body, equity: unpackEquity(packedEquity) }, 'bench'), 'utf8');
        legacy = brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: text.byteLength } });
      }),
    ]);
    rows.push(['load, whole body as JSON (before)', medianMs(runs, () => decodeResult(legacy, 'bench'))]);
    console.log(`\n${name}`);
    for (const [what, ms] of rows) console.log(`  ${what.padEnd(46)} ${ms.toFixed(1).padStart(7)}`);
  }
}

/** The main thread's longest stall (ms) while `work` runs, a 1 ms timer's lateness. */
async function longestStall(work: () => Promise<void>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await work();
  // A stall is recorded when the timer fires after it: let it fire before looking.
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return Math.max(0, delay.max / 1e6 - 1);
}

async function throughService(bars: Bar[], name: string, store: ResearchStore): Promise<void> {
  store.saveDataset(datasetOf(bars), bars);
  const service = new BacktestService({
    store,
    pool: () => WorkerPool.start<BacktestWorkerMethods>(builtWorker('backtestWorker'), { name: 'backtest', size: 1 }),
    publish: () => {},
  });
  const settle = async (id: string): Promise<void> => {
    await service.settled(id);
    // The summary only: reading the whole result here would count in the stall.
    const run = service.list().find((s) => s.id === id)!;
    if (run.status !== 'done') throw new Error(`the bench run ended ${run.status}: ${run.error}`);
  };
  // Warms the worker (tsx compiles the engine in it, then the JIT) and this thread's paths, so start-up is not counted.
  await settle(service.run({ strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, data: { dataset: 'bench' } }).id);
  // Each a median of three: on a shared machine a stall also counts time another process held the core.
  const run: number[] = [];
  const search: number[] = [];
  for (let i = 0; i < 3; i++) {
    run.push(await longestStall(() => settle(service.run({ strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, data: { dataset: 'bench' } }).id)));
    search.push(await longestStall(() => settle(service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [5, 10], slow: [30, 60] } }, data: { dataset: 'bench' }, method: 'grid' }).id)));
  }
  const get = medianMs(5, () => service.get(service.list()[0]!.id));
  const getThinned = medianMs(5, () => service.get(service.list()[0]!.id, { equityPoints: 10_000 }));
  await service.stop();
  const median = (values: number[]): number => values.sort((a, b) => a - b)[1]!;
  console.log(`\nthrough BacktestService, one worker, ${name}: longest main-thread stall, median of 3, ms`);
  console.log(`  ${'one run'.padEnd(46)} ${median(run).toFixed(1).padStart(7)}`);
  console.log(`  ${'grid search of 4 trials'.padEnd(46)} ${median(search).toFixed(1).padStart(7)}`);
  console.log(`  ${'backtests.get of the search, median'.padEnd(46)} ${get.toFixed(1).padStart(7)}`);
  console.log(`  ${'the same, equity thinned to 10,000 points'.padEnd(46)} ${getThinned.toFixed(1).padStart(7)}`);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 7);
  const bars = minuteBars(count, 9);
  await throughService(bars, 'in memory', new InMemoryResearchStore());
  await throughService(bars, 'SQLite', new SqliteResearchStore(openJournalDatabase(':memory:')));
  await steps(bars, runs);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
