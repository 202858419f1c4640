import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from './database';
import { VenueConfigRepository } from './venueConfigRepository';
import { InMemoryVenueConfigStore, type VenueConfig, type VenueConfigStore } from '../venues/venueConfig';

const binance: VenueConfig = {
  id: 'binanceusdm-demo',
  exchange: 'binanceusdm',
  mode: 'demo',
  label: 'Binance demo',
  symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'],
  key: null,
  createdAt: 2,
  updatedAt: 2,
};

describe.each([
  ['SQLite', () => new VenueConfigRepository(openJournalDatabase(':memory:'))],
  ['in memory', () => new InMemoryVenueConfigStore()],
] as Array<[string, () => VenueConfigStore]>)('venue settings store (%s)', (_name, make) => {
  it('keeps venues in the order they were added, updates in place and deletes', () => {
    const store = make();
    const okx: VenueConfig = { ...binance, id: 'okx-live', exchange: 'okx', mode: 'live', label: 'OKX', createdAt: 1, updatedAt: 1 };
    store.save(binance);
    store.save(okx);
    expect(store.list().map((c) => c.id)).toEqual(['okx-live', 'binanceusdm-demo']);
    store.save({ ...binance, mode: 'live', updatedAt: 5 });
    expect(store.get('binanceusdm-demo')).toMatchObject({ mode: 'live', updatedAt: 5 });
    expect(store.list()).toHaveLength(2);
    expect(store.delete('okx-live')).toBe(true);
    expect(store.delete('okx-live')).toBe(false);
    expect(store.get('okx-live')).toBeUndefined();
  });

  it('refuses settings outside the schema and changes nothing', () => {
    const store = make();
    expect(() => store.save({ ...binance, exchange: 'kraken' as never })).toThrow();
    expect(() => store.save({ ...binance, symbols: [] })).toThrow();
    expect(store.list()).toEqual([]);
  });
});

describe('VenueConfigRepository', () => {
  it('fails loudly on a damaged row instead of starting a venue nobody configured', () => {
    const db = openJournalDatabase(':memory:');
    db.prepare("INSERT INTO venue_configs (id, body, created_at) VALUES ('x', '{\"id\":\"x\"}', 1)").run();
    expect(() => new VenueConfigRepository(db).list()).toThrow(/Unreadable venue settings/);
  });
});
