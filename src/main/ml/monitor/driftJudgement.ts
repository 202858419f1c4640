/**
 * Whether a model is drifting on one stream, and why, in words. Three
 * judgements, each only once there is enough to judge from:
 *  - features: the largest PSI against the training reference above 0.25 is
 *    drifting, from 0.1 to 0.25 worth watching (psi.ts);
 *  - accuracy: the model's rolling accuracy more than z standard errors
 *    below its out-of-sample accuracy (rollingAccuracy.ts);
 *  - the online model: right significantly more often than the model on the
 *    same outcomes (a paired test, rollingAccuracy.ts).
 * What cannot be judged yet goes into notes, not reasons.
 */
import type { DriftReason, FeaturePsi, ModelDriftStatus } from '../../../shared/contract/modelMonitor';
import { PSI_THRESHOLDS } from '../drift/psi';
import type { ModelComparisonStatus } from '../drift/rollingAccuracy';

export interface StreamJudgementInput {
  kind: 'direction' | 'return';
  psi: readonly FeaturePsi[];
  hasReference: boolean;
  psiRows: number;
  minPsiRows: number;
  comparison: ModelComparisonStatus;
  /** The model's out-of-sample accuracy, if known. */
  referenceAccuracy: number | null;
  minOutcomes: number;
  z: number;
  /** Scored bars whose outcome bar was never scored (a gap), so never judged. */
  missed: number;
}

export interface StreamJudgement {
  status: ModelDriftStatus;
  reasons: DriftReason[];
  notes: string[];
}

/** How many features a reason names before it says "and N more". */
const NAMED_FEATURES = 4;

export function judgeStream(input: StreamJudgementInput): StreamJudgement {
  const reasons: DriftReason[] = [];
  const notes: string[] = [];
  const measure = input.kind === 'direction' ? 'Accuracy' : 'Direction hit rate';

  const known = input.psi.filter((f): f is FeaturePsi & { psi: number } => f.psi !== null).sort((a, b) => b.psi - a.psi);
  const drifting = known.filter((f) => f.psi > PSI_THRESHOLDS.drift);
  const watch = known.filter((f) => f.psi >= PSI_THRESHOLDS.watch && f.psi <= PSI_THRESHOLDS.drift);
  if (drifting.length > 0) {
    reasons.push({ kind: 'psi', status: 'drifting', text: `${named(drifting)} ${drifting.length === 1 ? 'has' : 'have'} moved away from the training distribution (PSI above ${PSI_THRESHOLDS.drift})` });
  }
  if (watch.length > 0) {
    reasons.push({ kind: 'psi', status: 'watch', text: `${named(watch)} ${watch.length === 1 ? 'is' : 'are'} moving from the training distribution (PSI ${PSI_THRESHOLDS.watch} to ${PSI_THRESHOLDS.drift}: worth watching)` });
  }
  if (!input.hasReference) notes.push('PSI unknown: this model has no training reference (an imported model has none).');
  else if (input.psiRows < input.minPsiRows) notes.push(`PSI is measured once ${input.minPsiRows} bars are scored (${input.psiRows} so far).`);

  const c = input.comparison;
  if (c.batchDrifting && input.referenceAccuracy !== null) {
    reasons.push({ kind: 'accuracy', status: 'drifting', text: `${measure} ${pct(c.batch)} over the last ${c.samples} outcomes is below the ${pct(input.referenceAccuracy)} it had out of sample (by more than ${input.z} standard errors)` });
  }
  if (c.onlineAhead) {
    reasons.push({ kind: 'online', status: 'drifting', text: `The online model is right more often: ${pct(c.online)} against ${pct(c.batch)} over the last ${c.samples} outcomes (${c.onlineOnly} only it got right, ${c.batchOnly} only the model)` });
  }
  if (c.samples < input.minOutcomes) notes.push(`Accuracy is judged once ${input.minOutcomes} outcomes are known (${c.samples} so far).`);
  if (input.referenceAccuracy === null) notes.push(`No out-of-sample ${measure.toLowerCase()} is recorded for this model: only the online model is compared with it.`);
  if (input.missed > 0) notes.push(`${input.missed} scored bar${input.missed === 1 ? ' was' : 's were'} never followed by the bar that settles ${input.missed === 1 ? 'its' : 'their'} outcome (a gap in scoring), so not judged.`);

  const status: ModelDriftStatus = reasons.some((r) => r.status === 'drifting') ? 'drifting' : reasons.length > 0 ? 'watch' : 'ok';
  return { status, reasons, notes };
}

/** The worst of several statuses; ok for none. */
export function worstStatus(statuses: readonly ModelDriftStatus[]): ModelDriftStatus {
  if (statuses.includes('drifting')) return 'drifting';
  if (statuses.includes('watch')) return 'watch';
  return 'ok';
}

function named(features: ReadonlyArray<{ feature: string; psi: number }>): string {
  const shown = features.slice(0, NAMED_FEATURES).map((f) => `${f.feature} (${f.psi.toFixed(2)})`);
  const more = features.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
