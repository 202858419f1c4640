import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestSettingsSchema, type BacktestSummary, type Dataset } from '../../../shared/contract/backtests';
import type { EventPayload } from '../../../shared/contract';
import type { Bar } from '../../../shared/domain';
import { BUILTIN_STRATEGIES } from '../../engine/strategies/catalog';
import { smaCross } from '../../engine/strategies/catalog/smaCross';
import { StrategyCatalog } from '../../engine/strategies/strategyCatalog';
import { locateWorker } from '../../workers/locate';
import { WorkerPool } from '../../workers/pool';
import { loadReferenceBars } from '../../../../tests/support/referenceBacktests';
import { InMemoryResearchStore } from '../inMemoryResearchStore';
import type { BacktestResultInput } from '../researchStore';
import { runStrategyBacktest } from '../strategyBacktest';
import { packBars, packEquity, unpackBars, unpackEquity, type BacktestWorkerMethods, type TrialFigures } from '../worker/backtestWorker';
import { BacktestService, halvingBudgets, halvingEvaluations, trialObjective, type BacktestPool, type BacktestServiceOptions, type BacktestTopic } from './backtestService';
import { keelErrorOf } from '../../../../tests/support/keelError';

const DAY = 86_400_000;

/** A seeded random walk of daily bars at cent precision. */
function dailyBars(count: number, seed = 1): Bar[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const bars: Bar[] = [];
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, Math.round(open * (1 + (random() - 0.49) * 0.04) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + random() * 0.01) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - random() * 0.01) * 100) / 100;
    bars.push({ time: Date.UTC(2000, 0, 1) + i * DAY, open, high, low, close, volume: 1_000 });
    price = close;
  }
  return bars;
}

/**
 * Records the order of the store's writes, to check a result is saved before
 * the summary that says done, and whether a result came already encoded (by
 * its worker) or in objects the main thread would have to encode.
 */
class RecordingStore extends InMemoryResearchStore {
  readonly writes: string[] = [];

  override saveBacktest(summary: BacktestSummary): void {
    this.writes.push(`summary:${summary.status}`);
    super.saveBacktest(summary);
  }

  override saveBacktestResult(id: string, result: BacktestResultInput | Uint8Array): void {
    this.writes.push(result instanceof Uint8Array ? 'result' : 'result:objects');
    super.saveBacktestResult(id, result);
  }
}

interface Event {
  topic: BacktestTopic;
  payload: EventPayload<BacktestTopic>;
}

let pool: BacktestPool;
const services: BacktestService[] = [];

beforeAll(async () => {
  // The real worker, run from its TypeScript source through tsx.
  pool = await WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), { name: 'backtest', size: 2 });
}, 60_000);

afterEach(async () => {
  // Services share the pool: cancel what a test left running, without stopping the pool.
  for (const service of services.splice(0)) {
    for (const run of service.list()) {
      if (run.status === 'queued' || run.status === 'running') service.cancel(run.id);
      await service.settled(run.id);
    }
  }
});

afterAll(async () => {
  await pool?.stop({ deadlineMs: 10_000 });
});

function harness(options: Partial<BacktestServiceOptions> = {}) {
  const store = new RecordingStore();
  const events: Event[] = [];
  let n = 0;
  const service = new BacktestService({
    store,
    pool,
    ids: () => `bt-${++n}`,
    now: () => Date.UTC(2026, 0, 1),
    progressIntervalMs: 0,
    logger: { info: () => {}, warn: () => {}, error: (message, detail) => console.error(message, detail) },
    publish: (topic, payload) => events.push({ topic, payload }),
    ...options,
  });
  services.push(service);
  const addDataset = (id: string, bars: Bar[], symbol = id.toUpperCase()): void => {
    const meta: Dataset = { id, name: `${id} data`, symbol, bars: bars.length, from: bars[0]!.time, to: bars[bars.length - 1]!.time, periodMs: DAY, createdAt: 1 };
    store.saveDataset(meta, bars);
  };
  const statuses = (id: string) => events.filter((e) => e.topic === 'backtests.updated' && e.payload.id === id).map((e) => (e.payload as BacktestSummary).status);
  return { store, events, service, addDataset, statuses };
}

