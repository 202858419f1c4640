/**
 * One decision tree as flat typed arrays (plain data: it crosses to and from
 * a worker by structured clone or transfer). Internal nodes are numbered in
 * the order they were split, so a child's number is always larger than its
 * parent's; a child pointer >= 0 is an internal node and a negative one, ~i,
 * is leaf i. A tree that never split has no internal nodes and one leaf.
 */
import { MISSING_BIN } from './binning';

const MISSING = MISSING_BIN;

export interface Tree {
  /** Output slot the tree adds to (a class of a multiclass booster); 0 otherwise. */
  target: number;
  /** Values per leaf: 1, or the class count of a classification forest. */
  width: number;
  // Internal nodes.
  feature: Int32Array;
  /** Raw-value test: value <= threshold goes left (±Infinity possible). */
  threshold: Float64Array;
  /** 1 when a missing value (NaN) goes left. */
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Loss reduction of the split (before any learning rate). */
  gain: Float64Array;
  /** Training rows that reached the node (bootstrap repeats counted). */
  count: Int32Array;
  // Leaves.
  /** leaves × width values. */
  leafValue: Float64Array;
  leafCount: Int32Array;
}

export function leafCountOf(tree: Tree): number {
  return tree.leafCount.length;
}

/** The root pointer: node 0, or leaf 0 when the tree never split. */
export function rootOf(tree: Tree): number {
  return tree.feature.length > 0 ? 0 : ~0;
}

/** The leaf a raw row (values[offset .. offset + cols)) lands in. */
export function leafOfRaw(tree: Tree, values: ArrayLike<number>, offset: number): number {
  const { feature, threshold, missingLeft, left, right } = tree;
  let node = rootOf(tree);
  while (node >= 0) {
    const v = values[offset + feature[node]!]!;
    node = v <= threshold[node]! ? left[node]! : v !== v && missingLeft[node] === 1 ? left[node]! : right[node]!;
  }
  return ~node;
}

/** The leaf of the binned row starting at `offset`, given the tree's split bins (training and validation scores). */
export function leafOfBinned(tree: Tree, splitBins: Uint8Array, bins: Uint8Array, offset: number): number {
  const { feature, missingLeft, left, right } = tree;
  let node = rootOf(tree);
  while (node >= 0) {
    const b = bins[offset + feature[node]!]!;
    node = b <= splitBins[node]! ? left[node]! : b === MISSING && missingLeft[node] === 1 ? left[node]! : right[node]!;
  }
  return ~node;
}

/** Depth of the deepest leaf (0 for a single leaf). */
export function treeDepth(tree: Tree): number {
  if (tree.feature.length === 0) return 0;
  // Children are numbered after their parents, so one forward pass sees every parent's depth first.
  const depth = new Int32Array(tree.feature.length);
  let max = 0;
  for (let i = 0; i < tree.feature.length; i++) {
    const d = depth[i]! + 1;
    for (const child of [tree.left[i]!, tree.right[i]!]) {
      if (child >= 0) depth[child] = d;
      else if (d > max) max = d;
    }
  }
  return max;
}
