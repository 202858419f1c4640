import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { NewSignal } from '../signals/signalSink';
import { BacktestSignalBook, signalTimeframe } from './backtestScoring';

function newSignal(time: number): NewSignal {
  return {
    time,
    venue: 'backtest',
    symbol: 'SYN/USD',
    timeframe: '1h',
    direction: 'long',
    confidence: 0.8,
    probabilities: { long: 0.8, short: 0.1, neutral: 0.1 },
    modelId: 'm-1',
    modelName: 'btc',
    modelVersion: 1,
    featuresHash: 'h',
    strategyId: 'backtest',
    regime: null,
    acted: false,
    note: 'no decision recorded yet',
  };
}

describe('BacktestSignalBook', () => {
  it('keeps every signal up to its cap, with its decision and orders', () => {
    const book = new BacktestSignalBook(3);
    const a = book.record(newSignal(1));
    const b = book.record(newSignal(2));
    book.decide(a.id, true, 'long at confidence 0.80');
    book.linkOrder(a.id, 'o-1');
    book.decide(b.id, false, 'already long');
    expect(book.result()).toEqual({
      count: 2,
      acted: 1,
      list: [
        { ...newSignal(1), id: 'bt-sig-1', createdAt: 1, acted: true, note: 'long at confidence 0.80', orderIds: ['o-1'] },
        { ...newSignal(2), id: 'bt-sig-2', createdAt: 2, acted: false, note: 'already long', orderIds: [] },
      ],
    });
  });

  it('past its cap keeps only the newest signals acted on, and counts them all', () => {
    const book = new BacktestSignalBook(3);
    for (let t = 1; t <= 20; t++) {
      const s = book.record(newSignal(t));
      book.decide(s.id, t % 3 === 0, t % 3 === 0 ? 'acted' : 'not');
    }
    const { count, acted, list } = book.result();
    expect(count).toBe(20);
    expect(acted).toBe(6);
    expect(list.map((s) => s.time)).toEqual([12, 15, 18]);
    expect(list.every((s) => s.acted)).toBe(true);
  });
});

describe('signalTimeframe', () => {
  const bars = (gap: number): Bar[] => Array.from({ length: 5 }, (_, i) => ({ time: i * gap, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
  it('files signals under the bars\' timeframe, or the nearest shorter one', () => {
    expect(signalTimeframe(bars(3_600_000))).toBe('1h');
    expect(signalTimeframe(bars(300_000))).toBe('5m');
    expect(signalTimeframe(bars(7 * 86_400_000))).toBe('1d');
    expect(signalTimeframe(bars(2 * 3_600_000))).toBe('1h');
  });
});