describe('BacktestService.run', () => {
  it('answers at once, goes queued -> running -> done, and its result is the in-process backtest of the same data', async () => {
    const { service, store, events, addDataset, statuses } = harness();
    const bars = loadReferenceBars('GOOG');
    addDataset('goog', bars, 'GOOG');
    const settings = backtestSettingsSchema.parse({ commission: 0.002 });
    const { id } = service.run({ strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, data: { dataset: 'goog' }, settings });
    // Answered before any work: the run is stored and announced as queued.
    expect(service.get(id).status).toBe('queued');
    expect(statuses(id)).toEqual(['queued']);
    await service.settled(id);

    expect(statuses(id)).toEqual(['queued', 'running', 'done']);
    const progress = events.filter((e) => e.topic === 'backtests.progress').map((e) => e.payload as EventPayload<'backtests.progress'>);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ id, done: bars.length, total: bars.length });
    // The result is saved, as the worker encoded it, before the summary that says done.
    expect(store.writes.slice(-2)).toEqual(['result', 'summary:done']);

    const stored = service.get(id);
    const local = await runStrategyBacktest({ definition: smaCross, params: { fast: 10, slow: 30 }, symbol: 'GOOG', bars, settings });
    expect(stored.stats).toEqual(local.stats);
    expect(stored.trades).toEqual(local.trades);
    expect(stored.equity).toEqual(local.equity);
    expect(stored).toMatchObject({ status: 'done', error: null, returnPct: local.stats.returnPct, sharpeRatio: local.stats.sharpeRatio, tradeCount: local.trades.length, optimize: null });
    expect(stored.strategy).toEqual({ type: 'sma-cross', params: { fast: 10, slow: 30, allowShort: true, allInShare: 1 } });
    expect(service.list().map((s) => s.id)).toEqual([id]);
    expect(service.active).toBe(0);
  }, 60_000);

  it('publishes progress at most once per interval, and always the last', async () => {
    const { service, events, addDataset } = harness({ progressIntervalMs: 100 });
    addDataset('walk', dailyBars(3_000));
    // The clock does not move, so after the first progress only the final one passes the throttle.
    const { id } = service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'walk' } });
    await service.settled(id);
    expect(service.get(id).status).toBe('done');
    const progress = events.filter((e) => e.topic === 'backtests.progress').map((e) => e.payload);
    expect(progress).toEqual([
      { id, done: 30, total: 3_000 },
      { id, done: 3_000, total: 3_000 },
    ]);
  }, 60_000);

  it('cancels a run mid-way: it ends canceled and nothing is left running', async () => {
    const { service, events, addDataset, statuses } = harness();
    addDataset('long', dailyBars(20_000));
    let sawProgress: () => void = () => {};
    const progressed = new Promise<void>((resolve) => (sawProgress = resolve));
    const { id } = service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'long' } });
    const watcher = setInterval(() => {
      if (events.some((e) => e.topic === 'backtests.progress' && (e.payload as EventPayload<'backtests.progress'>).done > 0)) sawProgress();
    }, 5);
    await progressed;
    clearInterval(watcher);
    service.cancel(id);
    await service.settled(id);

    const run = service.get(id);
    expect(statuses(id)).toEqual(['queued', 'running', 'canceled']);
    expect(run.status).toBe('canceled');
    expect(run.progress.done).toBeLessThan(20_000);
    expect(run.stats).toBeNull();
    expect(service.active).toBe(0);
    // The worker looked at its cancel between bars and let go of the job.
    await vi.waitFor(() => expect(pool.stats.busy).toBe(0), { timeout: 10_000 });
    // Canceling an ended run changes nothing.
    service.cancel(id);
    expect(service.get(id).status).toBe('canceled');
  }, 60_000);

  it('refuses bad input synchronously with a typed error and stores nothing', () => {
    const { service, store, events, addDataset } = harness();
    addDataset('walk', dailyBars(100));
    const data = { dataset: 'walk' };
    const cases: Array<[string, () => unknown, string, RegExp]> = [
      ['unknown type', () => service.run({ strategy: { type: 'no-such-strategy', params: {} }, data }), 'NOT_FOUND', /no-such-strategy/],
      ['unknown parameter', () => service.run({ strategy: { type: 'sma-cross', params: { period: 3 } }, data }), 'VALIDATION_FAILED', /"period"/],
      ['out of bounds', () => service.run({ strategy: { type: 'sma-cross', params: { fast: 0 } }, data }), 'VALIDATION_FAILED', /Fast period/],
      ['wrong type', () => service.run({ strategy: { type: 'sma-cross', params: { allowShort: 3 } }, data }), 'VALIDATION_FAILED', /Go short/],
      ['constraint broken', () => service.run({ strategy: { type: 'sma-cross', params: { fast: 50, slow: 20 } }, data }), 'VALIDATION_FAILED', /fast < slow/],
      ['unknown dataset', () => service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'missing' } }), 'NOT_FOUND', /missing/],
      ['venue history not wired', () => service.run({ strategy: { type: 'sma-cross', params: {} }, data: { venue: 'paper', symbol: 'BTC/USDT', timeframe: '1h' } }), 'VALIDATION_FAILED', /venue/],
      ['malformed settings', () => service.run({ strategy: { type: 'sma-cross', params: {} }, data, settings: { cash: -1 } }), 'VALIDATION_FAILED', /cash/],
      ['search of an unknown parameter', () => service.optimize({ strategy: { type: 'sma-cross', grid: { period: [1, 2] } }, data }), 'VALIDATION_FAILED', /"period"/],
      ['search value out of bounds', () => service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [0, 5] } }, data }), 'VALIDATION_FAILED', /Fast period/],
      ['search no set satisfies', () => service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [50, 60], slow: [20, 30] } }, data }), 'VALIDATION_FAILED', /fast < slow/],
      ['random search no set satisfies', () => service.optimize({ strategy: { type: 'sma-cross', params: { slow: 10 }, space: { fast: { min: 20, max: 40 } } }, data, method: 'random' }), 'VALIDATION_FAILED', /fast < slow/],
      ['grid too large', () => service.optimize({ strategy: { type: 'sma-cross', space: { fast: { min: 1, max: 1000 }, slow: { min: 2, max: 5000 } } }, data, method: 'grid' }), 'VALIDATION_FAILED', /grid has/],
      ['range of a switch', () => service.optimize({ strategy: { type: 'sma-cross', space: { allowShort: { min: 0, max: 1 } } }, data, method: 'random' }), 'VALIDATION_FAILED', /list of values/],
      ['both fixed and searched', () => service.optimize({ strategy: { type: 'sma-cross', params: { fast: 5 }, grid: { fast: [5, 6] } }, data }), 'VALIDATION_FAILED', /both fixed and searched/],
    ];
    for (const [what, call, code, message] of cases) {
      const error = keelErrorOf(call);
      expect(error.code, what).toBe(code);
      expect(error.message, what).toMatch(message);
    }
    expect(store.listBacktests()).toEqual([]);
    expect(events).toEqual([]);
    expect(service.active).toBe(0);
  });

  it('fails a run the backtest cannot play, with the reason', async () => {
    const { service, addDataset, statuses } = harness();
    addDataset('one', dailyBars(1));
    const { id } = service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'one' } });
    await service.settled(id);
    const run = service.get(id);
    expect(statuses(id)).toEqual(['queued', 'running', 'failed']);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/at least 2 bars/);
    expect(run.finishedAt).not.toBeNull();
  }, 60_000);

  it('plays only the bars of its date range, cut from the stored dataset, and fails a range with too few bars for the reason it gave before', async () => {
    const { service, addDataset } = harness();
    const bars = dailyBars(500, 5);
    addDataset('walk', bars);
    const data = { dataset: 'walk' };
    const settings = backtestSettingsSchema.parse({ from: bars[100]!.time, to: bars[400]!.time });
    const run = service.run({ strategy: { type: 'sma-cross', params: { fast: 5, slow: 15 } }, data, settings }).id;
    const search = service.optimize({ strategy: { type: 'sma-cross', params: { slow: 15 }, grid: { fast: [5, 10] } }, data, settings, objective: 'return' }).id;
    // Between two bars, the range starts at the next one; `to` is left out.
    const between = service.run({ strategy: { type: 'sma-cross', params: { fast: 5, slow: 15 } }, data, settings: { from: bars[100]!.time + 1, to: bars[400]!.time + 1 } }).id;
    const empty = service.run({ strategy: { type: 'sma-cross', params: {} }, data, settings: { from: bars[499]!.time + DAY } }).id;
    const lastOnly = service.run({ strategy: { type: 'sma-cross', params: {} }, data, settings: { from: bars[499]!.time } }).id;
    await Promise.all([run, search, between, empty, lastOnly].map((id) => service.settled(id)));

    const local = await runStrategyBacktest({ definition: smaCross, params: { fast: 5, slow: 15 }, symbol: 'WALK', bars, settings });
    const played = service.get(run);
    expect(played).toMatchObject({ status: 'done', progress: { done: 300, total: 300 } });
    expect(played.equity).toHaveLength(300);
    expect(played.equity[0]!.time).toBe(bars[100]!.time);
    expect(played.equity).toEqual(local.equity);
    // Trades and statistics are kept as JSON, which writes -0 as 0.
    expect(played.trades).toEqual(JSON.parse(JSON.stringify(local.trades)));
    expect(played.stats).toEqual(JSON.parse(JSON.stringify(local.stats)));
    const searched = service.get(search);
    expect(searched.status).toBe('done');
    expect(searched.optimize!.trials.map((t) => t.bars)).toEqual([300, 300]);
    expect(searched.equity).toHaveLength(300);
    const shifted = service.get(between);
    expect(shifted.equity.map((p) => p.time)).toEqual(bars.slice(101, 401).map((b) => b.time));
    expect(service.get(empty)).toMatchObject({ status: 'failed', error: expect.stringMatching(/at least 2 bars in its date range; there are 0/) });
    expect(service.get(lastOnly)).toMatchObject({ status: 'failed', error: expect.stringMatching(/at least 2 bars in its date range; there are 1/) });
  }, 60_000);

  it('says why a run made no trades: every order the strategy could not send, counted once per kind', async () => {
    const { service, addDataset } = harness();
    const bars = loadReferenceBars('GOOG');
    addDataset('goog', bars, 'GOOG');
    // GOOG trades near 100 to 800: with 50 in cash not one whole share can be bought.
    const { id } = service.run({ strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, data: { dataset: 'goog' }, settings: { cash: 50 } });
    await service.settled(id);
    const poor = service.get(id);
    expect(poor).toMatchObject({ status: 'done', tradeCount: 0 });
    expect(poor.warnings!.map((w) => w.message).sort()).toEqual([
      'SMA cross: buy order not sent: its size came to less than one lot',
      'SMA cross: sell order not sent: its size came to less than one lot',
    ]);
    // One warning per cross it acted on: as many as the funded run has entries, its closed trades and the one still open at the end.
    const { id: funded } = service.run({ strategy: { type: 'sma-cross', params: { fast: 10, slow: 30 } }, data: { dataset: 'goog' }, settings: { cash: 10_000 } });
    await service.settled(funded);
    const traded = service.get(funded);
    expect(traded.warnings).toBeUndefined();
    expect(poor.warnings!.reduce((n, w) => n + w.count, 0)).toBe(traded.tradeCount! + 1);
  }, 60_000);

  it('plays a venue history through the injected loader', async () => {
    const bars = dailyBars(300);
    const asked: unknown[] = [];
    const { service } = harness({
      venueBars: (venue, symbol, timeframe, from, to) => {
        asked.push([venue, symbol, timeframe, from, to]);
        return bars;
      },
    });
    const { id } = service.run({ strategy: { type: 'sma-cross', params: { fast: 5, slow: 15 } }, data: { venue: 'paper', symbol: 'BTC/USDT', timeframe: '1d', from: bars[0]!.time } });
    await service.settled(id);
    expect(asked).toEqual([['paper', 'BTC/USDT', '1d', bars[0]!.time, undefined]]);
    const run = service.get(id);
    expect(run.status).toBe('done');
    expect(run.equity).toHaveLength(300);
  }, 60_000);

  it('deletes a run, canceling it first when it is still running', async () => {
    const { service, store, addDataset } = harness();
    addDataset('long', dailyBars(20_000));
    addDataset('short', dailyBars(200));
    const running = service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'long' } }).id;
    const finished = service.run({ strategy: { type: 'sma-cross', params: { fast: 5, slow: 15 } }, data: { dataset: 'short' } }).id;
    await service.settled(finished);
    expect(service.get(finished).status).toBe('done');

    service.delete(running);
    expect(() => service.get(running)).toThrow(/No backtest/);
    await service.settled(running);
    // Its end was not written back after the delete.
    expect(store.getBacktest(running)).toBeNull();
    // Canceling a run that has already finished changes nothing and is no error.
    service.cancel(finished);
    expect(service.get(finished).status).toBe('done');
    service.delete(finished);
    expect(service.list()).toEqual([]);
    expect(keelErrorOf(() => service.delete('bt-404')).code).toBe('NOT_FOUND');
    expect(keelErrorOf(() => service.cancel('bt-404')).code).toBe('NOT_FOUND');
    await vi.waitFor(() => expect(pool.stats.busy).toBe(0), { timeout: 10_000 });
  }, 60_000);
});

