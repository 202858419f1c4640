/**
 * One engine core for live, paper and backtest: the same scenario — a limit
 * order rests, fills partly and is cancelled; a market order opens a
 * position; the emergency stop flattens it — runs under both composition
 * roots and produces the same order events. Only the clock and the venue
 * differ (live: SQLite, random ids, the synthetic paper market; backtest:
 * in-memory journal, sequential ids, bars).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeel } from '../../src/main/app';
import { createBacktest } from '../../src/main/backtest/createBacktest';
import type { Engine } from '../../src/main/engine/engine';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { PAPER_INSTRUMENTS } from '../../src/main/venues/paper/instruments';
import type { PaperVenue } from '../../src/main/venues/paper/paperVenue';
import { Dec } from '../../src/shared/decimal';
import type { Bar } from '../../src/shared/domain';

const SYMBOL = 'BTC/USDT:USDT';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every order's history, in the order the orders were placed: who sent it and each event's type, outcome and status. */
function histories(engine: Engine): string[][] {
  const orders = engine.listOrders('all', 100).orders.slice().reverse();
  return orders.map((o) => [o.source, ...engine.orderEvents(o.id).map((e) => `${e.type}:${e.outcome}:${e.status}`)]);
}

async function liveRun(): Promise<string[][]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-parity-'));
  dirs.push(dataDir);
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:00Z'));
  const keel = await createKeel({ dataDir, mode: 'headless', seed: 3, clock });
  const { engine } = keel;
  const paper = engine.venues.port('paper') as PaperVenue;
  const tick = Dec.parse('0.1');
  const bid = Dec.parse(engine.ticker('paper', SYMBOL).bid);
  const limit = bid.sub(tick.mul(Dec.parse('50'))).floorTo(tick);
  const resting = await engine.placeOrder({ venue: 'paper', symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '0.003', price: limit.toString() });
  // A trade prints through the limit for a third of the order: a partial maker fill.
  paper.injectTrade(SYMBOL, 'sell', limit.sub(tick).toString(), '0.001');
  await clock.advanceAndSettle(0);
  await engine.cancelOrder(resting.id);
  await engine.placeOrder({ venue: 'paper', symbol: SYMBOL, side: 'buy', type: 'market', quantity: '0.002' });
  const report = await engine.emergencyStop({ flatten: true, trigger: 'parity' });
  expect(report.complete).toBe(true);
  const result = histories(engine);
  await keel.shutdown();
  return result;
}

async function backtestRun(): Promise<string[][]> {
  const hour = 3_600_000;
  const start = Date.parse('2026-11-20T00:00:00Z');
  const bar = (i: number, open: number, high: number, low: number, close: number, volume: number): Bar => ({ time: start + i * hour, open, high, low, close, volume });
  const bars = [
    bar(0, 60_000, 60_100, 59_950, 60_000, 5),
    // Reaches the resting limit; its volume lets the order take a third of its size.
    bar(1, 60_000, 60_050, 59_800, 59_950, 0.01),
    bar(2, 59_950, 60_200, 59_900, 60_100, 5),
    bar(3, 60_100, 60_300, 60_000, 60_250, 5),
    bar(4, 60_250, 60_400, 60_100, 60_300, 5),
  ];
  const instrument = PAPER_INSTRUMENTS[0]!.instrument;
  const backtest = await createBacktest({ instruments: [instrument], bars: { [SYMBOL]: bars }, timeframe: '1h', initialBalance: '10000', maxVolumeShare: '0.1' });
  const { engine } = backtest;
  const venue = 'backtest';
  let stopping: Promise<unknown> | undefined;
  let resting = '';
  await backtest.run(async (_bar) => {
    const index = bars.indexOf(_bar);
    if (index === 0) resting = (await engine.placeOrder({ venue, symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '0.003', price: '59900' })).id;
    if (index === 1) {
      await engine.cancelOrder(resting);
      await engine.placeOrder({ venue, symbol: SYMBOL, side: 'buy', type: 'market', quantity: '0.002' });
    }
    // The stop's close order meets the next bar, as every order does in a backtest.
    if (index === 2) stopping = engine.emergencyStop({ flatten: true, trigger: 'parity' });
  });
  const report = (await stopping) as { complete: boolean };
  expect(report.complete).toBe(true);
  const result = histories(engine);
  await backtest.stop();
  return result;
}

describe('one kernel under both composition roots', () => {
  it('the same scenario produces the same order events live and in a backtest', async () => {
    const live = await liveRun();
    const backtest = await backtestRun();
    expect(live).toEqual([
      ['manual', 'OrderSubmitted:applied:pending_new', 'OrderAccepted:applied:open', 'OrderFilled:applied:partially_filled', 'OrderCancelRequested:applied:pending_cancel', 'OrderCanceled:applied:canceled'],
      ['manual', 'OrderSubmitted:applied:pending_new', 'OrderAccepted:applied:open', 'OrderFilled:applied:filled'],
      ['emergency', 'OrderSubmitted:applied:pending_new', 'OrderAccepted:applied:open', 'OrderFilled:applied:filled'],
    ]);
    expect(backtest).toEqual(live);
  });
});
