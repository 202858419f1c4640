import { describe, expect, it } from 'vitest';
import type { Bar } from '../../stores/candleFeed';
import { LiveBucket, bucketOf, foldBars, minutesIn } from './candleBuckets';

const M = 60_000;
const bar = (minute: number, o: number, h: number, l: number, c: number, v: number): Bar => ({
  time: minute * M,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
});

describe('bucketOf', () => {
  it('floors to the timeframe', () => {
    expect(bucketOf(7 * M + 5, '5m')).toBe(5 * M);
    expect(bucketOf(59 * M, '1h')).toBe(0);
    expect(minutesIn('4h')).toBe(240);
  });
});

describe('foldBars', () => {
  it('takes first open, last close, extreme high/low and summed volume', () => {
    expect(foldBars([bar(5, 10, 12, 9, 11, 1), bar(6, 11, 15, 10, 14, 2), bar(7, 14, 14, 8, 9, 3)], 5 * M)).toEqual({
      time: 5 * M,
      open: 10,
      high: 15,
      low: 8,
      close: 9,
      volume: 6,
    });
  });
});

describe('LiveBucket', () => {
  it('passes 1m bars through unchanged', () => {
    const b = bar(3, 1, 2, 0.5, 1.5, 4);
    expect(new LiveBucket('1m').apply(b)).toBe(b);
  });

  it('folds seeded history with live updates, counting a re-sent minute once', () => {
    const live = new LiveBucket('5m');
    live.seed([bar(3, 1, 1, 1, 1, 100), bar(5, 10, 11, 9, 10, 1), bar(6, 10, 12, 10, 11, 1)]);
    // Minute 6 updated again: replaces, not adds.
    expect(live.apply(bar(6, 10, 13, 10, 12, 2))).toEqual({ time: 5 * M, open: 10, high: 13, low: 9, close: 12, volume: 3 });
    expect(live.apply(bar(7, 12, 12, 7, 8, 1))).toEqual({ time: 5 * M, open: 10, high: 13, low: 7, close: 8, volume: 4 });
  });

  it('starts a new bar when the bucket rolls over and ignores bars from a closed bucket', () => {
    const live = new LiveBucket('5m');
    live.apply(bar(9, 1, 2, 1, 2, 1));
    expect(live.apply(bar(10, 2, 3, 2, 3, 5))).toEqual({ time: 10 * M, open: 2, high: 3, low: 2, close: 3, volume: 5 });
    expect(live.apply(bar(9, 1, 99, 1, 2, 1))).toBeNull();
  });
});
