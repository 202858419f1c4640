import { describe, expect, it } from 'vitest';
import { Prng } from '../../../core/prng';
import { RealisedVolatility } from './realisedVolatility';
import { RingBuffer } from './ringBuffer';
import { SortedWindow } from './sortedWindow';

describe('ring buffer', () => {
  it('keeps the last `capacity` values oldest first and reports what it drops', () => {
    const ring = new RingBuffer(3);
    expect(ring.push(1)).toBeNaN();
    ring.push(2);
    ring.push(3);
    expect(ring.full).toBe(true);
    expect(ring.push(4)).toBe(1);
    expect([ring.get(0), ring.get(1), ring.get(2)]).toEqual([2, 3, 4]);
    expect(ring.back(0)).toBe(4);
    expect(ring.meanVariance()).toEqual({ mean: 3, variance: 2 / 3 });
    expect(() => ring.get(3)).toThrow(RangeError);
  });
});

describe('sorted window', () => {
  it('ranks and takes medians like a brute-force sort of the last `capacity` values', () => {
    const rng = new Prng(3);
    const window = new SortedWindow(25);
    const all: number[] = [];
    for (let i = 0; i < 300; i++) {
      // Rounded so ties happen.
      const value = Math.round(rng.normal() * 4) / 4 + 0; // + 0: no negative zeros
      window.push(value);
      all.push(value);
      const held = all.slice(-25).sort((a, b) => a - b);
      const probe = Math.round(rng.normal() * 4) / 4 + 0;
      const below = held.filter((v) => v < probe).length;
      const equal = held.filter((v) => v === probe).length;
      expect(window.percentileRank(probe)).toBe((below + equal / 2) / held.length);
      const mid = held.length >> 1;
      expect(window.median()).toBe(held.length % 2 ? held[mid] : ((held[mid - 1] as number) + (held[mid] as number)) / 2);
    }
    expect(window.size).toBe(25);
  });
});

describe('realised volatility', () => {
  it('is NaN until window + 1 closes, then the RMS of the last window log returns', () => {
    const rv = new RealisedVolatility(2);
    expect(rv.update(100)).toBeNaN();
    expect(rv.update(110)).toBeNaN();
    const r1 = Math.log(110 / 100);
    const r2 = Math.log(99 / 110);
    expect(rv.update(99)).toBeCloseTo(Math.sqrt((r1 * r1 + r2 * r2) / 2), 15);
    expect(rv.warmup).toBe(3);
  });
});