describe('user strategies', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A strategy file that buys everything on its first decision (or never, with `buys` false) and holds. */
  const holdSource = (buys: boolean) => `module.exports = {
    type: 'user-hold',
    name: 'Hold',
    summary: 'Buys once and holds.',
    explanation: 'Buys on its first decision.\\n\\nThen holds.',
    params: [{ name: 'wait', type: 'int', default: 3, min: 1, max: 50, description: 'Bars before buying.' }],
    warmupBars: (p) => p.wait,
    create: (ctx) => {
      let bought = false;
      return {
        async onBar() {
          if (bought || !${buys}) return;
          bought = true;
          await ctx.buy({ allIn: true }, 'hold: buy');
        },
      };
    },
  };\n`;

  it('plays a type from the user folder in the worker, and an edited file in its new version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-user-strategies-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'hold.js'), holdSource(true));
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
    await catalog.reload();
    const { service, addDataset } = harness({ strategies: catalog, userStrategiesDir: dir });
    addDataset('walk', dailyBars(200));
    const settings = { finalizeTrades: true };
    const first = service.run({ strategy: { type: 'user-hold', params: { wait: 5 } }, data: { dataset: 'walk' }, settings }).id;
    await service.settled(first);
    expect(service.get(first)).toMatchObject({ status: 'done', tradeCount: 1 });

    writeFileSync(join(dir, 'hold.js'), holdSource(false));
    await catalog.reload();
    const second = service.run({ strategy: { type: 'user-hold', params: { wait: 5 } }, data: { dataset: 'walk' }, settings }).id;
    await service.settled(second);
    expect(service.get(second)).toMatchObject({ status: 'done', tradeCount: 0 });
    // The catalog refuses what it does not hold, with its own typed error.
    expect(keelErrorOf(() => service.run({ strategy: { type: 'user-none', params: {} }, data: { dataset: 'walk' } })).code).toBe('NOT_FOUND');
  }, 60_000);
});

