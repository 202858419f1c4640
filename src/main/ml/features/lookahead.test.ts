/**
 * The no-lookahead guarantee, checked the blunt way: rewrite the future
 * (every bar after row k) and require every feature at rows <= k to be
 * bit-identical, in the streaming rows and in the batch matrix; and require
 * the target at row k to change only when bars up to k + N change.
 */
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { FEATURE_COUNT } from './featureSet';
import { computeFeatureMatrix } from './featureMatrix';
import { FeaturePipeline } from './featurePipeline';
import { syntheticBars } from './syntheticBars';
import { computeTargets, OutcomeLabeler } from './targets';

const HOUR = 3_600_000;
const base = syntheticBars({ count: 400, seed: 5, sigma: 0.01, drift: 0.0003 });

/** The same past up to and including row k, then a different future: another seed, a crash, a volatility and volume explosion. */
function rewriteFuture(bars: readonly Bar[], k: number): Bar[] {
  const last = bars[k] as Bar;
  const future = syntheticBars({ count: bars.length - k - 1, seed: 999, start: last.time + HOUR, startPrice: last.close * 0.5, sigma: 0.08, volume: 1e6 });
  return [...bars.slice(0, k + 1), ...future];
}

function streamedRows(bars: readonly Bar[]): Float64Array[] {
  const pipeline = new FeaturePipeline();
  return bars.map((bar) => pipeline.update(bar).values);
}

/** Bitwise equality of two float arrays (NaN equal to the same NaN, 0 distinct from -0). */
function sameBits(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  if (a.length !== b.length || a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((byte, i) => byte === y[i]);
}

describe('no lookahead in features', () => {
  const original = streamedRows(base);
  const originalMatrix = computeFeatureMatrix(base);

  for (const k of [10, 70, 71, 150, 398]) {
    it(`rows up to ${k} are bit-identical whatever happens after bar ${k}`, () => {
      const altered = rewriteFuture(base, k);
      const rows = streamedRows(altered);
      for (let i = 0; i <= k; i++) expect(sameBits(rows[i] as Float64Array, original[i] as Float64Array), `streamed row ${i}`).toBe(true);

      const matrix = computeFeatureMatrix(altered);
      const upTo = (k + 1) * FEATURE_COUNT;
      expect(sameBits(matrix.values.subarray(0, upTo), originalMatrix.values.subarray(0, upTo))).toBe(true);
      expect(Array.from(matrix.ready.subarray(0, k + 1))).toEqual(Array.from(originalMatrix.ready.subarray(0, k + 1)));

      // The check has teeth: the rewritten future does change the row right after k.
      if (k + 1 < base.length) expect(sameBits(rows[k + 1] as Float64Array, original[k + 1] as Float64Array)).toBe(false);
    });
  }

  it('the comparison would catch a feature that peeks one bar ahead', () => {
    // A deliberately leaky "feature": row i carries bar i + 1's close.
    const leaky = (bars: readonly Bar[]) => Float64Array.from(bars, (_, i) => bars[i + 1]?.close ?? Number.NaN);
    const k = 100;
    const a = leaky(base).subarray(0, k + 1);
    const b = leaky(rewriteFuture(base, k)).subarray(0, k + 1);
    expect(sameBits(a, b)).toBe(false);
  });

  it('the batch matrix is the streamed rows rounded to float32', () => {
    const expected = Float32Array.from(original.flatMap((r) => Array.from(r)));
    expect(sameBits(originalMatrix.values, expected)).toBe(true);
    expect(originalMatrix.rows).toBe(base.length);
    expect(originalMatrix.cols).toBe(FEATURE_COUNT);
    expect(Array.from(originalMatrix.times)).toEqual(base.map((b) => b.time));
  });

  it('can allocate the matrix on a SharedArrayBuffer for a worker', () => {
    const shared = computeFeatureMatrix(base.slice(0, 80), { shared: true });
    expect(shared.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sameBits(shared.values, originalMatrix.values.subarray(0, 80 * FEATURE_COUNT))).toBe(true);
  });
});

describe('targets', () => {
  const spec = { horizon: 12, threshold: 0.01 };

  it('are the forward log return and its direction, NaN for the last N rows', () => {
    const t = computeTargets(base, spec);
    expect(t.labelled).toBe(base.length - 12);
    for (const k of [0, 50, 387]) {
      const r = Math.log((base[k + 12] as Bar).close / (base[k] as Bar).close);
      expect(t.forwardReturn[k]).toBe(r);
      expect(t.direction[k]).toBe(r > 0.01 ? 0 : r < -0.01 ? 1 : 2);
    }
    for (let k = base.length - 12; k < base.length; k++) {
      expect(t.forwardReturn[k]).toBeNaN();
      expect(t.direction[k]).toBeNaN();
    }
    const classes = new Set(Array.from(t.direction.subarray(0, t.labelled)));
    expect(classes).toEqual(new Set([0, 1, 2]));
  });

  it('the threshold is exclusive: a return of exactly +/- threshold is neutral', () => {
    const closes = [100, 200, 100, 300, 100].map((close) => ({ close }));
    const t = computeTargets(closes, { horizon: 1, threshold: Math.LN2 });
    expect(Array.from(t.forwardReturn.subarray(0, 2))).toEqual([Math.LN2, -Math.LN2]);
    expect(Array.from(t.direction)).toEqual([2, 2, 0, 1, Number.NaN]);
  });

  it('at row k use bars up to k + N only', () => {
    const k = 150;
    const original = computeTargets(base, spec);
    const afterHorizon = computeTargets(rewriteFuture(base, k + spec.horizon), spec);
    expect(sameBits(afterHorizon.forwardReturn.subarray(0, k + 1), original.forwardReturn.subarray(0, k + 1))).toBe(true);
    expect(sameBits(afterHorizon.direction.subarray(0, k + 1), original.direction.subarray(0, k + 1))).toBe(true);
    // ...and bar k + N itself does matter.
    const atHorizon = computeTargets(rewriteFuture(base, k + spec.horizon - 1), spec);
    expect(atHorizon.forwardReturn[k]).not.toBe(original.forwardReturn[k]);
  });

  it('streamed outcomes arrive N bars later and equal the batch targets', () => {
    const labeler = new OutcomeLabeler<number>(spec);
    const batch = computeTargets(base, spec);
    let outcomes = 0;
    base.forEach((bar, i) => {
      const outcome = labeler.push(bar.close, i);
      if (i < spec.horizon) expect(outcome).toBeNull();
      else {
        expect(outcome?.row).toBe(i - spec.horizon);
        expect(outcome?.forwardReturn).toBe(batch.forwardReturn[i - spec.horizon]);
        expect(outcome?.direction).toBe(batch.direction[i - spec.horizon]);
        outcomes++;
      }
    });
    expect(outcomes).toBe(batch.labelled);
    expect(labeler.waiting).toBe(spec.horizon);
  });

  it('refuses a horizon that is not a positive whole number', () => {
    expect(() => computeTargets(base, { horizon: 0, threshold: 0 })).toThrow();
    expect(() => new OutcomeLabeler({ horizon: 1.5, threshold: 0 })).toThrow();
  });
});
