/** Size of a trained model: what the registry shows next to it and what scoring workers hold in memory. */
import type { TreeModel } from './model';
import { modelToJsonText } from './serialize';
import { treeDepth } from './tree';

export interface ModelStats {
  trees: number;
  internalNodes: number;
  leaves: number;
  maxDepth: number;
  /** Mean over trees of each tree's deepest leaf. */
  meanDepth: number;
  /** Bytes of the typed arrays in memory. */
  memoryBytes: number;
  /** UTF-8 bytes of the serialised JSON. */
  jsonBytes: number;
}

export function modelStats(model: TreeModel): ModelStats {
  let internalNodes = 0;
  let leaves = 0;
  let maxDepth = 0;
  let depthSum = 0;
  let memoryBytes = model.baseScore.byteLength;
  for (const t of model.trees) {
    internalNodes += t.feature.length;
    leaves += t.leafCount.length;
    const d = treeDepth(t);
    maxDepth = Math.max(maxDepth, d);
    depthSum += d;
    for (const a of [t.feature, t.threshold, t.missingLeft, t.left, t.right, t.gain, t.count, t.leafValue, t.leafCount]) memoryBytes += a.byteLength;
  }
  return {
    trees: model.trees.length,
    internalNodes,
    leaves,
    maxDepth,
    meanDepth: model.trees.length > 0 ? depthSum / model.trees.length : 0,
    memoryBytes,
    jsonBytes: new TextEncoder().encode(modelToJsonText(model)).length,
  };
}
