import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { bootstrapRows, sampleFrom, sampleIndices } from './sampling';

describe('sampling', () => {
  it('draws k distinct indices in ascending order, each about equally often', () => {
    const rng = new Prng(1);
    const hits = new Array<number>(20).fill(0);
    for (let round = 0; round < 2000; round++) {
      const picked = Array.from(sampleIndices(20, new Uint32Array(5), rng));
      expect(picked).toHaveLength(5);
      for (let i = 1; i < picked.length; i++) expect(picked[i]!).toBeGreaterThan(picked[i - 1]!);
      for (const i of picked) hits[i]!++;
    }
    // Each index is drawn with probability 1/4: 500 times in 2,000 draws, give or take a few standard deviations (≈19).
    for (const h of hits) expect(Math.abs(h - 500)).toBeLessThan(80);
  });

  it('draws from a list of features, keeping their order', () => {
    const picked = sampleFrom(Int32Array.of(2, 5, 7, 11), new Int32Array(4), new Prng(3));
    expect(Array.from(picked)).toEqual([2, 5, 7, 11]);
    const some = Array.from(sampleFrom(Int32Array.of(2, 5, 7, 11), new Int32Array(2), new Prng(3)));
    expect(some).toHaveLength(2);
    expect(some.every((f) => [2, 5, 7, 11].includes(f)) && some[0]! < some[1]!).toBe(true);
  });

  it('bootstraps with repeats: about 63% of the rows appear at least once', () => {
    const rows = bootstrapRows(10_000, 10_000, new Prng(7));
    expect(rows).toHaveLength(10_000);
    for (let i = 1; i < rows.length; i++) expect(rows[i]! >= rows[i - 1]!).toBe(true);
    const distinct = new Set(rows).size / 10_000;
    expect(distinct).toBeGreaterThan(0.62);
    expect(distinct).toBeLessThan(0.645);
  });
});
