import { afterEach, describe, expect, it } from 'vitest';
import { signal as storedSignal } from '../../../../tests/support/signalStoreConformance';
import type { Signal } from '../../../shared/contract/signals';
import { KeelError, type ErrorCode } from '../../../shared/errors';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { SqliteSignalStore } from '../../journal/sqliteSignalStore';
import { MemorySignalStore } from './memorySignalStore';
import { SignalBook, type SignalTopic } from './signalBook';
import type { NewSignal } from './signalSink';
import type { SignalStore } from './signalStore';

const T0 = 1_700_000_040_000;
const MINUTE = 60_000;

function scored(overrides: Partial<NewSignal> = {}): NewSignal {
  const { id: _id, createdAt: _created, orderIds: _orders, ...rest } = storedSignal('x');
  return { ...rest, ...overrides };
}

function setup(store: SignalStore = new MemorySignalStore(), maxKept?: number) {
  const published: Array<{ topic: SignalTopic; signal: Signal }> = [];
  let now = T0 + 5_000;
  let n = 0;
  const book = new SignalBook({
    store,
    publish: (topic, signal) => published.push({ topic, signal }),
    now: () => now,
    newId: () => `sig-${++n}`,
    ...(maxKept === undefined ? {} : { maxKept }),
  });
  return { book, store, published, tick: (ms: number) => (now += ms) };
}

function expectKeelError(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeelError);
  expect(caught).toMatchObject({ code });
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('SignalBook', () => {
  it('records a signal with its own id and creation time and no orders, keeps it and publishes it as signals.new', () => {
    const { book, store, published } = setup();
    const recorded = book.record(scored({ confidence: 0.81, note: 'scored' }));
    expect(recorded).toEqual({ ...scored({ confidence: 0.81, note: 'scored' }), id: 'sig-1', createdAt: T0 + 5_000, orderIds: [] });
    expect(store.get('sig-1')).toEqual(recorded);
    expect(published).toEqual([{ topic: 'signals.new', signal: recorded }]);
  });

  it("ignores an id, creation time or orders a scorer slips in: they are the book's", () => {
    const { book } = setup();
    const sneaky = { ...scored(), id: 'mine', createdAt: 1, orderIds: ['o-1'] } as NewSignal;
    expect(book.record(sneaky)).toMatchObject({ id: 'sig-1', createdAt: T0 + 5_000, orderIds: [] });
    expect(book.get('mine')).toBeUndefined();
  });

  it('refuses a signal outside the contract with VALIDATION_FAILED, keeping and publishing nothing', () => {
    const { book, store, published } = setup();
    for (const bad of [scored({ confidence: 2 }), scored({ confidence: Number.NaN }), scored({ modelVersion: 1.5 }), scored({ timeframe: '2m' as NewSignal['timeframe'] })]) {
      expectKeelError(() => book.record(bad), 'VALIDATION_FAILED', /^Invalid signal: /);
    }
    expect(store.count()).toBe(0);
    expect(published).toEqual([]);
  });

  it('publishes signals.updated when a decision changes the signal, and nothing when it was already so', () => {
    const { book, published } = setup();
    const { id } = book.record(scored());
    book.decide(id, true, 'confidence 0.80 above 0.75');
    book.decide(id, true, 'confidence 0.80 above 0.75');
    expect(published.map((p) => p.topic)).toEqual(['signals.new', 'signals.updated']);
    expect(published[1]!.signal).toMatchObject({ id, acted: true, note: 'confidence 0.80 above 0.75', orderIds: [] });
    expect(book.get(id)).toEqual(published[1]!.signal);
  });

  it('links the orders a signal caused, oldest first, publishing each new link once', () => {
    const { book, published } = setup();
    const { id } = book.record(scored());
    book.decide(id, true, 'acted');
    book.linkOrder(id, 'o-2');
    book.linkOrder(id, 'o-1');
    book.linkOrder(id, 'o-2');
    expect(published.map((p) => p.topic)).toEqual(['signals.new', 'signals.updated', 'signals.updated', 'signals.updated']);
    expect(published.at(-1)!.signal).toMatchObject({ acted: true, note: 'acted', orderIds: ['o-2', 'o-1'] });
    expect(book.list({ orderId: 'o-1' }).map((s) => s.id)).toEqual([id]);
  });

  it('refuses a decision or link for an unknown signal with NOT_FOUND, and bad values with VALIDATION_FAILED, changing nothing', () => {
    const { book, published } = setup();
    const { id } = book.record(scored());
    expectKeelError(() => book.decide('ghost', true, 'x'), 'NOT_FOUND', /no signal ghost/);
    expectKeelError(() => book.linkOrder('ghost', 'o-1'), 'NOT_FOUND');
    expectKeelError(() => book.linkOrder(id, ''), 'VALIDATION_FAILED');
    expectKeelError(() => book.linkOrder(id, 'o'.repeat(65)), 'VALIDATION_FAILED');
    expectKeelError(() => book.linkOrder(id, 7 as unknown as string), 'VALIDATION_FAILED');
    expectKeelError(() => book.decide(id, 'yes' as unknown as boolean, 'x'), 'VALIDATION_FAILED');
    expectKeelError(() => book.decide(id, true, null as unknown as string), 'VALIDATION_FAILED');
    expect(book.get(id)).toMatchObject({ acted: false, note: '', orderIds: [] });
    expect(published).toHaveLength(1);
  });

  it('lists through its store, newest bar first, with the filters given', () => {
    const { book, tick } = setup();
    book.record(scored({ time: T0, strategyId: 's-1' }));
    tick(1);
    book.record(scored({ time: T0 + MINUTE, strategyId: 's-2' }));
    tick(1);
    book.record(scored({ time: T0 + 2 * MINUTE, strategyId: 's-1', symbol: 'ETH/USDT:USDT' }));
    expect(book.list().map((s) => s.id)).toEqual(['sig-3', 'sig-2', 'sig-1']);
    expect(book.list({ strategyId: 's-1' }).map((s) => s.id)).toEqual(['sig-3', 'sig-1']);
    expect(book.list({ strategyId: 's-1', symbol: 'BTC/USDT:USDT' }).map((s) => s.id)).toEqual(['sig-1']);
    expect(book.list({ limit: 1 }).map((s) => s.id)).toEqual(['sig-3']);
  });
});

