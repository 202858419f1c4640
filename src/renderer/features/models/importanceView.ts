/**
 * Which importance a version shows, and how it was measured, in words: a
 * trained version's is the trees' gain; an imported one has none until a
 * permutation importance is measured (the rise in log loss, or the fall in
 * accuracy, when each feature is shuffled), read through the contract's
 * schema from its metrics.
 */
import { permutationImportanceSchema, type PermutationImportance } from '../../../shared/contract';
import type { ModelRecord } from '../../../shared/models';
import { fmtNumber } from '../backtests/statsFormat';
import { fmtWindow } from './modelFormat';

export type ImportanceKind = 'gain' | 'permutation' | null;

/** The permutation importance a version keeps; null when it has none. */
export function permutationOf(model: Pick<ModelRecord, 'metrics'>): PermutationImportance | null {
  const parsed = permutationImportanceSchema.safeParse(model.metrics.importance);
  return parsed.success ? parsed.data : null;
}

export function importanceKind(model: Pick<ModelRecord, 'algorithm' | 'metrics'>): ImportanceKind {
  if (model.algorithm === 'gbdt' || model.algorithm === 'random-forest') return 'gain';
  return permutationOf(model) ? 'permutation' : null;
}

export const IMPORTANCE_TITLE: Record<Exclude<ImportanceKind, null>, string> = {
  gain: 'Feature importance (gain)',
  permutation: 'Feature importance (permutation)',
};

/** "Rise in log loss when each feature is shuffled (5 repeats, seed 1) on 40 golden rows; unshuffled 0.123." */
export function describePermutation(p: PermutationImportance): string {
  const drop = p.metric === 'logLoss' ? 'Rise in log loss' : 'Fall in accuracy';
  const on = p.source === 'golden-rows' ? `${fmtNumber(p.rows, 0)} golden rows` : `${fmtNumber(p.rows, 0)} rows of bars${p.from !== null && p.to !== null ? ` (${fmtWindow({ from: p.from, to: p.to }, true)})` : ''}`;
  const baseline = p.metric === 'logLoss' ? fmtNumber(p.baseline, 3) : `${fmtNumber(p.baseline * 100, 1)}%`;
  return `${drop} when each feature is shuffled (${p.repeats} repeat${p.repeats === 1 ? '' : 's'}, seed ${p.seed}) on ${on}; unshuffled ${baseline}.`;
}
