import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../engine/clock';
import type { PaperAccountRecord, PaperMarketRecord, PaperOrderRecord } from '../venues/paper/store';
import { BTC, ETH, START, fillsOf, harness, offset, order, types } from '../venues/paper/testSupport';
import { PaperVenueRepository } from './paperVenueRepository';

const DDL = `
  CREATE TABLE paper_orders (venue TEXT NOT NULL, client_order_id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (venue, client_order_id));
  CREATE TABLE paper_accounts (venue TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE paper_market (venue TEXT NOT NULL, symbol TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (venue, symbol));
`;

const dirs: string[] = [];

function openDb(file = ':memory:', create = true): Database.Database {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  if (create) db.exec(DDL);
  return db;
}

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-paper-'));
  dirs.push(dir);
  return join(dir, 'journal.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const orderRecord = (clientOrderId: string, status: PaperOrderRecord['status'] = 'open'): PaperOrderRecord => ({
  seq: 3,
  clientOrderId,
  venueOrderId: 'paper-o-3',
  symbol: BTC,
  side: 'buy',
  type: 'limit',
  quantity: '0.01',
  price: '80000.1',
  stopPrice: null,
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  status,
  filledQuantity: '0',
  triggered: false,
  createdAt: START,
  updatedAt: START,
  reason: null,
});

const accountRecord: PaperAccountRecord = {
  ledger: {
    currency: 'USDT',
    balance: '9990.5',
    realizedPnl: '0',
    feesPaid: '9.5',
    leverage: { [BTC]: 20 },
    positions: [{ symbol: BTC, quantity: '0.25', cost: '20000', realizedPnl: '0', feesPaid: '9.5', leverage: 20, updatedAt: START }],
  },
  nextOrderSeq: 7,
  nextTradeSeq: 12,
  updatedAt: START,
};

const marketRecord: PaperMarketRecord = {
  symbol: ETH,
  price: 3012.345678,
  lastTicks: 301_234,
  process: { logPrice: Math.log(3012.345678), garch: 1.7, pendingMs: 400, pendingShock: 0.3, trend: -1, volRegime: 2, rangeAnchor: 8 },
  updatedAt: START,
};

