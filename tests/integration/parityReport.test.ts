/**
 * The parity report of instances that ran on the paper venue under a
 * simulated clock: the replay of their period through the backtest kernel
 * (in a backtest worker) makes the same decisions on the same bars, filled
 * a few basis points apart at most; a stretch the instance was paused shows
 * up as missed bars, and an order held up behind a busy engine as latency.
 *
 * "Clockwork", a strategy of the user's folder, decides by the bar's time
 * alone (buy on even minutes, sell on odd ones, a fixed size), so every bar
 * carries a decision wherever the market goes; SMA cross shows the same for
 * a built-in that decides on prices.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import type { ParityReport, ParityRow } from '../../src/shared/contract/parity';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import { Dec } from '../../src/shared/decimal';

const SYMBOL = 'BTC/USDT:USDT';
const MINUTE = 60_000;
const dirs: string[] = [];
const open: Keel[] = [];

afterEach(async () => {
  for (const keel of open.splice(0)) await keel.shutdown();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CLOCKWORK = `module.exports = {
  type: 'clockwork',
  name: 'Clockwork',
  summary: 'Buys on even minutes, sells on odd ones.',
  explanation: 'Decides by the bar time alone.',
  params: [{ name: 'lookback', type: 'int', default: 3, min: 0, max: 10, description: 'Warm-up bars.' }],
  warmupBars: (p) => p.lookback,
  create: (ctx) => ({
    onBar: (bar) => (Math.floor(bar.time / 60000) % 2 === 0 ? ctx.buy({ quantity: '0.001' }, 'even minute: buy') : ctx.sell({ quantity: '0.001' }, 'odd minute: sell')),
  }),
};
`;

async function start(): Promise<{ keel: Keel; clock: SimulatedClock }> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-parity-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'strategies'));
  writeFileSync(join(dir, 'strategies', 'clockwork.js'), CLOCKWORK);
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:30Z'));
  const keel = await createKeel({ dataDir: dir, mode: 'headless', seed: 11, clock, checkResults: true });
  open.push(keel);
  return { keel, clock };
}

async function call<T>(keel: Keel, method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw outcome.error;
  return outcome.result as T;
}

async function minutes(clock: SimulatedClock, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await clock.advanceAndSettle(MINUTE);
}

/** Every paired row's slippage is the two average fills' difference, against the trader, and small. */
function expectSlippageOfFills(rows: readonly ParityRow[]): void {
  for (const row of rows) {
    if (!row.live || !row.replay || !row.slippage) continue;
    const diff = Dec.parse(row.live.averagePrice!).sub(Dec.parse(row.replay.averagePrice!));
    const adverse = row.side === 'buy' ? diff : diff.neg();
    expect(Dec.parse(row.slippage.price).eq(adverse), `slippage of the ${row.side} on ${row.barTime}`).toBe(true);
    expect(Math.abs(row.slippage.bps), 'a market order live and at the close in the replay fill a few bps apart').toBeLessThan(100);
  }
}

