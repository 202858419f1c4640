/**
 * The in-memory journal: the shared conformance suite, then a seeded
 * differential run against the SQLite journal (the reference) that replays
 * the same random writes, nested transactions and rollbacks on both and
 * compares every answer, cursors and ids included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allPages, fill, journalConformance, order } from '../../../tests/support/journalConformance';
import { Rng } from '../../../tests/support/rng';
import type { Fill, Order, OrderStatus } from '../../shared/domain';
import { ORDER_STATUSES } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import { clientOrderId } from '../../shared/ids';
import type { LedgerSnapshot } from '../core/ledger';
import type { EngineJournal } from '../engine/ports/journal';
import { SequentialIdGenerator } from '../engine/ports/ids';
import { openJournalDatabase, type JournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { InMemoryJournal } from './inMemoryJournal';

journalConformance('InMemoryJournal', () => new InMemoryJournal());

const databases: JournalDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});

function reference(): SqliteJournal {
  const db = openJournalDatabase(':memory:');
  databases.push(db);
  return new SqliteJournal(db);
}

const T0 = 1_700_000_000_000;
const VENUES = ['paper', 'other'];
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

/** One step of a generated workload; the same list is replayed on both journals. */
type Op =
  | { kind: 'write'; write: (j: EngineJournal) => unknown }
  | { kind: 'read'; limits: number[] }
  | { kind: 'transaction'; ops: Op[]; fail: boolean };

