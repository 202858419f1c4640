import { describe, expect, it } from 'vitest';
import { MINUTE, SIGNAL_T0 as T0, signal } from '../features/signals/fixtures/signal';
import {
  EMPTY_SIGNAL_LIST,
  SIGNAL_CAPS,
  beginLoad,
  failLoad,
  feedQuery,
  finishLoad,
  foldSignals,
  matchesQuery,
  upsertSignals,
  type SignalList,
} from './signals';
import { createKeelStore } from './store';

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('upsertSignals', () => {
  it('inserts a new signal in its place, newest bar first, then the one created later', () => {
    const rows = [signal('c', { time: T0 + 2 * MINUTE }), signal('a', { time: T0 })];
    const next = upsertSignals(rows, [signal('b', { time: T0 + MINUTE }), signal('d', { time: T0 + 2 * MINUTE, createdAt: T0 + 9 * MINUTE })], {}, 10);
    expect(ids(next)).toEqual(['d', 'c', 'b', 'a']);
    expect(ids(rows)).toEqual(['c', 'a']);
  });

  it('replaces a signal it holds by id, keeping its place', () => {
    const rows = [signal('b', { time: T0 + MINUTE }), signal('a', { time: T0 })];
    const acted = signal('a', { time: T0, acted: true, note: 'acted', orderIds: ['o-1'] });
    const next = upsertSignals(rows, [acted], {}, 10);
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next[1]).toBe(acted);
  });

  it('takes the last of several copies of one signal in a batch', () => {
    const next = upsertSignals([], [signal('a'), signal('a', { orderIds: ['o-1'] }), signal('a', { orderIds: ['o-1', 'o-2'] })], {}, 10);
    expect(next).toEqual([signal('a', { orderIds: ['o-1', 'o-2'] })]);
  });

  it('keeps only the newest up to its cap', () => {
    const rows = Array.from({ length: 5 }, (_, i) => signal(`s${i}`, { time: T0 + i * MINUTE })).reverse();
    expect(ids(upsertSignals(rows, [signal('new', { time: T0 + 9 * MINUTE })], {}, 5))).toEqual(['new', 's4', 's3', 's2', 's1']);
    // One older than everything kept falls off at once.
    expect(upsertSignals(rows, [signal('old', { time: T0 - MINUTE })], {}, 5).map((s) => s.id)).not.toContain('old');
  });

  it('leaves out signals its query does not match, and answers the same rows when nothing changed', () => {
    const rows = [signal('a')];
    expect(upsertSignals(rows, [signal('b', { symbol: 'ETH/USDT:USDT' })], { symbol: 'BTC/USDT:USDT' }, 10)).toBe(rows);
    expect(upsertSignals(rows, [], {}, 10)).toBe(rows);
  });
});

describe('matchesQuery', () => {
  it('matches every field given and ignores the rest', () => {
    const s = signal('a', { strategyId: 's-1', orderIds: ['o-1'], timeframe: '5m' });
    expect(matchesQuery(s, {})).toBe(true);
    expect(matchesQuery(s, { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '5m', strategyId: 's-1', orderId: 'o-1' })).toBe(true);
    expect(matchesQuery(s, { timeframe: '1m' })).toBe(false);
    expect(matchesQuery(s, { strategyId: 's-2' })).toBe(false);
    expect(matchesQuery(s, { orderId: 'o-2' })).toBe(false);
    expect(matchesQuery(s, { venue: 'binance' })).toBe(false);
    expect(matchesQuery(signal('b', { strategyId: null }), { strategyId: 's-1' })).toBe(false);
  });

  it('builds the feed query from its filters', () => {
    expect(feedQuery({ strategyId: null, symbol: null })).toEqual({});
    expect(feedQuery({ strategyId: 's-1', symbol: 'ETH/USDT:USDT' })).toEqual({ strategyId: 's-1', symbol: 'ETH/USDT:USDT' });
  });
});

