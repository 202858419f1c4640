/**
 * What the monitor needs to know about a model version, read once from its
 * registry record: its features in order, its target rule (the horizon and
 * threshold that settle each outcome), its training reference for PSI (none
 * for an imported model), and the out-of-sample accuracy live accuracy is
 * compared with (the walk-forward folds' mean; for a return model the
 * direction hit rate).
 */
import type { ModelRecord, ModelTarget } from '../../../shared/models';
import { binnedReference, referenceOf } from '../drift/featureReference';
import type { BinnedReference } from '../drift/psi';

export interface MonitoredModel {
  id: string;
  name: string;
  version: number;
  features: readonly string[];
  target: ModelTarget;
  /** Each feature's reference bins, in the model's feature order; null without a reference. */
  bins: ReadonlyArray<BinnedReference | null> | null;
  referenceAccuracy: number | null;
}

export function monitoredModel(record: ModelRecord): MonitoredModel {
  const reference = referenceOf(record.trainingParams);
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    features: [...record.features],
    target: record.target,
    bins: reference ? record.features.map((f) => binnedReference(reference, f)) : null,
    referenceAccuracy: outOfSampleAccuracy(record),
  };
}

/** The accuracy the model had out of sample, from its metrics; null when absent or not a share. */
export function outOfSampleAccuracy(record: Pick<ModelRecord, 'metrics' | 'target'>): number | null {
  const value = record.metrics[record.target.kind === 'direction' ? 'accuracy' : 'directionHitRate'];
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : null;
}

/** Classes the online model tells apart: long / short / neutral, or up / not up for a return model. */
export function onlineClasses(target: ModelTarget): number {
  return target.kind === 'direction' ? 3 : 2;
}
