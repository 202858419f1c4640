/**
 * Crossovers: strict on both bars, and nothing while a value is missing.
 */
import { describe, expect, it } from 'vitest';
import { crossedAbove, crossedBelow, type Series } from './indicators';

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
