import { describe, expect, it } from 'vitest';
import type { OptimizeTrial } from '../../../shared/contract';
import { axisBins, buildHeatmap, cellOf, edgeText, heatColor, heatPosition, sortTrials, varyingParams } from './heatmap';

function trial(params: OptimizeTrial['params'], objective: number | null): OptimizeTrial {
  return { params, objective, bars: 100, returnPct: null, sharpeRatio: null, maxDrawdownPct: null, profitFactor: null, trades: 0 };
}

describe('sortTrials', () => {
  it('puts the best objective first and unscored trials last, keeping their order', () => {
    const trials = [trial({ a: 1 }, 0.5), trial({ a: 2 }, null), trial({ a: 3 }, 1.5), trial({ a: 4 }, null), trial({ a: 5 }, -1)];
    expect(sortTrials(trials).map((t) => t.params.a)).toEqual([3, 1, 5, 2, 4]);
  });
});

describe('varyingParams', () => {
  it('lists only parameters that took more than one value', () => {
    const trials = [trial({ fast: 5, slow: 20, mode: 'x' }, 1), trial({ fast: 10, slow: 20, mode: 'y' }, 1)];
    expect(varyingParams(trials)).toEqual(['fast', 'mode']);
  });

  it('tells a number from the same text', () => {
    expect(varyingParams([trial({ p: 1 }, 1), trial({ p: '1' }, 1)])).toEqual(['p']);
  });
});

describe('axisBins', () => {
  it('gives a column per distinct value when there are few, sorted numerically', () => {
    const axis = axisBins([10, 2, 30, 2, 10]);
    expect(axis.labels).toEqual(['2', '10', '30']);
    expect(axis.indexOf(10)).toBe(1);
    expect(axis.indexOf(11)).toBe(-1);
    expect(axis.indexOf(undefined)).toBe(-1);
  });

  it('keeps switches and choices as their values', () => {
    const axis = axisBins([true, false, true]);
    expect(axis.labels).toEqual(['false', 'true']);
    expect(axis.indexOf(true)).toBe(1);
    expect(axis.indexOf('true')).toBe(-1);
  });

  it('cuts many continuous values into equal-width bins, the last one closed', () => {
    const values = Array.from({ length: 101 }, (_, i) => i / 100); // 0 .. 1
    const axis = axisBins(values, 4);
    expect(axis.labels).toEqual(['0–0.25', '0.25–0.5', '0.5–0.75', '0.75–1']);
    expect(axis.indexOf(0)).toBe(0);
    expect(axis.indexOf(0.2499)).toBe(0);
    expect(axis.indexOf(0.25)).toBe(1);
    expect(axis.indexOf(1)).toBe(3);
    expect(axis.indexOf(1.01)).toBe(-1);
  });

  it('labels bin edges without float noise', () => {
    expect(edgeText(0.1 + 0.2)).toBe('0.3');
    expect(edgeText(12345.678)).toBe('12350');
  });
});

describe('buildHeatmap', () => {
  const trials = [
    trial({ fast: 5, slow: 20, other: 1 }, 1),
    trial({ fast: 5, slow: 20, other: 2 }, 3), // same cell: the best one counts
    trial({ fast: 10, slow: 20, other: 1 }, -2),
    trial({ fast: 5, slow: 40, other: 1 }, null), // counted, not scored
    trial({ slow: 40, other: 1 }, 9), // no x value: left out
  ];

  it('puts the best objective of each cell at [y][x], with counts and the range', () => {
    const map = buildHeatmap(trials, 'fast', 'slow');
    expect(map.x).toEqual(['5', '10']);
    expect(map.y).toEqual(['20', '40']);
    expect(map.cells).toEqual([
      [3, -2],
      [null, null],
    ]);
    expect(map.counts).toEqual([
      [2, 1],
      [1, 0],
    ]);
    expect(map.min).toBe(-2);
    expect(map.max).toBe(3);
    // The cell shows trial 1 (objective 3), not trial 0 (objective 1).
    expect(map.best).toEqual([
      [1, 2],
      [null, null],
    ]);
  });

  it('finds the cell of a trial', () => {
    expect(cellOf(trials[2]!, trials, 'fast', 'slow')).toEqual({ row: 0, col: 1 });
    expect(cellOf(trials[3]!, trials, 'fast', 'slow')).toEqual({ row: 1, col: 0 });
    expect(cellOf(trials[4]!, trials, 'fast', 'slow')).toBeNull();
    expect(cellOf(trials[2]!, trials, 'fast', null)).toEqual({ row: 0, col: 1 });
  });

  it('draws one row when there is only one searched parameter', () => {
    const map = buildHeatmap(trials, 'fast', null);
    expect(map.y).toEqual(['all']);
    expect(map.cells).toEqual([[3, -2]]);
    expect(map.counts).toEqual([[3, 1]]);
  });

  it('has no range when nothing was scored', () => {
    const map = buildHeatmap([trial({ a: 1, b: 1 }, null)], 'a', 'b');
    expect(map.min).toBeNull();
    expect(map.max).toBeNull();
  });
});

describe('colour scale', () => {
  it('places values between min and max, clamped, and in the middle when flat', () => {
    expect(heatPosition(5, 0, 10)).toBe(0.5);
    expect(heatPosition(-1, 0, 10)).toBe(0);
    expect(heatPosition(11, 0, 10)).toBe(1);
    expect(heatPosition(3, 3, 3)).toBe(0.5);
  });

  it('runs from the first stop to the last and interpolates between', () => {
    expect(heatColor(0)).toBe('rgb(38, 24, 95)');
    expect(heatColor(1)).toBe('rgb(253, 231, 37)');
    expect(heatColor(0.125)).toBe('rgb(36, 63, 134)');
    expect(heatColor(2)).toBe(heatColor(1));
    expect(heatColor(Number.NaN)).toBe(heatColor(0));
  });
});
