/**
 * What every SignalStore must do, as one suite any implementation runs:
 * `signalStoreConformance('SqliteSignalStore', () => new SqliteSignalStore(db))`.
 * The memory store passes the same tests as the SQLite one, so code tested
 * against it behaves the same on the journal. A store kept on disk also
 * passes `durable`: everything reads back after it is closed and opened again.
 */
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/shared/contract/signals';
import { KeelError, type ErrorCode } from '../../src/shared/errors';
import type { SignalStore } from '../../src/main/ml/signals/signalStore';

const T0 = 1_700_000_040_000;
const MINUTE = 60_000;

/** A signal on the paper venue's BTC perpetual; override what a test is about. */
export function signal(id: string, overrides: Partial<Signal> = {}): Signal {
  return {
    id,
    time: T0,
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    timeframe: '1m',
    direction: 'long',
    confidence: 0.8,
    probabilities: { long: 0.8, short: 0.15, neutral: 0.05 },
    modelId: 'm-1',
    modelName: 'btc-direction',
    modelVersion: 3,
    featuresHash: 'f3a9c2d1e0b4a5c6',
    strategyId: 's-1',
    regime: 'trending_up',
    acted: false,
    note: '',
    orderIds: [],
    createdAt: T0 + MINUTE,
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

const ids = (list: readonly Signal[]) => list.map((s) => s.id);

/** A store kept on disk: `open` opens a fresh one; `reopen` closes the one opened last and opens the same store again. */
export interface DurableSignalStore {
  open(): { store: SignalStore; reopen(): SignalStore };
}

export function signalStoreConformance(name: string, make: () => SignalStore, durable?: DurableSignalStore): void {
  describe(`${name} conforms to SignalStore`, () => {
    it('holds nothing at first', () => {
      const store = make();
      expect(store.list({})).toEqual([]);
      expect(store.get('x')).toBeUndefined();
      expect(store.count()).toBe(0);
      expect(store.setDecision('x', true, 'n')).toBeUndefined();
      expect(store.linkOrder('x', 'o-1')).toBeUndefined();
      expect(store.prune(0)).toBe(0);
      expect(store.list({})).toEqual([]);
    });

    it('gives back a signal exactly: odd doubles, nulls, unicode notes, every field', () => {
      const store = make();
      const a = signal('a', { confidence: 0.1 + 0.2, probabilities: { long: 1 / 3, short: 5e-324, neutral: 0.1 + 0.2 }, note: 'confiance 0,62 « sous » 0,75 ✓' });
      const b = signal('b', { strategyId: null, regime: null, probabilities: null, direction: 'neutral', acted: true, time: T0 + MINUTE });
      store.insert(a);
      store.insert(b);
      expect(store.get('a')).toEqual(a);
      expect(store.get('a')!.confidence).toBe(0.1 + 0.2);
      expect(store.get('b')).toEqual(b);
      expect(store.list({})).toEqual([b, a]);
      expect(store.count()).toBe(2);
    });

    it('answers private copies: changing what it answered changes nothing stored', () => {
      const store = make();
      store.insert(signal('a'));
      const got = store.get('a')!;
      got.orderIds.push('o-x');
      got.note = 'changed';
      store.list({})[0]!.orderIds.push('o-y');
      expect(store.get('a')).toEqual(signal('a'));
    });

    it('refuses a second signal under an id already taken with INVALID_STATE, keeping the first', () => {
      const store = make();
      store.insert(signal('a'));
      expectKeelError(() => store.insert(signal('a', { direction: 'short', orderIds: ['o-9'] })), 'INVALID_STATE');
      expect(store.get('a')).toEqual(signal('a'));
      expect(store.list({ orderId: 'o-9' })).toEqual([]);
      expect(store.count()).toBe(1);
    });

    it('refuses a signal outside the contract with VALIDATION_FAILED and stores nothing', () => {
      const store = make();
      const bad: Array<Partial<Signal>> = [
        { confidence: 1.5 },
        { confidence: Number.NaN },
        { probabilities: { long: Number.POSITIVE_INFINITY, short: 0, neutral: 0 } },
        { symbol: 'btc' },
        { direction: 'up' as Signal['direction'] },
        { modelVersion: 0 },
        { time: -1 },
        { regime: 'sideways' as Signal['regime'] },
      ];
      for (const overrides of bad) expectKeelError(() => store.insert(signal('bad', overrides)), 'VALIDATION_FAILED');
      expect(store.count()).toBe(0);
      expect(store.get('bad')).toBeUndefined();
    });

    it('keeps the orders a signal is inserted with, oldest first, each once', () => {
      const store = make();
      store.insert(signal('a', { orderIds: ['o-2', 'o-1', 'o-2'] }));
      expect(store.get('a')!.orderIds).toEqual(['o-2', 'o-1']);
      expect(ids(store.list({ orderId: 'o-1' }))).toEqual(['a']);
    });

    it('records a decision, and says when it was already so', () => {
      const store = make();
      store.insert(signal('a'));
      store.insert(signal('b'));
      const acted = store.setDecision('a', true, 'confidence 0.80 above 0.75');
      expect(acted).toEqual({ signal: signal('a', { acted: true, note: 'confidence 0.80 above 0.75' }), changed: true });
      expect(store.get('a')).toEqual(acted!.signal);
      expect(store.setDecision('a', true, 'confidence 0.80 above 0.75')).toEqual({ signal: acted!.signal, changed: false });
      // Changing the note alone is a change; so is going back.
      expect(store.setDecision('a', true, 'again')?.changed).toBe(true);
      expect(store.setDecision('a', false, 'again')?.signal).toMatchObject({ acted: false, note: 'again' });
      expect(store.get('b')).toEqual(signal('b'));
    });

    it('links orders oldest first; linking one again changes nothing; an unknown signal links nothing', () => {
      const store = make();
      store.insert(signal('a'));
      expect(store.linkOrder('a', 'o-2')).toEqual({ signal: signal('a', { orderIds: ['o-2'] }), changed: true });
      expect(store.linkOrder('a', 'o-1')).toEqual({ signal: signal('a', { orderIds: ['o-2', 'o-1'] }), changed: true });
      expect(store.linkOrder('a', 'o-2')).toEqual({ signal: signal('a', { orderIds: ['o-2', 'o-1'] }), changed: false });
      expect(store.linkOrder('ghost', 'o-3')).toBeUndefined();
      expect(store.get('a')!.orderIds).toEqual(['o-2', 'o-1']);
      expect(store.list({ orderId: 'o-3' })).toEqual([]);
      // A decision keeps the links, and a link keeps the decision.
      store.setDecision('a', true, 'acted');
      store.linkOrder('a', 'o-4');
      expect(store.get('a')).toMatchObject({ acted: true, note: 'acted', orderIds: ['o-2', 'o-1', 'o-4'] });
    });

    it('lists the newest bar first, then the one created later, then the one inserted later', () => {
      const store = make();
      const rows: Array<[string, number, number]> = [
        ['a', T0, T0 + 5],
        ['b', T0 + MINUTE, T0 + 1],
        ['c', T0, T0 + 9],
        ['d', T0, T0 + 5],
        ['e', T0 + 2 * MINUTE, T0],
        ['f', T0, T0 + 5],
      ];
      for (const [id, time, createdAt] of rows) store.insert(signal(id, { time, createdAt }));
      expect(ids(store.list({}))).toEqual(['e', 'b', 'c', 'f', 'd', 'a']);
    });

    it('narrows by strategy, venue, symbol, model, order and bar time, alone and together', () => {
      const store = make();
      store.insert(signal('a', { strategyId: 's-1', symbol: 'BTC/USDT:USDT', modelId: 'm-1', time: T0 }));
      store.insert(signal('b', { strategyId: 's-2', symbol: 'ETH/USDT:USDT', modelId: 'm-1', time: T0 + MINUTE }));
      store.insert(signal('c', { strategyId: 's-1', symbol: 'ETH/USDT:USDT', modelId: 'm-2', time: T0 + 2 * MINUTE, venue: 'binance' }));
      store.insert(signal('d', { strategyId: null, symbol: 'BTC/USDT:USDT', modelId: 'm-2', time: T0 + 3 * MINUTE }));
      store.linkOrder('a', 'o-1');
      store.linkOrder('c', 'o-1');
      store.linkOrder('c', 'o-2');
      expect(ids(store.list({ strategyId: 's-1' }))).toEqual(['c', 'a']);
      expect(ids(store.list({ strategyId: 's-3' }))).toEqual([]);
      expect(ids(store.list({ venue: 'binance' }))).toEqual(['c']);
      expect(ids(store.list({ venue: 'paper' }))).toEqual(['d', 'b', 'a']);
      expect(ids(store.list({ symbol: 'ETH/USDT:USDT' }))).toEqual(['c', 'b']);
      expect(ids(store.list({ modelId: 'm-2' }))).toEqual(['d', 'c']);
      expect(ids(store.list({ orderId: 'o-1' }))).toEqual(['c', 'a']);
      expect(ids(store.list({ orderId: 'o-2' }))).toEqual(['c']);
      expect(ids(store.list({ orderId: 'o-9' }))).toEqual([]);
      // Before is strict: the bar at that time is not before it.
      expect(ids(store.list({ before: T0 + 2 * MINUTE }))).toEqual(['b', 'a']);
      expect(ids(store.list({ before: T0 }))).toEqual([]);
      expect(ids(store.list({ venue: 'paper', symbol: 'BTC/USDT:USDT' }))).toEqual(['d', 'a']);
      expect(ids(store.list({ strategyId: 's-1', symbol: 'ETH/USDT:USDT', modelId: 'm-2', orderId: 'o-2', venue: 'binance', before: T0 + 3 * MINUTE }))).toEqual(['c']);
      expect(ids(store.list({ strategyId: 's-1', orderId: 'o-2', venue: 'paper' }))).toEqual([]);
      expect(ids(store.list({ symbol: 'BTC/USDT:USDT', limit: 1 }))).toEqual(['d']);
    });

    it('answers 200 by default, the limit asked for, and pages back with before', () => {
      const store = make();
      for (let i = 0; i < 205; i++) store.insert(signal(`s${String(i).padStart(3, '0')}`, { time: T0 + i * MINUTE }));
      const first = store.list({});
      expect(first).toHaveLength(200);
      expect(first[0]!.id).toBe('s204');
      expect(first.at(-1)!.id).toBe('s005');
      expect(ids(store.list({ limit: 3 }))).toEqual(['s204', 's203', 's202']);
      expect(ids(store.list({ before: first.at(-1)!.time }))).toEqual(['s004', 's003', 's002', 's001', 's000']);
    });

    it('prunes the oldest bars beyond the newest it keeps, with their order links', () => {
      const store = make();
      // Inserted out of bar order: pruning goes by bar time, then creation, not by insertion.
      for (const [id, time, createdAt] of [
        ['c', T0 + 2 * MINUTE, T0],
        ['a', T0, T0 + 2],
        ['d', T0 + 3 * MINUTE, T0],
        ['b', T0, T0 + 3],
      ] as const) {
        store.insert(signal(id, { time, createdAt }));
      }
      store.linkOrder('a', 'o-1');
      store.linkOrder('b', 'o-2');
      expect(store.prune(10)).toBe(0);
      expect(store.prune(2)).toBe(2);
      expect(store.count()).toBe(2);
      expect(ids(store.list({}))).toEqual(['d', 'c']);
      expect(store.get('a')).toBeUndefined();
      expect(store.list({ orderId: 'o-1' })).toEqual([]);
      expect(store.list({ orderId: 'o-2' })).toEqual([]);
      // The ids of pruned signals are free again.
      store.insert(signal('a', { time: T0 + 9 * MINUTE }));
      expect(store.get('a')!.orderIds).toEqual([]);
      expect(store.prune(0)).toBe(3);
      expect(store.list({})).toEqual([]);
    });

    if (durable) {
      it('reads back every signal, decision and link after it is closed and opened again', () => {
        const { store, reopen } = durable.open();
        store.insert(signal('a', { time: T0 }));
        store.insert(signal('b', { time: T0 + MINUTE, strategyId: null, regime: null }));
        store.setDecision('a', true, 'confidence 0.80 above 0.75');
        store.linkOrder('a', 'o-2');
        store.linkOrder('a', 'o-1');
        const before = store.list({});
        const again = reopen();
        expect(again.list({})).toEqual(before);
        expect(again.get('a')).toMatchObject({ acted: true, orderIds: ['o-2', 'o-1'] });
        expect(ids(again.list({ orderId: 'o-1' }))).toEqual(['a']);
        // The order of insertion survives too: a new signal on the same bar and creation time lists first.
        again.insert(signal('c', { time: T0 + MINUTE, createdAt: signal('b').createdAt }));
        expect(ids(again.list({}))).toEqual(['c', 'b', 'a']);
      });
    }
  });
}
