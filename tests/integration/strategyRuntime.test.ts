/**
 * Strategies trading live on the paper venue through the whole engine: an
 * SMA cross instance started from the contract trades beside a manual
 * order, every order it sends is stamped with its id, stopping it cancels
 * only its own orders, the emergency stop halts it first, it survives a
 * restart according to its "resume after restart" switch, and replaying the
 * bars it saw through the backtest makes the same decisions (parity).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { runStrategyBacktest } from '../../src/main/backtest/strategyBacktest';
import { smaCross } from '../../src/main/engine/strategies/catalog/smaCross';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { backtestSettingsSchema } from '../../src/shared/contract/backtests';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';

const SYMBOL = 'BTC/USDT:USDT';
const MINUTE = 60_000;
const dirs: string[] = [];
const open: Keel[] = [];

afterEach(async () => {
  for (const keel of open.splice(0)) await keel.shutdown();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir?: string, clock = new SimulatedClock(Date.parse('2026-11-20T12:00:30Z'))): Promise<{ keel: Keel; clock: SimulatedClock; dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'keel-strategies-'));
  if (!dataDir) dirs.push(dir);
  const keel = await createKeel({ dataDir: dir, mode: 'headless', seed: 7, clock, checkResults: true });
  open.push(keel);
  return { keel, clock, dataDir: dir };
}

/** A contract call as the UI makes it: the result, or the typed error thrown. */
async function call<T>(keel: Keel, method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw outcome.error;
  return outcome.result as T;
}

async function minutes(clock: SimulatedClock, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await clock.advanceAndSettle(MINUTE);
}

const smaParams = { fast: 1, slow: 2 } as const;

