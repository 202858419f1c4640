import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { binnedReference, buildFeatureReference, featureReferenceSchema, referenceOf } from './featureReference';
import { binCounts, populationStabilityIndex, psiFromCounts } from './psi';

function columns(rows: number, make: (i: number, j: number) => number, cols: number) {
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) values[i * cols + j] = make(i, j);
  return { values, rows, cols };
}

describe('the training reference of a model', () => {
  it('keeps decile edges and shares per feature, merging the edges of a discrete one', () => {
    const rng = new Prng(3);
    // Column 0 continuous; column 1 one-hot, 1 in a quarter of the rows.
    const m = columns(1_000, (i, j) => (j === 0 ? rng.normal() : i % 4 === 0 ? 1 : 0), 2);
    const reference = buildFeatureReference(m, ['x', 'flag']);
    expect(featureReferenceSchema.parse(JSON.parse(JSON.stringify(reference)))).toEqual(reference);
    expect(reference.rows).toBe(1_000);
    const [x, flag] = reference.features;
    expect(x!.edges).toHaveLength(9);
    expect(x!.shares).toEqual(new Array(10).fill(0.1));
    expect(flag).toEqual({ feature: 'flag', edges: [0, 1], shares: [0.75, 0.25, 0] });
  });

  it('gives the PSI of the full training sample, within rounding', () => {
    const rng = new Prng(4);
    const training = Float64Array.from({ length: 5_000 }, () => rng.normal());
    const recent = Float64Array.from({ length: 400 }, () => 0.4 + rng.normal());
    const reference = buildFeatureReference({ values: training, rows: training.length, cols: 1 }, ['x']);
    const bins = binnedReference(reference, 'x')!;
    const stored = psiFromCounts(bins, binCounts(recent, bins.edges));
    expect(stored.psi).toBeCloseTo(populationStabilityIndex(training, recent).psi, 5);
    expect(binnedReference(reference, 'y')).toBeNull();
  });

  it('is read from training parameters, and is absent for a model without one or with a damaged one', () => {
    const reference = buildFeatureReference(columns(50, (i) => i, 1), ['x']);
    expect(referenceOf({ rounds: 10, reference })).toEqual(reference);
    expect(referenceOf({})).toBeNull();
    expect(referenceOf({ reference: { ...reference, features: [{ feature: 'x', edges: [2, 1], shares: [0.3, 0.3, 0.4] }] } })).toBeNull();
    expect(referenceOf({ reference: { ...reference, features: [{ feature: 'x', edges: [1], shares: [1] }] } })).toBeNull();
    expect(() => buildFeatureReference(columns(5, () => 1, 2), ['x'])).toThrow(/columns/);
  });
});
