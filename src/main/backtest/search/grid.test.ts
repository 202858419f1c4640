import { describe, expect, it } from 'vitest';
import { gridPoints, GridTooLargeError } from './grid';
import { defineSpace, SearchSpaceError, SpaceTooConstrainedError } from './space';

const maCross = defineSpace({
  params: {
    fast: { kind: 'int', min: 2, max: 10, step: 4 },
    slow: { kind: 'int', min: 5, max: 15, step: 5 },
    kind: { kind: 'choice', values: ['sma', 'ema'] },
  },
  constraints: [{ name: 'fast < slow', holds: (p) => p.fast < p.slow }],
});

describe('gridPoints', () => {
  it('enumerates the cartesian product in odometer order, constraints applied', () => {
    const points = gridPoints(maCross);
    // fast ∈ {2, 6, 10}, slow ∈ {5, 10, 15}, kind ∈ {sma, ema}: 18 points, of which fast >= slow removes (6,5), (10,5), (10,10).
    expect(points).toHaveLength(12);
    expect(points.slice(0, 4)).toEqual([
      { fast: 2, slow: 5, kind: 'sma' },
      { fast: 2, slow: 5, kind: 'ema' },
      { fast: 2, slow: 10, kind: 'sma' },
      { fast: 2, slow: 10, kind: 'ema' },
    ]);
    for (const p of points) expect(p.fast).toBeLessThan(p.slow);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(12);
  });

  it('takes level counts (log-spaced for log floats) and explicit values', () => {
    const space = defineSpace({
      params: {
        lr: { kind: 'float', min: 1e-3, max: 1e-1, log: true },
        w: { kind: 'float', min: 0, max: 1 },
        n: { kind: 'int', min: 0, max: 100 },
      },
    });
    const points = gridPoints(space, { lr: 3, w: [0.25, 0.75], n: 2 });
    expect(points).toHaveLength(12);
    const lrs = [...new Set(points.map((p) => p.lr))];
    expect(lrs[0]).toBeCloseTo(1e-3, 12);
    expect(lrs[1]).toBeCloseTo(1e-2, 12);
    expect(lrs[2]).toBeCloseTo(1e-1, 12);
    expect([...new Set(points.map((p) => p.n))]).toEqual([0, 100]);
  });

  it('snaps level counts to the step and drops duplicates', () => {
    const space = defineSpace({ params: { n: { kind: 'int', min: 1, max: 4 } } });
    expect(gridPoints(space, { n: 10 }).map((p) => p.n)).toEqual([1, 2, 3, 4]);
    expect(gridPoints(space, { n: 1 }).map((p) => p.n)).toEqual([3]);
  });

  it('refuses a grid larger than the bound before enumerating it', () => {
    const space = defineSpace({ params: { a: { kind: 'int', min: 1, max: 100 }, b: { kind: 'int', min: 1, max: 100 }, c: { kind: 'int', min: 1, max: 100 } } });
    let error: unknown;
    try {
      gridPoints(space);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GridTooLargeError);
    expect((error as GridTooLargeError).points).toBe(1_000_000);
    expect((error as GridTooLargeError).levels).toEqual({ a: 100, b: 100, c: 100 });
    expect(gridPoints(space, { c: [1] }, { maxPoints: 10_000 })).toHaveLength(10_000);
    expect(() => gridPoints(space, { c: [1] }, { maxPoints: 9_999 })).toThrow(GridTooLargeError);
    // A single huge axis is refused without materialising it.
    const wide = defineSpace({ params: { x: { kind: 'int', min: 0, max: 1e12 } } });
    expect(() => gridPoints(wide)).toThrow(GridTooLargeError);
  });

  it('rejects grids that do not fit the space', () => {
    const space = defineSpace({ params: { w: { kind: 'float', min: 0, max: 1 }, k: { kind: 'choice', values: ['a', 'b'] } } });
    expect(() => gridPoints(space)).toThrow(/continuous float/);
    expect(() => gridPoints(space, { w: [2] })).toThrow(SearchSpaceError);
    expect(() => gridPoints(space, { w: 0 })).toThrow(SearchSpaceError);
    expect(() => gridPoints(space, { w: 2, k: 3 })).toThrow(SearchSpaceError);
    expect(() => gridPoints(space, { w: 2, nope: 3 } as never)).toThrow(/unknown parameter/);
  });

  it('reports a grid whose every point breaks a constraint', () => {
    const space = defineSpace({
      params: { a: { kind: 'int', min: 1, max: 3 } },
      constraints: [{ name: 'a > 5', holds: (p) => p.a > 5 }],
    });
    expect(() => gridPoints(space)).toThrow(SpaceTooConstrainedError);
  });
});
