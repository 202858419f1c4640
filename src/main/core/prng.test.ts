import { describe, expect, it } from 'vitest';
import { Prng, hashSeed } from './prng';

describe('Prng', () => {
  it('replays the same stream for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const first = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).toEqual(first);
    expect(Array.from({ length: 50 }, () => c.nextU32())).not.toEqual(first);
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const rng = new Prng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
  });

  it('draws standard normals (mean 0, variance 1, fat enough tails)', () => {
    const rng = new Prng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let beyond3 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 3) beyond3++;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(sumSq / n).toBeGreaterThan(0.98);
    expect(sumSq / n).toBeLessThan(1.02);
    // P(|z| > 3) = 0.27%
    expect(beyond3 / n).toBeGreaterThan(0.0015);
    expect(beyond3 / n).toBeLessThan(0.004);
  });

  it('draws Poisson counts with the requested mean', () => {
    const rng = new Prng(3);
    for (const lambda of [0.8, 5, 50]) {
      let sum = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) sum += rng.poisson(lambda);
      expect(Math.abs(sum / n - lambda) / lambda).toBeLessThan(0.05);
    }
    expect(rng.poisson(0)).toBe(0);
  });

  it('hashSeed separates labels', () => {
    expect(hashSeed(1, 'BTC', 'book')).toBe(hashSeed(1, 'BTC', 'book'));
    expect(hashSeed(1, 'BTC', 'book')).not.toBe(hashSeed(1, 'BTC', 'trades'));
    expect(hashSeed(1, 'BTC', 'book')).not.toBe(hashSeed(2, 'BTC', 'book'));
  });

  it('draws 53-bit uniform floats in [0, 1) and integers in [0, n) (the samplers of parameter searches)', () => {
    const r = new Prng(1);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.nextFloat();
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
