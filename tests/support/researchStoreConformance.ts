/**
 * What every ResearchStore must do, as one suite any implementation runs:
 * `researchStoreConformance('SqliteResearchStore', () => new SqliteResearchStore(db))`.
 * The in-memory store must pass the same tests as the SQLite one, so code
 * tested against it behaves the same on the real file. A store kept on disk
 * also passes `durable`, and is checked to read back everything after it is
 * closed and opened again.
 */
import { describe, expect, it } from 'vitest';
import {
  backtestSettingsSchema,
  type BacktestStats,
  type BacktestSummary,
  type Dataset,
  type OptimizeTrial,
} from '../../src/shared/contract';
import type { Bar } from '../../src/shared/domain';
import { KeelError, type ErrorCode } from '../../src/shared/errors';
import type { BarRange } from '../../src/main/backtest/datasets/barBlob';
import { packEquity } from '../../src/main/backtest/packedEquity';
import { encodeResult, resultLabel } from '../../src/main/backtest/resultBlob';
import type { BacktestResultBody, ResearchStore } from '../../src/main/backtest/researchStore';
import { barsInRange } from '../../src/main/backtest/strategyBacktest';
import { packBars, unpackBars } from '../../src/main/workers/packedBars';
import { Rng } from './rng';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

/** Bars whose prices are fractions with no short binary form, so any rounding on the way shows. */
export function researchBars(count: number, seed = 1, start = T0): Bar[] {
  const rng = new Rng(seed);
  const bars = new Array<Bar>(count);
  let price = 100 + rng.next();
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = open * (1 + (rng.next() - 0.5) / 50);
    bars[i] = {
      time: start + i * MINUTE,
      open,
      high: Math.max(open, close) * (1 + rng.next() / 100),
      low: Math.min(open, close) * (1 - rng.next() / 100),
      close,
      volume: rng.next() * 1e6,
    };
    price = close;
  }
  return bars;
}

export function dataset(id: string, bars: readonly Bar[], overrides: Partial<Dataset> = {}): Dataset {
  return {
    id,
    name: `Dataset ${id}`,
    symbol: 'BTCUSDT',
    bars: bars.length,
    from: bars[0]?.time ?? T0,
    to: bars.at(-1)?.time ?? T0,
    periodMs: MINUTE,
    createdAt: T0,
    ...overrides,
  };
}

export function backtestSummary(id: string, overrides: Partial<BacktestSummary> = {}): BacktestSummary {
  return {
    id,
    kind: 'backtest',
    name: `Run ${id}`,
    status: 'queued',
    error: null,
    strategy: { type: 'sma-cross', params: { fast: 10, slow: 30, ratio: 0.1 + 0.2, longOnly: true, mode: 'close' } },
    data: { dataset: 'd1' },
    settings: backtestSettingsSchema.parse({ cash: 10_000.5, commission: 0.002, from: T0 }),
    progress: { done: 0, total: 1_000 },
    returnPct: null,
    sharpeRatio: null,
    tradeCount: null,
    createdAt: T0,
    finishedAt: null,
    ...overrides,
  };
}

export function backtestStats(overrides: Partial<BacktestStats> = {}): BacktestStats {
  return {
    start: T0,
    end: T0 + 999 * MINUTE,
    durationMs: 999 * MINUTE,
    exposureTimePct: 93.567_567_567_567_56,
    equityFinal: 10_512.345_678_901_234,
    equityPeak: 10_999.000_000_000_002,
    commissions: 40.123_456_789_012_34,
    returnPct: 5.123_456_789_012_345,
    buyHoldReturnPct: -2.5e-7,
    returnAnnPct: 1_234.567_890_123_4,
    volatilityAnnPct: 0.1 + 0.2,
    cagrPct: 5e-324,
    sharpeRatio: 1.797_693_134_862_315_7e308,
    sortinoRatio: null,
    calmarRatio: -1e-15,
    alphaPct: null,
    beta: 0.999_999_999_999_999_9,
    maxDrawdownPct: -12.345_678_901_234_567,
    avgDrawdownPct: null,
    maxDrawdownDurationMs: 3 * MINUTE,
    avgDrawdownDurationMs: 1.5 * MINUTE,
    trades: 42,
    winRatePct: 47.619_047_619_047_62,
    bestTradePct: 3.3,
    worstTradePct: -1.1,
    avgTradePct: 0.012_345,
    maxTradeDurationMs: 10 * MINUTE,
    avgTradeDurationMs: 123_456.789,
    profitFactor: 1.234_567_890_123_456_7,
    expectancyPct: 0.1,
    sqn: 1.7,
    kellyCriterion: -0.3,
    probabilisticSharpe: 0.975,
    ...overrides,
  };
}

