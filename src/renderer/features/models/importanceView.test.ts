import { describe, expect, it } from 'vitest';
import type { PermutationImportance } from '../../../shared/contract';
import { modelRecord } from './fixtures/modelRecord';
import { describePermutation, importanceKind, permutationOf } from './importanceView';

const PERMUTATION: PermutationImportance = {
  kind: 'permutation',
  metric: 'logLoss',
  baseline: 0.1234,
  repeats: 5,
  seed: 1,
  rows: 40,
  source: 'golden-rows',
  data: null,
  from: null,
  to: null,
  features: [{ feature: 'ret_1', importance: 2.5, std: 0.1 }],
  computedAt: 1_000,
};

describe('importance in words', () => {
  it('is the gain for a trained version, a permutation for an import once measured, none before', () => {
    expect(importanceKind(modelRecord())).toBe('gain');
    expect(importanceKind(modelRecord({ algorithm: 'onnx', metrics: { outputKind: 'probabilities', outputs: 3 } }))).toBeNull();
    const measured = modelRecord({ algorithm: 'onnx', metrics: { outputKind: 'probabilities', outputs: 3, importance: PERMUTATION } });
    expect(importanceKind(measured)).toBe('permutation');
    expect(permutationOf(measured)).toEqual(PERMUTATION);
  });

  it('says what was shuffled, how often, on what, and the unshuffled figure', () => {
    expect(describePermutation(PERMUTATION)).toBe('Rise in log loss when each feature is shuffled (5 repeats, seed 1) on 40 golden rows; unshuffled 0.123.');
    expect(describePermutation({ ...PERMUTATION, metric: 'accuracy', baseline: 0.55, repeats: 1, source: 'bars', rows: 1200 })).toBe('Fall in accuracy when each feature is shuffled (1 repeat, seed 1) on 1,200 rows of bars; unshuffled 55.0%.');
  });
});
