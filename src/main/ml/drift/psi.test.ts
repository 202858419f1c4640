import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { featureDrift } from './featureDrift';
import { binCounts, binIndex, populationStabilityIndex, psiFromCounts, psiStatus, quantileEdges } from './psi';

/** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function inversePhi(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** PSI on reference deciles when the reference is N(0, 1) and the recent window N(mu, sigma), computed from the distributions. */
function analyticPsi(mu: number, sigma: number): number {
  const edges = [-Infinity, ...Array.from({ length: 9 }, (_, i) => inversePhi((i + 1) / 10)), Infinity];
  let psi = 0;
  for (let b = 0; b < 10; b++) {
    const q = phi(((edges[b + 1] as number) - mu) / sigma) - phi(((edges[b] as number) - mu) / sigma);
    psi += (q - 0.1) * Math.log(q / 0.1);
  }
  return psi;
}

function normals(seed: number, n: number, mu = 0, sigma = 1): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
}

describe('population stability index', () => {
  it('matches a hand calculation', () => {
    const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const result = populationStabilityIndex(reference, [1, 2, 3, 6], { bins: 2 });
    expect(result.bins.map((b) => [b.lower, b.upper])).toEqual([
      [-Infinity, 5],
      [5, Infinity],
    ]);
    expect(result.psi).toBeCloseTo(0.25 * Math.log(1.5) + 0.25 * Math.log(2), 14);
    expect(result.status).toBe('drifting');
  });

  it('floors empty bins at epsilon instead of going infinite', () => {
    const result = populationStabilityIndex([1, 2, 3, 4], [1, 1, 1], { bins: 2, epsilon: 1e-4 });
    expect(result.psi).toBeCloseTo((1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5), 12);
    expect(Number.isFinite(result.psi)).toBe(true);
  });

  it('is near zero for two samples of the same distribution', () => {
    const result = populationStabilityIndex(normals(1, 20_000), normals(2, 20_000));
    expect(result.psi).toBeLessThan(0.005);
    expect(result.status).toBe('stable');
    expect(result.bins).toHaveLength(10);
  });

  for (const [mu, sigma, status] of [
    [0.1, 1, 'stable'],
    [0.4, 1, 'watch'],
    [0.5, 1, 'watch'],
    [0.6, 1, 'drifting'],
    [0, 2, 'drifting'],
  ] as const) {
    it(`matches the analytic value for N(0,1) against N(${mu}, ${sigma})`, () => {
      const expected = analyticPsi(mu, sigma);
      const result = populationStabilityIndex(normals(3, 40_000), normals(4, 40_000, mu, sigma));
      expect(Math.abs(result.psi - expected)).toBeLessThan(0.01);
      expect(result.status).toBe(status);
    });
  }

  it('a half-sd mean shift is about 0.24 and a 0.6-sd one about 0.34 (the figures in the module notes)', () => {
    expect(analyticPsi(0.5, 1)).toBeCloseTo(0.24, 2);
    expect(analyticPsi(0.6, 1)).toBeCloseTo(0.34, 2);
  });

  it('merges duplicate edges for discrete features and ignores NaN warm-up values', () => {
    const oneHot = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, Number.NaN];
    expect(quantileEdges(oneHot, 10)).toEqual([0, 1]);
    const same = populationStabilityIndex(oneHot, [0, 0, 0, 1, 1, Number.NaN, 0, 0, 0, 1, 1]);
    expect(same.psi).toBeCloseTo(0, 12);
    expect(same.referenceCount).toBe(10);
    expect(same.recentCount).toBe(10);
    expect(populationStabilityIndex(oneHot, [1, 1, 1, 1]).status).toBe('drifting');
    expect(populationStabilityIndex([Number.NaN], [1]).status).toBe('unknown');
  });

  it('uses 0.1 and 0.25 as the watch and drift thresholds', () => {
    expect([0.0999, 0.1, 0.25, 0.2501].map(psiStatus)).toEqual(['stable', 'watch', 'watch', 'drifting']);
    expect(() => psiStatus(Number.NaN)).toThrow(/NaN/);
  });

  it('from counts in stored bins, equals the two-sample form', () => {
    const reference = normals(5, 2_000);
    const recent = normals(6, 500, 0.3, 1.2);
    const edges = quantileEdges(reference, 10);
    const counts = binCounts(reference, edges);
    const shares = counts.map((c) => c / reference.length);
    const fromCounts = psiFromCounts({ edges, shares, count: reference.length }, binCounts(recent, edges));
    expect(fromCounts.psi).toBeCloseTo(populationStabilityIndex(reference, recent).psi, 12);
    expect(binIndex(edges[0]!, edges)).toBe(0);
    expect(binIndex(edges[0]! + 1e-9, edges)).toBe(1);
    expect(binIndex(Number.POSITIVE_INFINITY, edges)).toBe(edges.length);
    expect(() => psiFromCounts({ edges, shares: shares.slice(1), count: 1 }, binCounts(recent, edges))).toThrow(/shares/);
    expect(psiFromCounts({ edges, shares, count: reference.length }, new Array<number>(edges.length + 1).fill(0)).status).toBe('unknown');
  });
});

describe('feature drift over matrices', () => {
  it('scores each column and lists the drifting ones worst first', () => {
    const rows = 5_000;
    const make = (seed: number, shifts: number[]) => {
      const rng = new Prng(seed);
      const values = new Float32Array(rows * 3);
      for (let i = 0; i < rows; i++) for (let j = 0; j < 3; j++) values[i * 3 + j] = (shifts[j] as number) + rng.normal();
      return { values, cols: 3 };
    };
    const report = featureDrift(make(1, [0, 0, 0]), make(2, [0, 0.6, 1.5]), ['a', 'b', 'c']);
    expect(report.features.map((f) => f.status)).toEqual(['stable', 'drifting', 'drifting']);
    expect(report.drifting).toEqual(['c', 'b']);
    expect(() => featureDrift(make(1, [0, 0, 0]), make(2, [0, 0, 0]), ['a', 'b'])).toThrow(/columns/);
  });
});