function trial(fast: number, objective: number | null): OptimizeTrial {
  return { params: { fast, slow: 30 }, objective, bars: 1000, returnPct: objective, sharpeRatio: objective === null ? null : objective / 3, maxDrawdownPct: 4.2, profitFactor: null, trades: fast };
}

export function backtestResultBody(points = 5, overrides: Partial<BacktestResultBody> = {}): BacktestResultBody {
  const rng = new Rng(points);
  return {
    stats: backtestStats(),
    trades: [
      { size: 0.123_456_789, entryBar: 1, exitBar: 5, entryTime: T0 + MINUTE, exitTime: T0 + 5 * MINUTE, entryPrice: 100.1, exitPrice: 101.7, pnl: 0.1 + 0.2, commission: 0.04, returnPct: 1.598_401_598_401_598_2 },
      { size: -2, entryBar: 7, exitBar: 9, entryTime: T0 + 7 * MINUTE, exitTime: T0 + 9 * MINUTE, entryPrice: 99.9, exitPrice: 100.05, pnl: -0.3, commission: 0, returnPct: -0.15 },
    ],
    equity: Array.from({ length: points }, (_, i) => ({ time: T0 + i * MINUTE, equity: 10_000 + rng.next() * 100, drawdownPct: rng.next() * 5 })),
    optimize: null,
    ...overrides,
  };
}

function expectKeelError(fn: () => unknown, code: ErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeelError);
  expect(caught).toMatchObject({ code });
}

/** Whether two bar lists are the same, bit for bit (-0 and 0 told apart), without a deep compare of a million objects. */
function mismatches(actual: readonly Bar[], expected: readonly Bar[]): number {
  let bad = Math.abs(actual.length - expected.length);
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (
      !Object.is(a.time, e.time) ||
      !Object.is(a.open, e.open) ||
      !Object.is(a.high, e.high) ||
      !Object.is(a.low, e.low) ||
      !Object.is(a.close, e.close) ||
      !Object.is(a.volume, e.volume)
    ) {
      bad++;
    }
  }
  return bad;
}

/** Everything the port lets anyone read back, for the ids these tests use. */
function observe(store: ResearchStore, datasetIds: string[], runIds: string[]) {
  return {
    datasets: store.listDatasets(),
    metas: datasetIds.map((id) => store.getDataset(id)),
    bars: datasetIds.map((id) => (store.getDataset(id) === null ? null : store.loadDatasetBars(id))),
    runs: store.listBacktests(),
    results: runIds.map((id) => store.getBacktest(id)),
  };
}

/** A store kept on disk: `open` opens a fresh one; `reopen` closes the one opened last and opens the same store again. */
export interface DurableResearchStore {
  open(): { store: ResearchStore; reopen(): ResearchStore };
}