describe('SignalBook keeps the journal bounded', () => {
  const open: JournalDatabase[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  /** A store that counts how often it is pruned. */
  function counting(store: SignalStore): SignalStore & { prunes: number } {
    const counted = Object.assign(Object.create(store) as SignalStore, { prunes: 0 });
    counted.prune = (keep: number) => {
      counted.prunes += 1;
      return store.prune(keep);
    };
    return counted;
  }

  it('never holds more than it keeps, drops the oldest bars first, and prunes in batches', () => {
    const store = counting(new MemorySignalStore());
    const { book } = setup(store, 1_000);
    for (let i = 0; i < 2_500; i++) {
      book.record(scored({ time: T0 + i * MINUTE }));
      expect(store.count()).toBeLessThanOrEqual(1_000);
    }
    // Every signal recorded after the book filled up is there; each prune dropped 1% at once.
    const kept = book.list({ limit: 5_000 });
    expect(kept.length).toBeGreaterThanOrEqual(990);
    expect(kept[0]!.id).toBe('sig-2500');
    expect(kept.at(-1)!.time).toBe(T0 + (2_500 - kept.length) * MINUTE);
    expect(store.prunes).toBeGreaterThan(100);
    expect(store.prunes).toBeLessThan(160);
  });

  it('prunes a store already past its size when it opens', () => {
    const store = new MemorySignalStore();
    for (let i = 0; i < 50; i++) store.insert(storedSignal(`old-${i}`, { time: T0 + i * MINUTE }));
    const { book } = setup(store, 20);
    expect(store.count()).toBeLessThanOrEqual(20);
    expect(book.list()[0]!.id).toBe('old-49');
    expect(book.get('old-0')).toBeUndefined();
  });

  it('keeps the journal itself bounded, with the order links of the signals it drops', () => {
    const db = openJournalDatabase(':memory:');
    open.push(db);
    const { book } = setup(new SqliteSignalStore(db), 300);
    for (let i = 0; i < 900; i++) {
      const { id } = book.record(scored({ time: T0 + i * MINUTE }));
      book.linkOrder(id, `o-${i}`);
    }
    const rows = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(rows('signals')).toBeLessThanOrEqual(300);
    expect(rows('signal_orders')).toBe(rows('signals'));
    expect(book.list({ orderId: 'o-899' }).map((s) => s.id)).toEqual(['sig-900']);
    expect(book.list({ orderId: 'o-0' })).toEqual([]);
  });

  it('refuses a size that is not a positive whole number', () => {
    for (const maxKept of [0, -1, 1.5, Number.NaN]) expect(() => setup(new MemorySignalStore(), maxKept)).toThrow(/maxKept/);
  });
});
