import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { trainForest } from './forest';
import { trainGbdt } from './gbdt';
import { featureImportance, rankedImportance } from './importance';
import { modelTransferables, type TreeModel } from './model';
import { predict } from './predict';
import { modelFromJson, modelFromJsonText, modelToJson, modelToJsonText, type TreeModelJson } from './serialize';
import { modelStats } from './stats';
import { syntheticData } from './syntheticData';

const data = syntheticData({ rows: 1200, cols: 5, seed: 8, noise: 0.3, missing: 0.1 });
const names = ['ret1', 'ret5', 'vol', 'rsi', 'hour'];
const models: Array<[string, TreeModel]> = [
  ['binary booster', trainGbdt({ x: data.x, y: data.binary, featureNames: names }, { objective: 'binary', rounds: 12 }).model],
  ['multiclass booster', trainGbdt({ x: data.x, y: data.direction, classNames: ['long', 'short', 'neutral'] }, { objective: 'multiclass', rounds: 8 }).model],
  ['regression booster', trainGbdt({ x: data.x, y: data.signal }, { objective: 'regression', rounds: 8 }).model],
  ['classification forest', trainForest({ x: data.x, y: data.direction }, { task: 'classification', trees: 6, maxDepth: 6 }).model],
  ['regression forest', trainForest({ x: data.x, y: data.signal }, { task: 'regression', trees: 6, maxDepth: 6 }).model],
];

function refusal(value: unknown): string {
  try {
    modelFromJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('VALIDATION_FAILED');
    return (error as KeelError).message;
  }
  throw new Error('the model was accepted');
}

describe('model JSON', () => {
  it.each(models)('a %s round-trips to identical predictions and identical text', (_, model) => {
    const text = modelToJsonText(model);
    const back = modelFromJsonText(text);
    expect(predict(back, data.x)).toEqual(predict(model, data.x));
    expect(modelToJsonText(back)).toBe(text);
    expect(back).toEqual(model);
    expect(JSON.parse(text)).toMatchObject({ format: 'keel.trees', version: 1, kind: model.kind, task: model.task });
  });

  it('keeps infinite thresholds (a split of missing against every value)', () => {
    const rows = 400;
    const values = new Float64Array(rows * 2);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const missing = r % 4 === 0;
      values[2 * r] = missing ? Number.NaN : 1; // a constant feature except where missing
      values[2 * r + 1] = (r * 37) % 11;
      y[r] = missing ? 1 : 0;
    }
    const { model } = trainGbdt({ x: { values, rows, cols: 2 }, y }, { objective: 'binary', rounds: 2, maxDepth: 1 });
    expect(model.trees[0]!.threshold[0]).toBe(Infinity);
    const text = modelToJsonText(model);
    expect(text).toContain('"Infinity"');
    expect(predict(modelFromJsonText(text), { values, rows, cols: 2 })).toEqual(predict(model, { values, rows, cols: 2 }));
  });

  it('refuses other formats, versions and damaged trees', () => {
    const good = (): TreeModelJson => modelToJson(models[0]![1]);
    const tree = (json: TreeModelJson) => json.trees[1]!;
    expect(refusal({ ...good(), format: 'other' })).toMatch(/format/);
    expect(refusal({ ...good(), version: 2 })).toMatch(/version/);
    expect(refusal('{')).toMatch(/Not a valid tree model/);
    expect(() => modelFromJsonText('{')).toThrow(KeelError);

    let json = good();
    tree(json).left[2] = 1; // a node pointing back at an earlier node: a walk could loop
    expect(refusal(json)).toMatch(/trees\.1: node 2 points at node 1/);

    json = good();
    tree(json).right[0] = tree(json).left[0]!; // two parents for one child
    expect(refusal(json)).toMatch(/two parents/);

    json = good();
    tree(json).feature[0] = 5;
    expect(refusal(json)).toMatch(/feature 5, the model has 5/);

    json = good();
    tree(json).leafValue.pop();
    expect(refusal(json)).toMatch(/leafValue/);

    json = good();
    tree(json).threshold[0] = 'NaN' as unknown as number;
    expect(refusal(json)).toMatch(/threshold/);

    json = good();
    json.baseScore = [0, 0];
    expect(refusal(json)).toMatch(/base scores/);

    json = good();
    json.featureNames = ['a'];
    expect(refusal(json)).toMatch(/feature names/);

    json = good();
    tree(json).width = 2;
    expect(refusal(json)).toMatch(/leaf width/);
  });
});

describe('model facts', () => {
  it('counts trees, nodes, leaves, depth and bytes', () => {
    const [, model] = models[3]!;
    const stats = modelStats(model);
    expect(stats.trees).toBe(6);
    expect(stats.leaves).toBe(stats.internalNodes + stats.trees);
    expect(stats.maxDepth).toBeLessThanOrEqual(6);
    expect(stats.maxDepth).toBeGreaterThan(0);
    expect(stats.meanDepth).toBeLessThanOrEqual(stats.maxDepth);
    expect(stats.jsonBytes).toBe(modelToJsonText(model).length);
    expect(stats.memoryBytes).toBeGreaterThan(stats.internalNodes * 20);
  });

  it('normalises gain importance and names the ranking', () => {
    const [, model] = models[0]!;
    const imp = featureImportance(model);
    expect(imp.gain.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp.splits.reduce((a, b) => a + b, 0)).toBe(model.trees.reduce((n, t) => n + t.feature.length, 0));
    const ranked = rankedImportance(model);
    expect(ranked.map((r) => r.name).sort()).toEqual([...names].sort());
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.gain).toBeGreaterThanOrEqual(ranked[i]!.gain);
    const empty = featureImportance({ ...model, trees: [] });
    expect(Array.from(empty.gain)).toEqual([0, 0, 0, 0, 0]);
  });

  it('moves to another thread by transfer and scores the same there', () => {
    const [, model] = models[1]!;
    const before = predict(model, data.x);
    const copy = modelFromJson(modelToJson(model));
    const moved = structuredClone(copy, { transfer: modelTransferables(copy) });
    expect(copy.trees[0]!.leafValue.length).toBe(0); // the sender's buffers are detached
    expect(predict(moved, data.x)).toEqual(before);
  });
});
