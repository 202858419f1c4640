import { describe, expect, it } from 'vitest';
import { Rng } from '../../../tests/support/rng';
import { thinnedIndices } from './equityThinning';

function walk(count: number, seed: number): { equity: number[]; drawdown: number[] } {
  const rng = new Rng(seed);
  const equity: number[] = [];
  const drawdown: number[] = [];
  let value = 10_000;
  let peak = value;
  for (let i = 0; i < count; i++) {
    value *= 1 + (rng.next() - 0.5) * 0.02;
    peak = Math.max(peak, value);
    equity.push(value);
    drawdown.push((1 - value / peak) * 100);
  }
  return { equity, drawdown };
}

describe('thinnedIndices', () => {
  it('keeps every point of a curve within the limit', () => {
    expect(thinnedIndices(0, 100, () => 0, () => 0)).toEqual([]);
    expect(thinnedIndices(3, 100, () => 0, () => 0)).toEqual([0, 1, 2]);
    expect(thinnedIndices(100, 100, () => 0, () => 0)).toHaveLength(100);
  });

  it('keeps at most the limit, ascending, with the first and last point, every extreme and the deepest drawdown', () => {
    for (const [count, limit, seed] of [[1_000, 100, 1], [100_000, 10_000, 2], [12_345, 777, 3], [101, 100, 4]] as const) {
      const { equity, drawdown } = walk(count, seed);
      const kept = thinnedIndices(count, limit, (i) => equity[i]!, (i) => drawdown[i]!);
      expect(kept.length).toBeLessThanOrEqual(limit);
      expect(kept.length).toBeGreaterThan(limit / 2);
      for (let k = 1; k < kept.length; k++) expect(kept[k]!).toBeGreaterThan(kept[k - 1]!);
      expect(kept[0]).toBe(0);
      expect(kept.at(-1)).toBe(count - 1);
      const keptSet = new Set(kept);
      expect(keptSet.has(equity.indexOf(Math.max(...equity)))).toBe(true);
      expect(keptSet.has(equity.indexOf(Math.min(...equity)))).toBe(true);
      expect(keptSet.has(drawdown.indexOf(Math.max(...drawdown)))).toBe(true);
    }
  });

  it('keeps each span’s own high and low, so the drawn curve keeps its shape everywhere', () => {
    // A saw-tooth: every span of the thinned curve must still reach both the tooth's top and bottom.
    const count = 10_000;
    const equity = Array.from({ length: count }, (_, i) => (i % 50 < 25 ? 100 + (i % 50) : 150 - (i % 50)));
    const kept = thinnedIndices(count, 1_000, (i) => equity[i]!, () => 0);
    const values = kept.map((i) => equity[i]!);
    expect(Math.max(...values)).toBe(125);
    expect(Math.min(...values)).toBe(100);
    // 200 spans of 50 points, each one whole tooth: every span keeps its own top.
    expect(values.filter((v) => v === 125)).toHaveLength(200);
  });
});
