import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { barsBetween, downsampleBars } from './downsampleBars';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** `n` daily bars with a seeded walk, so highs and lows differ from bar to bar. */
function bars(n: number): Bar[] {
  let seed = 7;
  const next = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
  const out: Bar[] = [];
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = open * (1 + (next() - 0.5) / 20);
    out.push({ time: T0 + i * DAY, open, high: Math.max(open, close) * (1 + next() / 50), low: Math.min(open, close) * (1 - next() / 50), close, volume: Math.round(next() * 1000) });
  }
  return out;
}

describe('barsBetween', () => {
  const all = bars(10);

  it('keeps bars at or after from and before to', () => {
    expect(barsBetween(all, T0 + 2 * DAY, T0 + 5 * DAY).map((b) => b.time)).toEqual([2, 3, 4].map((i) => T0 + i * DAY));
    expect(barsBetween(all, T0 + 2 * DAY + 1, T0 + 5 * DAY + 1).map((b) => b.time)).toEqual([3, 4, 5].map((i) => T0 + i * DAY));
    expect(barsBetween(all, undefined, undefined)).toHaveLength(10);
    expect(barsBetween(all, T0 + 8 * DAY, undefined)).toHaveLength(2);
    expect(barsBetween(all, undefined, T0 + DAY)).toHaveLength(1);
  });

  it('is empty for a range with no bars, or backwards', () => {
    expect(barsBetween(all, T0 + 20 * DAY, undefined)).toEqual([]);
    expect(barsBetween(all, undefined, T0)).toEqual([]);
    expect(barsBetween(all, T0 + 5 * DAY, T0 + 2 * DAY)).toEqual([]);
    expect(barsBetween([], T0, T0 + DAY)).toEqual([]);
  });
});

describe('downsampleBars', () => {
  it('answers bars that fit as they are, with the data period as the bucket', () => {
    const input = bars(50);
    const { bars: out, bucketMs } = downsampleBars(input, 50, DAY);
    expect(out).toEqual(input);
    expect(out[0]).not.toBe(input[0]);
    expect(bucketMs).toBe(DAY);
  });

  it('folds each bucket exactly: first open and time, highest high, lowest low, last close, summed volume', () => {
    const input = bars(1_003);
    const { bars: out, bucketMs } = downsampleBars(input, 100, DAY);
    const size = Math.ceil(1_003 / 100);
    expect(bucketMs).toBe(size * DAY);
    expect(out).toHaveLength(Math.ceil(1_003 / size));
    out.forEach((b, k) => {
      const chunk = input.slice(k * size, (k + 1) * size);
      expect(b).toEqual({
        time: chunk[0]!.time,
        open: chunk[0]!.open,
        high: Math.max(...chunk.map((c) => c.high)),
        low: Math.min(...chunk.map((c) => c.low)),
        close: chunk[chunk.length - 1]!.close,
        volume: chunk.reduce((sum, c) => sum + c.volume, 0),
      });
    });
    // Nothing is lost: the extremes and the ends of the whole range survive.
    expect(Math.max(...out.map((b) => b.high))).toBe(Math.max(...input.map((b) => b.high)));
    expect(Math.min(...out.map((b) => b.low))).toBe(Math.min(...input.map((b) => b.low)));
    expect(out[out.length - 1]!.close).toBe(input[input.length - 1]!.close);
  });

  it('never answers more than maxBars, nor fewer than it needs to', () => {
    for (const n of [11, 99, 100, 101, 199, 200, 201, 997, 5_001, 12_345]) {
      for (const max of [10, 37, 100, 5_000, 10_000]) {
        const { bars: out, bucketMs } = downsampleBars(bars(n), max, DAY);
        expect(out.length, `${n} bars into ${max}`).toBeLessThanOrEqual(max);
        expect(out.length, `${n} bars into ${max}`).toBe(n <= max ? n : Math.ceil(n / Math.ceil(n / max)));
        expect(bucketMs).toBe((n <= max ? 1 : Math.ceil(n / max)) * DAY);
        expect(out.every((b, i) => i === 0 || b.time > out[i - 1]!.time)).toBe(true);
      }
    }
  });

  it('answers nothing for an empty range, and one bar as it is', () => {
    expect(downsampleBars([], 10, DAY)).toEqual({ bars: [], bucketMs: DAY });
    const [one] = bars(1);
    expect(downsampleBars([one!], 10, DAY)).toEqual({ bars: [one], bucketMs: DAY });
  });

  it('refuses a bound it cannot meet', () => {
    expect(() => downsampleBars(bars(3), 0, DAY)).toThrow(RangeError);
    expect(() => downsampleBars(bars(3), 2.5, DAY)).toThrow(RangeError);
  });
});