function generate(rng: Rng, count: number, depth = 0): Op[] {
  const ops: Op[] = [];
  const orderId = () => `o${rng.int(40)}`;
  for (let i = 0; i < count; i++) {
    const roll = rng.int(100);
    const at = T0 + rng.int(50) * 1000;
    if (roll < 14) {
      const o = order(orderId(), { status: rng.pick(ORDER_STATUSES), createdAt: at, venue: rng.pick(VENUES) });
      ops.push({ kind: 'write', write: (j) => j.insertOrder(o) });
    } else if (roll < 26) {
      const o = order(orderId(), { status: rng.pick(ORDER_STATUSES), updatedAt: at, filledQuantity: String(rng.int(5)) });
      ops.push({ kind: 'write', write: (j) => j.updateOrder(o) });
    } else if (roll < 32) {
      const e = { orderId: orderId(), timestamp: at, type: 'OrderAccepted', outcome: 'applied', status: rng.pick(ORDER_STATUSES) as OrderStatus, detail: rng.chance(0.5) ? {} : { reason: `r${i}` } } as const;
      ops.push({ kind: 'write', write: (j) => j.appendOrderEvent(e) });
    } else if (roll < 50) {
      const f = fill(`t${rng.int(60)}`, orderId(), at, { venue: rng.pick(VENUES), price: String(rng.between(1, 9)) });
      ops.push({ kind: 'write', write: (j) => j.insertFill(f) });
    } else if (roll < 56) {
      const symbols = SYMBOLS.filter(() => rng.chance(0.5));
      const snapshot: LedgerSnapshot = {
        // A venue whose ledger changes currency keeps a balance row per currency in SQLite; loads must agree on which one wins.
        currency: rng.pick(['USDT', 'BUSD']),
        balance: String(rng.int(10_000)),
        realizedPnl: String(rng.int(100)),
        feesPaid: '1',
        leverage: Object.fromEntries(SYMBOLS.filter(() => rng.chance(0.3)).map((s) => [s, rng.between(1, 5)])),
        positions: symbols.map((symbol) => ({ symbol, quantity: String(rng.int(9)), cost: '1', realizedPnl: '0', feesPaid: '0', leverage: rng.between(1, 5), updatedAt: at })),
      };
      const venue = rng.pick(VENUES);
      ops.push({ kind: 'write', write: (j) => j.saveLedger(venue, snapshot) });
    } else if (roll < 68) {
      const entry = { timestamp: at, level: 'info', category: 'fill', message: `a${i}`, ...(rng.chance(0.5) ? { data: { i, list: [i, null] } } : {}) } as const;
      ops.push({ kind: 'write', write: (j) => j.appendActivity(entry) });
    } else if (roll < 72) {
      const rule = { olderThan: T0 + rng.int(50) * 1000, keepNewest: rng.int(30), limit: rng.between(1, 8) };
      ops.push({ kind: 'write', write: (j) => j.pruneActivity(rule) });
    } else if (roll < 75) {
      const to = rng.pick(['ACTIVE', 'REDUCING', 'HALTED'] as const);
      ops.push({ kind: 'write', write: (j) => j.saveRiskState({ state: to, reason: to === 'ACTIVE' ? null : 'why', since: at }, { at, from: 'ACTIVE', to, source: 'manual', reason: `s${i}` }) });
    } else if (roll < 77) {
      const venue = rng.pick(VENUES);
      const marks = { dayStartEquity: String(rng.int(99)), dayStartedAt: at, highWaterMark: String(rng.int(99)) };
      ops.push({ kind: 'write', write: (j) => j.saveRiskMarks(venue, marks) });
    } else if (roll < 79) {
      const settings = { emergencyHotkey: 'F1', emergencyFlattenByDefault: rng.chance(0.5), activityRetentionDays: rng.between(1, 90), activityRetentionRows: 1000 };
      ops.push({ kind: 'write', write: (j) => j.saveSettings(settings) });
    } else if (roll < 82) {
      const id = `e${rng.int(12)}`;
      const startedAt = T0 + rng.int(5);
      ops.push({
        kind: 'write',
        write: (j) =>
          j.saveEmergencyReport({ id, trigger: 'menu', flatten: false, startedAt, haltedAt: startedAt, cancelsConfirmedAt: null, flatAt: null, finishedAt: startedAt, ordersCanceled: 0, positionsClosed: 0, unconfirmed: [], complete: true }),
      });
    } else if (roll < 85) {
      const id = `r${rng.int(12)}`;
      const venue = rng.pick(VENUES);
      const finishedAt = T0 + rng.int(5);
      ops.push({
        kind: 'write',
        write: (j) =>
          j.saveReconciliationReport({ id, venue, trigger: 'manual', startedAt: finishedAt, finishedAt, ok: true, reason: null, fillsRecovered: 0, ordersResolved: [], externalOrders: [], positions: [], balances: [], items: [] }),
      });
    } else if (roll < 92 || depth >= 3) {
      ops.push({ kind: 'read', limits: [rng.between(1, 9), rng.between(0, 12), rng.between(1, 9)] });
    } else {
      ops.push({ kind: 'transaction', ops: generate(rng, rng.between(1, 12), depth + 1), fail: rng.chance(0.4) });
    }
  }
  return ops;
}

/** Everything readable, paged at the given sizes, so cursors and ids are compared too. */
function readAll(j: EngineJournal, [pageSize, recent, fillPage]: number[]) {
  return {
    orders: allPages((cursor) => j.listOrders({ openOnly: false, limit: pageSize!, cursor })).pages,
    open: allPages((cursor) => j.listOrders({ openOnly: true, limit: pageSize!, cursor })).pages,
    loaded: j.loadOrders(recent!),
    byClientId: Array.from({ length: 40 }, (_, i) => [j.getOrderByClientId(`c-o${i}`), j.clientOrderIdExists(`c-o${i}`)]),
    events: Array.from({ length: 40 }, (_, i) => j.listOrderEvents(`o${i}`)),
    fills: allPages((cursor) => j.listFills({ limit: fillPage!, cursor })).pages,
    hasFill: VENUES.flatMap((v) => Array.from({ length: 60 }, (_, i) => j.hasFill(v, `t${i}`))),
    lastFill: VENUES.map((v) => j.lastFillTimestamp(v)),
    ledgers: VENUES.map((v) => j.loadLedger(v)),
    activity: j.listActivity(recent!),
    allActivity: j.listActivity(-1),
    riskState: j.loadRiskState(),
    stateChanges: j.listStateChanges(recent!),
    marks: VENUES.map((v) => j.loadRiskMarks(v)),
    settings: j.loadSettings(),
    emergency: j.listEmergencyReports(recent!),
    reconciliation: VENUES.map((v) => j.latestReconciliationReport(v)),
  };
}

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (error) {
    return { threw: error instanceof KeelError ? error.code : error instanceof TypeError ? 'TypeError' : 'Error' };
  }
}

