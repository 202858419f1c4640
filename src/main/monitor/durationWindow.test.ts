import { describe, expect, it } from 'vitest';
import { DurationWindow, quantile } from './durationWindow';

describe('DurationWindow', () => {
  it('summarises what was recorded since the last read, then starts afresh', () => {
    const w = new DurationWindow(1000);
    for (let i = 1; i <= 100; i++) w.record(i);
    expect(w.drain()).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
    expect(w.drain()).toEqual({ count: 0, p50: null, p99: null, max: null });
    w.record(7.5);
    expect(w.drain()).toEqual({ count: 1, p50: 7.5, p99: 7.5, max: 7.5 });
  });

  it('keeps the count and the maximum exact past its capacity, the percentiles over the newest', () => {
    const w = new DurationWindow(10);
    w.record(500);
    for (let i = 0; i < 20; i++) w.record(1);
    const s = w.drain();
    expect(s.count).toBe(21);
    expect(s.max).toBe(500);
    // The early 500 ms write has left the kept ten.
    expect(s.p99).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new DurationWindow(0)).toThrow(RangeError);
    expect(() => new DurationWindow(2.5)).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('is the nearest rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([5], 0.01)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});
