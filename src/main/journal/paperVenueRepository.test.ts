import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../engine/ports/clock';
import { TIMEFRAMES } from '../../shared/domain';
import type { PaperAccountRecord, PaperBarRecord, PaperFillRecord, PaperMarketRecord, PaperOrderRecord } from '../venues/paper/store';
import { BTC, ETH, SOL, START, type Filled, fillsOf, harness, offset, order, types } from '../venues/paper/testSupport';
import { migrate } from './migrations';
import { PaperVenueRepository } from './paperVenueRepository';

const dirs: string[] = [];

function openDb(file = ':memory:', create = true): Database.Database {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  // The journal's own schema, so the repository is tested against the tables it will meet.
  if (create) migrate(db);
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
  live: { time: START - (START % 60_000), open: 301_230, high: 301_240, low: 301_229, close: 301_234, volume: 1_234 },
  updatedAt: START,
};

/** `count` consecutive bars from `from`, walking a tick at a time. */
const barRecords = (from: number, count: number, open = 800_000): PaperBarRecord[] =>
  Array.from({ length: count }, (_, i) => ({ time: from + i * 60_000, open: open + i, high: open + i + 3, low: open + i - 2, close: open + i + 1, volume: 7 * i }));

const fillRecord = (tradeId: string, timestamp: number): PaperFillRecord => ({
  clientOrderId: 'c-1',
  venueOrderId: 'paper-o-1',
  tradeId,
  side: 'buy',
  symbol: BTC,
  quantity: '0.001',
  price: '80000.1',
  fee: '0.04000005',
  feeCurrency: 'USDT',
  liquidity: 'taker',
  timestamp,
});

