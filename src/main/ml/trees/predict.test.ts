import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { trainForest } from './forest';
import { trainGbdt } from './gbdt';
import { matrixFromRows } from './matrix';
import { outputWidth, scoreSlots, type TreeModel } from './model';
import { argmaxRows, predict, predictRaw } from './predict';
import { syntheticData } from './syntheticData';
import { leafOfRaw } from './tree';

/** The plain per-tree walk, summed: what the packed fixed-depth scorer must reproduce. */
function naiveRaw(model: TreeModel, values: Float64Array, rows: number, cols: number): Float64Array {
  const slots = scoreSlots(model);
  const out = new Float64Array(rows * slots);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < slots; s++) out[r * slots + s] = model.kind === 'gbdt' ? model.baseScore[s]! : 0;
    for (const tree of model.trees) {
      const leaf = leafOfRaw(tree, values, r * cols);
      for (let k = 0; k < tree.width; k++) out[r * slots + (tree.width === 1 ? tree.target : k)]! += tree.leafValue[leaf * tree.width + k]!;
    }
    if (model.kind === 'forest') for (let s = 0; s < slots; s++) out[r * slots + s]! /= model.trees.length;
  }
  return out;
}

/** Rows the training never saw: extremes, infinities, missing values in every feature. */
function awkwardRows(cols: number, count: number): Float64Array {
  const specials = [Number.NaN, Infinity, -Infinity, 1e300, -1e300, 0, -0, 5, -5];
  const values = new Float64Array(count * cols);
  for (let i = 0; i < values.length; i++) values[i] = i % 3 === 0 ? specials[(i * 7) % specials.length]! : Math.sin(i) * 3;
  return values;
}

describe('predict', () => {
  const data = syntheticData({ rows: 1500, cols: 6, seed: 3, noise: 0.3, missing: 0.1 });
  const models: Array<[string, TreeModel]> = [
    ['binary booster', trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 15, maxDepth: 5, maxLeaves: 12 }).model],
    ['multiclass booster', trainGbdt({ x: data.x, y: data.direction }, { objective: 'multiclass', rounds: 10, maxDepth: 4 }).model],
    ['regression booster', trainGbdt({ x: data.x, y: data.signal }, { objective: 'regression', rounds: 10 }).model],
    ['classification forest', trainForest({ x: data.x, y: data.direction }, { task: 'classification', trees: 8, maxDepth: 7 }).model],
    ['regression forest', trainForest({ x: data.x, y: data.signal }, { task: 'regression', trees: 8, maxDepth: 9, maxLeaves: 40 }).model],
  ];

  it.each(models)('the packed scorer of a %s equals walking each tree, on training and unseen rows', (_, model) => {
    const awkward = awkwardRows(6, 400);
    // Values exactly on the split thresholds (value <= threshold goes left).
    const thresholds = model.trees.flatMap((t) => Array.from(t.threshold));
    const onEdges = Float64Array.from({ length: 600 * 6 }, (_, i) => thresholds[(i * 13) % thresholds.length]!);
    for (const [values, rows] of [
      [data.x.values as Float64Array, data.x.rows],
      [awkward, 400],
      [onEdges, 600],
    ] as const) {
      const got = predictRaw(model, { values, rows, cols: 6 });
      const want = naiveRaw(model, values, rows, 6);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    }
  });

  it('maps booster scores to probabilities: logistic for two classes, softmax for more', () => {
    const [, binary] = models[0]!;
    const [, multi] = models[1]!;
    const x = { values: awkwardRows(6, 50), rows: 50, cols: 6 };
    const raw = predictRaw(binary, x);
    const p = predict(binary, x);
    expect(outputWidth(binary)).toBe(2);
    for (let r = 0; r < 50; r++) {
      expect(p[2 * r + 1]).toBeCloseTo(1 / (1 + Math.exp(-raw[r]!)), 14);
      expect(p[2 * r]! + p[2 * r + 1]!).toBeCloseTo(1, 14);
    }
    const rawMulti = predictRaw(multi, x);
    const pm = predict(multi, x);
    for (let r = 0; r < 50; r++) {
      const e = [0, 1, 2].map((k) => Math.exp(rawMulti[3 * r + k]!));
      const z = e[0]! + e[1]! + e[2]!;
      for (let k = 0; k < 3; k++) expect(pm[3 * r + k]).toBeCloseTo(e[k]! / z, 14);
    }
    expect(argmaxRows(Float64Array.of(0.2, 0.5, 0.3, 0.4, 0.4, 0.2), 3)).toEqual(Int32Array.of(1, 0));
  });

  it('scores Float32 rows like the same values in Float64', () => {
    const [, model] = models[1]!;
    const f32 = Float32Array.from(data.x.values);
    const a = predict(model, { values: f32, rows: data.x.rows, cols: 6 });
    const b = predict(model, { values: Float64Array.from(f32), rows: data.x.rows, cols: 6 });
    expect(a).toEqual(b);
  });

  it('fills a caller-supplied buffer and refuses rows of the wrong width', () => {
    const [, model] = models[3]!;
    const x = matrixFromRows([
      [0, 0, 0, 0, 0, 0],
      [1, -1, 2, Number.NaN, 0, 3],
    ]);
    const out = new Float64Array(6);
    expect(predict(model, x, out)).toBe(out);
    expect(out.subarray(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => predict(model, matrixFromRows([[1, 2, 3]]))).toThrow(KeelError);
    expect(() => predict(model, x, new Float64Array(5))).toThrow(/6 needed/);
    expect(predict(model, { values: new Float64Array(0), rows: 0, cols: 6 })).toHaveLength(0);
  });
});
