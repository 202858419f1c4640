import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { applyBins, fitBinEdges, MISSING_BIN, type BinEdges, type BinnedMatrix } from './binning';
import { findBestSplit, type SplitRules } from './split';
import { buildHistogram, histogramLength, subtractHistogram } from './histogram';
import { leafOfBinned } from './tree';
import { TreeLearner, type GrowthParams } from './treeLearner';
import { syntheticData } from './syntheticData';

// ---- A brute-force reference: every feature, every threshold bin, both missing directions, sums taken row by row. ----

interface Problem {
  edges: BinEdges;
  binned: BinnedMatrix;
  grad: Float64Array;
  hess: Float64Array;
  outputs: number;
}

interface RefSplit {
  feature: number;
  gain: number;
  left: number[];
  right: number[];
}

const bin = (p: Problem, row: number, f: number) => p.binned.bins[row * p.binned.stride + f]!;

function sums(p: Problem, rows: number[]) {
  const g = new Float64Array(p.outputs);
  let h = 0;
  for (const r of rows) {
    for (let k = 0; k < p.outputs; k++) g[k]! += p.grad[r * p.outputs + k]!;
    h += p.hess[r]!;
  }
  return { g, h, c: rows.length };
}

function score(g: Float64Array, h: number, lambda: number): number {
  let s = 0;
  for (const gk of g) s += (gk * gk) / (h + lambda);
  return s;
}

function referenceSplit(p: Problem, rows: number[], features: number[], rules: SplitRules): RefSplit | null {
  const total = sums(p, rows);
  const parent = score(total.g, total.h, rules.lambda);
  let best: RefSplit | null = null;
  let bestGain = rules.minGain;
  for (const f of features) {
    for (let t = 0; t < p.binned.numBins[f]!; t++) {
      for (const missingLeft of [false, true]) {
        const left = rows.filter((r) => (bin(p, r, f) === MISSING_BIN ? missingLeft : bin(p, r, f) <= t));
        const right = rows.filter((r) => !left.includes(r));
        const l = sums(p, left);
        const rr = sums(p, right);
        if (l.c < rules.minSamplesLeaf || rr.c < rules.minSamplesLeaf) continue;
        if (l.h < rules.minChildWeight || rr.h < rules.minChildWeight) continue;
        const gain = 0.5 * (score(l.g, l.h, rules.lambda) + score(rr.g, rr.h, rules.lambda) - parent);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, gain, left, right };
        }
      }
    }
  }
  return best;
}

/** The reference tree: per row, its leaf's values. Depth-first, or best-first up to maxLeaves. */
function referenceTree(p: Problem, rows: number[], features: number[], params: GrowthParams): { perRow: Map<number, number[]>; gains: number[] } {
  interface Open {
    rows: number[];
    depth: number;
    split: RefSplit | null;
  }
  const perRow = new Map<number, number[]>();
  const gains: number[] = [];
  const evaluate = (rows: number[], depth: number): Open => ({
    rows,
    depth,
    split: depth < params.maxDepth && rows.length >= 2 * params.minSamplesLeaf ? referenceSplit(p, rows, features, params) : null,
  });
  const close = (leaf: Open) => {
    const s = sums(p, leaf.rows);
    const values = Array.from(s.g, (g) => (params.shrinkage * -g) / (s.h + params.lambda));
    for (const r of leaf.rows) perRow.set(r, values);
  };
  const open: Open[] = [];
  const root = evaluate(rows, 0);
  if (root.split) open.push(root);
  else close(root);
  let leaves = 1;
  while (open.length > 0 && leaves < params.maxLeaves) {
    let pick = 0;
    for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[pick]!.split!.gain) pick = i;
    const leaf = open.splice(pick, 1)[0]!;
    gains.push(leaf.split!.gain);
    leaves++;
    for (const part of [leaf.split!.left, leaf.split!.right]) {
      const child = leaves < params.maxLeaves ? evaluate(part, leaf.depth + 1) : { rows: part, depth: leaf.depth + 1, split: null };
      if (child.split) open.push(child);
      else close(child);
    }
  }
  for (const leaf of open) close(leaf);
  return { perRow, gains: gains.sort((a, b) => a - b) };
}

// ---- Problems ----

function problem(seed: number, outputs: number, options: { rows?: number; cols?: number; maxBins?: number; missing?: number } = {}): Problem {
  const rows = options.rows ?? 240;
  const data = syntheticData({ rows, cols: options.cols ?? 5, seed, noise: 0.3, missing: options.missing ?? 0.1 });
  const edges = fitBinEdges(data.x, { maxBins: options.maxBins ?? 12 });
  const binned = applyBins(data.x, edges);
  const rng = new Prng(seed + 100);
  const grad = new Float64Array(rows * outputs);
  const hess = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    // Gradients that depend on the signal, so some splits are clearly better than others.
    for (let k = 0; k < outputs; k++) grad[r * outputs + k] = (k % 2 === 0 ? -1 : 1) * data.signal[r]! * (1 + k) + 0.2 * rng.normal();
    hess[r] = 0.1 + rng.next();
  }
  return { edges, binned, grad, hess, outputs };
}