describe('BacktestService.optimize', () => {
  it('counts on each trial the orders its strategy could not send, so a search of unscored trials says why', async () => {
    const { service, addDataset } = harness();
    addDataset('goog', loadReferenceBars('GOOG'), 'GOOG');
    const search = (cash: number) => service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [5, 10], slow: [20, 40] } }, data: { dataset: 'goog' }, settings: { cash }, objective: 'sharpe' }).id;
    const poor = search(50);
    await service.settled(poor);
    const trials = service.get(poor).optimize!.trials;
    expect(trials).toHaveLength(4);
    for (const trial of trials) {
      expect(trial).toMatchObject({ trades: 0, objective: null });
      expect(trial.notSent).toBeGreaterThan(0);
    }
    const funded = search(10_000);
    await service.settled(funded);
    for (const trial of service.get(funded).optimize!.trials) {
      expect(trial.trades).toBeGreaterThan(0);
      expect(trial).not.toHaveProperty('notSent');
    }
  }, 60_000);

  it('runs every grid combination, picks the best objective, and deflates its Sharpe ratio', async () => {
    const { service, store, events, addDataset, statuses } = harness();
    const bars = dailyBars(400, 7);
    addDataset('walk', bars);
    const { id } = service.optimize({
      strategy: { type: 'sma-cross', params: { allowShort: false }, grid: { fast: [5, 10], slow: [20, 40] } },
      data: { dataset: 'walk' },
      objective: 'return',
    });
    await service.settled(id);
    const result = service.get(id);
    expect(statuses(id)).toEqual(['queued', 'running', 'done']);
    expect(result.kind).toBe('optimize');
    // The closing run's worker encoded the result, the trials with it: the main thread only wrote the bytes.
    expect(store.writes.slice(-2)).toEqual(['result', 'summary:done']);
    const search = result.optimize!;
    expect(search.method).toBe('grid');
    expect(search.trials.map((t) => [t.params.fast, t.params.slow])).toEqual([[5, 20], [5, 40], [10, 20], [10, 40]]);
    for (const trial of search.trials) {
      expect(trial.params.allowShort).toBe(false);
      expect(trial.bars).toBe(400);
      expect(trial.objective).toBe(trial.trades > 0 ? trial.returnPct : null);
    }
    const best = Math.max(...search.trials.map((t) => t.objective ?? -Infinity));
    expect(search.best?.objective).toBe(best);
    expect(search.deflatedSharpe).not.toBeNull();
    expect(search.deflatedSharpe!).toBeGreaterThanOrEqual(0);
    expect(search.deflatedSharpe!).toBeLessThanOrEqual(1);
    // The result carries the best parameter set's whole backtest.
    const local = await runStrategyBacktest({ definition: smaCross, params: search.best!.params, symbol: 'WALK', bars, settings: backtestSettingsSchema.parse({}) });
    expect(result.stats).toEqual(local.stats);
    expect(result.returnPct).toBe(search.best!.returnPct);
    const progress = events.filter((e) => e.topic === 'backtests.progress').map((e) => e.payload);
    expect(progress.at(-1)).toEqual({ id, done: 4, total: 4 });
  }, 60_000);

  it('skips grid combinations that break a constraint and does not count them', async () => {
    const { service, addDataset } = harness();
    addDataset('walk', dailyBars(300, 3));
    const { id } = service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [5, 10, 30], slow: [20, 40] } }, data: { dataset: 'walk' }, objective: 'sharpe' });
    await service.settled(id);
    const result = service.get(id);
    const trials = result.optimize!.trials;
    expect(trials.map((t) => [t.params.fast, t.params.slow])).toEqual([[5, 20], [5, 40], [10, 20], [10, 40], [30, 40]]);
    expect(result.progress).toEqual({ done: 5, total: 5 });
  }, 60_000);

  it.each(['random', 'tpe'] as const)('%s: the same seed gives the same trials, constraints hold, and halving scores on a prefix first', async (method) => {
    const { service, addDataset } = harness();
    addDataset('walk', dailyBars(900, 11));
    const search = (seed: number) =>
      service.optimize({
        strategy: { type: 'sma-cross', space: { fast: { min: 2, max: 60 }, slow: { min: 10, max: 80, step: 5 } } },
        data: { dataset: 'walk' },
        method,
        objective: 'sharpe',
        maxTrials: 12,
        seed,
      }).id;
    const first = search(42);
    const again = search(42);
    const other = search(43);
    await Promise.all([first, again, other].map((id) => service.settled(id)));
    const [a, b, c] = [first, again, other].map((id) => service.get(id));
    for (const run of [a, b, c]) expect(run!.status).toBe('done');
    expect(b!.optimize!.trials).toEqual(a!.optimize!.trials);
    expect(b!.optimize!.best).toEqual(a!.optimize!.best);
    expect(c!.optimize!.trials.map((t) => t.params)).not.toEqual(a!.optimize!.trials.map((t) => t.params));

    const trials = a!.optimize!.trials;
    for (const trial of trials) {
      expect(trial.params.fast as number).toBeLessThan(trial.params.slow as number);
      expect((trial.params.slow as number) % 5).toBe(0);
    }
    // 900 bars: a ninth is under the shortest prefix allowed, so a third (300) then all; 12 parameter sets in all.
    const distinct = new Set(trials.map((t) => JSON.stringify(t.params)));
    expect(distinct.size).toBeLessThanOrEqual(12);
    expect(trials.filter((t) => t.bars === 300).length).toBe(12);
    const full = trials.filter((t) => t.bars === 900);
    expect(full.length).toBe(method === 'random' ? 4 : 4);
    expect(trials).toHaveLength(16);
    expect(a!.progress).toEqual({ done: 16, total: 16 });
    // The best is the best of the trials scored on all the data.
    const scored = full.filter((t) => t.objective !== null).map((t) => t.objective!);
    expect(a!.optimize!.best?.objective).toBe(scored.length > 0 ? Math.max(...scored) : undefined);
    expect(a!.optimize!.best?.bars ?? 900).toBe(900);
  }, 120_000);

  it('cancels a search', async () => {
    const { service, addDataset } = harness();
    addDataset('long', dailyBars(5_000));
    const { id } = service.optimize({ strategy: { type: 'sma-cross', grid: { fast: [5, 6, 7, 8], slow: [20, 30] } }, data: { dataset: 'long' } });
    await vi.waitFor(() => expect(service.get(id).status).toBe('running'), { timeout: 10_000 });
    service.cancel(id);
    await service.settled(id);
    expect(service.get(id).status).toBe('canceled');
    expect(service.get(id).optimize).toBeNull();
    await vi.waitFor(() => expect(pool.stats.busy).toBe(0), { timeout: 10_000 });
  }, 60_000);
});

