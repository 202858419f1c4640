/**
 * Scoring raw rows: every tree of a model packed once into shared flat
 * arrays (so the inner loop touches no objects),
 * then rows × trees walked with value <= threshold tests. A booster sums its
 * trees onto the base score and maps the sums to probabilities (logistic or
 * softmax) or leaves them as the value; a forest averages its trees.
 */
import { KeelError } from '../../../shared/errors';
import { assertMatrix, type Matrix } from './matrix';
import { outputWidth, scoreSlots, type TreeModel } from './model';
import { sigmoid, softmaxInto } from './objectives';
import { rootOf, treeDepth } from './tree';

/**
 * All trees in one node space, each node's children side by side (right =
 * left + 1), so a step is `node = firstChild + (goes right)`. A leaf points
 * at itself and never goes right (threshold +Infinity, missing left), so a
 * walk of exactly the tree's depth ends on the row's leaf whatever its path:
 * the loop has a fixed trip count and no data-dependent branch to mispredict.
 */
interface PackedEnsemble {
  roots: Int32Array;
  depths: Int32Array;
  targets: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** 1 when a missing value goes right. */
  missingRight: Int32Array;
  /** Internal node: its left child. Leaf: itself. */
  child: Int32Array;
  /** Leaf: the index of its first value in leafValue. */
  valueAt: Int32Array;
  leafValue: Float64Array;
  width: number;
}

const BLOCK_ROWS = 128;

const packed = new WeakMap<TreeModel, PackedEnsemble>();

function pack(model: TreeModel): PackedEnsemble {
  const cached = packed.get(model);
  if (cached) return cached;
  let nodes = 0;
  let leafValues = 0;
  for (const t of model.trees) {
    nodes += 2 * t.feature.length + 1;
    leafValues += t.leafValue.length;
  }
  const width = model.trees[0]?.width ?? 1;
  const p: PackedEnsemble = {
    roots: new Int32Array(model.trees.length),
    depths: Int32Array.from(model.trees, treeDepth),
    targets: new Int32Array(model.trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    missingRight: new Int32Array(nodes),
    child: new Int32Array(nodes),
    valueAt: new Int32Array(nodes),
    leafValue: new Float64Array(leafValues),
    width,
  };
  let next = 0;
  let leafBase = 0;
  model.trees.forEach((t, i) => {
    if (t.width !== width) throw new KeelError('VALIDATION_FAILED', `tree ${i} has leaves of width ${t.width}, the model ${width}`);
    p.targets[i] = t.target;
    // Breadth-first: each node's two children take the next two slots.
    const queue: Array<[pointer: number, slot: number]> = [[rootOf(t), next++]];
    p.roots[i] = queue[0]![1];
    for (let q = 0; q < queue.length; q++) {
      const [ptr, slot] = queue[q]!;
      if (ptr < 0) {
        p.feature[slot] = 0;
        p.threshold[slot] = Infinity;
        p.missingRight[slot] = 0;
        p.child[slot] = slot;
        p.valueAt[slot] = (leafBase + ~ptr) * width;
        continue;
      }
      p.feature[slot] = t.feature[ptr]!;
      p.threshold[slot] = t.threshold[ptr]!;
      p.missingRight[slot] = t.missingLeft[ptr] === 1 ? 0 : 1;
      p.child[slot] = next;
      queue.push([t.left[ptr]!, next++], [t.right[ptr]!, next++]);
    }
    p.leafValue.set(t.leafValue, leafBase * width);
    leafBase += t.leafCount.length;
  });
  packed.set(model, p);
  return p;
}

function checkInput(model: TreeModel, x: Matrix, out: Float64Array | undefined, width: number): Float64Array {
  assertMatrix(x);
  if (x.cols !== model.numFeatures) throw new KeelError('VALIDATION_FAILED', `the model takes ${model.numFeatures} features, the rows have ${x.cols}`);
  const length = x.rows * width;
  if (out === undefined) return new Float64Array(length);
  if (out.length < length) throw new KeelError('VALIDATION_FAILED', `the output buffer holds ${out.length} values, ${length} needed`);
  return out;
}

/**
 * Raw sums per row (rows × scoreSlots, row-major): a booster's scores before
 * the logistic or softmax (log-odds, class scores, or the value); a forest's
 * average leaf values (class shares or the value).
 */
export function predictRaw(model: TreeModel, x: Matrix, out?: Float64Array): Float64Array {
  const slots = scoreSlots(model);
  const result = checkInput(model, x, out, slots);
  const p = pack(model);
  const { roots, depths, targets, feature, threshold, missingRight, child, valueAt, leafValue, width } = p;
  const trees = roots.length;
  const values = x.values;
  const cols = x.cols;
  const boosted = model.kind === 'gbdt';
  const scale = boosted || trees === 0 ? 1 : 1 / trees;
  for (let r = 0; r < x.rows; r++) for (let s = 0; s < slots; s++) result[r * slots + s] = boosted ? model.baseScore[s]! : 0;
  // Rows in blocks, trees in the middle: a block's values stay in the L1 cache while every tree walks it.
  for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
    const stop = Math.min(x.rows, start + BLOCK_ROWS);
    for (let t = 0; t < trees; t++) {
      const root = roots[t]!;
      const depth = depths[t]!;
      const target = targets[t]!;
      for (let r = start; r < stop; r++) {
        const at = r * cols;
        let node = root;
        for (let d = depth; d > 0; d--) {
          const v = values[at + feature[node]!]!;
          // Right when above the threshold, or missing and missing goes right (NaN fails every comparison).
          node = child[node]! + (Number(v > threshold[node]!) | (Number(v !== v) & missingRight[node]!));
        }
        const leaf = valueAt[node]!;
        if (width === 1) result[r * slots + target]! += leafValue[leaf]!;
        else for (let k = 0; k < width; k++) result[r * slots + k]! += leafValue[leaf + k]!;
      }
    }
  }
  if (scale !== 1) for (let i = 0; i < x.rows * slots; i++) result[i]! *= scale;
  return result;
}

/** Per row, a probability per class (classification) or the value (regression): rows × outputWidth, row-major. */
export function predict(model: TreeModel, x: Matrix, out?: Float64Array): Float64Array {
  const width = outputWidth(model);
  const result = checkInput(model, x, out, width);
  const slots = scoreSlots(model);
  if (model.kind === 'forest' || model.task === 'regression') return predictRaw(model, x, result);
  const raw = predictRaw(model, x);
  if (slots === 1) {
    for (let r = 0; r < x.rows; r++) {
      const p1 = sigmoid(raw[r]!);
      result[2 * r] = 1 - p1;
      result[2 * r + 1] = p1;
    }
  } else {
    for (let r = 0; r < x.rows; r++) softmaxInto(raw, r * slots, slots, result, r * slots);
  }
  return result;
}

/** The most probable class of each row (the first on ties). */
export function argmaxRows(probabilities: Float64Array, width: number): Int32Array {
  const rows = Math.floor(probabilities.length / width);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (probabilities[r * width + k]! > probabilities[r * width + best]!) best = k;
    out[r] = best;
  }
  return out;
}
