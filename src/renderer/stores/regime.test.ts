import { describe, expect, it } from 'vitest';
import { createKeelStore } from './store';

describe('regime slice', () => {
  it('keeps the regime of each instrument and timeframe apart', () => {
    const store = createKeelStore();
    const view = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m' as const, label: 'ranging' as const, time: 1, since: 1, adx: 20, efficiency: 0.3, volatilityPercentile: 0.5, history: [] };
    store.getState().setRegimes([view, { ...view, timeframe: '5m', label: 'volatile' }]);
    expect(store.getState().regimes['paper|BTC/USDT:USDT|1m']?.label).toBe('ranging');
    expect(store.getState().regimes['paper|BTC/USDT:USDT|5m']?.label).toBe('volatile');
  });
});
