/**
 * A trained tree ensemble: gradient-boosted trees or a random forest, for
 * classification or regression. Plain data (typed arrays in plain objects):
 * it is answered from a training worker by transfer (`modelTransferables`)
 * and sent to scoring workers the same way. Treat a model as immutable once
 * trained; prediction caches a packed copy of it.
 */
import type { Tree } from './tree';

export type ModelKind = 'gbdt' | 'forest';
export type Task = 'classification' | 'regression';

export interface TreeModel {
  kind: ModelKind;
  task: Task;
  /** Classes (at least 2) for classification, 1 for regression. */
  numClasses: number;
  numFeatures: number;
  /** Boosting: the raw score per slot before any tree. Forests: empty. */
  baseScore: Float64Array;
  trees: Tree[];
  featureNames?: string[];
  classNames?: string[];
}

/**
 * Raw values summed per row: a booster's scores (1 for binary and
 * regression, K for multiclass) or a forest's leaf width (K class shares, or
 * 1 value).
 */
export function scoreSlots(model: Pick<TreeModel, 'kind' | 'task' | 'numClasses'>): number {
  if (model.task === 'regression') return 1;
  return model.kind === 'gbdt' && model.numClasses === 2 ? 1 : model.numClasses;
}

/** What a prediction gives per row: a probability per class, or one value. */
export function outputWidth(model: Pick<TreeModel, 'task' | 'numClasses'>): number {
  return model.task === 'classification' ? model.numClasses : 1;
}

/** The buffers of a model's typed arrays, for postMessage's transfer list (the sender's model is unusable afterwards). */
export function modelTransferables(model: TreeModel): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: { buffer: ArrayBufferLike }) => {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  };
  add(model.baseScore);
  for (const t of model.trees) {
    for (const a of [t.feature, t.threshold, t.missingLeft, t.left, t.right, t.gain, t.count, t.leafValue, t.leafCount]) add(a);
  }
  return [...buffers];
}
