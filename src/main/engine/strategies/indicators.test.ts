/**
 * Crossovers (strict on both bars, nothing while a value is missing) and the series indicators keep their values in.
 */
import { describe, expect, it } from 'vitest';
import { crossedAbove, crossedBelow, IndicatorSet, type Series } from './indicators';

/** A series from its values oldest first; null is a missing value. */
function series(...values: Array<number | null>): Series {
  return {
    at: (ago = 0) => values[values.length - 1 - ago] ?? null,
    get ready() {
      return values[values.length - 1] !== null;
    },
  };
}

describe('crossedAbove and crossedBelow', () => {
  it('see a cross only when the fast value was strictly below and is now strictly above', () => {
    expect(crossedAbove(series(1, 3), series(2, 2))).toBe(true);
    expect(crossedBelow(series(3, 1), series(2, 2))).toBe(true);
    // Touching is not crossing, on either bar.
    expect(crossedAbove(series(2, 3), series(2, 2))).toBe(false);
    expect(crossedAbove(series(1, 2), series(2, 2))).toBe(false);
    // Staying above, or moving the other way, is no cross above.
    expect(crossedAbove(series(3, 4), series(2, 2))).toBe(false);
    expect(crossedAbove(series(3, 1), series(2, 2))).toBe(false);
  });

  it('say false while any of the four values is missing', () => {
    expect(crossedAbove(series(null, 3), series(2, 2))).toBe(false);
    expect(crossedAbove(series(1, null), series(2, 2))).toBe(false);
    expect(crossedAbove(series(1, 3), series(null, 2))).toBe(false);
    expect(crossedAbove(series(1, 3), series(2, null))).toBe(false);
    expect(crossedAbove(series(3), series(2))).toBe(false);
  });
});

describe('an indicator series', () => {
  const bar = (close: number) => ({ time: close, open: close, high: close, low: close, close, volume: 0 });

  it('keeps the last 8 values, newest first, a missing or non-finite one as null', () => {
    const set = new IndicatorSet();
    const values = [1, null, 3, Number.NaN, 5, 6, Number.POSITIVE_INFINITY, 8, 9, 10];
    let next = 0;
    const series = set.custom(() => values[next++]!);
    expect(series.at(0)).toBeNull();
    expect(series.ready).toBe(false);
    set.update(bar(1));
    expect(series.at(0)).toBe(1);
    expect(series.at(1)).toBeNull();
    for (let i = 1; i < values.length; i++) set.update(bar(i + 1));
    // Newest first: 10, 9, 8, Infinity -> null, 6, 5, NaN -> null, 3.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((ago) => series.at(ago))).toEqual([10, 9, 8, null, 6, 5, null, 3]);
    expect(series.ready).toBe(true);
  });

  it('refuses to look further back than it keeps', () => {
    const series = new IndicatorSet().custom(() => 1);
    expect(() => series.at(8)).toThrow(RangeError);
    expect(() => series.at(-1)).toThrow(RangeError);
    expect(() => series.at(0.5)).toThrow(RangeError);
  });
});
