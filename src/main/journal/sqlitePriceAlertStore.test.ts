import { describe, expect, it } from 'vitest';
import type { PriceAlert } from '../../shared/contract/alerts';
import { MemoryPriceAlertStore, type PriceAlertStore } from '../engine/alerts/priceAlertStore';
import { openJournalDatabase } from './database';
import { SqlitePriceAlertStore } from './sqlitePriceAlertStore';

function alert(id: string, overrides: Partial<PriceAlert> = {}): PriceAlert {
  return {
    id,
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    kind: 'cross',
    direction: 'up',
    price: '80000',
    percent: null,
    windowMinutes: null,
    note: '',
    status: 'active',
    createdAt: 1_000,
    triggeredAt: null,
    triggerPrice: null,
    message: null,
    ...overrides,
  };
}

const byId = (list: PriceAlert[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

describe.each([
  ['memory', () => new MemoryPriceAlertStore()],
  ['SQLite', () => new SqlitePriceAlertStore(openJournalDatabase(':memory:'))],
] as Array<[string, () => PriceAlertStore]>)('the %s price alert store', (_name, make) => {
  it('keeps, replaces and removes alerts', () => {
    const store = make();
    store.insert(alert('a'));
    store.insert(alert('b', { kind: 'move', direction: 'either', price: null, percent: '2.5', windowMinutes: 15, note: 'breakout' }));
    expect(byId(store.all())).toEqual([alert('a'), alert('b', { kind: 'move', direction: 'either', price: null, percent: '2.5', windowMinutes: 15, note: 'breakout' })]);
    const fired = alert('a', { status: 'triggered', triggeredAt: 2_000, triggerPrice: '80001.5', message: 'BTC/USDT:USDT rose to 80000 (last 80001.5)' });
    store.update(fired);
    expect(byId(store.all())[0]).toEqual(fired);
    expect(store.remove('b')).toBe(true);
    expect(store.remove('b')).toBe(false);
    expect(store.all()).toEqual([fired]);
    expect(() => store.insert(alert('a'))).toThrow();
    expect(() => store.update(alert('zz'))).toThrow(/No price alert/);
  });

  it('drops the oldest triggered alerts beyond the number kept, never an active one', () => {
    const store = make();
    for (let i = 1; i <= 5; i++) store.insert(alert(`t${i}`, { status: 'triggered', triggeredAt: i * 100, triggerPrice: '80000', message: 'm' }));
    store.insert(alert('live'));
    store.pruneTriggered(2);
    expect(byId(store.all()).map((a) => a.id)).toEqual(['live', 't4', 't5']);
  });
});

describe('the SQLite price alert store', () => {
  it('refuses a record the contract does not allow, and says when a stored one is unreadable', () => {
    const db = openJournalDatabase(':memory:');
    const store = new SqlitePriceAlertStore(db);
    expect(() => store.insert(alert('bad', { price: '-5' }))).toThrow();
    expect(store.all()).toEqual([]);
    db.prepare("INSERT INTO price_alerts (id, venue, symbol, status, created_at, triggered_at, body) VALUES ('x', 'paper', 'BTC/USDT:USDT', 'active', 1, NULL, '{not json')").run();
    expect(() => store.all()).toThrow(/Unreadable price alert/);
  });
});