const rules: SplitRules = { lambda: 0.5, minSamplesLeaf: 5, minChildWeight: 0.5, minGain: 0 };

function histogramOf(p: Problem, rows: number[], features: Int32Array): Float64Array {
  const hist = new Float64Array(histogramLength(p.binned.stride, p.outputs));
  buildHistogram(hist, p.binned, p.grad, p.hess, p.outputs, Uint32Array.from(rows), 0, rows.length, features);
  return hist;
}

function expectSameSplit(p: Problem, rows: number[], features: number[], r: SplitRules): void {
  const ref = referenceSplit(p, rows, features, r);
  const total = sums(p, rows);
  const split = findBestSplit(histogramOf(p, rows, Int32Array.from(features)), p.outputs, p.binned.numBins, features, { grad: total.g, hess: total.h, count: total.c }, r);
  expect(ref).not.toBeNull();
  expect(split).not.toBeNull();
  expect(split!.feature).toBe(ref!.feature);
  expect(split!.gain).toBeCloseTo(ref!.gain, 9);
  const left = rows.filter((row) => {
    const b = bin(p, row, split!.feature);
    return b === MISSING_BIN ? split!.missingLeft : b <= split!.bin;
  });
  // The same partition (a "missing alone" split may be written with its sides swapped).
  const sides = [left.join(), rows.filter((row) => !left.includes(row)).join()].sort();
  expect(sides).toEqual([ref!.left.join(), ref!.right.join()].sort());
}

describe('best split from a histogram', () => {
  it('matches the exhaustive search: feature, rows on each side and gain, with missing values', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = problem(seed, 1);
      const all = Array.from({ length: p.binned.rows }, (_, i) => i);
      expectSameSplit(p, all, [0, 1, 2, 3, 4], rules);
      expectSameSplit(p, all, [1, 2, 4], { ...rules, lambda: 0, minSamplesLeaf: 1, minChildWeight: 0 });
      // A node's subset of rows, with repeats (a bootstrap sample).
      const rng = new Prng(seed);
      const subset = Array.from({ length: 150 }, () => rng.int(p.binned.rows)).sort((a, b) => a - b);
      expectSameSplit(p, subset, [0, 1, 2, 3, 4], { ...rules, minSamplesLeaf: 20 });
    }
  });

  it('matches the exhaustive search with several outputs (a classification forest)', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const p = problem(seed, 3);
      expectSameSplit(p, Array.from({ length: p.binned.rows }, (_, i) => i), [0, 1, 2, 3, 4], rules);
    }
  });

  it('honours min samples, min child weight and min gain', () => {
    const p = problem(3, 1);
    const all = Array.from({ length: p.binned.rows }, (_, i) => i);
    const total = sums(p, all);
    const hist = histogramOf(p, all, Int32Array.from([0, 1, 2, 3, 4]));
    const at = (r: SplitRules) => findBestSplit(hist, 1, p.binned.numBins, [0, 1, 2, 3, 4], { grad: total.g, hess: total.h, count: total.c }, r);
    const free = at(rules)!;
    expect(at({ ...rules, minGain: free.gain })).toBeNull();
    expect(at({ ...rules, minGain: free.gain * 0.999 })!.gain).toBe(free.gain);
    const half = at({ ...rules, minSamplesLeaf: p.binned.rows / 2 });
    if (half !== null) expect(half.left.count).toBe(p.binned.rows / 2);
    expect(at({ ...rules, minSamplesLeaf: p.binned.rows / 2 + 1 })).toBeNull();
    expect(at({ ...rules, minChildWeight: total.h })).toBeNull();
  });

  it('sends missing values to the larger side when the node has none', () => {
    const p = problem(4, 1, { missing: 0 });
    const all = Array.from({ length: p.binned.rows }, (_, i) => i);
    const total = sums(p, all);
    const split = findBestSplit(histogramOf(p, all, Int32Array.from([0])), 1, p.binned.numBins, [0], { grad: total.g, hess: total.h, count: total.c }, rules)!;
    expect(split.missingLeft).toBe(split.left.count >= p.binned.rows - split.left.count);
  });

  it('takes the sibling histogram as parent minus child', () => {
    const p = problem(5, 1);
    const features = Int32Array.from([0, 2, 3]);
    const all = Array.from({ length: p.binned.rows }, (_, i) => i);
    const left = all.filter((r) => bin(p, r, 0) <= 4);
    const right = all.filter((r) => bin(p, r, 0) > 4);
    const parent = histogramOf(p, all, features);
    subtractHistogram(parent, histogramOf(p, left, features), 1, features);
    const direct = histogramOf(p, right, features);
    for (const f of features) for (let i = f * 768; i < (f + 1) * 768; i++) expect(parent[i]).toBeCloseTo(direct[i]!, 10);
  });
});

