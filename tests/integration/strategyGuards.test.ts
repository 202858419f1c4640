/**
 * What keeps a strategy from hurting anything but itself, on the paper
 * venue through the whole engine: its own limits refuse orders beyond them
 * (open orders; position value, its resting orders counted as filled) and
 * stop it past its daily loss; a handler that throws or holds the engine past
 * its budget puts only that instance in `error`, cancelling nothing; the
 * others and the emergency stop go on. The strategies are user files in the
 * data folder, loaded as a trader's would be.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import type { PaperVenue } from '../../src/main/venues/paper/paperVenue';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { engineKernel } from '../../src/main/engine/strategies/engineKernel';
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

/** User strategies: each file one behaviour under test. */
const FILES: Record<string, string> = {
  // Lays three resting buys 3, 4 and 5 % under the market at start.
  'ladder.cjs': `module.exports = {
    type: 'ladder', name: 'Ladder', summary: 'three resting buys', explanation: 'Test strategy.',
    params: [{ name: 'quantity', type: 'float', default: 0.001, min: 0.001, description: 'per order' }],
    warmupBars: () => 0,
    create(ctx, p) {
      return { async onStart() {
        const bid = ctx.quote().bid;
        for (const f of [0.97, 0.96, 0.95]) await ctx.submit({ side: 'buy', type: 'limit', price: bid * f, size: { quantity: p.quantity }, reason: 'ladder' });
      } };
    },
  };`,
  // Buys a fixed quantity at market when it starts.
  'buyer.cjs': `module.exports = {
    type: 'buyer', name: 'Buyer', summary: 'buys at start', explanation: 'Test strategy.',
    params: [{ name: 'quantity', type: 'float', default: 0.01, min: 0.001, description: 'to buy' }],
    warmupBars: () => 0,
    create(ctx, p) { return { async onStart() { await ctx.buy({ quantity: p.quantity }, 'buy at start'); } }; },
  };`,
  // Throws on its first decision.
  'thrower.cjs': `module.exports = {
    type: 'thrower', name: 'Thrower', summary: 'throws', explanation: 'Test strategy.', params: [], warmupBars: () => 0,
    create() { return { onBar() { throw new Error('boom on purpose'); } }; },
  };`,
  // Holds the thread for 400 ms on its first decision (its budget is 250 ms).
  'hog.cjs': `module.exports = {
    type: 'hog', name: 'Hog', summary: 'blocks', explanation: 'Test strategy.', params: [], warmupBars: () => 0,
    create() { return { onBar() { const end = Date.now() + 400; while (Date.now() < end) {} } }; },
  };`,
};

