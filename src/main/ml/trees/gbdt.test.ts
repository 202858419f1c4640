import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { KeelError } from '../../../shared/errors';
import { trainGbdt, trainGbdtAsync } from './gbdt';
import { featureImportance } from './importance';
import type { Matrix } from './matrix';
import { argmaxRows, predict, predictRaw } from './predict';
import { modelToJsonText } from './serialize';
import { sliceRows, syntheticData } from './syntheticData';
import { TrainingCancelled } from './training';

function accuracy(probabilities: Float64Array, width: number, labels: ArrayLike<number>): number {
  const classes = argmaxRows(probabilities, width);
  let right = 0;
  for (let i = 0; i < classes.length; i++) if (classes[i] === labels[i]) right++;
  return right / classes.length;
}

function logLoss(probabilities: Float64Array, width: number, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(probabilities[i * width + labels[i]!]!);
  return sum / labels.length;
}

function split(data: ReturnType<typeof syntheticData>, trainRows: number) {
  const rows = data.x.rows;
  const part = (y: Float64Array) => ({ train: y.subarray(0, trainRows), test: y.subarray(trainRows, rows) });
  return {
    train: sliceRows(data.x, 0, trainRows),
    test: sliceRows(data.x, trainRows, rows),
    binary: part(data.binary),
    direction: part(data.direction),
    signal: part(data.signal),
  };
}

/** A matrix whose values take at most 40 distinct values per feature, so binning is exact. */
function coarseData(rows: number, cols: number, seed: number): { x: Matrix; y: Float64Array; labels: Float64Array } {
  const rng = new Prng(seed);
  const values = new Float64Array(rows * cols).map(() => Math.round(rng.normal() * 8) / 8);
  const y = new Float64Array(rows);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = values[r * cols]! * 2 - values[r * cols + 1]! + 0.5 * rng.normal();
    labels[r] = y[r]! > 0.3 ? 1 : 0;
  }
  return { x: { values, rows, cols }, y, labels };
}

/** The closed-form best stump: over every feature and every cut between consecutive distinct values, the one leaving the least squared error. */
function bestStump(x: Matrix, y: ArrayLike<number>): { feature: number; threshold: number; below: number; above: number; left: number; right: number } {
  let best = { sse: Infinity, feature: -1, threshold: 0, below: 0, above: 0, left: 0, right: 0 };
  for (let f = 0; f < x.cols; f++) {
    const distinct = [...new Set(Array.from({ length: x.rows }, (_, r) => x.values[r * x.cols + f]!))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < distinct.length; i++) {
      const threshold = (distinct[i]! + distinct[i + 1]!) / 2;
      let nl = 0;
      let sl = 0;
      let ql = 0;
      let nr = 0;
      let sr = 0;
      let qr = 0;
      for (let r = 0; r < x.rows; r++) {
        const v = y[r]!;
        if (x.values[r * x.cols + f]! <= threshold) {
          nl++;
          sl += v;
          ql += v * v;
        } else {
          nr++;
          sr += v;
          qr += v * v;
        }
      }
      const sse = ql - (sl * sl) / nl + (qr - (sr * sr) / nr);
      if (sse < best.sse - 1e-9) best = { sse, feature: f, threshold, below: distinct[i]!, above: distinct[i + 1]!, left: sl / nl, right: sr / nr };
    }
  }
  return best;
}

