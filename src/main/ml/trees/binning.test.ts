import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { applyBins, between, binOf, fitBinEdges, MAX_BINS, MISSING_BIN } from './binning';
import { matrixFromRows, type Matrix } from './matrix';

function column(values: number[]): Matrix {
  return matrixFromRows(values.map((v) => [v]));
}

describe('fitBinEdges', () => {
  it('gives each distinct value its own bin when there are few, cutting at the shortest number between them', () => {
    const edges = fitBinEdges(column([3, 1, 2, 2, 1, 3, 5]));
    expect(Array.from(edges.upper[0]!)).toEqual([1.5, 2.5, 4]);
    expect([1, 2, 3, 5, 0, 1.6, 100].map((v) => binOf(edges.upper[0]!, v))).toEqual([0, 1, 2, 3, 0, 1, 3]);
  });

  it('cuts between two values at the shortest number that keeps the lower left and the higher right', () => {
    expect(between(0.1, 0.35)).toBe(0.2);
    expect(between(0.5, 0.50001)).toBe(0.5);
    expect(between(1.2345678, 1.2345699)).toBe(1.234569);
    expect(between(-Infinity, 0)).toBe(-Infinity);
    expect(between(1, Infinity)).toBe(1);
    const rng = new Prng(4);
    for (let i = 0; i < 2000; i++) {
      const a = Math.fround(rng.normal() * 10 ** rng.int(8));
      const b = a + Math.abs(rng.normal()) * 10 ** -rng.int(12) + Number.EPSILON * Math.abs(a) * 4;
      const cut = between(a, b);
      expect(cut >= a && cut < b).toBe(true);
    }
  });

  it('cuts continuous values into at most maxBins bins of about equal counts', () => {
    const rng = new Prng(3);
    const n = 10_000;
    const values = Array.from({ length: n }, () => rng.normal());
    for (const maxBins of [2, 16, MAX_BINS]) {
      const edges = fitBinEdges(column(values), { maxBins });
      const upper = edges.upper[0]!;
      expect(upper.length + 1).toBe(maxBins);
      for (let i = 1; i < upper.length; i++) expect(upper[i]!).toBeGreaterThan(upper[i - 1]!);
      const counts = new Array<number>(maxBins).fill(0);
      for (const v of values) counts[binOf(upper, v)]!++;
      const expected = n / maxBins;
      for (const c of counts) expect(Math.abs(c - expected)).toBeLessThanOrEqual(Math.max(2, expected * 0.05));
    }
  });

  it('keeps a heavily repeated value in one bin and cuts the rest by quantile', () => {
    const values = [...new Array<number>(900).fill(0), ...Array.from({ length: 1000 }, (_, i) => 1 + i)];
    const upper = fitBinEdges(column(values), { maxBins: 10 }).upper[0]!;
    expect(binOf(upper, 0)).toBe(0);
    expect(binOf(upper, 1)).toBe(1);
    expect(upper.length).toBeLessThanOrEqual(9);
  });

  it('puts NaN in the missing bin, handles infinities, and gives a constant feature one bin', () => {
    const x = matrixFromRows([
      [Number.NaN, 7, -Infinity],
      [1, 7, 0],
      [2, 7, Infinity],
      [Number.NaN, 7, 1],
    ]);
    const edges = fitBinEdges(x);
    expect(edges.upper[0]!.length).toBe(1); // 1 and 2: NaN is not a value
    expect(edges.upper[1]!.length).toBe(0);
    const b = applyBins(x, edges);
    expect(b.stride).toBe(4);
    const at = (r: number, c: number) => b.bins[r * b.stride + c];
    expect([at(0, 0), at(1, 0), at(2, 0), at(3, 0)]).toEqual([MISSING_BIN, 0, 1, MISSING_BIN]);
    expect([at(0, 1), at(1, 1)]).toEqual([0, 0]);
    expect([at(0, 2), at(1, 2), at(3, 2), at(2, 2)]).toEqual([0, 1, 2, 3]);
    expect(Array.from(b.numBins)).toEqual([2, 1, 4]);
    expect(edges.upper[2]![0]).toBe(-Infinity); // no finite value lies between -Infinity and 0: the cut is -Infinity itself
  });

  it('bins new rows with the training edges: bin <= t exactly when value <= upper[t]', () => {
    const rng = new Prng(9);
    const train = matrixFromRows(Array.from({ length: 2000 }, () => [rng.normal(), Math.round(rng.normal() * 4) / 4, rng.uniform(0, 1)]));
    const edges = fitBinEdges(train, { maxBins: 32 });
    const fresh = Array.from({ length: 500 }, () => [rng.normal() * 3, rng.normal() * 3, rng.uniform(-1, 2)]);
    const binned = applyBins(matrixFromRows(fresh), edges);
    let checked = 0;
    let mismatches = 0;
    fresh.forEach((row, r) => {
      row.forEach((v, f) => {
        const bin = binned.bins[r * binned.stride + f]!;
        const upper = edges.upper[f]!;
        for (let t = 0; t < upper.length; t++, checked++) if (bin <= t !== v <= upper[t]!) mismatches++;
      });
    });
    expect(checked).toBeGreaterThan(40_000);
    expect(mismatches).toBe(0);
  });

  it('bins Float32 and Float64 copies of the same values alike', () => {
    const rng = new Prng(5);
    const f32 = new Float32Array(3000).map(() => rng.normal());
    const a = applyBins({ values: f32, rows: 1000, cols: 3 }, fitBinEdges({ values: f32, rows: 1000, cols: 3 }));
    const f64 = Float64Array.from(f32);
    const b = applyBins({ values: f64, rows: 1000, cols: 3 }, fitBinEdges({ values: f64, rows: 1000, cols: 3 }));
    expect(a.bins).toEqual(b.bins);
  });

  it('fits on a seeded row sample when there are more rows than the sample size', () => {
    const rng = new Prng(2);
    const x = column(Array.from({ length: 5000 }, () => rng.normal()));
    const a = fitBinEdges(x, { sampleSize: 1000, seed: 1 });
    expect(fitBinEdges(x, { sampleSize: 1000, seed: 1 }).upper[0]).toEqual(a.upper[0]);
    expect(fitBinEdges(x, { sampleSize: 1000, seed: 2 }).upper[0]).not.toEqual(a.upper[0]);
  });

  it('refuses a bad bin count and a matrix of another width', () => {
    expect(() => fitBinEdges(column([1, 2]), { maxBins: 256 })).toThrow(/maxBins/);
    expect(() => fitBinEdges(column([1, 2]), { maxBins: 1 })).toThrow(/maxBins/);
    const edges = fitBinEdges(column([1, 2]));
    expect(() => applyBins(matrixFromRows([[1, 2]]), edges)).toThrow(/1 features/);
  });
});
