import { describe, expect, it } from 'vitest';
import type { BacktestTrade, DatasetBar } from '../../../shared/contract';
import { bucketLabel, candleBars, chartBars, priceDecimals, priceMarkers, runRange, snapToBucket } from './priceData';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function trade(entryDay: number, exitDay: number, size: number, pnl: number): BacktestTrade {
  return {
    size,
    entryBar: entryDay,
    exitBar: exitDay,
    entryTime: T0 + entryDay * DAY,
    exitTime: T0 + exitDay * DAY,
    entryPrice: 100 + entryDay,
    exitPrice: 100 + exitDay,
    pnl,
    commission: 0,
    returnPct: pnl,
  };
}

describe('runRange', () => {
  it('is the settings range for a dataset, and the narrower of data and settings for a venue', () => {
    expect(runRange({ dataset: 'd-1' }, {})).toEqual({});
    expect(runRange({ dataset: 'd-1' }, { from: 5, to: 9 })).toEqual({ from: 5, to: 9 });
    const venue = { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h', from: 10, to: 50 } as const;
    expect(runRange(venue, {})).toEqual({ from: 10, to: 50 });
    expect(runRange(venue, { from: 20, to: 90 })).toEqual({ from: 20, to: 50 });
    expect(runRange({ venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' }, { to: 7 })).toEqual({ to: 7 });
  });
});

describe('candleBars', () => {
  it('parses decimal candles within [from, to), ascending, skipping ones that do not parse', () => {
    const c = (time: number, close: string) => ({ time, open: '1.5', high: '2', low: '1', close, volume: '10' });
    const bars = candleBars([c(30, '1.7'), c(10, '1.6'), c(20, 'x'), c(40, '1.8'), c(0, '1.1')], { from: 10, to: 40 });
    expect(bars).toEqual([
      { time: 10, open: 1.5, high: 2, low: 1, close: 1.6, volume: 10 },
      { time: 30, open: 1.5, high: 2, low: 1, close: 1.7, volume: 10 },
    ]);
  });
});

describe('chartBars', () => {
  it('puts bars in whole seconds, folding bars that share one', () => {
    const bars: DatasetBar[] = [
      { time: 1_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 },
      { time: 1_400, open: 1.5, high: 3, low: 1, close: 2.5, volume: 2 },
      { time: 2_000, open: 2.5, high: 2.6, low: 2.4, close: 2.5, volume: 3 },
    ];
    expect(chartBars(bars)).toEqual([
      { time: 1, open: 1, high: 3, low: 0.5, close: 2.5, volume: 3 },
      { time: 2, open: 2.5, high: 2.6, low: 2.4, close: 2.5, volume: 3 },
    ]);
  });
});

describe('snapToBucket', () => {
  // Buckets of 3 days stamped with their first bar, with a weekend-like gap before the last.
  const times = [T0, T0 + 3 * DAY, T0 + 8 * DAY];

  it('answers the bucket holding the time: its own bar, or the last bar before it', () => {
    expect(snapToBucket(times, T0, 3 * DAY)).toBe(T0);
    expect(snapToBucket(times, T0 + 2 * DAY, 3 * DAY)).toBe(T0);
    expect(snapToBucket(times, T0 + 3 * DAY, 3 * DAY)).toBe(T0 + 3 * DAY);
    expect(snapToBucket(times, T0 + 7 * DAY, 3 * DAY)).toBe(T0 + 3 * DAY);
    expect(snapToBucket(times, T0 + 10 * DAY, 3 * DAY)).toBe(T0 + 8 * DAY);
  });

  it('answers no bar before the first, at or after the end, or with no bars', () => {
    expect(snapToBucket(times, T0 - 1, 3 * DAY)).toBeNull();
    expect(snapToBucket(times, T0 + 11 * DAY, 3 * DAY)).toBeNull();
    expect(snapToBucket(times, T0 + 11 * DAY, 3 * DAY, T0 + 12 * DAY)).toBe(T0 + 8 * DAY);
    expect(snapToBucket(times, T0 + 9 * DAY, 3 * DAY, T0 + 9 * DAY)).toBeNull();
    expect(snapToBucket([], T0, DAY)).toBeNull();
  });
});

describe('priceMarkers', () => {
  const times = Array.from({ length: 10 }, (_, i) => T0 + i * DAY);

  it('marks entries by side and exits with their PnL and price, in time order, exits first at one time', () => {
    const { markers, unplaced, omitted } = priceMarkers([trade(1, 3, 2, 50), trade(3, 6, -1, -20)], times, DAY);
    expect({ unplaced, omitted }).toEqual({ unplaced: 0, omitted: 0 });
    expect(markers.map((m) => [m.time, m.kind, m.side, m.text, m.pnl, m.price])).toEqual([
      [(T0 + DAY) / 1000, 'entry', 'long', 'L', null, 101],
      [(T0 + 3 * DAY) / 1000, 'exit', 'long', '', 50, 103],
      [(T0 + 3 * DAY) / 1000, 'entry', 'short', 'S', null, 103],
      [(T0 + 6 * DAY) / 1000, 'exit', 'short', '', -20, 106],
    ]);
  });

  it('snaps to folded buckets', () => {
    const buckets = [T0, T0 + 4 * DAY, T0 + 8 * DAY];
    const { markers } = priceMarkers([trade(1, 6, 1, 5)], buckets, 4 * DAY);
    expect(markers.map((m) => m.time)).toEqual([T0 / 1000, (T0 + 4 * DAY) / 1000]);
  });

  it('counts trades it cannot place, and keeps the most recent when there are too many', () => {
    const later = times.map((t) => t + 5 * DAY);
    const { markers, unplaced } = priceMarkers([trade(1, 3, 1, 1), trade(4, 7, 1, 1), trade(8, 9, 1, 1)], later, DAY);
    expect(unplaced).toBe(2);
    // The first trade is wholly before the bars; the second entered before them and exits on them.
    expect(markers.filter((m) => m.kind === 'entry').map((m) => m.price)).toEqual([108]);
    expect(markers.filter((m) => m.kind === 'exit').map((m) => m.price)).toEqual([107, 109]);
    const many = priceMarkers([trade(1, 2, 1, 1), trade(2, 3, 1, 1), trade(4, 5, 1, 1)], times, DAY, { limit: 2 });
    expect(many.omitted).toBe(1);
    expect(many.markers[0]!.time).toBe((T0 + 2 * DAY) / 1000);
  });
});

describe('priceDecimals', () => {
  const bar = (close: number) => ({ time: 0, open: close, high: close, low: close, close, volume: 0 });

  it('shows prices unrounded, at most 8 decimals', () => {
    expect(priceDecimals([bar(100), bar(101)])).toBe(0);
    expect(priceDecimals([bar(100.25), bar(101.5)])).toBe(2);
    expect(priceDecimals([bar(1.12345), bar(1.1)])).toBe(5);
    expect(priceDecimals([bar(1 / 3)])).toBe(8);
    expect(priceDecimals([])).toBe(0);
  });
});

describe('bucketLabel', () => {
  it('names spans as timeframes', () => {
    expect(bucketLabel(60_000)).toBe('1m');
    expect(bucketLabel(90 * 60_000)).toBe('90m');
    expect(bucketLabel(4 * 3_600_000)).toBe('4h');
    expect(bucketLabel(DAY)).toBe('1D');
    expect(bucketLabel(3 * DAY)).toBe('3D');
    expect(bucketLabel(14 * DAY)).toBe('2W');
    expect(bucketLabel(1_500)).toBe('2s');
  });
});