const withoutType = (fill: Filled): PaperFillRecord => {
  const { type: _type, ...rest } = fill;
  return rest;
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

  it('stores bars as integer rows: appended in batches, the same minute replaced, loaded from a time in order, pruned by time', () => {
    const db = openDb();
    const repo = new PaperVenueRepository(db);
    const other = new PaperVenueRepository(db, 'paper2');
    expect(repo.loadBars(BTC, 0)).toEqual([]);
    // More than a batch statement takes, so both the batched and the single-row paths run.
    const bars = barRecords(START, 257);
    repo.saveBars(BTC, bars);
    repo.saveBars(ETH, barRecords(START, 3, 300_000));
    other.saveBars(BTC, barRecords(START, 2, 10));
    expect(repo.loadBars(BTC, 0)).toEqual(bars);
    expect(repo.loadBars(BTC, bars[200]!.time)).toEqual(bars.slice(200));
    const replaced = { ...bars[256]!, close: bars[256]!.close + 1, high: bars[256]!.high + 1, volume: 99 };
    repo.saveBars(BTC, [replaced, ...barRecords(bars[256]!.time + 60_000, 1)]);
    expect(repo.loadBars(BTC, bars[255]!.time)).toEqual([bars[255], replaced, ...barRecords(bars[256]!.time + 60_000, 1)]);
    repo.pruneBars(BTC, bars[100]!.time);
    expect(repo.loadBars(BTC, 0)[0]).toEqual(bars[100]);
    // Other symbols and venues are untouched.
    expect(repo.loadBars(ETH, 0)).toHaveLength(3);
    expect(other.loadBars(BTC, 0)).toHaveLength(2);
    // Compact: integers, no JSON.
    expect(db.prepare("SELECT typeof(open) AS t, typeof(volume) AS v FROM paper_bars LIMIT 1").get()).toEqual({ t: 'integer', v: 'integer' });
  });

  it('refuses a damaged bar', () => {
    const db = openDb();
    db.prepare("INSERT INTO paper_bars (venue, symbol, time, open, high, low, close, volume) VALUES ('paper', ?, 0, 10, 9, 8, 10, 1)").run(BTC);
    expect(() => new PaperVenueRepository(db).loadBars(BTC, 0)).toThrow(/Unreadable paper venue bar/);
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

  it('keeps the fill history: oldest first, saving order among equal times, from a time on, once per trade id', () => {
    const db = openDb();
    const repo = new PaperVenueRepository(db);
    const other = new PaperVenueRepository(db, 'paper2');
    expect(repo.loadFills(0)).toEqual([]);
    repo.saveFill(fillRecord('paper-t-3', START + 20));
    repo.saveFill(fillRecord('paper-t-1', START + 10));
    repo.saveFill(fillRecord('paper-t-2', START + 10));
    repo.saveFill(fillRecord('paper-t-4', START + 30));
    other.saveFill(fillRecord('paper-t-1', START));
    // Saving a trade id again changes nothing: the first record stands.
    repo.saveFill({ ...fillRecord('paper-t-4', START + 30), price: '1' });
    expect(repo.loadFills(0).map((f) => f.tradeId)).toEqual(['paper-t-1', 'paper-t-2', 'paper-t-3', 'paper-t-4']);
    expect(repo.loadFills(0)[0]).toEqual(fillRecord('paper-t-1', START + 10));
    expect(repo.loadFills(START + 20).map((f) => f.tradeId)).toEqual(['paper-t-3', 'paper-t-4']);
    expect(repo.loadFills(START + 30)[0]!.price).toBe('80000.1');
    expect(repo.loadFills(START + 31)).toEqual([]);
    expect(other.loadFills(0)).toEqual([fillRecord('paper-t-1', START)]);
  });

  it('refuses a damaged fill', () => {
    const db = openDb();
    db.prepare("INSERT INTO paper_fills (venue, trade_id, timestamp, body) VALUES ('paper', 'paper-t-1', 1, '{\"tradeId\": 1}')").run();
    expect(() => new PaperVenueRepository(db).loadFills(0)).toThrow(/Unreadable paper venue fill/);
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
    // Every fill of the three runs is in the history, in the order made.
    expect(await third.venue.fillReports(0)).toEqual([...fillsOf(first.events), ...fillsOf(second.events), ...fillsOf(third.events)].map(withoutType));
    db3.close();
  });
});

describe('paper venue market history through SQLite', () => {
  it('serves the same candles of every timeframe after a restart, with the minutes it was down filled and kept', async () => {
    const file = tempFile();
    const options = { initialBalance: '25000', historyMinutes: 2 * 1440 };
    const db1 = openDb(file);
    const first = harness({ ...options, store: new PaperVenueRepository(db1) });
    await first.venue.start();
    first.clock.advanceBy(2 * 60_000 + 10_000);
    await first.venue.stop();
    const candlesOf = async (h: typeof first, symbol: string) => Object.fromEntries(await Promise.all(TIMEFRAMES.map(async (tf) => [tf, await h.venue.candles(symbol, tf, 5000)] as const)));
    const before = await candlesOf(first, SOL);
    db1.close();

    const db2 = openDb(file, false);
    const second = harness({ ...options, store: new PaperVenueRepository(db2) }, new SimulatedClock(first.clock.now() + 40 * 60_000));
    const after = await candlesOf(second, SOL);
    // Every 1m bar, the one live at the stop included, reads back exactly; so does every closed bucket of every timeframe.
    expect(after['1m']!.slice(0, before['1m']!.length)).toEqual(before['1m']);
    for (const tf of TIMEFRAMES) {
      // The hourly chart reaches two years back: its oldest candles slide out of the 5,000 as time goes on.
      const kept = before[tf]!.filter((c) => c.time >= after[tf]![0]!.time);
      expect(after[tf]!.slice(0, kept.length - 1)).toEqual(kept.slice(0, -1));
    }
    expect(after['1m']!.length - before['1m']!.length).toBe(40);
    await second.venue.stop();
    db2.close();

    const db3 = openDb(file, false);
    const third = harness({ ...options, store: new PaperVenueRepository(db3) }, new SimulatedClock(second.clock.now() + 1_000));
    expect(await candlesOf(third, SOL)).toEqual(after);
    db3.close();
  });
});

describe('paper venue and a journal on one SQLite connection', () => {
  const JOURNAL = 'CREATE TABLE test_journal (trade_id TEXT PRIMARY KEY, in_transaction INTEGER NOT NULL)';

  /** Throws at the end of the venue's outermost transaction, once asked: the process dying before COMMIT. */
  class DyingRepository extends PaperVenueRepository {
    dieBeforeCommit = false;
    private depth = 0;

    override transaction<T>(fn: () => T): T {
      return super.transaction(() => {
        this.depth++;
        try {
          const result = fn();
          if (this.depth === 1 && this.dieBeforeCommit) throw new Error('power cut');
          return result;
        } finally {
          this.depth--;
        }
      });
    }
  }

  function setUp() {
    const db = openDb();
    db.exec(JOURNAL);
    const insert = db.prepare<[string, number]>('INSERT INTO test_journal (trade_id, in_transaction) VALUES (?, ?)');
    const store = new DyingRepository(db);
    const errors: unknown[] = [];
    const h = harness({ store, initialBalance: '1000000', onError: (e) => errors.push(e) });
    const journaled = (): string[] => (db.prepare('SELECT trade_id FROM test_journal ORDER BY rowid').all() as Array<{ trade_id: string }>).map((r) => r.trade_id);
    const stored = (): string[] => (db.prepare('SELECT trade_id FROM paper_fills ORDER BY rowid').all() as Array<{ trade_id: string }>).map((r) => r.trade_id);
    return { ...h, db, insert, store, errors, journaled, stored };
  }

  it('a market-driven fill and the listener’s journal entry for it commit together', async () => {
    const { db, insert, venue, clock, events, journaled, stored } = setUp();
    venue.onExecution((e) => {
      if (e.type === 'OrderFilled') insert.run(e.tradeId, db.inTransaction ? 1 : 0);
    });
    await venue.submit(order({ symbol: ETH, side: 'buy', type: 'limit', price: venue.ticker(ETH).bid, quantity: '1' }));
    await venue.start();
    clock.advanceBy(30 * 60_000);
    await venue.stop();
    const tradeIds = fillsOf(events).map((f) => f.tradeId);
    expect(tradeIds.length).toBeGreaterThan(0);
    expect(journaled()).toEqual(tradeIds);
    expect(stored()).toEqual(tradeIds);
    expect(db.prepare('SELECT DISTINCT in_transaction AS t FROM test_journal').all()).toEqual([{ t: 1 }]);
    expect(db.inTransaction).toBe(false);
  });

  it('a crash before the commit loses both the venue’s fill and the journal entry, never one of them', async () => {
    const { db, insert, store, venue, events, journaled, stored } = setUp();
    venue.onExecution((e) => {
      if (e.type === 'OrderFilled') insert.run(e.tradeId, 1);
    });
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-20'), quantity: '0.01' });
    await venue.submit(resting);
    store.dieBeforeCommit = true;
    expect(() => venue.setMarketPrice(BTC, Number(offset(resting.price!, '-5')))).toThrow('power cut');
    // The listener heard the fill once, inside the transaction that was then lost.
    expect(fillsOf(events, resting.clientOrderId)).toHaveLength(1);
    expect(stored()).toEqual([]);
    expect(journaled()).toEqual([]);
    expect(db.inTransaction).toBe(false);

    // What a restart finds: the order still resting, no fill on either side.
    const after = harness({ store: new PaperVenueRepository(db), initialBalance: '1000000' });
    expect(await after.venue.orderReport(resting.clientOrderId)).toMatchObject({ status: 'open', filledQuantity: '0' });
    expect(await after.venue.fillReports(0)).toEqual([]);
  });

  it('a listener whose own transaction fails is reported; the venue’s fill still commits', async () => {
    const { db, insert, venue, errors, journaled, stored } = setUp();
    venue.onExecution((e) => {
      if (e.type === 'OrderFilled') {
        db.transaction(() => {
          insert.run(e.tradeId, 1);
          throw new Error('journal refused');
        })();
      }
    });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' }));
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-20'), quantity: '0.01' });
    await venue.submit(resting);
    venue.setMarketPrice(BTC, Number(offset(resting.price!, '-5')));
    expect(errors.map((e) => (e as Error).message)).toEqual(['journal refused', 'journal refused']);
    expect(journaled()).toEqual([]);
    expect(stored()).toEqual(['paper-t-1', 'paper-t-2']);
    expect((await venue.fillReports(0)).map((f) => f.clientOrderId)[1]).toBe(resting.clientOrderId);
    expect(db.inTransaction).toBe(false);
  });
});