describe('gradient-boosted trees: exact small cases', () => {
  it('one round of depth 1 on squared error is the closed-form best stump', () => {
    for (const seed of [1, 2, 3]) {
      const { x, y } = coarseData(400, 4, seed);
      const { model } = trainGbdt({ x, y }, { objective: 'regression', rounds: 1, learningRate: 1, maxDepth: 1, lambda: 0, minSamplesLeaf: 1, minChildWeight: 0 });
      const stump = bestStump(x, y);
      expect(model.trees).toHaveLength(1);
      expect(model.trees[0]!.feature[0]).toBe(stump.feature);
      // The same cut: between the same two neighbouring values.
      expect(model.trees[0]!.threshold[0]).toBeGreaterThanOrEqual(stump.below);
      expect(model.trees[0]!.threshold[0]).toBeLessThan(stump.above);
      const predicted = predict(model, x);
      for (let r = 0; r < x.rows; r++) {
        const want = x.values[r * x.cols + stump.feature]! <= stump.threshold ? stump.left : stump.right;
        expect(predicted[r]).toBeCloseTo(want, 10);
      }
    }
  });

  it('one round of depth 1 on log loss is the best stump with Newton-step leaves', () => {
    const { x, labels } = coarseData(400, 4, 7);
    const lambda = 2;
    const { model } = trainGbdt({ x, y: labels }, { objective: 'binary', rounds: 1, learningRate: 0.5, maxDepth: 1, lambda, minSamplesLeaf: 1, minChildWeight: 0 });
    const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
    const base = Math.log(mean / (1 - mean));
    // Every row starts at p = mean, so the hessian is the same for all rows and the best split is the squared-error stump on the labels.
    const stump = bestStump(x, labels);
    expect(model.trees[0]!.feature[0]).toBe(stump.feature);
    const raw = predictRaw(model, x);
    for (const side of [true, false]) {
      const rows = Array.from({ length: x.rows }, (_, r) => r).filter((r) => (x.values[r * x.cols + stump.feature]! <= stump.threshold) === side);
      const g = rows.reduce((s, r) => s + mean - labels[r]!, 0);
      const h = rows.length * mean * (1 - mean);
      for (const r of rows) expect(raw[r]).toBeCloseTo(base - (0.5 * g) / (h + lambda), 12);
    }
  });

  it('scores training rows from raw values exactly as it scored their bins while training', () => {
    const data = syntheticData({ rows: 1500, cols: 6, seed: 4, noise: 0.5, missing: 0.05 });
    const { model, log } = trainGbdt({ x: data.x, y: data.direction }, { objective: 'multiclass', rounds: 20, maxDepth: 4 });
    expect(logLoss(predict(model, data.x), 3, data.direction)).toBeCloseTo(log.trainLoss.at(-1)!, 12);
  });
});

describe('gradient-boosted trees: learning', () => {
  it('separates separable binary data and ranks noise features low', () => {
    const s = split(syntheticData({ rows: 4000, cols: 10, seed: 1 }), 3000);
    const { model, log } = trainGbdt({ x: s.train, y: s.binary.train }, { objective: 'binary', rounds: 150, learningRate: 0.2 });
    expect(accuracy(predict(model, s.test), 2, s.binary.test)).toBeGreaterThan(0.94);
    expect(log.trainLoss.at(-1)!).toBeLessThan(log.trainLoss[0]!);
    const { gain } = featureImportance(model);
    expect(gain.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const ranked = Array.from(gain, (g, f) => [g, f] as const).sort((a, b) => b[0] - a[0]);
    expect(ranked.slice(0, 4).map(([, f]) => f).sort()).toEqual([0, 1, 2, 3]);
    for (let f = 4; f < 10; f++) expect(gain[f]).toBeLessThan(0.03);
  });

  it('learns long / short / neutral with probabilities that sum to 1', () => {
    const s = split(syntheticData({ rows: 4000, cols: 8, seed: 2, missing: 0.02 }), 3000);
    const { model } = trainGbdt({ x: s.train, y: s.direction.train, classNames: ['long', 'short', 'neutral'] }, { objective: 'multiclass', numClasses: 3, rounds: 100, learningRate: 0.2 });
    const p = predict(model, s.test);
    expect(p).toHaveLength(1000 * 3);
    for (let r = 0; r < 1000; r++) {
      const row = [p[3 * r]!, p[3 * r + 1]!, p[3 * r + 2]!];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const v of row) expect(v >= 0 && v <= 1).toBe(true);
    }
    expect(accuracy(p, 3, s.direction.test)).toBeGreaterThan(0.88);
    expect(model.classNames).toEqual(['long', 'short', 'neutral']);
  });

  it('regresses the return itself', () => {
    const s = split(syntheticData({ rows: 4000, cols: 8, seed: 3 }), 3000);
    const { model } = trainGbdt({ x: s.train, y: s.signal.train }, { objective: 'regression', rounds: 200, learningRate: 0.1 });
    const p = predict(model, s.test);
    const y = s.signal.test;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < y.length; i++) {
      sse += (p[i]! - y[i]!) ** 2;
      sst += (y[i]! - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.9);
  });

  it('learns from missingness itself', () => {
    const data = syntheticData({ rows: 3000, cols: 4, seed: 5, missing: 0.3 });
    const y = Float64Array.from({ length: 3000 }, (_, r) => (Number.isNaN(data.x.values[r * 4 + 2]!) ? 1 : 0));
    const { model } = trainGbdt({ x: data.x, y }, { objective: 'binary', rounds: 10, maxDepth: 2 });
    expect(accuracy(predict(model, data.x), 2, y)).toBe(1);
  });

  it('replays the same model for a seed, with row and feature subsampling', () => {
    const data = syntheticData({ rows: 1500, cols: 10, seed: 6, noise: 0.5 });
    const params = { objective: 'binary' as const, rounds: 30, subsample: 0.7, featureFraction: 0.6, seed: 42 };
    const a = modelToJsonText(trainGbdt({ x: data.x, y: data.binary }, params).model);
    expect(modelToJsonText(trainGbdt({ x: data.x, y: data.binary }, params).model)).toBe(a);
    expect(modelToJsonText(trainGbdt({ x: data.x, y: data.binary }, { ...params, seed: 43 }).model)).not.toBe(a);
  });
});

