/**
 * Grows one tree on binned rows from per-row gradients and hessians
 * (LightGBM-style). Each open leaf keeps its gradient histogram; splitting it
 * scans the smaller child's rows and takes the larger child's histogram as
 * the parent's minus the smaller's. With a leaf budget below 2^maxDepth the
 * leaf with the largest gain is split first (leaf-wise growth); otherwise
 * leaves are split depth-first, which grows the same tree while holding at
 * most one histogram per level.
 *
 * The learner owns its row-order and histogram buffers and reuses them from
 * tree to tree; it reads the binned matrix and never changes it.
 */
import { Prng } from '../../core/prng';
import { KeelError } from '../../../shared/errors';
import { MISSING_BIN, type BinEdges, type BinnedMatrix } from './binning';
import { accumulateRows, buildHistogram, histogramLength, subtractHistogram } from './histogram';
import { sampleFrom } from './sampling';
import { findBestSplit, leafValue, type NodeSums, type Split, type SplitRules } from './split';
import type { Tree } from './tree';

// A local binding: the hot loops would otherwise read the import through a getter in CommonJS builds.
const MISSING = MISSING_BIN;
/** Below this many rows, taking the smaller child out of its parent row by row is cheaper than subtracting its 256 buckets per feature. */
const SUBTRACT_BY_ROWS = 128;

export interface GrowthParams extends SplitRules {
  /** Splits on the path from the root to a leaf, at most. */
  maxDepth: number;
  /** Leaves per tree, at most (Infinity: no limit). */
  maxLeaves: number;
  /** Features drawn (without replacement) for each split out of the tree's; at least their count means all. */
  featuresPerSplit: number;
  /** Multiplies every leaf value (the booster's learning rate; 1 for a forest). */
  shrinkage: number;
}

export interface GrownTree {
  tree: Tree;
  /** Per internal node, the split's bin threshold: scoring binned rows during training. */
  splitBins: Uint8Array;
  /** The grown rows, grouped by leaf (the learner's buffer: valid until it grows the next tree). */
  rows: Uint32Array;
  /** Leaf i holds rows[leafStart[i], leafStart[i] + leafCount[i]). */
  leafStart: Int32Array;
}

interface OpenLeaf {
  begin: number;
  end: number;
  depth: number;
  sums: NodeSums;
  hist: Float64Array | null;
  split: Split | null;
  /** The internal node pointing at this leaf, -1 for the root. */
  parent: number;
  isLeft: boolean;
}

class TreeBuilder {
  readonly feature: number[] = [];
  readonly bin: number[] = [];
  readonly threshold: number[] = [];
  readonly missingLeft: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly gain: number[] = [];
  readonly count: number[] = [];
  readonly leafValue: number[] = [];
  readonly leafCount: number[] = [];
  readonly leafStart: number[] = [];

  constructor(
    private readonly width: number,
    private readonly target: number,
  ) {}

  addInternal(leaf: OpenLeaf, split: Split, threshold: number): number {
    const node = this.feature.length;
    this.feature.push(split.feature);
    this.bin.push(split.bin);
    this.threshold.push(threshold);
    this.missingLeft.push(split.missingLeft ? 1 : 0);
    this.left.push(0);
    this.right.push(0);
    this.gain.push(split.gain);
    this.count.push(leaf.end - leaf.begin);
    this.link(leaf, node);
    return node;
  }

  addLeaf(leaf: OpenLeaf, lambda: number, shrinkage: number): void {
    const index = this.leafCount.length;
    for (let k = 0; k < this.width; k++) this.leafValue.push(shrinkage * leafValue(leaf.sums.grad[k]!, leaf.sums.hess, lambda));
    this.leafCount.push(leaf.end - leaf.begin);
    this.leafStart.push(leaf.begin);
    this.link(leaf, ~index);
  }

  private link(leaf: OpenLeaf, pointer: number): void {
    if (leaf.parent < 0) return;
    (leaf.isLeft ? this.left : this.right)[leaf.parent] = pointer;
  }

  build(rows: Uint32Array): GrownTree {
    return {
      rows,
      leafStart: Int32Array.from(this.leafStart),
      tree: {
        target: this.target,
        width: this.width,
        feature: Int32Array.from(this.feature),
        threshold: Float64Array.from(this.threshold),
        missingLeft: Uint8Array.from(this.missingLeft),
        left: Int32Array.from(this.left),
        right: Int32Array.from(this.right),
        gain: Float64Array.from(this.gain),
        count: Int32Array.from(this.count),
        leafValue: Float64Array.from(this.leafValue),
        leafCount: Int32Array.from(this.leafCount),
      },
      splitBins: Uint8Array.from(this.bin),
    };
  }
}

export class TreeLearner {
  private readonly pool: Float64Array[] = [];
  private order = new Uint32Array(0);
  private scratch = new Uint32Array(0);

  constructor(
    private readonly binned: BinnedMatrix,
    private readonly edges: BinEdges,
    /** Gradient values per row: 1, or the class count of a classification forest. */
    private readonly outputs: number,
  ) {
    if (edges.upper.length !== binned.cols) throw new KeelError('VALIDATION_FAILED', 'the bin edges do not match the binned matrix');
  }

