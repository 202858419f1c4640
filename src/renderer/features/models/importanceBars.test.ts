import { describe, expect, it } from 'vitest';
import { importanceBars } from './importanceBars';

describe('importanceBars', () => {
  it('sorts largest first, sizes bars against the largest and shares against the total', () => {
    const bars = importanceBars([
      { feature: 'b', importance: 1 },
      { feature: 'a', importance: 3 },
      { feature: 'c', importance: 0 },
    ]);
    expect(bars.map((b) => [b.feature, b.width, b.share])).toEqual([
      ['a', 100, 0.75],
      ['b', (1 / 3) * 100, 0.25],
      ['c', 0, 0],
    ]);
  });

  it('draws no bar for a negative importance and keeps the limit', () => {
    const bars = importanceBars(
      [
        { feature: 'x', importance: -0.5 },
        { feature: 'y', importance: 2 },
        { feature: 'z', importance: 1 },
      ],
      2,
    );
    expect(bars.map((b) => [b.feature, b.width])).toEqual([
      ['y', 100],
      ['z', 50],
    ]);
    expect(importanceBars([{ feature: 'x', importance: -1 }])[0]).toMatchObject({ width: 0, share: 0 });
  });

  it('has nothing to draw when every importance is zero or not a number', () => {
    expect(importanceBars([{ feature: 'a', importance: 0 }, { feature: 'b', importance: Number.NaN }])).toEqual([{ feature: 'a', importance: 0, share: 0, width: 0 }]);
  });
});
