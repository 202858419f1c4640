import { describe, expect, it } from 'vitest';
import type { BacktestTrade } from '../../../shared/contract';
import { equitySeries, snapTime, tradeMarkers } from './equityData';

function trade(patch: Partial<BacktestTrade>): BacktestTrade {
  return {
    size: 1,
    entryBar: 0,
    exitBar: 1,
    entryTime: 0,
    exitTime: 0,
    entryPrice: 100,
    exitPrice: 110,
    pnl: 10,
    commission: 0,
    returnPct: 10,
    ...patch,
  };
}

describe('equitySeries', () => {
  it('sorts by time, keeps one point per second (the later wins) and draws drawdown below zero', () => {
    const s = equitySeries([
      { time: 3_000, equity: 90, drawdownPct: 10 },
      { time: 1_000, equity: 100, drawdownPct: 0 },
      { time: 3_500, equity: 95, drawdownPct: 5 },
    ]);
    expect(s.equity).toEqual([
      { time: 1, value: 100 },
      { time: 3, value: 95 },
    ]);
    expect(s.drawdown).toEqual([
      { time: 1, value: 0 },
      { time: 3, value: -5 },
    ]);
  });
});

describe('snapTime', () => {
  const times = [10, 20, 30];
  it('finds the last time at or before, or the first', () => {
    expect(snapTime(times, 20)).toBe(20);
    expect(snapTime(times, 29)).toBe(20);
    expect(snapTime(times, 99)).toBe(30);
    expect(snapTime(times, 1)).toBe(10);
    expect(snapTime([], 5)).toBeNull();
  });
});

describe('tradeMarkers', () => {
  it('marks entries by side and exits with their PnL, on the curve times, in time order', () => {
    const markers = tradeMarkers(
      [trade({ size: -2, entryTime: 25_000, exitTime: 40_000, pnl: -3 }), trade({ size: 1, entryTime: 10_000, exitTime: 20_000, pnl: 4 })],
      [10, 20, 30, 40],
    );
    expect(markers).toEqual([
      { time: 10, kind: 'entry', side: 'long', text: 'L', pnl: null },
      { time: 20, kind: 'exit', side: 'long', text: '', pnl: 4 },
      { time: 20, kind: 'entry', side: 'short', text: 'S', pnl: null },
      { time: 40, kind: 'exit', side: 'short', text: '', pnl: -3 },
    ]);
  });

  it('keeps only the most recent trades past the limit', () => {
    const trades = Array.from({ length: 5 }, (_, i) => trade({ entryTime: i * 10_000, exitTime: i * 10_000 + 5_000 }));
    const markers = tradeMarkers(trades, [0, 10, 20, 30, 40], 2);
    expect(markers.filter((m) => m.kind === 'entry').map((m) => m.time)).toEqual([30, 40]);
  });
});
