import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain';
import { fixtureBars } from './fixtureBars';
import { volumeProfile } from './volumeProfile';

const bar = (low: number, high: number, volume: number, up = true): Bar => ({
  time: 0,
  open: up ? low : high,
  close: up ? high : low,
  high,
  low,
  volume,
});

describe('volume profile', () => {
  it('spreads each bar’s volume over the rows its range covers, in proportion', () => {
    // Rows of 10 from 100 to 140.
    const profile = volumeProfile([bar(100, 140, 40), bar(110, 120, 10, false), bar(135, 135, 5)], 4, 70)!;
    expect(profile.rows.map((r) => [r.low, r.high])).toEqual([
      [100, 110],
      [110, 120],
      [120, 130],
      [130, 140],
    ]);
    expect(profile.rows.map((r) => r.volume)).toEqual([10, 20, 10, 15]);
    expect(profile.rows.map((r) => r.upVolume)).toEqual([10, 10, 10, 15]);
    expect(profile.totalVolume).toBe(55);
    expect(profile.pocIndex).toBe(1);
  });

  it('grows the value area from the point of control towards the fuller side until it holds the share', () => {
    const profile = volumeProfile([bar(100, 140, 40), bar(110, 120, 10), bar(135, 135, 5)], 4, 70)!;
    // POC row 1 (20 of 55); its neighbours rows 0 and 2 hold 10 each and a tie goes up, to row 2 (30); then row 3 (15) beats row 0 (10): 45 ≥ 38.5.
    expect(profile.valueArea).toEqual({ from: 1, to: 3 });
    const all = volumeProfile([bar(100, 140, 40)], 4, 100)!;
    expect(all.valueArea).toEqual({ from: 0, to: 3 });
  });

  it('keeps every unit of volume whatever the rows, and reaches at least the share asked', () => {
    const bars = fixtureBars(300);
    const total = bars.reduce((s, b) => s + b.volume, 0);
    for (const rows of [6, 24, 97]) {
      const p = volumeProfile(bars, rows, 70)!;
      expect(p.rows).toHaveLength(rows);
      expect(p.rows.reduce((s, r) => s + r.volume, 0)).toBeCloseTo(total, 6);
      const inside = p.rows.slice(p.valueArea.from, p.valueArea.to + 1).reduce((s, r) => s + r.volume, 0);
      expect(inside).toBeGreaterThanOrEqual(total * 0.7 - 1e-9);
      expect(p.valueArea.from).toBeLessThanOrEqual(p.pocIndex);
      expect(p.valueArea.to).toBeGreaterThanOrEqual(p.pocIndex);
    }
  });

  it('has nothing to show without volume, and refuses nonsense sizes', () => {
    expect(volumeProfile([], 10, 70)).toBeNull();
    expect(volumeProfile([bar(1, 2, 0)], 10, 70)).toBeNull();
    expect(() => volumeProfile([bar(1, 2, 3)], 0, 70)).toThrow(RangeError);
    expect(() => volumeProfile([bar(1, 2, 3)], 10, 0)).toThrow(RangeError);
  });

  it('puts a flat market in one row', () => {
    const p = volumeProfile([bar(50, 50, 3), bar(50, 50, 4)], 5, 70)!;
    expect(p.rows[p.pocIndex]!.volume).toBe(7);
  });
});