async function start(again?: { dataDir: string; clock: SimulatedClock }): Promise<{ keel: Keel; clock: SimulatedClock; dataDir: string }> {
  let dataDir = again?.dataDir;
  if (!dataDir) {
    dataDir = mkdtempSync(join(tmpdir(), 'keel-guards-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'strategies'));
    for (const [file, text] of Object.entries(FILES)) writeFileSync(join(dataDir, 'strategies', file), text);
  }
  const clock = again?.clock ?? new SimulatedClock(Date.parse('2026-11-20T12:00:30Z'));
  const keel = await createKeel({ dataDir, mode: 'headless', seed: 5, clock, checkResults: true });
  open.push(keel);
  return { keel, clock, dataDir };
}

async function call<T>(keel: Keel, method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw outcome.error;
  return outcome.result as T;
}

async function launch(keel: Keel, type: string, extra: Record<string, unknown> = {}): Promise<StrategyInstance> {
  const created = await call<StrategyInstance>(keel, 'strategies.create', { type, venue: 'paper', symbol: SYMBOL, timeframe: '1m', params: {}, ...extra });
  return call<StrategyInstance>(keel, 'strategies.start', { id: created.id });
}

async function instance(keel: Keel, id: string): Promise<StrategyInstance> {
  return (await call<{ strategies: StrategyInstance[] }>(keel, 'strategies.list')).strategies.find((s) => s.id === id)!;
}

const messages = (keel: Keel): string[] => keel.engine.listActivity(200).map((a) => a.message);

describe('a strategy\'s own limits', () => {
  it('refuses orders beyond its open-order limit and says so', async () => {
    const { keel, clock } = await start();
    const ladder = await launch(keel, 'ladder', { limits: { maxOpenOrders: 2, maxPositionValue: null, maxDailyLoss: null } });
    await clock.advanceAndSettle(0);
    const mine = keel.engine.listOrders('open', 100).orders.filter((o) => o.sourceId === ladder.id);
    expect(mine).toHaveLength(2);
    expect(messages(keel).some((m) => /own limit: 2 open orders already \(max 2\)/.test(m))).toBe(true);
  });

  it('refuses an order that would take its position past its value limit', async () => {
    const { keel, clock } = await start();
    const price = Number(keel.engine.ticker('paper', SYMBOL).ask);
    const buyer = await launch(keel, 'buyer', { limits: { maxOpenOrders: null, maxPositionValue: String(Math.floor(price * 0.005)), maxDailyLoss: null } });
    await clock.advanceAndSettle(0);
    expect(keel.engine.listOrders('all', 100).orders.filter((o) => o.sourceId === buyer.id)).toHaveLength(0);
    expect(messages(keel).some((m) => /own limit: the position would be worth/.test(m))).toBe(true);
  });

  it('counts its resting orders on the same side toward its position value limit', async () => {
    const { keel, clock } = await start();
    const bid = Number(keel.engine.ticker('paper', SYMBOL).bid);
    // Room for the first two of its three resting buys of 0.001, not for all three (about 0.0029 × bid).
    const ladder = await launch(keel, 'ladder', { limits: { maxOpenOrders: null, maxPositionValue: (bid * 0.0025).toFixed(2), maxDailyLoss: null } });
    await clock.advanceAndSettle(0);
    const mine = keel.engine.listOrders('open', 100).orders.filter((o) => o.sourceId === ladder.id);
    expect(mine).toHaveLength(2);
    expect(messages(keel).some((m) => /own limit: the position would be worth [\d.]+ with its open buy orders of 0\.002 \(max/.test(m))).toBe(true);
  });

  it('is stopped, saying why, when its loss today passes its daily limit', async () => {
    const { keel, clock } = await start();
    const buyer = await launch(keel, 'buyer', { params: { quantity: 0.05 }, limits: { maxOpenOrders: null, maxPositionValue: null, maxDailyLoss: '50' } });
    await clock.advanceAndSettle(0);
    expect(Dec.parse((await instance(keel, buyer.id)).accounting.position).toString()).toBe('0.05');
    // The market falls 5 %: 0.05 BTC loses far more than 50 USDT.
    const paper = keel.engine.venues.port('paper') as PaperVenue;
    paper.setMarketPrice(SYMBOL, Number(keel.engine.ticker('paper', SYMBOL).last) * 0.95);
    for (let i = 0; i < 3; i++) await clock.advanceAndSettle(MINUTE);
    const after = await instance(keel, buyer.id);
    expect(after.status).toBe('stopped');
    expect(after.statusReason).toMatch(/daily loss limit of 50/);
    // Stopping for a loss keeps the position (the trader decides), and says so nowhere falsely.
    expect(Dec.parse(after.accounting.position).toString()).toBe('0.05');
  });
});

describe('stopping a strategy', () => {
  it('leaves nothing of its own working, whatever it was sending when the stop came', async () => {
    const { keel, clock } = await start();
    const ladder = await launch(keel, 'ladder');
    // Its onStart is laying three orders one by one; the stop takes its turn among them.
    await call(keel, 'strategies.stop', { id: ladder.id });
    for (let i = 0; i < 3; i++) await clock.advanceAndSettle(MINUTE);
    const mine = keel.engine.listOrders('all', 100).orders.filter((o) => o.sourceId === ladder.id);
    expect(mine.length).toBeLessThan(3);
    for (const order of mine) expect(order.status).toBe('canceled');
    expect((await instance(keel, ladder.id)).status).toBe('stopped');
  });

  it('never sends an order that was waiting in the command queue once its strategy no longer wants it', async () => {
    const { keel } = await start();
    const kernel = engineKernel(keel.engine);
    let wanted = true;
    // A slow command holds the queue; the strategy's order waits behind it, and the strategy stops meanwhile.
    let release: (() => void) | undefined;
    const blocker = keel.engine.commands.run(() => new Promise<void>((resolve) => (release = resolve)));
    const bid = Dec.parse(keel.engine.ticker('paper', SYMBOL).bid);
    const waiting = kernel.submit(
      { venue: 'paper', symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '0.001', price: bid.mul(Dec.parse('0.97')).floorTo(Dec.parse('0.1')).toString() },
      's-test',
      () => wanted,
    );
    wanted = false;
    for (let i = 0; i < 100 && !release; i++) await Promise.resolve();
    release!();
    await blocker;
    expect(await waiting).toMatchObject({ ok: false, denial: { code: 'INVALID_STATE', message: 'the strategy stopped before the order could be sent' } });
    expect(keel.engine.listOrders('all', 10).orders).toEqual([]);
  });
});

describe('a strategy\'s own book', () => {
  it('is rebuilt from the journal after a restart: position, fees and realized PnL as before', async () => {
    const first = await start();
    const buyer = await launch(first.keel, 'buyer');
    await first.clock.advanceAndSettle(0);
    const before = (await instance(first.keel, buyer.id)).accounting;
    expect(before.position).toBe('0.01');
    expect(Dec.parse(before.fees).isPositive()).toBe(true);
    await first.keel.shutdown();
    open.splice(open.indexOf(first.keel), 1);

    const second = await start(first);
    const after = (await instance(second.keel, buyer.id)).accounting;
    expect([after.position, after.fees, after.realizedPnl, after.entryPrice]).toEqual([before.position, before.fees, before.realizedPnl, before.entryPrice]);
  });
});

describe('a failing strategy', () => {
  it('goes to error with the reason when a handler throws, cancelling nothing; the others and the emergency stop go on', async () => {
    const { keel, clock } = await start();
    const ladder = await launch(keel, 'ladder');
    const thrower = await launch(keel, 'thrower');
    await clock.advanceAndSettle(0);
    for (let i = 0; i < 2; i++) await clock.advanceAndSettle(MINUTE);
    const failed = await instance(keel, thrower.id);
    expect(failed.status).toBe('error');
    expect(failed.statusReason).toMatch(/onBar threw: boom on purpose/);
    expect((await instance(keel, ladder.id)).status).toBe('running');
    expect(keel.engine.listOrders('open', 100).orders.filter((o) => o.sourceId === ladder.id)).toHaveLength(3);
    const report = await call<{ complete: boolean }>(keel, 'emergency.stop', { flatten: false });
    expect(report.complete).toBe(true);
    expect((await instance(keel, ladder.id)).status).toBe('stopped');
    expect(keel.engine.listOrders('open', 100).orders).toHaveLength(0);
  });

  it('goes to error when a handler holds the engine past its budget', async () => {
    const { keel, clock } = await start();
    const hog = await launch(keel, 'hog');
    for (let i = 0; i < 2; i++) await clock.advanceAndSettle(MINUTE);
    const failed = await instance(keel, hog.id);
    expect(failed.status).toBe('error');
    expect(failed.statusReason).toMatch(/held the engine for \d+ ms \(its budget is 250 ms\)/);
  });
});