export function researchStoreConformance(name: string, make: () => ResearchStore, durable?: DurableResearchStore): void {
  describe(`${name} conforms to ResearchStore`, () => {
    describe('datasets', () => {
      it('holds nothing at first: no list, no dataset, NOT_FOUND for bars, nothing to delete', () => {
        const store = make();
        expect(store.listDatasets()).toEqual([]);
        expect(store.getDataset('d1')).toBeNull();
        expectKeelError(() => store.loadDatasetBars('d1'), 'NOT_FOUND');
        expect(store.deleteDataset('d1')).toBe(false);
      });

      it('gives back the dataset and every bar exactly, odd doubles and negative zero included', () => {
        const store = make();
        const bars: Bar[] = [
          { time: T0, open: 0.1 + 0.2, high: 1.797_693_134_862_315_7e308, low: 5e-324, close: -0, volume: 0 },
          { time: T0 + MINUTE, open: 1 / 3, high: 2 ** 53 + 2, low: 1e-300, close: 123_456.789_012_345_67, volume: 9_007_199_254_740_991 },
          ...researchBars(50, 3, T0 + 2 * MINUTE),
        ];
        const meta = dataset('d1', bars, { name: 'Bitcoin ünïcödé "1m"', symbol: 'BTC/USDT:USDT', periodMs: 59_999, createdAt: T0 + 7 });
        store.saveDataset(meta, bars);
        expect(store.getDataset('d1')).toEqual(meta);
        expect(store.listDatasets()).toEqual([meta]);
        const back = store.loadDatasetBars('d1');
        expect(back).toEqual(bars);
        expect(mismatches(back, bars)).toBe(0);
        expect(Object.is(back[0]!.close, -0)).toBe(true);
        expect(back[0]!.open).toBe(0.1 + 0.2);
      });

      it('saves and loads a million bars', () => {
        const store = make();
        const bars = researchBars(1_000_000, 9);
        store.saveDataset(dataset('big', bars), bars);
        expect(store.getDataset('big')?.bars).toBe(1_000_000);
        const back = store.loadDatasetBars('big');
        expect(back).toHaveLength(1_000_000);
        for (const i of [0, 1, 2, 123_457, 499_999, 500_000, 999_998, 999_999]) expect(back[i]).toEqual(bars[i]);
        expect(mismatches(back, bars)).toBe(0);
        const packed = store.loadPackedDatasetBars('big', {}, { shared: true });
        expect(Buffer.from(packed.buffer).equals(Buffer.from(packBars(bars).buffer))).toBe(true);
      });

      it('packs the bars of a date range straight from what it keeps: the same bars as loading, filtering and packing them', () => {
        const store = make();
        const bars: Bar[] = [{ time: T0 - MINUTE, open: 0.1 + 0.2, high: 1.797_693_134_862_315_7e308, low: 5e-324, close: -0, volume: 0 }, ...researchBars(100, 4)];
        store.saveDataset(dataset('d1', bars), bars);
        const at = (i: number): number => T0 + i * MINUTE;
        const ranges: Array<BarRange | undefined> = [
          undefined,
          {},
          { from: at(-1) },
          { from: at(0) },
          { to: at(100) },
          { to: at(99) },
          { from: at(10), to: at(20) },
          { from: at(10) + 1, to: at(20) - 1 },
          { from: at(99) },
          { from: at(99) + 1 },
          { to: at(-1) },
          { from: at(50), to: at(50) },
          { from: at(60), to: at(40) },
        ];
        for (const range of ranges) {
          const expected = barsInRange(bars, range ?? {});
          const back = unpackBars(store.loadPackedDatasetBars('d1', range));
          expect(back, JSON.stringify(range)).toEqual(expected);
          expect(mismatches(back, expected)).toBe(0);
        }
        expect(store.loadPackedDatasetBars('d1', { from: at(10), to: at(20) })).toHaveLength(10 * 6);
        expect(Object.is(store.loadPackedDatasetBars('d1')[4], -0)).toBe(true);
        expect(store.loadPackedDatasetBars('d1', {}, { shared: true }).buffer).toBeInstanceOf(SharedArrayBuffer);
        // The caller's own copy: changing it changes nothing stored.
        store.loadPackedDatasetBars('d1').fill(0);
        expect(store.loadDatasetBars('d1')).toEqual(bars);
        expectKeelError(() => store.loadPackedDatasetBars('d2'), 'NOT_FOUND');
        expect(store.deleteDataset('d1')).toBe(true);
        expectKeelError(() => store.loadPackedDatasetBars('d1', { from: T0 }), 'NOT_FOUND');
      });

      it('refuses bars that do not match the count it was told, or none at all, and stores nothing', () => {
        const store = make();
        const bars = researchBars(10);
        expectKeelError(() => store.saveDataset(dataset('d1', bars, { bars: 11 }), bars), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveDataset(dataset('d1', bars, { bars: 9 }), bars), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveDataset(dataset('d1', [], { bars: 1 }), []), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveDataset(dataset('d1', bars, { from: Number.NaN }), bars), 'VALIDATION_FAILED');
        expect(store.listDatasets()).toEqual([]);
        expect(store.getDataset('d1')).toBeNull();
      });

      it('refuses a second dataset under an id already taken with INVALID_STATE, keeping the first and its bars', () => {
        const store = make();
        const first = researchBars(5, 1);
        const second = researchBars(7, 2);
        store.saveDataset(dataset('d1', first), first);
        expectKeelError(() => store.saveDataset(dataset('d1', second, { name: 'other' }), second), 'INVALID_STATE');
        expect(store.getDataset('d1')).toEqual(dataset('d1', first));
        expect(store.loadDatasetBars('d1')).toEqual(first);
      });

      it('lists newest created first and, at the same time, the one saved later first', () => {
        const store = make();
        const bars = researchBars(3);
        for (const [id, at] of [['a', T0 + 5], ['b', T0], ['c', T0 + 5], ['d', T0 + 9], ['e', T0 + 5]] as const) {
          store.saveDataset(dataset(id, bars, { createdAt: at }), bars);
        }
        expect(store.listDatasets().map((d) => d.id)).toEqual(['d', 'e', 'c', 'a', 'b']);
      });

      it('deletes a dataset with its bars, leaving the others, and frees its id for new bars', () => {
        const store = make();
        const one = researchBars(4, 1);
        const two = researchBars(6, 2);
        store.saveDataset(dataset('d1', one), one);
        store.saveDataset(dataset('d2', two), two);
        expect(store.deleteDataset('d1')).toBe(true);
        expect(store.deleteDataset('d1')).toBe(false);
        expect(store.getDataset('d1')).toBeNull();
        expectKeelError(() => store.loadDatasetBars('d1'), 'NOT_FOUND');
        expect(store.listDatasets()).toEqual([dataset('d2', two)]);
        expect(store.loadDatasetBars('d2')).toEqual(two);
        // Bars left behind would collide with, or stand in for, the new ones.
        const again = researchBars(9, 3);
        store.saveDataset(dataset('d1', again), again);
        expect(store.loadDatasetBars('d1')).toEqual(again);
      });

      it('keeps its own copies: changing bars or metadata passed in or handed out changes nothing', () => {
        const store = make();
        const bars = researchBars(5);
        const meta = dataset('d1', bars);
        store.saveDataset(meta, bars);
        bars[0]!.open = -1;
        bars.pop();
        meta.name = 'changed';
        store.loadDatasetBars('d1')[1]!.close = -1;
        store.getDataset('d1')!.symbol = 'changed';
        store.listDatasets()[0]!.bars = 1;
        expect(store.loadDatasetBars('d1')).toEqual(researchBars(5));
        expect(store.getDataset('d1')).toEqual(dataset('d1', researchBars(5)));
      });
    });

    describe('backtests', () => {
      it('holds nothing at first', () => {
        const store = make();
        expect(store.listBacktests()).toEqual([]);
        expect(store.getBacktest('b1')).toBeNull();
        expect(store.hasBacktest('b1')).toBe(false);
        expect(store.deleteBacktest('b1')).toBe(false);
        expect(store.markUnfinishedAsFailed('restart')).toBe(0);
      });

      it('gives a run without a result back with an empty one, and lists summaries without bodies', () => {
        const store = make();
        const summary = backtestSummary('b1', { data: { venue: 'paper', symbol: 'BTC/USDT', timeframe: '1h', from: T0 } });
        store.saveBacktest(summary);
        expect(store.hasBacktest('b1')).toBe(true);
        expect(store.hasBacktest('b2')).toBe(false);
        expect(store.getBacktest('b1')).toEqual({ ...summary, stats: null, trades: [], equity: [], optimize: null });
        const listed = store.listBacktests();
        expect(listed).toEqual([summary]);
        for (const key of ['stats', 'trades', 'equity', 'optimize']) expect(key in listed[0]!).toBe(false);
      });

      it('updates a run as it progresses and keeps its result when the summary changes after it', () => {
        const store = make();
        store.saveBacktest(backtestSummary('b1'));
        store.saveBacktest(backtestSummary('b1', { status: 'running', progress: { done: 500, total: 1_000 } }));
        expect(store.listBacktests()).toEqual([backtestSummary('b1', { status: 'running', progress: { done: 500, total: 1_000 } })]);
        const body = backtestResultBody(20);
        store.saveBacktestResult('b1', body);
        const done = backtestSummary('b1', {
          status: 'done',
          progress: { done: 1_000, total: 1_000 },
          returnPct: 5.123_456_789_012_345,
          sharpeRatio: -0.1 - 0.2,
          tradeCount: 42,
          finishedAt: T0 + 10_000,
        });
        store.saveBacktest(done);
        expect(store.getBacktest('b1')).toEqual({ ...done, ...body });
        expect(store.listBacktests()).toEqual([done]);
        // A result saved again replaces the first.
        const rerun = backtestResultBody(3, { stats: null, trades: [] });
        store.saveBacktestResult('b1', rerun);
        expect(store.getBacktest('b1')).toEqual({ ...done, ...rerun });
      });

      it('gives back a result exactly: statistics to the last bit, trades, equity and a search', () => {
        const store = make();
        const summary = backtestSummary('o1', { kind: 'optimize', status: 'done', returnPct: 1e-300, sharpeRatio: 1.797_693_134_862_315_7e308, tradeCount: 0 });
        const trials = [trial(5, 1.25), trial(10, null), trial(15, -0.000_001_234)];
        const body = backtestResultBody(1_000, {
          optimize: { objective: 'returnWithinDrawdown', method: 'tpe', trials, best: trials[0]!, deflatedSharpe: 0.1 + 0.7 },
        });
        store.saveBacktest(summary);
        store.saveBacktestResult('o1', body);
        const back = store.getBacktest('o1')!;
        expect(back).toEqual({ ...summary, ...body });
        expect(back.stats!.cagrPct).toBe(5e-324);
        expect(back.stats!.volatilityAnnPct).toBe(0.1 + 0.2);
        expect(back.equity[999]).toEqual(body.equity[999]);
        expect(back.returnPct).toBe(1e-300);
        expect(back.sharpeRatio).toBe(1.797_693_134_862_315_7e308);
      });

      it('gives back a result saved with its equity packed (as a worker answers it) exactly as one saved with points', () => {
        const store = make();
        const body = backtestResultBody(1_000, { signals: { count: 1_000, acted: 0, list: [] } });
        const packed = packEquity(body.equity);
        store.saveBacktest(backtestSummary('points', { status: 'done' }));
        store.saveBacktest(backtestSummary('packed', { status: 'done' }));
        store.saveBacktestResult('points', body);
        store.saveBacktestResult('packed', { ...body, equity: packed });
        const back = store.getBacktest('packed')!;
        expect(back).toEqual({ ...backtestSummary('packed', { status: 'done' }), ...body });
        expect(back.equity).toEqual(store.getBacktest('points')!.equity);
        expect(back.equity.every((p, i) => p.time === body.equity[i]!.time && p.equity === body.equity[i]!.equity && p.drawdownPct === body.equity[i]!.drawdownPct)).toBe(true);
        // The store keeps its own copy of the packed curve.
        packed.fill(0);
        expect(store.getBacktest('packed')!.equity).toEqual(body.equity);
      });

      it('writes a result a worker encoded as it is, reading back exactly what saving it in objects gives, and keeps its own copy', () => {
        const store = make();
        const body = backtestResultBody(1_000, { signals: { count: 1_000, acted: 0, list: [] } });
        const encoded = new Uint8Array(encodeResult({ ...body, equity: packEquity(body.equity) }, resultLabel('encoded')));
        store.saveBacktest(backtestSummary('objects', { status: 'done' }));
        store.saveBacktest(backtestSummary('encoded', { status: 'done' }));
        store.saveBacktestResult('objects', body);
        store.saveBacktestResult('encoded', encoded);
        expect(store.getBacktest('encoded')).toEqual({ ...backtestSummary('encoded', { status: 'done' }), ...body });
        expect(store.getBacktest('encoded')!.equity).toEqual(store.getBacktest('objects')!.equity);
        encoded.fill(0);
        expect(store.getBacktest('encoded')).toEqual({ ...backtestSummary('encoded', { status: 'done' }), ...body });
        // A Buffer too (whose slice shares its memory).
        const buffer = encodeResult(body, resultLabel('encoded'));
        store.saveBacktestResult('encoded', buffer);
        buffer.fill(0);
        expect(store.getBacktest('encoded')).toEqual({ ...backtestSummary('encoded', { status: 'done' }), ...body });
      });

      it('refuses bytes that are not an encoded result with VALIDATION_FAILED, keeping what it had', () => {
        const store = make();
        const body = backtestResultBody(4);
        store.saveBacktest(backtestSummary('b1', { status: 'done' }));
        store.saveBacktestResult('b1', body);
        const encoded = new Uint8Array(encodeResult(backtestResultBody(5), resultLabel('b1')));
        for (const bad of [new Uint8Array(0), encoded.subarray(0, encoded.byteLength - 1), new Uint8Array([...encoded, 0]), new Uint8Array([0x91, 0x4b, 0x52, 9, ...encoded.subarray(4)])]) {
          expectKeelError(() => store.saveBacktestResult('b1', bad), 'VALIDATION_FAILED');
        }
        expect(store.getBacktest('b1')).toEqual({ ...backtestSummary('b1', { status: 'done' }), ...body });
      });

      it('gives a long curve thinned to the points asked for, the rest of the result whole', () => {
        const store = make();
        const body = backtestResultBody(20_000);
        store.saveBacktest(backtestSummary('b1', { status: 'done' }));
        store.saveBacktestResult('b1', body);
        const thin = store.getBacktest('b1', { equityPoints: 500 })!;
        expect(thin.equity.length).toBeLessThanOrEqual(500);
        expect(thin.equityTotal).toBe(20_000);
        expect(thin.equity[0]).toEqual(body.equity[0]);
        expect(thin.equity.at(-1)).toEqual(body.equity.at(-1));
        expect(thin.trades).toEqual(body.trades);
        expect(thin.stats).toEqual(body.stats);
        // Asking changes nothing stored.
        expect(store.getBacktest('b1')).toEqual({ ...backtestSummary('b1', { status: 'done' }), ...body });
      });

      it('stores a large result whole', () => {
        const store = make();
        const body = backtestResultBody(200_000);
        store.saveBacktest(backtestSummary('b1', { status: 'done' }));
        store.saveBacktestResult('b1', body);
        const back = store.getBacktest('b1')!;
        expect(back.equity).toHaveLength(200_000);
        for (const i of [0, 77_777, 199_999]) expect(back.equity[i]).toEqual(body.equity[i]);
        expect(back.equity.every((p, i) => p.equity === body.equity[i]!.equity && p.drawdownPct === body.equity[i]!.drawdownPct)).toBe(true);
      });

      it('refuses a result for a run it does not hold with NOT_FOUND, and stores nothing', () => {
        const store = make();
        expectKeelError(() => store.saveBacktestResult('ghost', backtestResultBody()), 'NOT_FOUND');
        expect(store.getBacktest('ghost')).toBeNull();
        // The result is not waiting for the run either.
        store.saveBacktest(backtestSummary('ghost'));
        expect(store.getBacktest('ghost')?.equity).toEqual([]);
      });

      it('refuses NaN and Infinity anywhere with VALIDATION_FAILED, keeping what it had', () => {
        const store = make();
        const summary = backtestSummary('b1', { status: 'done', returnPct: 3 });
        const body = backtestResultBody(4);
        store.saveBacktest(summary);
        store.saveBacktestResult('b1', body);
        expectKeelError(() => store.saveBacktest({ ...summary, returnPct: Number.NaN }), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveBacktest({ ...summary, sharpeRatio: Number.POSITIVE_INFINITY }), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveBacktest({ ...summary, strategy: { type: 'x', params: { fast: Number.NaN } } }), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveBacktest(backtestSummary('b2', { progress: { done: Number.NaN, total: 1 } })), 'VALIDATION_FAILED');
        expectKeelError(() => store.saveBacktestResult('b1', { ...body, stats: backtestStats({ sqn: Number.NaN }) }), 'VALIDATION_FAILED');
        expectKeelError(
          () => store.saveBacktestResult('b1', { ...body, equity: [{ time: T0, equity: Number.NEGATIVE_INFINITY, drawdownPct: 0 }] }),
          'VALIDATION_FAILED',
        );
        expectKeelError(() => store.saveBacktestResult('b1', { ...body, equity: new Float64Array([T0, 10_000, Number.NaN]) }), 'VALIDATION_FAILED');
        expect(store.getBacktest('b1')).toEqual({ ...summary, ...body });
        expect(store.listBacktests()).toEqual([summary]);
      });

      it('lists newest created first and, at the same time, the one first saved later first; updates keep their place', () => {
        const store = make();
        for (const [id, at] of [['a', T0 + 5], ['b', T0], ['c', T0 + 5], ['d', T0 + 9], ['e', T0 + 5]] as const) {
          store.saveBacktest(backtestSummary(id, { createdAt: at }));
        }
        expect(store.listBacktests().map((s) => s.id)).toEqual(['d', 'e', 'c', 'a', 'b']);
        store.saveBacktest(backtestSummary('a', { createdAt: T0 + 5, status: 'running' }));
        store.saveBacktest(backtestSummary('b', { createdAt: T0 + 10 }));
        expect(store.listBacktests().map((s) => s.id)).toEqual(['b', 'd', 'e', 'c', 'a']);
      });

      it('deletes a run with its result, leaving the others', () => {
        const store = make();
        store.saveBacktest(backtestSummary('b1', { status: 'done' }));
        store.saveBacktestResult('b1', backtestResultBody(3));
        store.saveBacktest(backtestSummary('b2', { status: 'done' }));
        store.saveBacktestResult('b2', backtestResultBody(4));
        expect(store.deleteBacktest('b1')).toBe(true);
        expect(store.deleteBacktest('b1')).toBe(false);
        expect(store.getBacktest('b1')).toBeNull();
        expect(store.listBacktests()).toEqual([backtestSummary('b2', { status: 'done' })]);
        expect(store.getBacktest('b2')).toEqual({ ...backtestSummary('b2', { status: 'done' }), ...backtestResultBody(4) });
        // A run saved again under the id starts without the deleted one's result.
        store.saveBacktest(backtestSummary('b1'));
        expect(store.getBacktest('b1')).toEqual({ ...backtestSummary('b1'), stats: null, trades: [], equity: [], optimize: null });
      });

      it('marks queued and running runs failed with the reason, and leaves ended runs and every result alone', () => {
        const store = make();
        const statuses = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
        statuses.forEach((status, i) => {
          store.saveBacktest(
            backtestSummary(status, {
              status,
              createdAt: T0 + i,
              progress: { done: i * 10, total: 100 },
              error: status === 'failed' ? 'worker ran out of memory' : null,
              finishedAt: status === 'queued' || status === 'running' ? null : T0 + 100,
            }),
          );
        });
        store.saveBacktestResult('running', backtestResultBody(2));
        store.saveBacktestResult('done', backtestResultBody(3));
        const before = store.listBacktests();
        expect(store.markUnfinishedAsFailed('Keel stopped while it was running')).toBe(2);
        const after = store.listBacktests();
        expect(after.map((s) => [s.id, s.status, s.error])).toEqual([
          ['canceled', 'canceled', null],
          ['failed', 'failed', 'worker ran out of memory'],
          ['done', 'done', null],
          ['running', 'failed', 'Keel stopped while it was running'],
          ['queued', 'failed', 'Keel stopped while it was running'],
        ]);
        // Only status and error change: progress, finish time (unknown) and everything else stay.
        after.forEach((s, i) => expect({ ...s, status: before[i]!.status, error: before[i]!.error }).toEqual(before[i]));
        expect(store.getBacktest('running')).toMatchObject({ status: 'failed', equity: backtestResultBody(2).equity });
        expect(store.getBacktest('done')).toMatchObject({ status: 'done', equity: backtestResultBody(3).equity });
        expect(store.markUnfinishedAsFailed('again')).toBe(0);
        expect(store.listBacktests()).toEqual(after);
      });

      it('keeps its own copies of summaries and results', () => {
        const store = make();
        const summary = backtestSummary('b1', { status: 'done' });
        const body = backtestResultBody(3);
        store.saveBacktest(summary);
        store.saveBacktestResult('b1', body);
        summary.strategy.params.fast = 99;
        summary.progress.done = 99;
        body.equity[0]!.equity = 99;
        body.stats!.sqn = 99;
        store.getBacktest('b1')!.trades.length = 0;
        store.listBacktests()[0]!.settings.cash = 1;
        expect(store.getBacktest('b1')).toEqual({ ...backtestSummary('b1', { status: 'done' }), ...backtestResultBody(3) });
      });
    });

    if (durable) {
      describe('on disk', () => {
        it('reads back every dataset, bar, run and result after it is closed and opened again', () => {
          const { store, reopen } = durable.open();
          const one = researchBars(1_000, 1);
          const two = researchBars(10, 2);
          store.saveDataset(dataset('d1', one), one);
          store.saveDataset(dataset('d2', two, { createdAt: T0 + 1 }), two);
          store.saveDataset(dataset('d3', two, { createdAt: T0 + 2 }), two);
          expect(store.deleteDataset('d3')).toBe(true);
          store.saveBacktest(backtestSummary('b1', { status: 'done', returnPct: 0.1 + 0.2, tradeCount: 2 }));
          store.saveBacktestResult('b1', backtestResultBody(100));
          store.saveBacktest(backtestSummary('b2', { status: 'running', createdAt: T0 + 1 }));
          store.saveBacktest(backtestSummary('b3', { status: 'queued', createdAt: T0 + 2 }));
          const ids = { datasets: ['d1', 'd2', 'd3'], runs: ['b1', 'b2', 'b3'] };
          const before = observe(store, ids.datasets, ids.runs);
          expect(before.datasets.map((d) => d.id)).toEqual(['d2', 'd1']);
          const reopened = reopen();
          expect(observe(reopened, ids.datasets, ids.runs)).toEqual(before);
          // Start-up after a crash: what was cut off is failed, and that too is kept.
          expect(reopened.markUnfinishedAsFailed('Keel stopped while it was running')).toBe(2);
          const marked = observe(reopened, ids.datasets, ids.runs);
          const again = reopen();
          expect(observe(again, ids.datasets, ids.runs)).toEqual(marked);
        });
      });
    }
  });
}