describe('loading a signal list', () => {
  const query = { symbol: 'BTC/USDT:USDT' };

  it('lays what arrived during the load over the snapshot, so a late answer never hides a newer copy', () => {
    let list: SignalList = beginLoad(EMPTY_SIGNAL_LIST, query);
    list = foldSignals(list, [signal('a', { acted: true, orderIds: ['o-1'] }), signal('n', { time: T0 + 5 * MINUTE })], 10);
    const snapshot = [signal('b', { time: T0 + MINUTE }), signal('a'), signal('x', { symbol: 'ETH/USDT:USDT' })];
    list = finishLoad(list, query, snapshot, 10);
    expect(ids(list.rows)).toEqual(['n', 'b', 'a']);
    expect(list.rows[2]).toMatchObject({ acted: true, orderIds: ['o-1'] });
    expect(list).toMatchObject({ loaded: true, error: null, arrived: null });
  });

  it('drops the answer of a query no longer on screen', () => {
    const list = beginLoad(EMPTY_SIGNAL_LIST, { symbol: 'ETH/USDT:USDT' });
    expect(finishLoad(list, query, [signal('a')], 10)).toBe(list);
    expect(failLoad(list, query, 'down')).toBe(list);
  });

  it('clears the rows of another query when a load begins, and keeps them for the same query', () => {
    const loaded = finishLoad(beginLoad(EMPTY_SIGNAL_LIST, query), query, [signal('a')], 10);
    expect(beginLoad(loaded, { ...query })).toMatchObject({ rows: loaded.rows, loaded: true, arrived: [] });
    expect(beginLoad(loaded, { symbol: 'ETH/USDT:USDT' })).toMatchObject({ rows: [], loaded: false });
  });

  it('keeps what it showed on a failed load, with the reason and what arrived meanwhile', () => {
    let list = finishLoad(beginLoad(EMPTY_SIGNAL_LIST, query), query, [signal('a')], 10);
    list = beginLoad(list, query);
    list = foldSignals(list, [signal('b', { time: T0 + MINUTE })], 10);
    list = failLoad(list, query, 'the host is restarting');
    expect(ids(list.rows)).toEqual(['b', 'a']);
    expect(list).toMatchObject({ error: 'the host is restarting', arrived: null });
  });

  it('answers the same list when live signals change nothing in it', () => {
    const list = finishLoad(beginLoad(EMPTY_SIGNAL_LIST, query), query, [signal('a')], 10);
    expect(foldSignals(list, [signal('x', { symbol: 'ETH/USDT:USDT' })], 10)).toBe(list);
  });
});

describe('signals in the store', () => {
  it('folds signals.new and signals.updated into the feed and the chart list, each by its own query and cap', () => {
    const store = createKeelStore();
    const s = store.getState;
    s().beginSignalLoad('signalFeed', {});
    s().finishSignalLoad('signalFeed', {}, []);
    const chart = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m' as const };
    s().beginSignalLoad('chartSignals', chart);
    s().finishSignalLoad('chartSignals', chart, []);
    const eth = signal('e', { symbol: 'ETH/USDT:USDT', time: T0 + MINUTE });
    s().applyEvents(
      [
        { topic: 'signals.new', data: signal('a') },
        { topic: 'signals.new', data: eth },
        { topic: 'signals.updated', data: signal('a', { acted: true, note: 'acted', orderIds: ['o-1'] }) },
      ],
      [],
    );
    expect(ids(s().signalFeed.rows)).toEqual(['e', 'a']);
    expect(s().signalFeed.rows[1]).toMatchObject({ acted: true, orderIds: ['o-1'] });
    expect(ids(s().chartSignals.rows)).toEqual(['a']);
  });

  it('keeps at most its cap of signals in the feed, newest first', () => {
    const store = createKeelStore();
    const s = store.getState;
    s().beginSignalLoad('signalFeed', {});
    s().finishSignalLoad('signalFeed', {}, []);
    const cap = SIGNAL_CAPS.signalFeed;
    const events = Array.from({ length: cap + 50 }, (_, i) => ({ topic: 'signals.new' as const, data: signal(`s${i}`, { time: T0 + i * MINUTE }) }));
    s().applyEvents(events, []);
    expect(s().signalFeed.rows).toHaveLength(cap);
    expect(s().signalFeed.rows[0]!.id).toBe(`s${cap + 49}`);
    expect(s().signalFeed.rows.at(-1)!.id).toBe('s50');
  });

  it('sets the feed filter field by field', () => {
    const store = createKeelStore();
    store.getState().setSignalFeedFilter({ symbol: 'ETH/USDT:USDT' });
    store.getState().setSignalFeedFilter({ strategyId: 's-1' });
    expect(store.getState().signalFeedFilter).toEqual({ strategyId: 's-1', symbol: 'ETH/USDT:USDT' });
  });
});