describe('TreeLearner', () => {
  const base: GrowthParams = { ...rules, maxDepth: 4, maxLeaves: Infinity, featuresPerSplit: 99, shrinkage: 0.3 };

  function expectSameTree(p: Problem, rows: number[], features: number[], params: GrowthParams): void {
    const learner = new TreeLearner(p.binned, p.edges, p.outputs);
    const grown = learner.grow(p.grad, p.hess, Uint32Array.from(rows), Int32Array.from(features), params);
    const ref = referenceTree(p, rows, features, params);
    expect(Array.from(grown.tree.gain).sort((a, b) => a - b).map((g) => g.toFixed(8))).toEqual(ref.gains.map((g) => g.toFixed(8)));
    expect(grown.tree.leafCount.length).toBe(grown.tree.feature.length + 1);
    for (const r of new Set(rows)) {
      const leaf = leafOfBinned(grown.tree, grown.splitBins, p.binned.bins, r * p.binned.stride);
      const want = ref.perRow.get(r)!;
      for (let k = 0; k < p.outputs; k++) expect(grown.tree.leafValue[leaf * p.outputs + k]).toBeCloseTo(want[k]!, 9);
    }
    // The leaves' row groups hold exactly the rows grown on.
    expect(Array.from(grown.rows).sort((a, b) => a - b)).toEqual([...rows].sort((a, b) => a - b));
  }

  it('grows the same tree as the exhaustive reference, depth-first', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const p = problem(seed, 1, { rows: 400, cols: 6 });
      expectSameTree(p, Array.from({ length: 400 }, (_, i) => i), [0, 1, 2, 3, 4, 5], base);
      // Fewer than half the features: the per-feature histogram path.
      expectSameTree(p, Array.from({ length: 400 }, (_, i) => i), [1, 4], base);
    }
  });

  it('grows the same tree as the exhaustive reference, best-first under a leaf budget', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const p = problem(seed, 1, { rows: 400, cols: 6 });
      expectSameTree(p, Array.from({ length: 400 }, (_, i) => i), [0, 1, 2, 3, 4, 5], { ...base, maxDepth: 6, maxLeaves: 7 });
    }
  });

  it('grows the same tree on a bootstrap sample and with several outputs', () => {
    const rng = new Prng(11);
    const p = problem(2, 3, { rows: 300, cols: 4 });
    const rows = Array.from({ length: 300 }, () => rng.int(300)).sort((a, b) => a - b);
    expectSameTree(p, rows, [0, 1, 2, 3], { ...base, lambda: 0, minChildWeight: 0, minSamplesLeaf: 3, shrinkage: 1 });
  });

  it('stops at max depth and returns a single leaf when nothing may split', () => {
    const data = syntheticData({ rows: 500, cols: 4, seed: 3 });
    const edges = fitBinEdges(data.x);
    const binned = applyBins(data.x, edges);
    const grad = Float64Array.from(data.signal, (s) => -s);
    const hess = new Float64Array(500).fill(1);
    const learner = new TreeLearner(binned, edges, 1);
    const rows = Uint32Array.from({ length: 500 }, (_, i) => i);
    const all = Int32Array.from([0, 1, 2, 3]);
    const stump = learner.grow(grad, hess, rows, all, { ...base, maxDepth: 1 });
    expect(stump.tree.feature.length).toBe(1);
    const lone = learner.grow(grad, hess, rows, all, { ...base, minSamplesLeaf: 300 });
    expect(lone.tree.feature.length).toBe(0);
    expect(lone.tree.leafValue[0]).toBeCloseTo((0.3 * -grad.reduce((a, b) => a + b, 0)) / (500 + rules.lambda), 12);
    // The raw threshold of a split is its bin's upper edge.
    const deep = learner.grow(grad, hess, rows, all, { ...base, maxDepth: 3 });
    for (let i = 0; i < deep.tree.feature.length; i++) {
      const upper = edges.upper[deep.tree.feature[i]!]!;
      const t = deep.splitBins[i]!;
      expect(deep.tree.threshold[i]).toBe(t < upper.length ? upper[t] : Infinity);
    }
  });
});