describe('BacktestService.stop', () => {
  it('cancels every job, stops the pool it started, and takes no new work', async () => {
    let started: BacktestPool | undefined;
    const { service, addDataset } = harness({
      pool: async () => (started = await WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), { name: 'backtest', size: 1 })),
    });
    addDataset('long', dailyBars(20_000));
    const { id } = service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'long' } });
    await vi.waitFor(() => expect(service.get(id).progress.done).toBeGreaterThan(0), { timeout: 30_000, interval: 20 });
    await service.stop();
    expect(service.get(id).status).toBe('canceled');
    expect(started!.stats.live).toBe(0);
    expect(keelErrorOf(() => service.run({ strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'long' } })).code).toBe('INVALID_STATE');
  }, 60_000);

  it('marks runs a previous process left unfinished as failed', () => {
    const store = new InMemoryResearchStore();
    const summary: BacktestSummary = {
      id: 'old',
      kind: 'backtest',
      name: 'old',
      status: 'running',
      error: null,
      strategy: { type: 'sma-cross', params: {} },
      data: { dataset: 'gone' },
      settings: backtestSettingsSchema.parse({}),
      progress: { done: 1, total: 2 },
      returnPct: null,
      sharpeRatio: null,
      tradeCount: null,
      createdAt: 1,
      finishedAt: null,
    };
    store.saveBacktest(summary);
    const service = new BacktestService({ store, pool, publish: () => {} });
    expect(service.get('old')).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped/) });
  });
});