describe('the parity report of an instance on the paper venue', () => {
  it('finds the same decisions on every bar, shows a pause as missed bars and a held-up order as latency', async () => {
    const { keel, clock } = await start();
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'clockwork', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: { lookback: 3 } });
    // Before it ever ran there is nothing to compare, and no tracking error.
    await expect(call(keel, 'strategies.parity', { id: created.id })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(await keel.parity.trackingError(created.id)).toBeNull();
    await call(keel, 'strategies.start', { id: created.id });
    await minutes(clock, 8);

    const first = await call<ParityReport>(keel, 'strategies.parity', { id: created.id });
    const { summary } = first;
    expect(summary.bars, 'one decision per minute that closed while it ran').toBe(8);
    expect(summary.warmupBars).toBe(3);
    expect(summary.liveOrders).toBe(8);
    expect(summary.replayOrders).toBe(8);
    expect(summary.matched).toBe(8);
    expect(summary.missing + summary.extra + summary.missedBars).toBe(0);
    expect(first.rows.map((r) => r.reason).filter((r) => r !== 'same' && r !== 'price')).toEqual([]);
    for (const row of first.rows) {
      expect(row.live!.side).toBe(row.replay!.side);
      expect(Dec.parse(row.live!.quantity).eq(Dec.parse(row.replay!.quantity))).toBe(true);
      expect(row.side).toBe(Math.floor(row.barTime / MINUTE) % 2 === 0 ? 'buy' : 'sell');
      expect(row.lagMs!).toBeLessThanOrEqual(summary.latencyThresholdMs);
    }
    expectSlippageOfFills(first.rows);
    expect(summary.liveTrades).toBeGreaterThanOrEqual(3);
    expect(summary.replayTrades).toBe(summary.liveTrades);
    expect(summary.trackingErrorBps).not.toBeNull();
    expect(summary.trackingErrorBps!).toBeGreaterThanOrEqual(0);
    expect(await keel.parity.trackingError(created.id)).toBe(summary.trackingErrorBps);

    // Paused over two bar closes: the instance sees them and decides nothing.
    await call(keel, 'strategies.pause', { id: created.id });
    const pausedAt = clock.now();
    await minutes(clock, 2);
    await call(keel, 'strategies.resume', { id: created.id });
    await minutes(clock, 2);
    // The engine busy for 30 s across a bar's close: the instance's order waits its turn.
    await clock.advanceAndSettle(MINUTE - (clock.now() % MINUTE) - 2_000);
    const heldUpBar = clock.now() + 2_000 - MINUTE;
    const busy = keel.engine.commands.run(() => new Promise<void>((resolve) => void clock.after(30_000, resolve)));
    await clock.advanceAndSettle(40_000);
    await busy;
    await minutes(clock, 2);
    await call(keel, 'strategies.stop', { id: created.id });
    await clock.advanceAndSettle(MINUTE);

    const second = await call<ParityReport>(keel, 'strategies.parity', { id: created.id });
    const missed = second.rows.filter((r) => r.reason === 'missedBar');
    const pausedBars = [1, 2].map((k) => Math.floor(pausedAt / MINUTE) * MINUTE + (k - 1) * MINUTE);
    expect(missed.map((r) => r.barTime)).toEqual(pausedBars);
    for (const row of missed) {
      expect(row.live).toBeNull();
      expect(row.replay!.side).toBe(row.side);
    }
    expect(second.summary.missedBars).toBe(2);
    const late = second.rows.filter((r) => r.reason === 'latency');
    expect(late.map((r) => r.barTime)).toEqual([heldUpBar]);
    expect(late[0]!.lagMs!).toBeGreaterThan(20_000);
    expect(late[0]!.severity).toBe('warning');
    // Everything else was decided alike; after the stop nothing more is compared.
    expect(second.rows.filter((r) => !['same', 'price', 'missedBar', 'latency'].includes(r.reason))).toEqual([]);
    expect(second.summary.to).toBeLessThan(clock.now());
    expect(second.summary.matched).toBe(second.summary.liveOrders);
    expect(second.summary.replayOrders).toBe(second.summary.liveOrders + 2);
    expectSlippageOfFills(second.rows);
  }, 180_000);

  it('replays a built-in that decides on prices to the same decisions', async () => {
    const { keel, clock } = await start();
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'sma-cross', venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: { fast: 2, slow: 4 } });
    await call(keel, 'strategies.start', { id: created.id });
    await minutes(clock, 30);
    let orders = keel.engine.listOrders('all', 500).orders.filter((o) => o.sourceId === created.id).length;
    for (let i = 0; i < 60 && orders < 6; i++) {
      await minutes(clock, 5);
      orders = keel.engine.listOrders('all', 500).orders.filter((o) => o.sourceId === created.id).length;
    }
    expect(orders, 'the SMA 2/4 cross trades within five hours of one-minute bars').toBeGreaterThanOrEqual(6);
    const report = await call<ParityReport>(keel, 'strategies.parity', { id: created.id });
    expect(report.summary.liveOrders).toBe(orders);
    expect(report.summary.matched).toBe(orders);
    expect(report.summary.replayOrders).toBe(orders);
    expect(report.rows.map((r) => r.reason).filter((r) => r !== 'same' && r !== 'price')).toEqual([]);
    expectSlippageOfFills(report.rows);
    // A period given explicitly is the one compared.
    const from = report.summary.from + 10 * MINUTE;
    const part = await call<ParityReport>(keel, 'strategies.parity', { id: created.id, from, to: report.summary.to });
    expect(part.summary.from).toBe(from);
    expect(part.summary.bars).toBe(report.summary.bars - 10);
    await expect(call(keel, 'strategies.parity', { id: created.id, from: report.summary.to, to: from })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(call(keel, 'strategies.parity', { id: 'no-such' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 240_000);
});