describe('a strategy on the paper venue', () => {
  it('trades beside a manual order, stamped with its id, and stopping it cancels only its own orders', async () => {
    const { keel, clock } = await start();
    const { engine } = keel;
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: smaParams });
    expect(created.status).toBe('stopped');
    const running = await call<StrategyInstance>(keel, 'strategies.start', { id: created.id });
    expect(running.status).toBe('running');

    // A manual resting order far from the market: the strategy must never touch it.
    const tick = Dec.parse('0.1');
    const bid = Dec.parse(engine.ticker('paper', SYMBOL).bid);
    const manual = await engine.placeOrder({ venue: 'paper', symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '0.001', price: bid.mul(Dec.parse('0.95')).floorTo(tick).toString() });

    let mine: Order[] = [];
    for (let i = 0; i < 30 && mine.length === 0; i++) {
      await minutes(clock, 1);
      mine = engine.listOrders('all', 500).orders.filter((o) => o.source === 'strategy');
    }
    expect(mine.length, 'the SMA 1/2 cross trades within half an hour of one-minute bars').toBeGreaterThan(0);
    for (const order of mine) expect(order.sourceId).toBe(created.id);
    const view = (await call<{ strategies: StrategyInstance[] }>(keel, 'strategies.list')).strategies[0]!;
    expect(view.accounting.lastSignal?.text).toMatch(/crossed/);
    expect(Dec.parse(view.accounting.fees).isPositive()).toBe(true);

    // A resting order of its own (placed through its id, as its context would) proves the stop cancels it:
    // a reduce-only exit away from the market, which needs no margin after it went all-in.
    const position = Dec.parse(view.accounting.position);
    expect(position.isZero(), 'it holds a position after its first cross').toBe(false);
    // Its row follows the market while it holds a position, not only when it trades.
    const revalued: StrategyInstance[] = [];
    const unsubscribe = engine.bus.subscribe((topic, payload) => {
      if (topic === 'strategies.updated') revalued.push(payload as StrategyInstance);
    });
    await clock.advanceAndSettle(5_000);
    unsubscribe();
    // At most once a second, each time with the value at the mark then.
    expect(new Set(revalued.map((v) => v.accounting.unrealizedPnl)).size, 'republished as the price moved').toBeGreaterThanOrEqual(2);
    expect(revalued.length).toBeLessThanOrEqual(6);
    const mid = Dec.parse(engine.ticker('paper', SYMBOL).last);
    const own = await engine.placeOrder(
      {
        venue: 'paper',
        symbol: SYMBOL,
        side: position.isPositive() ? 'sell' : 'buy',
        type: 'limit',
        quantity: '0.001',
        price: (position.isPositive() ? mid.mul(Dec.parse('1.05')) : mid.mul(Dec.parse('0.95'))).floorTo(tick).toString(),
        reduceOnly: true,
      },
      { kind: 'strategy', id: created.id },
    );
    const stopped = await call<StrategyInstance>(keel, 'strategies.stop', { id: created.id });
    await clock.advanceAndSettle(0);
    expect(stopped.status).toBe('stopped');
    expect(engine.getOrder({ orderId: own.id }).status).toBe('canceled');
    expect(engine.getOrder({ orderId: manual.id }).status).toBe('open');
  }, 120_000);

  it('is halted by the emergency stop, saying why, and cannot start while trading is halted', async () => {
    const { keel } = await start();
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: smaParams });
    await call(keel, 'strategies.start', { id: created.id });
    await call(keel, 'emergency.stop', { flatten: false });
    const after = (await call<{ strategies: StrategyInstance[] }>(keel, 'strategies.list')).strategies[0]!;
    expect(after.status).toBe('stopped');
    expect(after.statusReason).toMatch(/emergency stop/);
    await expect(call(keel, 'strategies.start', { id: created.id })).rejects.toMatchObject({ code: 'HALTED' });
  });

  it('refuses bad parameters with a typed error and creates nothing', async () => {
    const { keel } = await start();
    await expect(call(keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: { fast: 30, slow: 10 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(call(keel, 'strategies.create', { type: 'no-such', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call<{ strategies: StrategyInstance[] }>(keel, 'strategies.list')).strategies).toEqual([]);
  });

  it('comes back after a restart running or stopped, as its switch says', async () => {
    const first = await start();
    const resumes = await call<StrategyInstance>(first.keel, 'strategies.create', {
      type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: smaParams, resumeAfterRestart: true, name: 'resumes',
    });
    const stays = await call<StrategyInstance>(first.keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: smaParams, name: 'stays' });
    await call(first.keel, 'strategies.start', { id: resumes.id });
    await call(first.keel, 'strategies.start', { id: stays.id });
    await first.keel.shutdown();
    open.splice(open.indexOf(first.keel), 1);

    const second = await start(first.dataDir, first.clock);
    await second.clock.advanceAndSettle(0);
    const byName = new Map((await call<{ strategies: StrategyInstance[] }>(second.keel, 'strategies.list')).strategies.map((s) => [s.name, s]));
    expect(byName.get('resumes')?.status).toBe('running');
    expect(byName.get('stays')?.status).toBe('stopped');
    expect(byName.get('stays')?.statusReason).toMatch(/restart/);
  }, 60_000);

  it('makes the same decisions when the bars it saw are replayed as a backtest (parity)', async () => {
    const { keel, clock } = await start();
    const params = { fast: 2, slow: 4 };
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params });
    const signals: Array<{ time: number; text: string }> = [];
    keel.engine.bus.subscribe((topic, payload) => {
      const s = payload as StrategyInstance;
      if (topic === 'strategies.updated' && s.id === created.id && s.accounting.lastSignal) {
        const last = signals[signals.length - 1];
        if (!last || last.time !== s.accounting.lastSignal.time || last.text !== s.accounting.lastSignal.text) signals.push(s.accounting.lastSignal);
      }
    });
    await call(keel, 'strategies.start', { id: created.id });
    const startedAt = clock.now();
    await minutes(clock, 90);
    await call(keel, 'strategies.stop', { id: created.id });
    const candles = await keel.engine.candles('paper', SYMBOL, '1m', 500);
    const bars = candles.map((c) => ({ time: c.time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) }));
    // The live run saw `slow` bars of history, then every bar that closed while it ran.
    const firstLive = bars.findIndex((b) => b.time >= Math.floor(startedAt / MINUTE) * MINUTE);
    const replay = bars.slice(firstLive - params.slow, bars.findIndex((b) => b.time + MINUTE > clock.now() - MINUTE) + 1);
    const result = await runStrategyBacktest({ definition: smaCross, params, symbol: 'BTC', bars: replay, settings: backtestSettingsSchema.parse({ cash: 100_000, fractionalUnit: 0.001, tradeOnClose: true }) });
    // Live, a decision on the bar closing at t happens at t; in the replay it is bar index → that bar's close.
    const replayed = result.decisions.map((d) => ({ time: replay[d.bar]!.time + MINUTE, text: d.text }));
    // Live, the last signal of each bar's decision (a close, then the new entry) is what the replay records per bar.
    const perBar = new Map<number, string>();
    for (const s of signals) perBar.set(Math.floor(s.time / MINUTE) * MINUTE, s.text);
    const live = [...perBar].map(([time, text]) => ({ time, text }));
    expect(live.length, 'the live run made decisions to compare').toBeGreaterThan(2);
    expect(live).toEqual(replayed.map((d) => ({ time: d.time, text: d.text })));
  }, 180_000);
});
