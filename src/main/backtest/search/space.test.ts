import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { admits, assertInSpace, defineSpace, levelCount, levelValue, sampleUniform, SearchSpaceError, snap, type FloatParam } from './space';

describe('search space', () => {
  it('rejects malformed parameters', () => {
    const bad = [
      { kind: 'int', min: 5, max: 1 },
      { kind: 'int', min: 0.5, max: 2 },
      { kind: 'int', min: 0, max: 10, step: 0 },
      { kind: 'int', min: 0, max: 10, step: 1.5 },
      { kind: 'float', min: 0, max: Infinity },
      { kind: 'float', min: 0, max: 1, log: true },
      { kind: 'float', min: 1, max: 10, log: true, step: 1 },
      { kind: 'float', min: 0, max: 1, step: -0.1 },
      { kind: 'choice', values: [] },
      { kind: 'choice', values: ['a', 'a'] },
    ] as const;
    for (const spec of bad) expect(() => defineSpace({ params: { p: spec } }), JSON.stringify(spec)).toThrow(SearchSpaceError);
    expect(() => defineSpace({ params: {} })).toThrow(SearchSpaceError);
  });

  it('puts stepped floats on clean decimal levels and drops a max that is off the grid', () => {
    const spec: FloatParam = { kind: 'float', min: 0.1, max: 0.75, step: 0.1 };
    expect(levelCount(spec, 0.1)).toBe(7);
    expect(Array.from({ length: 7 }, (_, k) => levelValue(spec, 0.1, k))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(snap(spec, 0.74)).toBe(0.7);
    expect(snap(spec, -3)).toBe(0.1);
    expect(admits(spec, 0.3)).toBe(true);
    expect(admits(spec, 0.35)).toBe(false);
  });

  it('samples every parameter kind inside its domain', () => {
    const rng = new Prng(3);
    for (let i = 0; i < 2000; i++) {
      const n = sampleUniform({ kind: 'int', min: 3, max: 20, step: 4 }, rng) as number;
      expect([3, 7, 11, 15, 19]).toContain(n);
      const lf = sampleUniform({ kind: 'float', min: 1e-4, max: 1e-1, log: true }, rng) as number;
      expect(lf).toBeGreaterThanOrEqual(1e-4);
      expect(lf).toBeLessThanOrEqual(1e-1);
      expect(['x', 1, true]).toContain(sampleUniform({ kind: 'choice', values: ['x', 1, true] }, rng));
    }
  });

  it('checks a told point against the space', () => {
    const space = defineSpace({ params: { n: { kind: 'int', min: 1, max: 9, step: 2 }, m: { kind: 'choice', values: ['a', 'b'] } } });
    expect(() => assertInSpace(space, { n: 3, m: 'a' })).not.toThrow();
    expect(() => assertInSpace(space, { n: 4, m: 'a' })).toThrow(/outside the space/);
    expect(() => assertInSpace(space, { n: 3 })).toThrow(/lacks/);
    expect(() => assertInSpace(space, { n: 3, m: 'a', k: 1 })).toThrow(/unknown/);
  });
});