function replay(j: EngineJournal, ops: Op[], log: unknown[]): void {
  for (const op of ops) {
    if (op.kind === 'write') log.push(outcome(() => op.write(j)));
    else if (op.kind === 'read') log.push(readAll(j, op.limits));
    else {
      log.push(
        outcome(() =>
          j.transaction(() => {
            // A failing write inside is caught here, as engine code may: the transaction carries on.
            replay(j, op.ops, log);
            if (op.fail) throw new Error('rolled back');
            return log.length;
          }),
        ),
      );
    }
  }
}

describe('InMemoryJournal against the SQLite journal', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`answers exactly as SQLite does for the same seeded workload (seed ${seed})`, () => {
      const ops = generate(new Rng(seed), 300);
      const expected: unknown[] = [];
      const actual: unknown[] = [];
      const sqlite = reference();
      const memory = new InMemoryJournal();
      replay(sqlite, ops, expected);
      replay(memory, ops, actual);
      // The workload must exercise both paths, or the comparison proves little.
      expect(expected.filter((e) => typeof e === 'object' && e !== null && 'threw' in e).length).toBeGreaterThan(10);
      expect(actual).toEqual(expected);
      expect(readAll(memory, [3, 5, 4])).toEqual(readAll(sqlite, [3, 5, 4]));
    });
  }

  it('hands back what a JSON round trip would, as SQLite does, for odd values', () => {
    const odd = { ...order('o1'), venueOrderId: undefined, note: { deep: [1, undefined] }, price: -0 } as unknown as Order;
    const flatOdd = { ...order('o2', { clientOrderId: 'c-2' }), venueOrderId: undefined, averagePrice: Number.NaN, filledQuantity: -0 } as unknown as Order;
    const oddFill = { ...fill('t1', 'o1', T0), fee: undefined, extra: Number.POSITIVE_INFINITY } as unknown as Fill;
    const answers = (j: EngineJournal) => {
      j.insertOrder(odd);
      j.insertOrder(flatOdd);
      j.insertFill(oddFill);
      j.insertOrder({ ...order('o4', { clientOrderId: 'c-4' }), score: -0 } as unknown as Order);
      j.insertOrder({ ...order('o5', { clientOrderId: 'c-5' }), score: Number.NaN } as unknown as Order);
      j.insertOrder(order('o3', { clientOrderId: 'c-3' }));
      j.updateOrder({ ...order('o3', { clientOrderId: 'renamed' }), status: 'filled' });
      return [j.getOrder('o1'), j.getOrder('o2'), Object.is(j.getOrder('o4')?.['score' as keyof Order], 0), j.getOrder('o5'), j.listFills({ limit: 5 }), j.getOrderByClientId('c-3'), j.getOrderByClientId('renamed'), j.clientOrderIdExists('renamed')];
    };
    expect(answers(new InMemoryJournal())).toStrictEqual(answers(reference()));
  });
});