  /**
   * Grows a tree on `rows` (indices into the binned matrix, repeats allowed)
   * from `grad` (rows × outputs, row-major) and `hess` (one per row), using
   * only `features` (ascending). `rng` draws the per-split features.
   */
  grow(
    grad: Float64Array,
    hess: Float64Array,
    rows: Uint32Array,
    features: Int32Array,
    params: GrowthParams,
    rng: Prng | null = null,
    target = 0,
  ): GrownTree {
    const n = rows.length;
    if (this.order.length < n) {
      this.order = new Uint32Array(n);
      this.scratch = new Uint32Array(n);
    }
    this.order.set(rows);
    const builder = new TreeBuilder(this.outputs, target);
    const sampleSplits = params.featuresPerSplit < features.length;
    if (sampleSplits && rng === null) throw new KeelError('VALIDATION_FAILED', 'sampling features per split needs a random generator');
    const candidates = sampleSplits ? new Int32Array(Math.max(1, Math.floor(params.featuresPerSplit))) : features;

    const splittable = (leaf: OpenLeaf): boolean => leaf.depth < params.maxDepth && leaf.end - leaf.begin >= 2 * params.minSamplesLeaf;
    const evaluate = (leaf: OpenLeaf): Split | null => {
      if (sampleSplits) sampleFrom(features, candidates, rng!);
      return findBestSplit(leaf.hist!, this.outputs, this.binned.numBins, candidates, leaf.sums, params);
    };
    const close = (leaf: OpenLeaf): void => {
      this.release(leaf.hist);
      leaf.hist = null;
      builder.addLeaf(leaf, params.lambda, params.shrinkage);
    };

    const root: OpenLeaf = { begin: 0, end: n, depth: 0, sums: this.sumRows(grad, hess, n), hist: null, split: null, parent: -1, isLeft: true };
    let leaves = 1;
    if (splittable(root) && leaves < params.maxLeaves) {
      root.hist = this.take();
      buildHistogram(root.hist, this.binned, grad, hess, this.outputs, this.order, 0, n, features);
      root.split = evaluate(root);
    }
    const open: OpenLeaf[] = [];
    if (root.split) open.push(root);
    else close(root);

    const bestFirst = params.maxLeaves < 2 ** params.maxDepth;
    while (open.length > 0 && leaves < params.maxLeaves) {
      const leaf = bestFirst ? takeBest(open) : open.pop()!;
      const split = leaf.split!;
      const upper = this.edges.upper[split.feature]!;
      const node = builder.addInternal(leaf, split, split.bin < upper.length ? upper[split.bin]! : Infinity);
      const mid = this.partition(leaf.begin, leaf.end, split);
      const rightGrad = leaf.sums.grad.slice();
      for (let k = 0; k < rightGrad.length; k++) rightGrad[k]! -= split.left.grad[k]!;
      const l: OpenLeaf = { begin: leaf.begin, end: mid, depth: leaf.depth + 1, sums: split.left, hist: null, split: null, parent: node, isLeft: true };
      const r: OpenLeaf = {
        begin: mid,
        end: leaf.end,
        depth: leaf.depth + 1,
        sums: { grad: rightGrad, hess: leaf.sums.hess - split.left.hess, count: leaf.end - mid },
        hist: null,
        split: null,
        parent: node,
        isLeft: false,
      };
      leaves++;
      if ((splittable(l) || splittable(r)) && leaves < params.maxLeaves) {
        const [small, large] = mid - leaf.begin <= leaf.end - mid ? [l, r] : [r, l];
        small.hist = this.take();
        buildHistogram(small.hist, this.binned, grad, hess, this.outputs, this.order, small.begin, small.end, features);
        large.hist = leaf.hist!;
        if (small.end - small.begin < SUBTRACT_BY_ROWS) accumulateRows(large.hist, this.binned, grad, hess, this.outputs, this.order, small.begin, small.end, features, -1);
        else subtractHistogram(large.hist, small.hist, this.outputs, features);
      } else {
        this.release(leaf.hist);
      }
      leaf.hist = null;
      // Depth-first pops the last pushed: push the right child first so the left is grown first.
      for (const child of bestFirst ? [l, r] : [r, l]) {
        if (child.hist !== null && splittable(child)) child.split = evaluate(child);
        if (child.split) open.push(child);
        else close(child);
      }
    }
    for (const leaf of open) close(leaf);
    return builder.build(this.order.subarray(0, n));
  }

  private sumRows(grad: Float64Array, hess: Float64Array, n: number): NodeSums {
    const k = this.outputs;
    const g = new Float64Array(k);
    let h = 0;
    for (let i = 0; i < n; i++) {
      const r = this.order[i]!;
      for (let j = 0; j < k; j++) g[j]! += grad[r * k + j]!;
      h += hess[r]!;
    }
    return { grad: g, hess: h, count: n };
  }

  /** Stable partition of order[begin, end): rows going left first. Returns where the right child starts. */
  private partition(begin: number, end: number, split: Split): number {
    const { bins, stride } = this.binned;
    const { order, scratch } = this;
    const f = split.feature;
    const t = split.bin;
    const missingLeft = split.missingLeft;
    let l = begin;
    let s = 0;
    for (let i = begin; i < end; i++) {
      const row = order[i]!;
      const b = bins[row * stride + f]!;
      if (b <= t || (b === MISSING && missingLeft)) order[l++] = row;
      else scratch[s++] = row;
    }
    order.set(scratch.subarray(0, s), l);
    return l;
  }

  private take(): Float64Array {
    return this.pool.pop() ?? new Float64Array(histogramLength(this.binned.stride, this.outputs));
  }

  private release(hist: Float64Array | null): void {
    if (hist !== null) this.pool.push(hist);
  }
}

/** Removes and returns the open leaf with the largest gain (the earliest on ties). */
function takeBest(open: OpenLeaf[]): OpenLeaf {
  let best = 0;
  for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[best]!.split!.gain) best = i;
  return open.splice(best, 1)[0]!;
}
