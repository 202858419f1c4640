import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { OnlineLogisticRegression } from './onlineLogistic';

interface Dataset {
  x: number[][];
  y: number[];
}

/** Rows with deliberately unstandardised columns (means and scales far from 0 and 1), labelled by a known softmax / sigmoid model. */
function dataset(seed: number, n: number, classes: number): Dataset {
  const rng = new Prng(seed);
  const centre = [5, -3, 0.5];
  const scale = [3, 0.2, 10];
  const truth = classes === 2 ? [[1.5, -2, 0.5]] : [[1.5, -1, 0], [-1, 1.2, 0.8], [0, 0, -0.6]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = centre.map(() => rng.normal());
    x.push(z.map((v, j) => (centre[j] as number) + (scale[j] as number) * v));
    const scores = truth.map((w) => w.reduce((s, wj, j) => s + wj * (z[j] as number), 0));
    const r = rng.next();
    if (classes === 2) y.push(r < 1 / (1 + Math.exp(-(scores[0] as number))) ? 1 : 0);
    else {
      const e = scores.map(Math.exp);
      const total = e.reduce((a, b) => a + b, 0);
      let acc = 0;
      let label = classes - 1;
      for (let k = 0; k < classes; k++) {
        acc += (e[k] as number) / total;
        if (r < acc) {
          label = k;
          break;
        }
      }
      y.push(label);
    }
  }
  return { x, y };
}

/** Columns standardised with the population mean and sd: the space the online model ends up working in. */
function standardise(x: number[][]): number[][] {
  const d = (x[0] as number[]).length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + (r[j] as number), 0) / x.length);
  const sd = mean.map((m, j) => Math.sqrt(x.reduce((s, r) => s + ((r[j] as number) - m) ** 2, 0) / x.length));
  return x.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number)));
}

/** Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * out[k]!;
    out[r] = s / m[r]![r]!;
  }
  return out;
}

/**
 * The batch optimum of mean softmax log loss + l2/2 |W|^2 (intercepts unpenalised) by Newton's method.
 * `rows` = 1 is the binary sigmoid model (class 1's row). Parameters are laid out per row as [w_1..w_d, b].
 * Softmax intercepts are only defined up to a common constant (SGD keeps their sum at 0); a 1e-9 ridge picks that solution.
 */
function newton(z: number[][], y: number[], rows: number, l2: number): { weights: number[][]; bias: number[] } {
  const n = z.length;
  const d = (z[0] as number[]).length;
  const p = d + 1;
  const theta = new Array<number>(rows * p).fill(0);
  const binary = rows === 1;
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(rows * p).fill(0);
    const hess = Array.from({ length: rows * p }, () => new Array<number>(rows * p).fill(0));
    for (let i = 0; i < n; i++) {
      const u = [...(z[i] as number[]), 1];
      const s = Array.from({ length: rows }, (_, r) => u.reduce((acc, v, j) => acc + v * (theta[r * p + j] as number), 0));
      let prob: number[];
      if (binary) prob = [1 / (1 + Math.exp(-(s[0] as number)))];
      else {
        const max = Math.max(...s);
        const e = s.map((v) => Math.exp(v - max));
        const total = e.reduce((a, b) => a + b, 0);
        prob = e.map((v) => v / total);
      }
      for (let r = 0; r < rows; r++) {
        const target = binary ? (y[i] as number) : y[i] === r ? 1 : 0;
        const err = (prob[r] as number) - target;
        for (let j = 0; j < p; j++) grad[r * p + j]! += (err * (u[j] as number)) / n;
        for (let q = 0; q < rows; q++) {
          const curvature = binary ? prob[0]! * (1 - prob[0]!) : prob[r]! * ((r === q ? 1 : 0) - prob[q]!);
          for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) hess[r * p + j]![q * p + k]! += (curvature * u[j]! * u[k]!) / n;
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < p; j++) {
        const idx = r * p + j;
        const penalty = j < d ? l2 : binary ? 0 : 1e-9;
        grad[idx]! += penalty * theta[idx]!;
        hess[idx]![idx]! += penalty;
      }
    }
    const step = solve(hess, grad);
    for (let i = 0; i < theta.length; i++) theta[i]! -= step[i]!;
    if (Math.max(...step.map(Math.abs)) < 1e-13) break;
  }
  return {
    weights: Array.from({ length: rows }, (_, r) => theta.slice(r * p, r * p + d)),
    bias: Array.from({ length: rows }, (_, r) => theta[r * p + d] as number),
  };
}

/** Many seeded-shuffled passes of the online learner with a decaying step and no floor. */
function trainOnline(data: Dataset, classes: number, l2: number, passes: number): OnlineLogisticRegression {
  const model = new OnlineLogisticRegression({ features: 3, classes, l2, learningRate: 0.5, decay: 0.5 * l2, minLearningRate: 0 });
  const rng = new Prng(17);
  const order = data.x.map((_, i) => i);
  for (let pass = 0; pass < passes; pass++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) model.learn(data.x[i] as number[], data.y[i] as number);
  }
  return model;
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, r) => row.map((v, j) => Math.abs(v - (b[r]![j] as number)))));
}

