import { describe, expect, it } from 'vitest';
import { fitEstimator } from './parzen';
import { Prng } from '../../core/prng';

describe('Parzen estimators', () => {
  it('give a stepped int a probability mass function that sums to one', () => {
    const spec = { kind: 'int', min: 1, max: 20, step: 3 } as const; // levels 1, 4, ..., 19
    const est = fitEstimator(spec, [{ value: 4, weight: 1 }, { value: 19, weight: 0.5 }], 1);
    let total = 0;
    for (let v = 1; v <= 19; v += 3) total += Math.exp(est.logDensity(v));
    expect(total).toBeCloseTo(1, 9);
  });

  it('give a continuous float a density that integrates to one, in log space for log floats', () => {
    const lin = fitEstimator({ kind: 'float', min: -2, max: 3 }, [{ value: 2.9, weight: 1 }, { value: 0, weight: 1 }], 1);
    const log = fitEstimator({ kind: 'float', min: 1e-3, max: 10, log: true }, [{ value: 0.01, weight: 1 }], 1);
    const integrate = (f: (x: number) => number, a: number, b: number): number => {
      const n = 20_000;
      let s = 0;
      for (let i = 0; i < n; i++) s += f(a + ((i + 0.5) * (b - a)) / n);
      return (s * (b - a)) / n;
    };
    expect(integrate((x) => Math.exp(lin.logDensity(x)), -2, 3)).toBeCloseTo(1, 6);
    expect(integrate((u) => Math.exp(log.logDensity(Math.exp(u))), Math.log(1e-3), Math.log(10))).toBeCloseTo(1, 6);
  });

  it('smooth a categorical so unseen choices keep some probability', () => {
    const est = fitEstimator({ kind: 'choice', values: ['a', 'b', 'c'] }, [{ value: 'a', weight: 1 }, { value: 'a', weight: 1 }], 1);
    expect(Math.exp(est.logDensity('a'))).toBeCloseTo((2 + 1 / 3) / 3, 12);
    expect(Math.exp(est.logDensity('c'))).toBeCloseTo(1 / 9, 12);
    expect(est.logDensity('z')).toBe(-Infinity);
  });

  it('draw near the observations and inside the bounds', () => {
    const est = fitEstimator({ kind: 'float', min: 0, max: 100 }, Array.from({ length: 9 }, (_, i) => ({ value: 70 + i * 0.5, weight: 1 })), 1);
    const rng = new Prng(5);
    const xs = Array.from({ length: 2000 }, () => est.sample(rng) as number);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(100);
    // Nine of ten kernel weights sit on [70, 74], each at least range / (n + 1) ≈ 9 wide; a uniform draw would land in [60, 84] 24 % of the time.
    const near = xs.filter((x) => x > 60 && x < 84).length / xs.length;
    expect(near).toBeGreaterThan(0.6);
  });

  it('treat a single-valued parameter as a constant', () => {
    const est = fitEstimator({ kind: 'int', min: 5, max: 6, step: 2 }, [{ value: 5, weight: 1 }], 1);
    expect(est.sample(new Prng(1))).toBe(5);
    expect(est.logDensity(5)).toBe(0);
  });
});
