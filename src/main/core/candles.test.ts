import { describe, expect, it } from 'vitest';

import { type Bar, aggregateCandles, bucketStart, candlesFromOneMinute, flatCandle, foldTrade } from './candles';

const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const MIN = 60_000;

function bar(minute: number, open: number, high: number, low: number, close: number, volume: number): Bar {
  return { time: T0 + minute * MIN, open, high, low, close, volume };
}

describe('bucketStart', () => {
  it('floors to the timeframe', () => {
    expect(bucketStart(T0 + 4 * MIN + 59_999, 5 * MIN)).toBe(T0);
    expect(bucketStart(T0 + 5 * MIN, 5 * MIN)).toBe(T0 + 5 * MIN);
    expect(bucketStart(T0 + 90 * MIN, 3_600_000)).toBe(T0 + 60 * MIN);
  });
});

describe('aggregateCandles', () => {
  const oneMinute = [
    bar(0, 10, 12, 9, 11, 1),
    bar(1, 11, 15, 10, 14, 2),
    bar(2, 14, 14, 8, 9, 3),
    bar(3, 9, 10, 9, 10, 4),
    bar(4, 10, 11, 10, 11, 5),
    bar(5, 11, 13, 11, 12, 6),
    bar(7, 12, 12, 7, 8, 7),
  ];

  it('takes open of the first, close of the last, max high, min low, summed volume', () => {
    expect(aggregateCandles(oneMinute, '5m')).toEqual([
      { time: T0, open: 10, high: 15, low: 8, close: 11, volume: 15 },
      { time: T0 + 5 * MIN, open: 11, high: 13, low: 7, close: 8, volume: 13 },
    ]);
  });

  it('aligns to the timeframe even when the input starts mid-bucket', () => {
    const out = aggregateCandles(oneMinute.slice(2), '5m');
    expect(out[0]).toEqual({ time: T0, open: 14, high: 14, low: 8, close: 11, volume: 12 });
  });

  it('serves every timeframe from 1m and copies at 1m', () => {
    const day = Array.from({ length: 1440 * 2 }, (_, i) => bar(i, 100 + i, 101 + i, 99 + i, 100.5 + i, 1));
    expect(aggregateCandles(day, '1h')).toHaveLength(48);
    expect(aggregateCandles(day, '4h')).toHaveLength(12);
    const daily = aggregateCandles(day, '1d');
    expect(daily).toEqual([
      { time: T0, open: 100, high: 101 + 1439, low: 99, close: 100.5 + 1439, volume: 1440 },
      { time: T0 + 1440 * MIN, open: 1540, high: 101 + 2879, low: 99 + 1440, close: 100.5 + 2879, volume: 1440 },
    ]);
    const copy = aggregateCandles(oneMinute, '1m');
    expect(copy).toEqual(oneMinute);
    expect(copy[0]).not.toBe(oneMinute[0]);
  });

  it('rejects unsorted input and timeframes that are not whole minutes', () => {
    expect(() => aggregateCandles([bar(10, 1, 1, 1, 1, 1), bar(2, 1, 1, 1, 1, 1)], '5m')).toThrow(RangeError);
    expect(() => aggregateCandles(oneMinute, 90_000)).toThrow(RangeError);
  });
});

describe('candlesFromOneMinute', () => {
  it('returns the last `limit` complete buckets plus the live one', () => {
    const bars = Array.from({ length: 100 }, (_, i) => bar(i, i, i + 1, i - 1, i + 0.5, 1));
    const out = candlesFromOneMinute(bars, '15m', 3);
    expect(out.map((c) => c.time)).toEqual([T0 + 60 * MIN, T0 + 75 * MIN, T0 + 90 * MIN]);
    expect(out[0]).toEqual({ time: T0 + 60 * MIN, open: 60, high: 75, low: 59, close: 74.5, volume: 15 });
    expect(out[2]!.volume).toBe(10);
    expect(candlesFromOneMinute(bars, '1m', 5).map((c) => c.open)).toEqual([95, 96, 97, 98, 99]);
    expect(candlesFromOneMinute(bars, '1h', 0)).toEqual([]);
  });
});

describe('foldTrade', () => {
  it('opens a candle, then folds trades of the same minute into a copy', () => {
    const first = foldTrade(undefined, { price: 100, quantity: 2, timestamp: T0 + 1_000 });
    expect(first).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 2 });
    const second = foldTrade(first, { price: 103, quantity: 1, timestamp: T0 + 20_000 });
    const third = foldTrade(second, { price: 98, quantity: 0.5, timestamp: T0 + 59_999 });
    expect(third).toEqual({ time: T0, open: 100, high: 103, low: 98, close: 98, volume: 3.5 });
    expect(first.volume).toBe(2);
  });

  it('starts a new candle for a later minute and ignores a trade older than the current candle', () => {
    const current = foldTrade(undefined, { price: 100, quantity: 1, timestamp: T0 + 61_000 });
    const next = foldTrade(current, { price: 101, quantity: 1, timestamp: T0 + 120_000 });
    expect(next).toEqual({ time: T0 + 120_000, open: 101, high: 101, low: 101, close: 101, volume: 1 });
    expect(foldTrade(current, { price: 1, quantity: 9, timestamp: T0 + 59_000 })).toBe(current);
  });

  it('builds the same candles as aggregation of per-trade candles', () => {
    const trades = [
      { price: 10, quantity: 1, timestamp: T0 + 5_000 },
      { price: 12, quantity: 1, timestamp: T0 + 65_000 },
      { price: 9, quantity: 2, timestamp: T0 + 130_000 },
      { price: 11, quantity: 1, timestamp: T0 + 250_000 },
    ];
    let candle: Bar | undefined;
    const closed: Bar[] = [];
    for (const t of trades) {
      const next = foldTrade(candle, t);
      if (candle && next.time !== candle.time) closed.push(candle);
      candle = next;
    }
    closed.push(candle!);
    expect(aggregateCandles(closed, '5m')).toEqual([{ time: T0, open: 10, high: 12, low: 9, close: 11, volume: 5 }]);
  });

  it('flatCandle carries the close with no volume', () => {
    expect(flatCandle(T0, 5)).toEqual({ time: T0, open: 5, high: 5, low: 5, close: 5, volume: 0 });
  });
});