describe('online logistic regression against the batch closed form', () => {
  const l2 = 0.05;

  it('binary: many passes converge to the Newton solution of the L2-regularised batch problem', () => {
    const data = dataset(1, 300, 2);
    const exact = newton(standardise(data.x), data.y, 1, l2);
    const fitted = trainOnline(data, 2, l2, 300).coefficients();
    expect(maxAbsDiff(fitted.weights, exact.weights)).toBeLessThan(5e-4);
    expect(Math.abs(fitted.bias[0]! - exact.bias[0]!)).toBeLessThan(5e-4);
    // The target itself is not trivial: the penalty visibly shrinks it.
    expect(Math.abs(exact.weights[0]![1]!)).toBeGreaterThan(0.3);
  });

  it('multinomial (3 classes): converges to the Newton softmax solution, probabilities included', () => {
    const data = dataset(2, 300, 3);
    const z = standardise(data.x);
    const exact = newton(z, data.y, 3, l2);
    const model = trainOnline(data, 3, l2, 300);
    const fitted = model.coefficients();
    expect(maxAbsDiff(fitted.weights, exact.weights)).toBeLessThan(5e-4);
    expect(maxAbsDiff([fitted.bias], [exact.bias])).toBeLessThan(5e-4);
    for (const i of [0, 50, 299]) {
      const p = model.predictProba(data.x[i] as number[]);
      const s = exact.weights.map((w, k) => w.reduce((acc, wj, j) => acc + wj * z[i]![j]!, exact.bias[k]!));
      const e = s.map(Math.exp);
      const total = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => expect(p[k]).toBeCloseTo(v / total, 3));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('learns a linearly separable problem perfectly, with confident probabilities away from the boundary', () => {
    const rng = new Prng(4);
    const model = new OnlineLogisticRegression({ features: 2, classes: 2 });
    const rows = Array.from({ length: 400 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)] as [number, number]);
    const label = (r: [number, number]) => (r[0] + 0.5 * r[1] > 0.1 ? 1 : 0);
    for (let pass = 0; pass < 20; pass++) for (const r of rows) model.learn(r, label(r));
    expect(rows.filter((r) => Math.abs(r[0] + 0.5 * r[1] - 0.1) > 0.05).every((r) => model.predict(r) === label(r))).toBe(true);
    expect(model.predictProba([0.9, 0.9])[1]).toBeGreaterThan(0.95);
    expect(model.predictProba([-0.9, -0.9])[0]).toBeGreaterThan(0.95);
  });

  it('keeps adapting with a step floor: after the concept flips, it follows', () => {
    const model = new OnlineLogisticRegression({ features: 1, classes: 2, learningRate: 0.1, minLearningRate: 0.05 });
    const rng = new Prng(9);
    for (let i = 0; i < 2000; i++) {
      const x = rng.normal();
      model.learn([x], x > 0 ? 1 : 0);
    }
    expect(model.predict([1])).toBe(1);
    for (let i = 0; i < 2000; i++) {
      const x = rng.normal();
      model.learn([x], x > 0 ? 0 : 1);
    }
    expect(model.predict([1])).toBe(0);
    expect(model.learningRateAt(1e9)).toBe(0.05);
  });
});

describe('online logistic regression state', () => {
  it('restores from JSON to a model that predicts and keeps learning bit for bit like the original', () => {
    const data = dataset(3, 200, 3);
    const model = trainOnline({ x: data.x.slice(0, 150), y: data.y.slice(0, 150) }, 3, 0.01, 2);
    const restored = OnlineLogisticRegression.fromJSON(JSON.parse(JSON.stringify(model)));
    for (let i = 150; i < 200; i++) {
      expect(Array.from(restored.predictProba(data.x[i]!))).toEqual(Array.from(model.predictProba(data.x[i]!)));
      model.learn(data.x[i]!, data.y[i]!);
      restored.learn(data.x[i]!, data.y[i]!);
    }
    expect(restored.toJSON()).toEqual(model.toJSON());
    expect(restored.updates).toBe(model.updates);
  });

  it('refuses states that do not fit together', () => {
    const state = new OnlineLogisticRegression({ features: 3, classes: 3 }).toJSON();
    expect(() => OnlineLogisticRegression.fromJSON({ ...state, weights: state.weights.slice(1) })).toThrow(/weights must be 3 x 3/);
    expect(() => OnlineLogisticRegression.fromJSON({ ...state, bias: [0] })).toThrow(/bias/);
    expect(() => OnlineLogisticRegression.fromJSON({ ...state, scaler: { ...state.scaler, mean: [0] } })).toThrow(/scaler/);
    expect(() => OnlineLogisticRegression.fromJSON({ ...state, format: 'other' })).toThrow();
    expect(() => OnlineLogisticRegression.fromJSON({ ...state, weights: [[0, 0, null], [0, 0, 0], [0, 0, 0]] })).toThrow();
    expect(() => OnlineLogisticRegression.fromJSON('nonsense')).toThrow();
  });

  it('refuses warm-up rows, wrong widths and labels out of range', () => {
    const model = new OnlineLogisticRegression({ features: 2, classes: 3 });
    expect(() => model.learn([1, Number.NaN], 0)).toThrow(/only ready rows/);
    expect(() => model.predictProba([1])).toThrow(/expected 2 features/);
    expect(() => model.learn([1, 2], 3)).toThrow(/label/);
    expect(() => new OnlineLogisticRegression({ features: 2, classes: 1 })).toThrow();
  });
});