describe('InMemoryJournal', () => {
  it('keeps the instruments saved, the last save of a venue and symbol winning, and none rolled back', () => {
    const j = new InMemoryJournal();
    const btc = { venue: 'paper', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'spot', tickSize: '0.01', lotSize: '0.001', minQuantity: '0.001', minNotional: '5', makerFee: '0', takerFee: '0', maxLeverage: 1, defaultLeverage: 1 } as const;
    j.saveInstruments([btc, { ...btc, symbol: 'ETH/USDT' }]);
    j.saveInstruments([{ ...btc, tickSize: '0.1' }]);
    expect(() =>
      j.transaction(() => {
        j.saveInstruments([{ ...btc, tickSize: '1' }, { ...btc, venue: 'other' }]);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(j.listInstruments()).toEqual([{ ...btc, tickSize: '0.1' }, { ...btc, symbol: 'ETH/USDT' }]);
  });

  it('rolls back one transaction among many thousands of fills without disturbing the rest', () => {
    const j = new InMemoryJournal();
    j.insertOrder(order('o1'));
    const rng = new Rng(3);
    let applied = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = fill(`t${i}`, 'o1', T0 + i * 10 + rng.int(30));
      const fail = i % 997 === 0;
      try {
        j.transaction(() => {
          j.insertFill(f);
          j.appendOrderEvent({ orderId: 'o1', timestamp: f.timestamp, type: 'OrderFilled', outcome: 'applied', status: 'partially_filled', detail: { tradeId: f.tradeId } });
          j.saveLedger('paper', { currency: 'USDT', balance: String(i), realizedPnl: '0', feesPaid: '0', leverage: {}, positions: [] });
          if (fail) throw new Error('refused');
        });
        applied++;
      } catch {
        expect(j.hasFill('paper', f.tradeId)).toBe(false);
      }
    }
    const fills = allPages((cursor) => j.listFills({ limit: 1000, cursor })).items;
    expect(fills).toHaveLength(applied);
    for (let i = 1; i < fills.length; i++) expect(fills[i - 1]!.timestamp).toBeGreaterThanOrEqual(fills[i]!.timestamp);
    expect(j.listOrderEvents('o1')).toHaveLength(applied);
    expect(j.loadLedger('paper')?.balance).toBe('19999');
    expect(j.hasFill('paper', 't997')).toBe(false);
    expect(j.hasFill('paper', 't998')).toBe(true);
  });

  it('without its audit trail answers order events and activity as usual but keeps neither, and keeps the books', () => {
    const j = new InMemoryJournal({ keepAudit: false });
    j.insertOrder(order('o1'));
    expect(() => j.appendOrderEvent({ orderId: 'nope', timestamp: T0, type: 'OrderAccepted', outcome: 'applied', status: 'open', detail: {} })).toThrow('no order nope');
    j.appendOrderEvent({ orderId: 'o1', timestamp: T0, type: 'OrderAccepted', outcome: 'applied', status: 'open', detail: {} });
    const first = j.appendActivity({ timestamp: T0, level: 'info', category: 'order', message: 'accepted', data: { orderId: 'o1' } });
    const second = j.appendActivity({ timestamp: T0 + 1, level: 'info', category: 'order', message: 'filled' });
    expect(first).toEqual({ id: 1, timestamp: T0, level: 'info', category: 'order', message: 'accepted', data: { orderId: 'o1' } });
    expect(second.id).toBe(2);
    expect(j.listOrderEvents('o1')).toEqual([]);
    expect(j.listActivity(10)).toEqual([]);
    j.insertFill(fill('t1', 'o1', T0));
    j.updateOrder(order('o1', { status: 'filled' }));
    expect(j.hasFill('paper', 't1')).toBe(true);
    expect(j.getOrder('o1')?.status).toBe('filled');
  });
});

describe('SequentialIdGenerator', () => {
  it('counts order ids and client order ids separately from 1, zero-padded', () => {
    const ids = new SequentialIdGenerator();
    expect([ids.orderId(), ids.orderId(), ids.clientOrderId(), ids.orderId(), ids.clientOrderId()]).toEqual([
      'o-000001',
      'o-000002',
      'c-000001',
      'o-000003',
      'c-000002',
    ]);
  });

  it('hands two instances the same sequence, so two runs of a backtest match', () => {
    const a = new SequentialIdGenerator();
    const b = new SequentialIdGenerator();
    const draw = (g: SequentialIdGenerator) => Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? g.clientOrderId() : g.orderId()));
    expect(draw(a)).toEqual(draw(b));
  });

  it('makes valid client order ids, past the padding too', () => {
    const ids = new SequentialIdGenerator();
    let last = '';
    for (let i = 0; i < 1_000_001; i++) last = ids.clientOrderId();
    expect(last).toBe('c-1000001');
    expect(clientOrderId(last)).toBe(last);
    expect(clientOrderId(new SequentialIdGenerator().clientOrderId())).toBe('c-000001');
  });
});