describe('gradient-boosted trees: early stopping, progress and cancel', () => {
  it('stops when the validation loss stops improving and keeps the best round', () => {
    const s = split(syntheticData({ rows: 3000, cols: 6, seed: 7, noise: 1.5 }), 2000);
    const { model, log } = trainGbdt(
      { x: s.train, y: s.binary.train, validation: { x: s.test, y: s.binary.test } },
      { objective: 'binary', rounds: 500, learningRate: 0.3, maxDepth: 6, earlyStoppingRounds: 10 },
    );
    expect(log.stoppedEarly).toBe(true);
    const best = log.validLoss.indexOf(Math.min(...log.validLoss));
    expect(log.roundsKept).toBe(best + 1);
    expect(log.validLoss).toHaveLength(best + 1 + 10);
    expect(model.trees).toHaveLength(best + 1);
    // The kept model scores the validation rows at the best round's loss.
    expect(logLoss(predict(model, s.test), 2, s.binary.test)).toBeCloseTo(log.validLoss[best]!, 10);
  });

  it('reports progress every round and stops when cancelled', () => {
    const data = syntheticData({ rows: 500, cols: 4, seed: 8 });
    const seen: Array<[number, number]> = [];
    expect(() =>
      trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 50 }, { onProgress: (done, total) => seen.push([done, total]), isCancelled: () => seen.length >= 3 }),
    ).toThrow(TrainingCancelled);
    expect(seen).toEqual([
      [1, 50],
      [2, 50],
      [3, 50],
    ]);
    const all: number[] = [];
    trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 5 }, { onProgress: (done) => all.push(done) });
    expect(all).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads done = total at the end of an early-stopped run', () => {
    const s = split(syntheticData({ rows: 1000, cols: 4, seed: 9, noise: 2 }), 700);
    let last: [number, number] = [0, 0];
    const { log } = trainGbdt(
      { x: s.train, y: s.binary.train, validation: { x: s.test, y: s.binary.test } },
      { objective: 'binary', rounds: 400, learningRate: 0.5, earlyStoppingRounds: 5 },
      { onProgress: (done, total) => (last = [done, total]) },
    );
    expect(log.stoppedEarly).toBe(true);
    expect(last[0]).toBe(last[1]);
    expect(last[0]).toBe(log.validLoss.length);
  });

  it('lets the event loop in while training asynchronously, so a cancel message can stop it', async () => {
    const data = syntheticData({ rows: 500, cols: 4, seed: 10 });
    let cancelled = false;
    let rounds = 0;
    setImmediate(() => (cancelled = true));
    await expect(
      trainGbdtAsync({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 1000 }, { isCancelled: () => cancelled, onProgress: (done) => (rounds = done), yieldEveryMs: 0 }),
    ).rejects.toBeInstanceOf(TrainingCancelled);
    expect(rounds).toBeLessThan(5);
    const sync = trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 5 });
    const async = await trainGbdtAsync({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 5 });
    expect(modelToJsonText(async.model)).toBe(modelToJsonText(sync.model));
  });

  it('refuses labels outside the task, early stopping without a validation set and bad parameters', () => {
    const data = syntheticData({ rows: 50, cols: 4, seed: 11 });
    const refused = (f: () => unknown, pattern: RegExp) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(KeelError);
        expect((error as KeelError).code).toBe('VALIDATION_FAILED');
        expect((error as KeelError).message).toMatch(pattern);
        return;
      }
      throw new Error('expected a refusal');
    };
    refused(() => trainGbdt({ x: data.x, y: data.direction }, { objective: 'binary' }), /row \d+ has 2/);
    refused(() => trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', earlyStoppingRounds: 5 }), /validation set/);
    refused(() => trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 0 }), /rounds/);
    refused(() => trainGbdt({ x: data.x, y: data.binary.subarray(1) }, { objective: 'binary' }), /49 labels for 50 rows/);
  });
});