describe('search helpers', () => {
  const figures: TrialFigures = { bars: 100, returnPct: 12, sharpeRatio: 0.8, maxDrawdownPct: -25, profitFactor: 1.5, trades: 4, notSent: 0, moments: null };

  it('score each objective, null without trades or past the drawdown limit', () => {
    expect(trialObjective(figures, 'sharpe')).toBe(0.8);
    expect(trialObjective(figures, 'return')).toBe(12);
    expect(trialObjective(figures, 'profitFactor')).toBe(1.5);
    expect(trialObjective(figures, 'returnWithinDrawdown')).toBeNull();
    expect(trialObjective(figures, 'returnWithinDrawdown', 30)).toBe(12);
    expect(trialObjective({ ...figures, trades: 0 }, 'return')).toBeNull();
    expect(trialObjective({ ...figures, sharpeRatio: null }, 'sharpe')).toBeNull();
  });

  it('plan halving rungs within the data and the candidates', () => {
    expect(halvingBudgets(9_000, 27, 30)).toEqual([1_000, 3_000, 9_000]);
    // A ninth shorter than the floor is skipped; too few candidates for a third rung.
    expect(halvingBudgets(900, 27, 30)).toEqual([300, 900]);
    expect(halvingBudgets(9_000, 5, 30)).toEqual([3_000, 9_000]);
    expect(halvingBudgets(9_000, 2, 30)).toEqual([9_000]);
    // A warm-up longer than half the prefix makes the prefix useless.
    expect(halvingBudgets(9_000, 27, 1_000)).toEqual([3_000, 9_000]);
    expect(halvingBudgets(9_000, 27, 1_500)).toEqual([9_000]);
    expect(halvingEvaluations(27, 3)).toBe(27 + 9 + 3);
    expect(halvingEvaluations(12, 2)).toBe(16);
    expect(halvingEvaluations(2, 1)).toBe(2);
  });

  it('pack bars as six float64 columns, shared or not, and unpack them bit for bit', () => {
    const bars = dailyBars(5);
    const shared = packBars(bars, { shared: true });
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared).toHaveLength(30);
    expect(unpackBars(shared)).toEqual(bars);
    expect(unpackBars(packBars(bars), 2)).toEqual(bars.slice(0, 2));
    expect(unpackBars(bars, 3)).toEqual(bars.slice(0, 3));
    expect(() => unpackBars(new Float64Array(7))).toThrow(/whole number of bars/);
    const equity = [
      { time: 1, equity: 100.5, drawdownPct: 0 },
      { time: 2, equity: 99.25, drawdownPct: 1.2437810945273631 },
    ];
    expect(unpackEquity(packEquity(equity))).toEqual(equity);
  });
});
