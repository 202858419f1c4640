/**
 * What every EngineJournal must do, as one suite any implementation runs:
 * `journalConformance('SqliteJournal', () => new SqliteJournal(db))`. The
 * SQLite journal is the reference; the in-memory one a backtest uses must
 * pass the same tests, so the engine cannot tell them apart. A journal kept
 * on disk also passes `durable`, and is checked to read back everything
 * after it is closed and opened again.
 */
import { describe, expect, it } from 'vitest';
import type { ReconciliationReport } from '../../src/shared/contract';
import type { Activity, Fill, Instrument, LedgerEntry, Order, OrderEvent } from '../../src/shared/domain';
import { KeelError } from '../../src/shared/errors';
import { NO_ACCOUNT_LIMITS, type EmergencyReport, type RiskConfig, type Settings } from '../../src/shared/risk';
import type { LedgerSnapshot } from '../../src/main/core/ledger';
import type { EngineJournal, NewActivity, Page, StrategyInstanceRow } from '../../src/main/engine/ports/journal';
import { Rng } from './rng';
import { RESTING_ORDER } from './fixtures';

const T0 = 1_700_000_000_000;
const VENUES = ['paper', 'other'] as const;

export function order(id: string, overrides: Partial<Order> = {}): Order {
  return {
    ...RESTING_ORDER,
    id,
    clientOrderId: `c-${id}`,
    symbol: 'BTC/USDT',
    quantity: '0.5',
    price: '60000',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function fill(tradeId: string, orderId: string, timestamp: number, overrides: Partial<Fill> = {}): Fill {
  return {
    tradeId,
    orderId,
    clientOrderId: `c-${orderId}`,
    venue: 'paper',
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.1',
    price: '60000',
    fee: '0.6',
    feeCurrency: 'USDT',
    liquidity: 'taker',
    realizedPnl: '0',
    timestamp,
    ...overrides,
  };
}

function event(orderId: string, timestamp: number, overrides: Partial<Omit<OrderEvent, 'id'>> = {}): Omit<OrderEvent, 'id'> {
  return { orderId, timestamp, type: 'OrderAccepted', outcome: 'applied', status: 'open', detail: {}, ...overrides };
}

function ledger(balance: string, positions: LedgerSnapshot['positions'] = [], leverage: Record<string, number> = {}): LedgerSnapshot {
  return { currency: 'USDT', balance, realizedPnl: '12.5', feesPaid: '1.25', funding: '-0.75', leverage, marginModes: {}, positions };
}

function position(symbol: string, quantity: string, leverage = 1): LedgerSnapshot['positions'][number] {
  return { symbol, quantity, cost: '100', realizedPnl: '2', feesPaid: '0.1', funding: '-0.05', leverage, updatedAt: T0 + 5 };
}

function funding(id: string, venue: string, timestamp: number, amount = '-0.3'): LedgerEntry {
  return {
    kind: 'funding',
    id,
    venue,
    symbol: 'BTC/USDT',
    rate: '0.0001',
    markPrice: '60000',
    quantity: '0.05',
    amount,
    currency: 'USDT',
    fundingTime: timestamp - 5,
    timestamp,
  };
}

function activity(timestamp: number, message = `at ${timestamp}`, data?: unknown): NewActivity {
  return { timestamp, level: 'info', category: 'system', message, ...(data === undefined ? {} : { data }) };
}

function riskConfig(venue: string, dailyLossPercent: string): RiskConfig {
  return {
    venue,
    profile: 'standard',
    account: { ...NO_ACCOUNT_LIMITS, dailyLossPercent },
    instruments: { 'BTC/USDT': { maxOrderQuantity: '2', maxOrderNotional: null, maxPositionNotional: null, priceBandPercent: '5' } },
    breachAction: 'HALTED',
    dailyReset: { time: '00:00', timeZone: 'UTC' },
  };
}

function settings(days: number): Settings {
  return { emergencyHotkey: 'CommandOrControl+Shift+X', emergencyFlattenByDefault: false, activityRetentionDays: days, activityRetentionRows: 100_000 };
}

function emergencyReport(id: string, startedAt: number): EmergencyReport {
  return {
    id,
    trigger: 'hotkey',
    flatten: true,
    startedAt,
    haltedAt: startedAt + 1,
    cancelsConfirmedAt: startedAt + 2,
    flatAt: null,
    finishedAt: startedAt + 3,
    ordersCanceled: 2,
    positionsClosed: 0,
    unconfirmed: [{ kind: 'close', venue: 'paper', target: 'BTC/USDT', reason: 'venue did not answer' }],
    complete: false,
  };
}

function reconciliationReport(id: string, venue: string, finishedAt: number): ReconciliationReport {
  return {
    id,
    venue,
    trigger: 'startup',
    startedAt: finishedAt - 10,
    finishedAt,
    ok: true,
    reason: null,
    fillsRecovered: 1,
    ordersResolved: [{ orderId: 'o1', clientOrderId: 'c-o1', symbol: 'BTC/USDT', from: 'open', to: 'filled' }],
    externalOrders: [],
    positions: [{ symbol: 'BTC/USDT', keel: '0.1', venue: '0.1', match: true }],
    balances: [{ currency: 'USDT', keel: '100', venue: '100', match: true }],
    items: [
      { id: `${id}-1`, kind: 'matched', subject: 'position', symbol: 'BTC/USDT', orderId: null, clientOrderId: null, keel: '0.1', venue: '0.1', detail: 'both hold 0.1', blocking: false, actions: [], resolution: null },
    ],
  };
}

export function strategyInstance(id: string, overrides: Partial<StrategyInstanceRow> = {}): StrategyInstanceRow {
  return {
    id,
    type: 'sma-cross',
    name: `SMA cross ${id}`,
    venue: 'paper',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    params: { fast: 10, slow: 30, ratio: 0.1, longOnly: true, mode: 'close' },
    limits: { maxPositionValue: '2500.5', maxOpenOrders: 4, maxDailyLoss: null },
    status: 'stopped',
    statusReason: null,
    resumeAfterRestart: false,
    state: {},
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const instrument: Instrument = {
  venue: 'paper',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  kind: 'spot',
  tickSize: '0.01',
  lotSize: '0.0001',
  minQuantity: '0.0001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
  maxLeverage: 1,
  defaultLeverage: 1,
};

/** Every page of a list, following cursors until the last; fails rather than loop forever. */
export function allPages<T>(list: (cursor?: string) => Page<T>, maxPages = 10_000): { items: T[]; pages: Array<Page<T>> } {
  const pages: Array<Page<T>> = [];
  let cursor: string | undefined;
  do {
    const page = list(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > maxPages) throw new Error('paging did not end');
  } while (cursor !== undefined);
  return { items: pages.flatMap((p) => p.items), pages };
}

function expectInvalidCursor(list: () => unknown): void {
  let caught: unknown;
  try {
    list();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeelError);
  expect(caught).toMatchObject({ code: 'VALIDATION_FAILED' });
}

const ORDER_IDS = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
const TRADES: Array<[string, string]> = ['t1', 't2', 't3', 't4', 't5'].flatMap((t) => VENUES.map((v): [string, string] => [v, t]));

/** Everything the port lets anyone read back, for the fixed set of keys these tests write. */
function observe(j: EngineJournal) {
  return {
    orders: ORDER_IDS.map((id) => [j.getOrder(id), j.getOrderByClientId(`c-${id}`), j.clientOrderIdExists(`c-${id}`)]),
    loaded: j.loadOrders(100),
    listed: allPages((cursor) => j.listOrders({ openOnly: false, limit: 2, cursor })).pages,
    open: allPages((cursor) => j.listOrders({ openOnly: true, limit: 2, cursor })).pages,
    events: ORDER_IDS.map((id) => j.listOrderEvents(id)),
    fills: allPages((cursor) => j.listFills({ limit: 2, cursor })).pages,
    hasFill: TRADES.map(([venue, trade]) => j.hasFill(venue, trade)),
    lastFill: VENUES.map((v) => j.lastFillTimestamp(v)),
    ledgers: VENUES.map((v) => j.loadLedger(v)),
    ledgerEntries: j.listLedgerEntries({ limit: 100 }),
    lastLedgerEntry: VENUES.map((v) => j.lastLedgerEntryTimestamp(v)),
    activity: j.listActivity(1_000),
    riskState: j.loadRiskState(),
    stateChanges: j.listStateChanges(100),
    riskConfigs: VENUES.map((v) => j.loadRiskConfig(v)),
    riskMarks: VENUES.map((v) => j.loadRiskMarks(v)),
    settings: j.loadSettings(),
    emergency: j.listEmergencyReports(100),
    reconciliation: VENUES.map((v) => j.latestReconciliationReport(v)),
    strategies: j.listStrategyInstances(),
  };
}

/** A journal with something in every table. */
function seed(j: EngineJournal): void {
  j.saveInstruments([instrument]);
  j.insertOrder(order('o1'));
  j.insertOrder(order('o2', { status: 'filled' }));
  j.appendOrderEvent(event('o1', T0));
  j.insertFill(fill('t1', 'o2', T0 + 10));
  j.saveLedger('paper', ledger('1000', [position('BTC/USDT', '0.1', 2)], { 'ETH/USDT': 3 }));
  j.insertLedgerEntry(funding('f1', 'paper', T0 + 10));
  for (let i = 0; i < 5; i++) j.appendActivity(activity(T0 + i, `seed ${i}`, { i }));
  j.saveRiskState({ state: 'ACTIVE', reason: null, since: T0 }, { at: T0, from: 'HALTED', to: 'ACTIVE', source: 'startup', reason: 'start' });
  j.saveRiskConfig(riskConfig('paper', '5'));
  j.saveRiskMarks('paper', { dayStartEquity: '1000', dayStartedAt: T0, highWaterMark: '1100' });
  j.saveSettings(settings(30));
  j.saveEmergencyReport(emergencyReport('e1', T0));
  j.saveReconciliationReport(reconciliationReport('r1', 'paper', T0));
  j.saveStrategyInstance(strategyInstance('s1', { state: { bars: 3 } }));
  j.saveStrategyInstance(strategyInstance('s2', { createdAt: T0 + 1 }));
}

/** A write to every table: new rows, and changes to the ones `seed` made. */
function writeEverything(j: EngineJournal): void {
  j.saveInstruments([{ ...instrument, tickSize: '0.1' }, { ...instrument, venue: 'other' }]);
  j.insertOrder(order('o3'));
  j.insertOrder(order('o4', { venue: 'other', status: 'canceled' }));
  j.updateOrder(order('o1', { status: 'filled', filledQuantity: '0.5', updatedAt: T0 + 50 }));
  j.updateOrder(order('o2', { status: 'open', updatedAt: T0 + 50 }));
  j.appendOrderEvent(event('o1', T0 + 50, { type: 'OrderFilled', status: 'filled', detail: { tradeId: 't2' } }));
  j.appendOrderEvent(event('o3', T0 + 50));
  expect(j.insertFill(fill('t2', 'o1', T0 + 50))).toBe(true);
  expect(j.insertFill(fill('t1', 'o4', T0 + 5, { venue: 'other' }))).toBe(true);
  expect(j.insertFill(fill('t1', 'o1', T0 + 99))).toBe(false);
  j.saveLedger('paper', { ...ledger('900', [position('SOL/USDT', '3')]), marginModes: { 'SOL/USDT': 'isolated' } });
  j.saveLedger('other', ledger('50'));
  expect(j.insertLedgerEntry(funding('f2', 'paper', T0 + 50))).toBe(true);
  expect(j.insertLedgerEntry(funding('f1', 'other', T0 + 50))).toBe(true);
  expect(j.insertLedgerEntry(funding('f1', 'paper', T0 + 99, '5'))).toBe(false);
  j.appendActivity(activity(T0 + 60, 'inside'));
  expect(j.pruneActivity({ olderThan: T0 + 2, keepNewest: 3, limit: 100 })).toBeGreaterThan(0);
  j.appendActivity(activity(T0 + 61, 'after prune'));
  j.saveRiskState({ state: 'HALTED', reason: 'stop', since: T0 + 60 }, { at: T0 + 60, from: 'ACTIVE', to: 'HALTED', source: 'emergency', reason: 'stop' });
  j.saveRiskConfig(riskConfig('paper', '7'));
  j.saveRiskConfig(riskConfig('other', '2'));
  j.saveRiskMarks('paper', { dayStartEquity: '900', dayStartedAt: T0 + 60, highWaterMark: '1100' });
  j.saveRiskMarks('other', { dayStartEquity: '50', dayStartedAt: T0 + 60, highWaterMark: '50' });
  j.saveSettings(settings(7));
  j.saveEmergencyReport(emergencyReport('e2', T0 + 60));
  j.saveReconciliationReport(reconciliationReport('r2', 'paper', T0 + 60));
  j.saveReconciliationReport(reconciliationReport('r3', 'other', T0 + 60));
  j.saveStrategyInstance(strategyInstance('s1', { status: 'running', state: { bars: 4, entry: 61000.5 }, updatedAt: T0 + 60 }));
  expect(j.deleteStrategyInstance('s2')).toBe(true);
  j.saveStrategyInstance(strategyInstance('s3', { createdAt: T0 + 60 }));
}

/** A journal kept on disk: `open` opens a fresh one; `reopen` closes the one opened last and opens the same store again. */
export interface DurableJournal {
  open(): { journal: EngineJournal; reopen(): EngineJournal };
}

export function journalConformance(name: string, make: () => EngineJournal, durable?: DurableJournal): void {
  describe(`${name} conforms to EngineJournal`, () => {
    describe('orders', () => {
      it('reads an order back by id and by client order id, and nothing for unknown ids', () => {
        const j = make();
        const o = order('o1', { price: '61000.5', sourceId: 'strat-1', source: 'strategy' });
        j.insertOrder(o);
        expect(j.getOrder('o1')).toEqual(o);
        expect(j.getOrderByClientId('c-o1')).toEqual(o);
        expect(j.getOrder('nope')).toBeUndefined();
        expect(j.getOrderByClientId('c-nope')).toBeUndefined();
      });

      it('knows every client order id it has used, terminal orders included', () => {
        const j = make();
        j.insertOrder(order('o1'));
        j.insertOrder(order('o2', { status: 'rejected' }));
        j.updateOrder(order('o1', { status: 'canceled' }));
        expect(j.clientOrderIdExists('c-o1')).toBe(true);
        expect(j.clientOrderIdExists('c-o2')).toBe(true);
        expect(j.clientOrderIdExists('c-o3')).toBe(false);
      });

      it('refuses a second order with the same id or client order id, and keeps the first', () => {
        const j = make();
        j.insertOrder(order('o1'));
        expect(() => j.insertOrder(order('o1', { clientOrderId: 'c-other', price: '1' }))).toThrow();
        expect(() => j.insertOrder(order('o2', { clientOrderId: 'c-o1' }))).toThrow();
        expect(j.getOrder('o1')).toEqual(order('o1'));
        expect(j.getOrder('o2')).toBeUndefined();
        expect(j.clientOrderIdExists('c-other')).toBe(false);
        expect(j.listOrders({ openOnly: false, limit: 10 }).items).toEqual([order('o1')]);
      });

      it('replaces an order on update, and refuses to update one it does not hold', () => {
        const j = make();
        j.insertOrder(order('o1'));
        const filled = order('o1', { status: 'filled', filledQuantity: '0.5', averagePrice: '60000', venueOrderId: 'v-9', updatedAt: T0 + 9 });
        j.updateOrder(filled);
        expect(j.getOrder('o1')).toEqual(filled);
        expect(j.getOrderByClientId('c-o1')).toEqual(filled);
        expect(() => j.updateOrder(order('o2'))).toThrow();
        expect(j.getOrder('o2')).toBeUndefined();
      });

      it('keeps its own copies: mutating what was passed in or handed out changes nothing', () => {
        const j = make();
        const o = order('o1');
        j.insertOrder(o);
        o.status = 'filled';
        o.price = '1';
        expect(j.getOrder('o1')).toEqual(order('o1'));
        j.getOrder('o1')!.quantity = '99';
        j.getOrderByClientId('c-o1')!.quantity = '98';
        j.loadOrders(10)[0]!.quantity = '97';
        j.listOrders({ openOnly: false, limit: 10 }).items[0]!.quantity = '96';
        j.listOrders({ openOnly: true, limit: 10 }).items[0]!.quantity = '95';
        expect(j.getOrder('o1')).toEqual(order('o1'));
        expect(j.getOrderByClientId('c-o1')).toEqual(order('o1'));
        expect(j.loadOrders(10)).toEqual([order('o1')]);
        const updated = order('o1', { status: 'partially_filled' });
        j.updateOrder(updated);
        updated.status = 'filled';
        expect(j.getOrder('o1')).toEqual(order('o1', { status: 'partially_filled' }));
      });

      it('loads every open order and the most recent terminal ones: terminal first, each oldest first', () => {
        const j = make();
        const statuses = ['filled', 'open', 'canceled', 'pending_new', 'rejected', 'partially_filled', 'expired', 'pending_cancel', 'filled'] as const;
        statuses.forEach((status, i) => j.insertOrder(order(`o${i}`, { status })));
        const ids = (orders: Order[]) => orders.map((o) => o.id);
        expect(ids(j.loadOrders(2))).toEqual(['o6', 'o8', 'o1', 'o3', 'o5', 'o7']);
        expect(ids(j.loadOrders(0))).toEqual(['o1', 'o3', 'o5', 'o7']);
        expect(ids(j.loadOrders(100))).toEqual(['o0', 'o2', 'o4', 'o6', 'o8', 'o1', 'o3', 'o5', 'o7']);
        // Order is by when an order was first written, whatever changed since.
        j.updateOrder(order('o1', { status: 'filled', updatedAt: T0 + 100 }));
        j.updateOrder(order('o0', { status: 'open', updatedAt: T0 + 100 }));
        expect(ids(j.loadOrders(1))).toEqual(['o8', 'o0', 'o3', 'o5', 'o7']);
        expect(j.loadOrders(1)[1]).toEqual(order('o0', { status: 'open', updatedAt: T0 + 100 }));
      });

      it('lists nothing, with no cursor, when it holds no orders', () => {
        const j = make();
        expect(j.listOrders({ openOnly: false, limit: 5 })).toEqual({ items: [], nextCursor: null });
        expect(j.listOrders({ openOnly: true, limit: 5 })).toEqual({ items: [], nextCursor: null });
        expect(j.loadOrders(5)).toEqual([]);
      });

      it('pages through every order exactly once, newest first, at any page size', () => {
        const j = make();
        const rng = new Rng(7);
        const statuses = ['open', 'filled', 'canceled', 'partially_filled', 'pending_new', 'rejected'] as const;
        const inserted: Order[] = [];
        for (let i = 0; i < 37; i++) {
          // createdAt deliberately out of order: pages follow insertion, not timestamps.
          const o = order(`o${i}`, { status: rng.pick(statuses), createdAt: T0 + rng.int(1000) });
          inserted.push(o);
          j.insertOrder(o);
        }
        const newestFirst = [...inserted].reverse();
        const open = newestFirst.filter((o) => ['open', 'partially_filled', 'pending_new'].includes(o.status));
        for (const limit of [1, 2, 5, 10, 36, 37, 38, 100]) {
          const all = allPages((cursor) => j.listOrders({ openOnly: false, limit, cursor }));
          expect(all.items).toEqual(newestFirst);
          expect(all.pages.length).toBe(Math.max(1, Math.ceil(37 / limit)));
          for (const page of all.pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
          expect(all.pages.at(-1)!.nextCursor).toBeNull();
          const openPages = allPages((cursor) => j.listOrders({ openOnly: true, limit, cursor }));
          expect(openPages.items).toEqual(open);
          expect(openPages.pages.length).toBe(Math.max(1, Math.ceil(open.length / limit)));
        }
      });

      it('continues a page from where the cursor was, whatever was written since', () => {
        const j = make();
        for (let i = 1; i <= 6; i++) j.insertOrder(order(`o${i}`));
        const first = j.listOrders({ openOnly: true, limit: 2 });
        expect(first.items.map((o) => o.id)).toEqual(['o6', 'o5']);
        j.insertOrder(order('o7'));
        j.updateOrder(order('o5', { status: 'filled' }));
        j.updateOrder(order('o4', { status: 'canceled' }));
        const rest = allPages((cursor) => j.listOrders({ openOnly: true, limit: 2, cursor: cursor ?? first.nextCursor! }));
        expect(rest.items.map((o) => o.id)).toEqual(['o3', 'o2', 'o1']);
        const everything = allPages((cursor) => j.listOrders({ openOnly: false, limit: 3, cursor }));
        expect(everything.items.map((o) => o.id)).toEqual(['o7', 'o6', 'o5', 'o4', 'o3', 'o2', 'o1']);
      });

      it('refuses a cursor it did not hand out with VALIDATION_FAILED, never a silent first page', () => {
        const j = make();
        for (let i = 1; i <= 3; i++) j.insertOrder(order(`o${i}`));
        j.insertFill(fill('t1', 'o1', T0));
        j.insertFill(fill('t2', 'o1', T0));
        const fillCursor = j.listFills({ limit: 1 }).nextCursor!;
        for (const cursor of ['', 'not a cursor', 'ABC', '1_2', '_', '-1', '1.5', 'zzzzzzzzzzzzz', 'zzzzzzzzzzzz', fillCursor]) {
          expectInvalidCursor(() => j.listOrders({ openOnly: false, limit: 2, cursor }));
          expectInvalidCursor(() => j.listOrders({ openOnly: true, limit: 2, cursor }));
        }
      });
    });

    describe('order events', () => {
      it("lists an order's history oldest first with increasing ids, and nothing of other orders", () => {
        const j = make();
        j.insertOrder(order('o1'));
        j.insertOrder(order('o2'));
        j.appendOrderEvent(event('o1', T0, { type: 'OrderSubmitted', status: 'pending_new' }));
        j.appendOrderEvent(event('o2', T0 + 1));
        j.appendOrderEvent(event('o1', T0 + 2, { type: 'OrderFilled', status: 'filled', detail: { tradeId: 't1', quantity: '0.5', price: '60000', fee: '0.3', liquidity: 'maker' } }));
        j.appendOrderEvent(event('o1', T0 + 1, { type: 'OrderCanceled', outcome: 'anomaly', status: 'filled', detail: { reason: 'already filled', edge: 'late cancel' } }));
        const history = j.listOrderEvents('o1');
        expect(history.map(({ id: _id, ...rest }) => rest)).toEqual([
          event('o1', T0, { type: 'OrderSubmitted', status: 'pending_new' }),
          event('o1', T0 + 2, { type: 'OrderFilled', status: 'filled', detail: { tradeId: 't1', quantity: '0.5', price: '60000', fee: '0.3', liquidity: 'maker' } }),
          event('o1', T0 + 1, { type: 'OrderCanceled', outcome: 'anomaly', status: 'filled', detail: { reason: 'already filled', edge: 'late cancel' } }),
        ]);
        const [other] = j.listOrderEvents('o2');
        const ids = history.map((e) => e.id);
        expect(ids[0]!).toBeLessThan(other!.id);
        expect(other!.id).toBeLessThan(ids[1]!);
        expect(ids[1]!).toBeLessThan(ids[2]!);
        expect(j.listOrderEvents('o3')).toEqual([]);
      });

      it('refuses an event for an order it does not hold', () => {
        const j = make();
        expect(() => j.appendOrderEvent(event('ghost', T0))).toThrow();
        expect(j.listOrderEvents('ghost')).toEqual([]);
      });

      it('keeps its own copy of the detail', () => {
        const j = make();
        j.insertOrder(order('o1'));
        const e = event('o1', T0, { detail: { reason: 'x' } });
        j.appendOrderEvent(e);
        e.detail.reason = 'changed';
        j.listOrderEvents('o1')[0]!.detail.reason = 'changed too';
        expect(j.listOrderEvents('o1')[0]!.detail).toEqual({ reason: 'x' });
      });
    });

    describe('fills', () => {
      it('records a venue trade id once: a duplicate returns false and changes nothing', () => {
        const j = make();
        j.insertOrder(order('o1'));
        j.insertOrder(order('o2'));
        const first = fill('t1', 'o1', T0 + 10);
        expect(j.insertFill(first)).toBe(true);
        expect(j.insertFill(fill('t1', 'o2', T0 + 99, { price: '1', quantity: '5' }))).toBe(false);
        expect(j.hasFill('paper', 't1')).toBe(true);
        expect(j.lastFillTimestamp('paper')).toBe(T0 + 10);
        expect(j.listFills({ limit: 10 })).toEqual({ items: [first], nextCursor: null });
      });

      it('keys fills by venue and trade id together', () => {
        const j = make();
        j.insertOrder(order('o1'));
        expect(j.insertFill(fill('t1', 'o1', T0))).toBe(true);
        expect(j.insertFill(fill('t1', 'o1', T0, { venue: 'other' }))).toBe(true);
        expect(j.hasFill('other', 't1')).toBe(true);
        expect(j.hasFill('other', 't2')).toBe(false);
        expect(j.hasFill('third', 't1')).toBe(false);
        expect(j.listFills({ limit: 10 }).items).toHaveLength(2);
      });

      it('refuses a fill for an order it does not hold', () => {
        const j = make();
        expect(() => j.insertFill(fill('t1', 'ghost', T0))).toThrow();
        expect(j.hasFill('paper', 't1')).toBe(false);
        expect(j.lastFillTimestamp('paper')).toBeUndefined();
        expect(j.listFills({ limit: 10 })).toEqual({ items: [], nextCursor: null });
      });

      it("gives each venue's newest fill time, whatever order fills arrived in", () => {
        const j = make();
        j.insertOrder(order('o1'));
        expect(j.lastFillTimestamp('paper')).toBeUndefined();
        j.insertFill(fill('t1', 'o1', T0 + 50));
        j.insertFill(fill('t2', 'o1', T0 + 20));
        j.insertFill(fill('t3', 'o1', T0 + 90, { venue: 'other' }));
        expect(j.lastFillTimestamp('paper')).toBe(T0 + 50);
        expect(j.lastFillTimestamp('other')).toBe(T0 + 90);
        expect(j.lastFillTimestamp('third')).toBeUndefined();
      });

      it('keeps its own copies of fills', () => {
        const j = make();
        j.insertOrder(order('o1'));
        const f = fill('t1', 'o1', T0);
        j.insertFill(f);
        f.price = '1';
        j.listFills({ limit: 1 }).items[0]!.price = '2';
        expect(j.listFills({ limit: 1 }).items[0]).toEqual(fill('t1', 'o1', T0));
      });

      it('pages through every fill exactly once, newest first and, at equal times, last recorded first', () => {
        const j = make();
        const rng = new Rng(11);
        j.insertOrder(order('o1'));
        const inserted: Fill[] = [];
        for (let i = 0; i < 61; i++) {
          // Few distinct times, inserted out of order: ties and late arrivals on every page.
          const f = fill(`t${i}`, 'o1', T0 + rng.int(12) * 1000, { venue: rng.pick(VENUES) });
          inserted.push(f);
          expect(j.insertFill(f)).toBe(true);
        }
        const expected = inserted.map((f, at) => ({ f, at })).sort((a, b) => b.f.timestamp - a.f.timestamp || b.at - a.at).map(({ f }) => f);
        for (const limit of [1, 2, 3, 7, 60, 61, 62, 500]) {
          const all = allPages((cursor) => j.listFills({ limit, cursor }));
          expect(all.items).toEqual(expected);
          expect(all.pages.length).toBe(Math.ceil(61 / limit));
          expect(all.pages.at(-1)!.nextCursor).toBeNull();
        }
      });

      it('continues from the cursor: a fill recorded later but stamped earlier still shows, a newer one does not', () => {
        const j = make();
        j.insertOrder(order('o1'));
        for (let i = 0; i < 4; i++) j.insertFill(fill(`t${i}`, 'o1', T0 + i * 10));
        const first = j.listFills({ limit: 2 });
        expect(first.items.map((f) => f.tradeId)).toEqual(['t3', 't2']);
        j.insertFill(fill('late', 'o1', T0 + 5));
        j.insertFill(fill('new', 'o1', T0 + 100));
        j.insertFill(fill('tie', 'o1', T0 + 20));
        const rest = allPages((cursor) => j.listFills({ limit: 2, cursor: cursor ?? first.nextCursor! }));
        expect(rest.items.map((f) => f.tradeId)).toEqual(['t1', 'late', 't0']);
      });

      it('refuses a cursor it did not hand out with VALIDATION_FAILED', () => {
        const j = make();
        j.insertOrder(order('o1'));
        j.insertOrder(order('o2'));
        j.insertOrder(order('o3'));
        const orderCursor = j.listOrders({ openOnly: false, limit: 1 }).nextCursor!;
        for (const cursor of ['', 'x', '1', '1_2_3', '_', 'a_', 'A_1', '1_-2', 'zzzzzzzzzzzzz_1', '1_zzzzzzzzzzzz', orderCursor]) {
          expectInvalidCursor(() => j.listFills({ limit: 2, cursor }));
        }
      });
    });

    describe('ledgers', () => {
      it('reads back a saved ledger, with a row for every symbol that has a position or a chosen leverage', () => {
        const j = make();
        expect(j.loadLedger('paper')).toBeUndefined();
        j.saveLedger('paper', ledger('1000.5', [position('ETH/USDT', '-2', 3), position('BTC/USDT', '0.1', 2)], { 'SOL/USDT': 5, 'BTC/USDT': 2 }));
        expect(j.loadLedger('paper')).toEqual({
          currency: 'USDT',
          balance: '1000.5',
          realizedPnl: '12.5',
          feesPaid: '1.25',
          funding: '-0.75',
          leverage: { 'BTC/USDT': 2, 'ETH/USDT': 3, 'SOL/USDT': 5 },
          marginModes: {},
          positions: [
            position('BTC/USDT', '0.1', 2),
            position('ETH/USDT', '-2', 3),
            { symbol: 'SOL/USDT', quantity: '0', cost: '0', realizedPnl: '0', feesPaid: '0', funding: '0', leverage: 5, updatedAt: 0 },
          ],
        });
        expect(j.loadLedger('other')).toBeUndefined();
      });

      it('keeps margin modes, a flat symbol’s included, and funding; reads a snapshot without them as cross with none', () => {
        const j = make();
        j.saveLedger('paper', { ...ledger('1000', [position('BTC/USDT', '0.1', 2)]), marginModes: { 'BTC/USDT': 'isolated', 'ETH/USDT': 'isolated' } });
        expect(j.loadLedger('paper')).toEqual({
          ...ledger('1000', [
            position('BTC/USDT', '0.1', 2),
            { symbol: 'ETH/USDT', quantity: '0', cost: '0', realizedPnl: '0', feesPaid: '0', funding: '0', leverage: 1, updatedAt: 0 },
          ]),
          leverage: { 'BTC/USDT': 2, 'ETH/USDT': 1 },
          marginModes: { 'BTC/USDT': 'isolated', 'ETH/USDT': 'isolated' },
        });
        const { funding: _funding, marginModes: _modes, ...older } = ledger('5', [{ ...position('BTC/USDT', '1'), funding: undefined }]);
        j.saveLedger('other', older);
        expect(j.loadLedger('other')).toEqual({ ...ledger('5', [{ ...position('BTC/USDT', '1'), funding: '0' }]), funding: '0', leverage: { 'BTC/USDT': 1 } });
      });

      it('replaces the whole ledger on save: a position no longer in the snapshot is gone', () => {
        const j = make();
        j.saveLedger('paper', ledger('1000', [position('BTC/USDT', '0.1'), position('ETH/USDT', '1')]));
        j.saveLedger('other', ledger('5', [position('BTC/USDT', '9')]));
        j.saveLedger('paper', ledger('990', [position('ETH/USDT', '2')]));
        expect(j.loadLedger('paper')).toEqual({ ...ledger('990', [position('ETH/USDT', '2')]), leverage: { 'ETH/USDT': 1 } });
        expect(j.loadLedger('other')).toEqual({ ...ledger('5', [position('BTC/USDT', '9')]), leverage: { 'BTC/USDT': 1 } });
      });

      it('keeps its own copy of a ledger', () => {
        const j = make();
        const snapshot = ledger('1000', [position('BTC/USDT', '0.1')], { 'BTC/USDT': 1 });
        j.saveLedger('paper', snapshot);
        snapshot.balance = '0';
        snapshot.positions[0]!.quantity = '7';
        snapshot.leverage['BTC/USDT'] = 9;
        const loaded = j.loadLedger('paper')!;
        loaded.positions[0]!.quantity = '8';
        loaded.leverage['BTC/USDT'] = 8;
        expect(j.loadLedger('paper')).toEqual(ledger('1000', [position('BTC/USDT', '0.1')], { 'BTC/USDT': 1 }));
      });
    });

    describe('ledger entries', () => {
      it('stores each venue entry id once, lists newest first (of one venue or all) and knows the newest time', () => {
        const j = make();
        expect(j.listLedgerEntries({ limit: 10 })).toEqual([]);
        expect(j.lastLedgerEntryTimestamp('paper')).toBeUndefined();
        expect(j.insertLedgerEntry(funding('f1', 'paper', T0 + 10))).toBe(true);
        expect(j.insertLedgerEntry(funding('f2', 'paper', T0 + 30))).toBe(true);
        expect(j.insertLedgerEntry(funding('f1', 'other', T0 + 20))).toBe(true);
        expect(j.insertLedgerEntry(funding('f3', 'paper', T0 + 30, '1'))).toBe(true);
        // The same id again is refused and changes nothing.
        expect(j.insertLedgerEntry(funding('f1', 'paper', T0 + 99, '7'))).toBe(false);
        expect(j.hasLedgerEntry('paper', 'f1')).toBe(true);
        expect(j.hasLedgerEntry('paper', 'f9')).toBe(false);
        expect(j.listLedgerEntries({ limit: 10 }).map((e) => `${e.venue}/${e.id}`)).toEqual(['paper/f3', 'paper/f2', 'other/f1', 'paper/f1']);
        expect(j.listLedgerEntries({ venue: 'paper', limit: 2 })).toEqual([funding('f3', 'paper', T0 + 30, '1'), funding('f2', 'paper', T0 + 30)]);
        expect(j.lastLedgerEntryTimestamp('paper')).toBe(T0 + 30);
        expect(j.lastLedgerEntryTimestamp('other')).toBe(T0 + 20);
      });
    });

    describe('activity', () => {
      it('appends with increasing ids and lists newest first, up to a limit', () => {
        const j = make();
        const appended = [1, 2, 3, 4].map((i) => j.appendActivity(activity(T0 + i, `m${i}`, i === 2 ? { nested: { a: [1, 'x', null] } } : undefined)));
        expect(appended.map(({ id: _id, ...rest }) => rest)).toEqual([1, 2, 3, 4].map((i) => activity(T0 + i, `m${i}`, i === 2 ? { nested: { a: [1, 'x', null] } } : undefined)));
        for (let i = 1; i < appended.length; i++) expect(appended[i]!.id).toBeGreaterThan(appended[i - 1]!.id);
        expect(j.listActivity(10)).toEqual([...appended].reverse());
        expect(j.listActivity(2)).toEqual([appended[3], appended[2]]);
        expect(j.listActivity(0)).toEqual([]);
        expect('data' in j.listActivity(10)[0]!).toBe(false);
      });

      it('keeps data as it was when appended, null included', () => {
        const j = make();
        const data = { fills: [{ price: '1' }] };
        j.appendActivity(activity(T0, 'with data', data));
        j.appendActivity(activity(T0, 'null data', null));
        data.fills[0]!.price = 'changed';
        const [nullEntry, dataEntry] = j.listActivity(2) as [Activity, Activity];
        expect(nullEntry.data).toBeNull();
        expect(dataEntry.data).toEqual({ fills: [{ price: '1' }] });
        (dataEntry.data as typeof data).fills[0]!.price = 'changed too';
        expect(j.listActivity(1)[0]).toEqual(nullEntry);
        expect(j.listActivity(2)[1]!.data).toEqual({ fills: [{ price: '1' }] });
      });

      it('prunes what lies beyond the newest keepNewest, oldest first', () => {
        const j = make();
        const ids = Array.from({ length: 10 }, (_, i) => j.appendActivity(activity(T0 + i)).id);
        expect(j.pruneActivity({ olderThan: 0, keepNewest: 4, limit: 100 })).toBe(6);
        expect(j.listActivity(100).map((a) => a.id)).toEqual(ids.slice(6).reverse());
        expect(j.pruneActivity({ olderThan: 0, keepNewest: 4, limit: 100 })).toBe(0);
      });

      it('prunes in batches of at most `limit`; fewer than `limit` means done', () => {
        const j = make();
        const ids = Array.from({ length: 10 }, (_, i) => j.appendActivity(activity(T0 + i)).id);
        expect(j.pruneActivity({ olderThan: 0, keepNewest: 3, limit: 4 })).toBe(4);
        expect(j.listActivity(100).map((a) => a.id)).toEqual(ids.slice(4).reverse());
        expect(j.pruneActivity({ olderThan: 0, keepNewest: 3, limit: 4 })).toBe(3);
        expect(j.pruneActivity({ olderThan: 0, keepNewest: 3, limit: 4 })).toBe(0);
        expect(j.listActivity(100).map((a) => a.id)).toEqual(ids.slice(7).reverse());
      });

      it('prunes rows stamped before olderThan, oldest stamp first, even among the newest', () => {
        const j = make();
        const stamps = [50, 10, 40, 20, 30];
        for (const s of stamps) j.appendActivity(activity(T0 + s));
        const rule = { olderThan: T0 + 45, keepNewest: 100, limit: 2 };
        expect(j.pruneActivity(rule)).toBe(2);
        expect(j.listActivity(100).map((a) => a.timestamp - T0)).toEqual([30, 40, 50]);
        expect(j.pruneActivity(rule)).toBe(2);
        expect(j.pruneActivity(rule)).toBe(0);
        expect(j.listActivity(100).map((a) => a.timestamp - T0)).toEqual([50]);
      });

      it('at equal stamps, prunes the earlier entry first', () => {
        const j = make();
        const ids = [0, 1, 2, 3].map(() => j.appendActivity(activity(T0)).id);
        expect(j.pruneActivity({ olderThan: T0 + 1, keepNewest: 100, limit: 3 })).toBe(3);
        expect(j.listActivity(10).map((a) => a.id)).toEqual([ids[3]]);
      });

      it('counts both rules against one batch, the keepNewest rule first', () => {
        const j = make();
        const ids = [1, 2, 3, 4, 5, 6].map((i) => j.appendActivity(activity(T0 + i * 100)).id);
        expect(j.pruneActivity({ olderThan: T0 + 350, keepNewest: 4, limit: 10 })).toBe(3);
        expect(j.listActivity(10).map((a) => a.id)).toEqual(ids.slice(3).reverse());
        j.appendActivity(activity(T0 + 50));
        // keepNewest alone fills the batch: the stale newest entry waits for the next one.
        expect(j.pruneActivity({ olderThan: T0 + 60, keepNewest: 2, limit: 2 })).toBe(2);
        expect(j.listActivity(10).map((a) => a.timestamp - T0)).toEqual([50, 600]);
      });

      it('prunes nothing from an empty log, and never reuses an id', () => {
        const j = make();
        expect(j.pruneActivity({ olderThan: T0, keepNewest: 0, limit: 10 })).toBe(0);
        const a = j.appendActivity(activity(T0));
        const b = j.appendActivity(activity(T0));
        expect(j.pruneActivity({ olderThan: T0 + 1, keepNewest: 0, limit: 10 })).toBe(2);
        expect(j.listActivity(10)).toEqual([]);
        expect(j.appendActivity(activity(T0)).id).toBeGreaterThan(Math.max(a.id, b.id));
      });
    });

    describe('risk, settings and reports', () => {
      it('saves the trading state and appends each change to a history listed newest first', () => {
        const j = make();
        expect(j.loadRiskState()).toBeUndefined();
        expect(j.listStateChanges(10)).toEqual([]);
        const changes = [
          { at: T0, from: 'HALTED', to: 'ACTIVE', source: 'startup', reason: 'start' },
          { at: T0 + 1, from: 'ACTIVE', to: 'REDUCING', source: 'limit', reason: 'daily loss' },
          { at: T0 + 2, from: 'REDUCING', to: 'HALTED', source: 'emergency', reason: 'hotkey' },
        ] as const;
        for (const c of changes) j.saveRiskState({ state: c.to, reason: c.to === 'ACTIVE' ? null : c.reason, since: c.at }, { ...c });
        expect(j.loadRiskState()).toEqual({ state: 'HALTED', reason: 'hotkey', since: T0 + 2 });
        expect(j.listStateChanges(10)).toEqual([...changes].reverse());
        expect(j.listStateChanges(1)).toEqual([changes[2]]);
        j.saveRiskState({ state: 'ACTIVE', reason: null, since: T0 + 3 }, { at: T0 + 3, from: 'HALTED', to: 'ACTIVE', source: 'rearm', reason: 're-armed' });
        expect(j.loadRiskState()).toEqual({ state: 'ACTIVE', reason: null, since: T0 + 3 });
      });

      it('keeps one risk config and one set of marks per venue, the last saved', () => {
        const j = make();
        expect(j.loadRiskConfig('paper')).toBeUndefined();
        expect(j.loadRiskMarks('paper')).toBeUndefined();
        j.saveRiskConfig(riskConfig('paper', '5'));
        j.saveRiskConfig(riskConfig('other', '3'));
        j.saveRiskConfig(riskConfig('paper', '6'));
        expect(j.loadRiskConfig('paper')).toEqual(riskConfig('paper', '6'));
        expect(j.loadRiskConfig('other')).toEqual(riskConfig('other', '3'));
        j.saveRiskMarks('paper', { dayStartEquity: '1000', dayStartedAt: T0, highWaterMark: '1200' });
        j.saveRiskMarks('paper', { dayStartEquity: '1100', dayStartedAt: T0 + 1, highWaterMark: '1250' });
        expect(j.loadRiskMarks('paper')).toEqual({ dayStartEquity: '1100', dayStartedAt: T0 + 1, highWaterMark: '1250' });
        expect(j.loadRiskMarks('other')).toBeUndefined();
      });

      it('keeps its own copies of risk configs and marks', () => {
        const j = make();
        const config = riskConfig('paper', '5');
        const marks = { dayStartEquity: '1', dayStartedAt: T0, highWaterMark: '2' };
        j.saveRiskConfig(config);
        j.saveRiskMarks('paper', marks);
        config.instruments['BTC/USDT']!.maxOrderQuantity = '99';
        marks.highWaterMark = '99';
        j.loadRiskConfig('paper')!.breachAction = 'REDUCING';
        j.loadRiskMarks('paper')!.dayStartEquity = '99';
        expect(j.loadRiskConfig('paper')).toEqual(riskConfig('paper', '5'));
        expect(j.loadRiskMarks('paper')).toEqual({ dayStartEquity: '1', dayStartedAt: T0, highWaterMark: '2' });
      });

      it('reads back the settings last saved, and none before', () => {
        const j = make();
        expect(j.loadSettings()).toEqual({});
        j.saveSettings(settings(30));
        expect(j.loadSettings()).toEqual(settings(30));
        j.saveSettings({ ...settings(7), emergencyFlattenByDefault: true });
        expect(j.loadSettings()).toEqual({ ...settings(7), emergencyFlattenByDefault: true });
      });

      it('lists emergency reports by start time, newest first, up to a limit', () => {
        const j = make();
        expect(j.listEmergencyReports(10)).toEqual([]);
        j.saveEmergencyReport(emergencyReport('e1', T0 + 20));
        j.saveEmergencyReport(emergencyReport('e2', T0 + 10));
        j.saveEmergencyReport(emergencyReport('e3', T0 + 30));
        j.saveEmergencyReport(emergencyReport('e4', T0 + 20));
        expect(j.listEmergencyReports(10).map((r) => r.id)).toEqual(['e3', 'e4', 'e1', 'e2']);
        expect(j.listEmergencyReports(2)).toEqual([emergencyReport('e3', T0 + 30), emergencyReport('e4', T0 + 20)]);
      });

      it('refuses a second emergency report with the same id', () => {
        const j = make();
        j.saveEmergencyReport(emergencyReport('e1', T0));
        expect(() => j.saveEmergencyReport(emergencyReport('e1', T0 + 5))).toThrow();
        expect(j.listEmergencyReports(10)).toEqual([emergencyReport('e1', T0)]);
      });

      it("gives each venue's latest reconciliation report by finish time", () => {
        const j = make();
        expect(j.latestReconciliationReport('paper')).toBeUndefined();
        j.saveReconciliationReport(reconciliationReport('r1', 'paper', T0 + 20));
        j.saveReconciliationReport(reconciliationReport('r2', 'paper', T0 + 10));
        j.saveReconciliationReport(reconciliationReport('r3', 'other', T0 + 50));
        expect(j.latestReconciliationReport('paper')).toEqual(reconciliationReport('r1', 'paper', T0 + 20));
        j.saveReconciliationReport(reconciliationReport('r4', 'paper', T0 + 20));
        expect(j.latestReconciliationReport('paper')?.id).toBe('r4');
        expect(j.latestReconciliationReport('other')?.id).toBe('r3');
        expect(j.latestReconciliationReport('third')).toBeUndefined();
        expect(() => j.saveReconciliationReport(reconciliationReport('r1', 'other', T0 + 99))).toThrow();
        expect(j.latestReconciliationReport('other')?.id).toBe('r3');
      });

      it('writes a report again with its resolutions, and keeps the audit trail of decisions per venue, newest first', () => {
        const j = make();
        j.saveReconciliationReport(reconciliationReport('r1', 'paper', T0));
        const resolved = reconciliationReport('r1', 'paper', T0);
        resolved.items[0]!.resolution = { action: 'accept', note: 'checked on the website', at: T0 + 5 };
        j.updateReconciliationReport(resolved);
        expect(j.latestReconciliationReport('paper')).toEqual(resolved);
        expect(() => j.updateReconciliationReport(reconciliationReport('ghost', 'paper', T0))).toThrow();
        const entry = { venue: 'paper', at: T0 + 5, reportId: 'r1', itemId: 'r1-1', kind: 'matched' as const, symbol: 'BTC/USDT', action: 'accept' as const, note: 'checked', outcome: 'kept' };
        const first = j.appendReconciliationAudit(entry);
        const second = j.appendReconciliationAudit({ ...entry, at: T0 + 6, note: null });
        j.appendReconciliationAudit({ ...entry, venue: 'other' });
        expect(second.id).toBeGreaterThan(first.id);
        expect(j.listReconciliationAudit('paper', 10)).toEqual([second, first]);
        expect(j.listReconciliationAudit('paper', 1)).toEqual([second]);
        expect(j.listReconciliationAudit('third', 10)).toEqual([]);
      });

      it('keeps its own copies of reports', () => {
        const j = make();
        const emergency = emergencyReport('e1', T0);
        const reconciliation = reconciliationReport('r1', 'paper', T0);
        j.saveEmergencyReport(emergency);
        j.saveReconciliationReport(reconciliation);
        emergency.unconfirmed[0]!.reason = 'changed';
        reconciliation.positions[0]!.match = false;
        j.listEmergencyReports(1)[0]!.unconfirmed.length = 0;
        j.latestReconciliationReport('paper')!.balances.length = 0;
        expect(j.listEmergencyReports(1)).toEqual([emergencyReport('e1', T0)]);
        expect(j.latestReconciliationReport('paper')).toEqual(reconciliationReport('r1', 'paper', T0));
      });

      it('saves instruments again over the same venue and symbol', () => {
        const j = make();
        j.saveInstruments([instrument, { ...instrument, symbol: 'ETH/USDT' }]);
        expect(() => j.saveInstruments([{ ...instrument, tickSize: '0.5' }])).not.toThrow();
      });
    });

    describe('strategy instances', () => {
      it('lists nothing before any is saved, then every one saved, oldest created first and ties by id', () => {
        const j = make();
        expect(j.listStrategyInstances()).toEqual([]);
        j.saveStrategyInstance(strategyInstance('b', { createdAt: T0 + 5 }));
        j.saveStrategyInstance(strategyInstance('c', { createdAt: T0 }));
        j.saveStrategyInstance(strategyInstance('a', { createdAt: T0 + 5 }));
        j.saveStrategyInstance(strategyInstance('Z', { createdAt: T0 + 5 }));
        expect(j.listStrategyInstances()).toEqual([
          strategyInstance('c', { createdAt: T0 }),
          strategyInstance('Z', { createdAt: T0 + 5 }),
          strategyInstance('a', { createdAt: T0 + 5 }),
          strategyInstance('b', { createdAt: T0 + 5 }),
        ]);
      });

      it('replaces every field of an instance saved again under its id, and keeps one row', () => {
        const j = make();
        j.saveStrategyInstance(strategyInstance('s1', { state: { seen: 1, trail: [1, 2] } }));
        j.saveStrategyInstance(strategyInstance('s2'));
        const changed = strategyInstance('s1', {
          type: 'grid',
          name: 'renamed',
          venue: 'other',
          symbol: 'ETH/USDT',
          timeframe: '5m',
          params: { levels: 7 },
          limits: { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: '50' },
          status: 'error',
          statusReason: 'daily loss limit reached',
          resumeAfterRestart: true,
          state: { seen: 2 },
          createdAt: T0 - 10,
          updatedAt: T0 + 99,
        });
        j.saveStrategyInstance(changed);
        expect(j.listStrategyInstances()).toEqual([changed, strategyInstance('s2')]);
      });

      it('deletes an instance, answering false for one it does not hold, and leaves the others and the books alone', () => {
        const j = make();
        j.insertOrder(order('o1', { source: 'strategy', sourceId: 's1' }));
        j.saveStrategyInstance(strategyInstance('s1'));
        j.saveStrategyInstance(strategyInstance('s2'));
        expect(j.deleteStrategyInstance('s1')).toBe(true);
        expect(j.deleteStrategyInstance('s1')).toBe(false);
        expect(j.deleteStrategyInstance('ghost')).toBe(false);
        expect(j.listStrategyInstances()).toEqual([strategyInstance('s2')]);
        expect(j.getOrder('o1')).toEqual(order('o1', { source: 'strategy', sourceId: 's1' }));
        // The id is free again.
        j.saveStrategyInstance(strategyInstance('s1', { name: 'again' }));
        expect(j.listStrategyInstances()).toEqual([strategyInstance('s1', { name: 'again' }), strategyInstance('s2')]);
      });

      it('reads params, limits and state back exactly: nested values, odd floats, unicode, every JSON kind', () => {
        const j = make();
        const state = {
          position: -0.000_123_456_789_012_345,
          sum: 0.1 + 0.2,
          tiny: 5e-324,
          huge: 1.797_693_134_862_315_7e308,
          counter: Number.MAX_SAFE_INTEGER,
          nested: { list: [1, 'two', false, null, { deep: ['x'] }], empty: {}, none: [] },
          text: 'ünïcödé ✓ "quoted" \\ back\nslash',
          'odd key.with $ chars': true,
        };
        const row = strategyInstance('s1', {
          params: { fast: 0.1 + 0.2, slow: -3, label: 'x"y', on: false },
          limits: { maxPositionValue: '0.00000001', maxOpenOrders: 10_000, maxDailyLoss: '123456789.123456789' },
          statusReason: 'stopped by the emergency stop',
          resumeAfterRestart: true,
          state,
        });
        j.saveStrategyInstance(row);
        const [back] = j.listStrategyInstances();
        expect(back).toEqual(row);
        expect(back!.state.sum).toBe(0.1 + 0.2);
        expect(back!.state.tiny).toBe(5e-324);
        expect(typeof back!.resumeAfterRestart).toBe('boolean');
      });

      it('refuses state JSON would change with VALIDATION_FAILED, and keeps what it had', () => {
        const j = make();
        j.saveStrategyInstance(strategyInstance('s1', { state: { kept: 1 } }));
        const bad: Array<Record<string, unknown>> = [
          { x: Number.NaN },
          { x: Number.POSITIVE_INFINITY },
          { at: new Date(T0) },
          { seen: new Map([['a', 1]]) },
          { list: [1, undefined] },
        ];
        for (const state of bad) {
          let caught: unknown;
          try {
            j.saveStrategyInstance(strategyInstance('s1', { state, updatedAt: T0 + 1 }));
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(KeelError);
          expect(caught).toMatchObject({ code: 'VALIDATION_FAILED' });
        }
        expect(() => j.saveStrategyInstance(strategyInstance('s2', { params: { fast: Number.NaN } }))).toThrow(KeelError);
        expect(j.listStrategyInstances()).toEqual([strategyInstance('s1', { state: { kept: 1 } })]);
      });

      it('keeps its own copies: mutating what was saved or listed changes nothing', () => {
        const j = make();
        const row = strategyInstance('s1', { state: { list: [1, 2] } });
        j.saveStrategyInstance(row);
        row.params.fast = 99;
        row.limits.maxOpenOrders = 99;
        (row.state.list as number[]).push(3);
        const listed = j.listStrategyInstances()[0]!;
        listed.name = 'changed';
        (listed.state.list as number[]).length = 0;
        expect(j.listStrategyInstances()).toEqual([strategyInstance('s1', { state: { list: [1, 2] } })]);
      });

      it('undoes saves and deletes of instances with the transaction that made them', () => {
        const j = make();
        j.saveStrategyInstance(strategyInstance('s1'));
        j.saveStrategyInstance(strategyInstance('s2'));
        expect(() =>
          j.transaction(() => {
            j.saveStrategyInstance(strategyInstance('s1', { status: 'running' }));
            j.saveStrategyInstance(strategyInstance('s3'));
            expect(j.deleteStrategyInstance('s2')).toBe(true);
            throw new Error('undo');
          }),
        ).toThrow('undo');
        expect(j.listStrategyInstances()).toEqual([strategyInstance('s1'), strategyInstance('s2')]);
      });
    });

    describe('transactions', () => {
      it("returns the function's result, and its writes are visible inside and after", () => {
        const j = make();
        const result = j.transaction(() => {
          j.insertOrder(order('o1'));
          expect(j.getOrder('o1')).toEqual(order('o1'));
          return 42;
        });
        expect(result).toBe(42);
        expect(j.getOrder('o1')).toEqual(order('o1'));
      });

      it('undoes every write when the function throws, and rethrows the same error', () => {
        const j = make();
        seed(j);
        const before = observe(j);
        const boom = new Error('boom');
        let caught: unknown;
        try {
          j.transaction(() => {
            writeEverything(j);
            expect(observe(j)).not.toEqual(before);
            throw boom;
          });
        } catch (error) {
          caught = error;
        }
        expect(caught).toBe(boom);
        expect(observe(j)).toEqual(before);
        // Nothing the rolled-back writes claimed (ids, trade ids) stays taken.
        writeEverything(j);
        expect(observe(j)).not.toEqual(before);
      });

      it('a committed transaction leaves the same books as the same writes made one by one', () => {
        const inTransaction = make();
        const direct = make();
        seed(inTransaction);
        seed(direct);
        inTransaction.transaction(() => writeEverything(inTransaction));
        writeEverything(direct);
        expect(observe(inTransaction)).toEqual(observe(direct));
      });

      it('a nested transaction that throws undoes only its own writes when the outer one catches', () => {
        const j = make();
        seed(j);
        j.transaction(() => {
          j.insertOrder(order('o3'));
          j.appendActivity(activity(T0 + 100, 'outer before'));
          expect(() =>
            j.transaction(() => {
              j.insertOrder(order('o4'));
              j.updateOrder(order('o3', { status: 'filled' }));
              j.insertFill(fill('t2', 'o3', T0 + 100));
              j.appendActivity(activity(T0 + 101, 'inner'));
              j.saveLedger('paper', ledger('1'));
              j.saveSettings(settings(1));
              throw new Error('inner');
            }),
          ).toThrow('inner');
          j.insertFill(fill('t3', 'o3', T0 + 102));
          j.appendActivity(activity(T0 + 102, 'outer after'));
        });
        expect(j.getOrder('o3')).toEqual(order('o3'));
        expect(j.getOrder('o4')).toBeUndefined();
        expect(j.hasFill('paper', 't2')).toBe(false);
        expect(j.hasFill('paper', 't3')).toBe(true);
        expect(j.lastFillTimestamp('paper')).toBe(T0 + 102);
        expect(j.listActivity(3).map((a) => a.message)).toEqual(['outer after', 'outer before', 'seed 4']);
        expect(j.loadLedger('paper')?.balance).toBe('1000');
        expect(j.loadSettings()).toEqual(settings(30));
      });

      it('an outer transaction that throws undoes its nested ones, even those that committed', () => {
        const j = make();
        seed(j);
        const before = observe(j);
        expect(() =>
          j.transaction(() => {
            j.transaction(() => writeEverything(j));
            j.transaction(() => j.appendActivity(activity(T0 + 200, 'second inner')));
            throw new Error('outer');
          }),
        ).toThrow('outer');
        expect(observe(j)).toEqual(before);
      });

      it('unwinds three levels, each to its own start', () => {
        const j = make();
        j.transaction(() => {
          j.insertOrder(order('o1'));
          j.transaction(() => {
            j.insertOrder(order('o2'));
            try {
              j.transaction(() => {
                j.insertOrder(order('o3'));
                j.updateOrder(order('o1', { status: 'filled' }));
                throw new Error('level 3');
              });
            } catch {
              // level 2 carries on without level 3
            }
            j.updateOrder(order('o2', { status: 'canceled' }));
          });
          try {
            j.transaction(() => {
              j.insertOrder(order('o3', { price: '2' }));
              j.transaction(() => j.insertOrder(order('o4')));
              throw new Error('level 2');
            });
          } catch {
            // level 1 carries on without it
          }
        });
        expect(j.listOrders({ openOnly: false, limit: 10 }).items).toEqual([order('o2', { status: 'canceled' }), order('o1')]);
        expect(j.clientOrderIdExists('c-o3')).toBe(false);
        expect(j.clientOrderIdExists('c-o4')).toBe(false);
      });

      it('keeps the writes before a journal call that failed and was caught inside the transaction', () => {
        const j = make();
        j.transaction(() => {
          j.insertOrder(order('o1'));
          expect(() => j.insertOrder(order('o1'))).toThrow();
          expect(() => j.insertFill(fill('t1', 'ghost', T0))).toThrow();
          j.insertFill(fill('t1', 'o1', T0));
        });
        expect(j.getOrder('o1')).toEqual(order('o1'));
        expect(j.hasFill('paper', 't1')).toBe(true);
      });

      it('keeps ids increasing across a rollback', () => {
        const j = make();
        j.insertOrder(order('o1'));
        j.appendOrderEvent(event('o1', T0));
        const first = j.appendActivity(activity(T0));
        expect(() =>
          j.transaction(() => {
            j.appendActivity(activity(T0));
            j.appendOrderEvent(event('o1', T0 + 1));
            throw new Error('undo');
          }),
        ).toThrow('undo');
        expect(j.appendActivity(activity(T0)).id).toBeGreaterThan(first.id);
        j.appendOrderEvent(event('o1', T0 + 2));
        const events = j.listOrderEvents('o1');
        expect(events.map((e) => e.timestamp)).toEqual([T0, T0 + 2]);
        expect(events[1]!.id).toBeGreaterThan(events[0]!.id);
      });

      it('refuses a function that returns a promise, and keeps none of its writes', () => {
        const j = make();
        expect(() =>
          j.transaction(() => {
            j.insertOrder(order('o1'));
            return Promise.resolve(1);
          }),
        ).toThrow(TypeError);
        expect(j.getOrder('o1')).toBeUndefined();
        j.insertOrder(order('o1'));
        expect(j.getOrder('o1')).toEqual(order('o1'));
      });

      it('still works after a rollback: the next transaction commits normally', () => {
        const j = make();
        expect(() =>
          j.transaction(() => {
            j.insertOrder(order('o1'));
            throw new Error('first');
          }),
        ).toThrow('first');
        j.transaction(() => j.insertOrder(order('o2')));
        expect(j.getOrder('o1')).toBeUndefined();
        expect(j.getOrder('o2')).toEqual(order('o2'));
        expect(() =>
          j.transaction(() => {
            j.insertOrder(order('o3'));
            throw new Error('second');
          }),
        ).toThrow('second');
        expect(j.listOrders({ openOnly: false, limit: 10 }).items).toEqual([order('o2')]);
      });
    });

    if (durable) {
      describe('on disk', () => {
        it('reads back everything after it is closed and opened again', () => {
          const { journal, reopen } = durable.open();
          seed(journal);
          journal.transaction(() => writeEverything(journal));
          journal.saveStrategyInstance(strategyInstance('s4', { state: { nested: { at: [0.1 + 0.2, 'x', null] } }, resumeAfterRestart: true }));
          const before = observe(journal);
          expect(before.strategies.map((r) => r.id)).toEqual(['s1', 's4', 's3']);
          const reopened = reopen();
          expect(observe(reopened)).toEqual(before);
          // It carries on writing where it left off.
          expect(reopened.deleteStrategyInstance('s4')).toBe(true);
          expect(reopened.listStrategyInstances().map((r) => r.id)).toEqual(['s1', 's3']);
        });
      });
    }
  });
}
