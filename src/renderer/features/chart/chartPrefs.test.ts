import { describe, expect, it } from 'vitest';
import { CHART_PREFS_KEY, MAX_INSTRUMENTS, loadChartPrefs, saveChartPrefs } from './chartPrefs';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

const BTC = 'paper|BTC/USDT:USDT';
const ETH = 'paper|ETH/USDT:USDT';

describe('chart preferences per instrument', () => {
  it('keeps indicators and drawings per instrument, each saved apart', () => {
    const storage = memoryStorage();
    saveChartPrefs(storage, BTC, { indicators: [{ id: 'ema-1', kind: 'ema', params: { period: 50, source: 'close' }, color: '#f0b90b' }] }, 1);
    saveChartPrefs(storage, BTC, { drawings: [{ id: 'h1', kind: 'hline', price: 80_000, color: '#4ea1ff' }] }, 2);
    saveChartPrefs(storage, ETH, { drawings: [{ id: 'h2', kind: 'hline', price: 3_000, color: '#4ea1ff' }] }, 3);
    expect(loadChartPrefs(storage, BTC)).toEqual({
      indicators: [{ id: 'ema-1', kind: 'ema', params: { period: 50, source: 'close' }, color: '#f0b90b' }],
      drawings: [{ id: 'h1', kind: 'hline', price: 80_000, color: '#4ea1ff' }],
    });
    expect(loadChartPrefs(storage, ETH).indicators).toEqual([]);
    expect(loadChartPrefs(storage, 'paper|SOL/USDT:USDT')).toEqual({ indicators: [], drawings: [] });
  });

  it('starts clean from garbage, and never reads an inherited property as a chart', () => {
    const storage = memoryStorage();
    storage.setItem(CHART_PREFS_KEY, '{not json');
    expect(loadChartPrefs(storage, BTC)).toEqual({ indicators: [], drawings: [] });
    storage.setItem(CHART_PREFS_KEY, JSON.stringify({ charts: [] }));
    expect(loadChartPrefs(storage, 'constructor')).toEqual({ indicators: [], drawings: [] });
    saveChartPrefs(storage, BTC, { drawings: [{ id: 'h1', kind: 'hline', price: 1, color: '#4ea1ff' }] }, 1);
    expect(loadChartPrefs(storage, BTC).drawings).toHaveLength(1);
  });

  it('keeps the most recently changed charts when there are too many', () => {
    const storage = memoryStorage();
    for (let i = 0; i <= MAX_INSTRUMENTS; i++) saveChartPrefs(storage, `paper|S${i}`, { drawings: [{ id: 'h', kind: 'hline', price: i, color: '#4ea1ff' }] }, i);
    expect(loadChartPrefs(storage, 'paper|S0').drawings).toEqual([]);
    expect(loadChartPrefs(storage, 'paper|S1').drawings).toHaveLength(1);
    expect(loadChartPrefs(storage, `paper|S${MAX_INSTRUMENTS}`).drawings).toHaveLength(1);
  });

  it('survives storage that refuses to write', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(() => saveChartPrefs(storage, BTC, { drawings: [] }, 1)).not.toThrow();
  });
});