describe('PaperVenueRepository', () => {
  it('round-trips orders, the account and market state', () => {
    const repo = new PaperVenueRepository(openDb());
    expect(repo.loadOrders()).toEqual([]);
    expect(repo.loadAccount()).toBeUndefined();
    expect(repo.loadMarket()).toEqual([]);

    repo.saveOrder(orderRecord('a'));
    repo.saveOrder(orderRecord('b'));
    repo.saveOrder({ ...orderRecord('a', 'partially_filled'), filledQuantity: '0.004' });
    repo.saveAccount(accountRecord);
    repo.saveMarket(marketRecord);
    repo.saveMarket({ ...marketRecord, price: 3000 });

    const orders = repo.loadOrders().sort((x, y) => x.clientOrderId.localeCompare(y.clientOrderId));
    expect(orders).toEqual([{ ...orderRecord('a', 'partially_filled'), filledQuantity: '0.004' }, orderRecord('b')]);
    expect(repo.loadAccount()).toEqual(accountRecord);
    expect(repo.loadMarket()).toEqual([{ ...marketRecord, price: 3000 }]);

    repo.deleteOrders(['a', 'missing']);
    expect(repo.loadOrders().map((o) => o.clientOrderId)).toEqual(['b']);
  });

  it('keeps venues apart in the same tables', () => {
    const db = openDb();
    const paper = new PaperVenueRepository(db);
    const other = new PaperVenueRepository(db, 'paper2');
    expect(paper.venue).toBe('paper');
    paper.saveOrder(orderRecord('a'));
    other.saveOrder(orderRecord('a', 'canceled'));
    other.saveAccount(accountRecord);
    expect(paper.loadOrders().map((o) => o.status)).toEqual(['open']);
    expect(other.loadOrders().map((o) => o.status)).toEqual(['canceled']);
    expect(paper.loadAccount()).toBeUndefined();
    other.deleteOrders(['a']);
    expect(paper.loadOrders()).toHaveLength(1);
  });

  it('writes a transaction together or not at all', () => {
    const repo = new PaperVenueRepository(openDb());
    expect(() =>
      repo.transaction(() => {
        repo.saveOrder(orderRecord('a'));
        repo.saveAccount(accountRecord);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(repo.loadOrders()).toEqual([]);
    expect(repo.loadAccount()).toBeUndefined();
    expect(repo.transaction(() => 42)).toBe(42);
  });

  it('refuses a damaged body instead of handing it to the venue', () => {
    const db = openDb();
    db.prepare("INSERT INTO paper_accounts (venue, body) VALUES ('paper', '{\"ledger\": 1}')").run();
    db.prepare("INSERT INTO paper_orders (venue, client_order_id, body) VALUES ('paper', 'x', 'not json')").run();
    const repo = new PaperVenueRepository(db);
    expect(() => repo.loadAccount()).toThrow(/Unreadable paper venue account/);
    expect(() => repo.loadOrders()).toThrow(/Unreadable paper venue order/);
  });
});

describe('paper venue restart through SQLite', () => {
  it('restores resting orders, position, balance and id counters exactly', async () => {
    const file = tempFile();
    const db1 = openDb(file);
    const first = harness({ store: new PaperVenueRepository(db1), initialBalance: '25000' });
    await first.venue.setLeverage(BTC, 25);
    await first.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.05' }));
    await first.venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1.2' }));
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(first.venue.ticker(BTC).bid, '-250'), quantity: '0.03' });
    await first.venue.submit(resting);
    const reduce = order({ symbol: ETH, side: 'buy', type: 'limit', price: offset(first.venue.ticker(ETH).bid, '-20'), quantity: '0.5', reduceOnly: true });
    await first.venue.submit(reduce);
    await first.venue.start();
    first.clock.advanceBy(5_000);
    await first.venue.stop();
    const before = {
      balances: await first.venue.balanceReports(),
      positions: await first.venue.positionReports(),
      open: await first.venue.openOrderReports(),
      summary: first.venue.accountSummary(),
      tradeIds: fillsOf(first.events).map((f) => f.tradeId),
      btcMark: Number(first.venue.ticker(BTC).mark),
      filled: await first.venue.orderReport(fillsOf(first.events)[0]!.clientOrderId),
    };
    db1.close();

    const db2 = openDb(file, false);
    const second = harness({ store: new PaperVenueRepository(db2), initialBalance: '25000' }, new SimulatedClock(first.clock.now() + 30_000));
    expect(await second.venue.balanceReports()).toEqual(before.balances);
    expect(await second.venue.positionReports()).toEqual(before.positions);
    expect(await second.venue.openOrderReports()).toEqual(before.open);
    expect(await second.venue.orderReport(before.filled!.clientOrderId)).toEqual(before.filled);
    expect(second.venue.accountSummary().balance).toBe(before.summary.balance);
    expect(second.venue.accountSummary().orderMargin).toBe(before.summary.orderMargin);
    expect(Math.abs(Number(second.venue.ticker(BTC).mark) / before.btcMark - 1)).toBeLessThan(0.001);

    // The resting order survived and still fills; its trade id is new.
    second.venue.setMarketPrice(BTC, Number(offset(resting.price!, '-10')));
    const fill = fillsOf(second.events, resting.clientOrderId)[0]!;
    expect(fill).toMatchObject({ price: resting.price, quantity: '0.03', liquidity: 'maker' });
    expect(before.tradeIds).not.toContain(fill.tradeId);
    // The reduce-only order still reduces the restored short.
    second.venue.setMarketPrice(ETH, Number(offset(reduce.price!, '-2')));
    expect(types(second.events.filter((e) => e.clientOrderId === reduce.clientOrderId))).toEqual(['OrderFilled']);
    expect((await second.venue.positionReports()).find((p) => p.symbol === ETH)?.quantity).toBe('-0.7');
    db2.close();

    // A third start sees the second run's fills too.
    const db3 = openDb(file, false);
    const third = harness({ store: new PaperVenueRepository(db3), initialBalance: '25000' }, new SimulatedClock(second.clock.now() + 1_000));
    expect(await third.venue.positionReports()).toEqual(await second.venue.positionReports());
    await third.venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.01' }));
    const newIds = fillsOf(third.events).map((f) => f.tradeId);
    const allBefore = [...before.tradeIds, ...fillsOf(second.events).map((f) => f.tradeId)];
    for (const id of newIds) expect(allBefore).not.toContain(id);
    db3.close();
  });
});
