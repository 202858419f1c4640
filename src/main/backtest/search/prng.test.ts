import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

describe('Prng', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const draw = (seed: number): number[] => {
      const r = new Prng(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('draws uniform floats in [0, 1) and integers in [0, n)', () => {
    const r = new Prng(1);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      counts[r.int(3)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 30_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Prng(0.5)).toThrow(RangeError);
  });
});
