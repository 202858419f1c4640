/**
 * The backtest exchange's store keeps every fill it is given, in order, and
 * nothing only a restart would read.
 */
import { describe, expect, it } from 'vitest';
import { BacktestVenueStore } from './backtestVenueStore';
import type { PaperFillRecord } from '../venues/paper/store';

function fill(tradeId: string, timestamp: number): PaperFillRecord {
  return { clientOrderId: `c-${tradeId}`, symbol: 'SYN', side: 'buy', venueOrderId: `v-${tradeId}`, tradeId, quantity: '1', price: '100', fee: '0.1', feeCurrency: 'USD', liquidity: 'taker', timestamp };
}

describe('BacktestVenueStore', () => {
  it('keeps each fill saved, oldest first, and says nothing can be restored from it', () => {
    const store = new BacktestVenueStore();
    store.saveFill(fill('t1', 1_000));
    store.saveFill(fill('t2', 2_000));
    store.saveFill(fill('t3', 3_000));
    expect(store.restorable).toBe(false);
    expect(store.loadFills(0).map((f) => f.tradeId)).toEqual(['t1', 't2', 't3']);
    expect(store.loadFills(2_000).map((f) => f.tradeId)).toEqual(['t2', 't3']);
    expect(store.writes).toBe(3);
  });
});
