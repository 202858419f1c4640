import { describe, expect, it } from 'vitest';
import { applyBins, fitBinEdges } from './binning';
import { trainForest } from './forest';
import { featureImportance } from './importance';
import { argmaxRows, predict } from './predict';
import { modelToJsonText } from './serialize';
import { sliceRows, syntheticData } from './syntheticData';
import { TrainingCancelled } from './training';
import { TreeLearner } from './treeLearner';

function accuracy(probabilities: Float64Array, width: number, labels: ArrayLike<number>): number {
  const classes = argmaxRows(probabilities, width);
  let right = 0;
  for (let i = 0; i < classes.length; i++) if (classes[i] === labels[i]) right++;
  return right / classes.length;
}

describe('random forest', () => {
  it('with one tree, no bagging and every feature at each split, is the single tree the learner grows', () => {
    const data = syntheticData({ rows: 600, cols: 5, seed: 1, noise: 0.4, missing: 0.05 });
    const edges = fitBinEdges(data.x);
    const binned = applyBins(data.x, edges);
    const rows = Uint32Array.from({ length: 600 }, (_, i) => i);
    const features = Int32Array.from([0, 1, 2, 3, 4]);
    const growth = { maxDepth: 5, maxLeaves: Infinity, minSamplesLeaf: 3, minChildWeight: 0, lambda: 0, minGain: 0, featuresPerSplit: 5, shrinkage: 1 };
    const ones = new Float64Array(600).fill(1);

    const oneHot = new Float64Array(600 * 3);
    data.direction.forEach((c, r) => (oneHot[r * 3 + c] = -1));
    const tree = new TreeLearner(binned, edges, 3).grow(oneHot, ones, rows, features, growth).tree;
    const forest = trainForest({ x: data.x, y: data.direction }, { task: 'classification', trees: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 5, minSamplesLeaf: 3 });
    expect(forest.model.trees).toHaveLength(1);
    expect(forest.model.trees[0]).toEqual(tree);
    // Leaves hold class shares.
    for (let leaf = 0; leaf < tree.leafCount.length; leaf++) {
      const shares = Array.from(tree.leafValue.subarray(3 * leaf, 3 * leaf + 3));
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }

    const target = Float64Array.from(data.signal, (s) => -s);
    const regressionTree = new TreeLearner(binned, edges, 1).grow(target, ones, rows, features, growth).tree;
    const regression = trainForest({ x: data.x, y: data.signal }, { task: 'regression', trees: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 5, minSamplesLeaf: 3 });
    expect(regression.model.trees[0]).toEqual(regressionTree);
  });

  it('classifies with class probabilities that sum to 1 and ranks noise features low', () => {
    const data = syntheticData({ rows: 4000, cols: 10, seed: 1 });
    const train = sliceRows(data.x, 0, 3000);
    const test = sliceRows(data.x, 3000, 4000);
    const { model } = trainForest({ x: train, y: data.binary.subarray(0, 3000) }, { task: 'classification', trees: 50, seed: 1 });
    const p = predict(model, test);
    for (let r = 0; r < 1000; r++) expect(p[2 * r]! + p[2 * r + 1]!).toBeCloseTo(1, 12);
    expect(accuracy(p, 2, data.binary.subarray(3000))).toBeGreaterThan(0.88);
    const { gain } = featureImportance(model);
    const ranked = Array.from(gain, (g, f) => [g, f] as const).sort((a, b) => b[0] - a[0]);
    expect(ranked.slice(0, 4).map(([, f]) => f).sort()).toEqual([0, 1, 2, 3]);
    for (let f = 4; f < 10; f++) expect(gain[f]).toBeLessThan(0.045);
  });

  it('classifies long / short / neutral and regresses the return', () => {
    const data = syntheticData({ rows: 4000, cols: 8, seed: 2, missing: 0.02 });
    const train = sliceRows(data.x, 0, 3000);
    const test = sliceRows(data.x, 3000, 4000);
    const classes = trainForest({ x: train, y: data.direction.subarray(0, 3000) }, { task: 'classification', trees: 40, seed: 2 }).model;
    expect(classes.numClasses).toBe(3);
    expect(accuracy(predict(classes, test), 3, data.direction.subarray(3000))).toBeGreaterThan(0.82);

    const values = trainForest({ x: train, y: data.signal.subarray(0, 3000) }, { task: 'regression', trees: 40, seed: 2 }).model;
    const p = predict(values, test);
    const y = data.signal.subarray(3000);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    let sse = 0;
    let sst = 0;
    y.forEach((v, i) => {
      sse += (p[i]! - v) ** 2;
      sst += (v - mean) ** 2;
    });
    expect(1 - sse / sst).toBeGreaterThan(0.75);
  });

  it('bags: each tree sees a bootstrap sample of the rows', () => {
    const data = syntheticData({ rows: 1000, cols: 4, seed: 3 });
    const { model } = trainForest({ x: data.x, y: data.binary }, { task: 'classification', trees: 5, maxDepth: 3, seed: 3 });
    for (const tree of model.trees) {
      expect(tree.leafCount.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(tree.count[0]).toBe(1000);
    }
    // Different samples grow different trees.
    expect(model.trees[0]!.leafValue).not.toEqual(model.trees[1]!.leafValue);
  });

  it('replays the same forest for a seed', () => {
    const data = syntheticData({ rows: 800, cols: 6, seed: 4, noise: 0.5 });
    const params = { task: 'classification' as const, trees: 10, seed: 9 };
    const a = modelToJsonText(trainForest({ x: data.x, y: data.binary }, params).model);
    expect(modelToJsonText(trainForest({ x: data.x, y: data.binary }, params).model)).toBe(a);
    expect(modelToJsonText(trainForest({ x: data.x, y: data.binary }, { ...params, seed: 10 }).model)).not.toBe(a);
  });

  it('reports progress per tree and stops when cancelled', () => {
    const data = syntheticData({ rows: 300, cols: 4, seed: 5 });
    const seen: number[] = [];
    expect(() => trainForest({ x: data.x, y: data.binary }, { task: 'classification', trees: 20 }, { onProgress: (done) => seen.push(done), isCancelled: () => seen.length === 4 })).toThrow(
      TrainingCancelled,
    );
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
