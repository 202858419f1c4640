/**
 * Gain-based feature importance: the loss reduction of every split on a
 * feature, summed over the trees and normalised to sum to 1 (all zeros for a
 * model that never split). What the Models panel draws as a bar chart.
 */
import type { TreeModel } from './model';

export interface FeatureImportance {
  /** Per feature, its share of the total gain. */
  gain: Float64Array;
  /** Per feature, how many splits use it. */
  splits: Int32Array;
  /** The summed gain before normalising. */
  totalGain: number;
}

export function featureImportance(model: TreeModel): FeatureImportance {
  const gain = new Float64Array(model.numFeatures);
  const splits = new Int32Array(model.numFeatures);
  for (const tree of model.trees) {
    for (let i = 0; i < tree.feature.length; i++) {
      gain[tree.feature[i]!]! += tree.gain[i]!;
      splits[tree.feature[i]!]!++;
    }
  }
  let totalGain = 0;
  for (const g of gain) totalGain += g;
  if (totalGain > 0) for (let f = 0; f < gain.length; f++) gain[f]! /= totalGain;
  return { gain, splits, totalGain };
}

export interface RankedFeature {
  feature: number;
  name: string;
  gain: number;
  splits: number;
}

/** Features by decreasing gain share (then by index), named from the model when it has names. */
export function rankedImportance(model: TreeModel): RankedFeature[] {
  const { gain, splits } = featureImportance(model);
  return Array.from(gain, (g, f) => ({ feature: f, name: model.featureNames?.[f] ?? `f${f}`, gain: g, splits: splits[f]! })).sort(
    (a, b) => b.gain - a.gain || a.feature - b.feature,
  );
}
