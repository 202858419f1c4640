/**
 * Gradient histograms: for each feature and bin, the sums of the node's
 * gradients (one per output), hessians and row count. A node's histogram is
 * one Float64Array of (row stride) × 256 buckets × (outputs + 2) values;
 * only the features a tree may use are read afterwards. The larger child of
 * a split is never scanned: its histogram is the parent's minus the
 * smaller's.
 */
import { HIST_BINS, type BinnedMatrix } from './binning';

const BINS = HIST_BINS;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Values per bucket: the gradient sums, then the hessian sum, then the count. */
export function bucketStride(outputs: number): number {
  return outputs + 2;
}

/** Histogram length for a binned matrix's row stride (padding columns included, so whole-row loads land in it). */
export function histogramLength(stride: number, outputs: number): number {
  return stride * BINS * bucketStride(outputs);
}

/**
 * Fills `hist` for `features` from rows[begin, end) (row indices may repeat:
 * a bootstrap sample). `grad` is rows × outputs row-major, `hess` one per row.
 */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  outputs: number,
  rows: Uint32Array,
  begin: number,
  end: number,
  features: Int32Array,
): void {
  if (readsWholeRows(binned, outputs, features)) hist.fill(0, 0, binned.stride * BINS * 3);
  else {
    const block = BINS * bucketStride(outputs);
    for (let j = 0; j < features.length; j++) {
      const from = features[j]! * block;
      hist.fill(0, from, from + block);
    }
  }
  accumulateRows(hist, binned, grad, hess, outputs, rows, begin, end, features, 1);
}

/**
 * Adds (sign 1) or removes (sign -1) rows[begin, end) in `hist`. Removing a
 * small child's rows from its parent costs rows × features; subtracting its
 * histogram costs 256 × features, so small children are removed by rows.
 */
export function accumulateRows(
  hist: Float64Array,
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  outputs: number,
  rows: Uint32Array,
  begin: number,
  end: number,
  features: Int32Array,
  sign: 1 | -1,
): void {
  if (readsWholeRows(binned, outputs, features)) buildSingleWords(hist, binned, grad, hess, rows, begin, end, sign);
  else if (outputs === 1) buildSingleListed(hist, binned, grad, hess, rows, begin, end, features, sign);
  else buildMulti(hist, binned, grad, hess, outputs, rows, begin, end, features, sign);
}

/** Reading whole rows beats picking features once a tree uses half of them. */
function readsWholeRows(binned: BinnedMatrix, outputs: number, features: Int32Array): boolean {
  return outputs === 1 && LITTLE_ENDIAN && features.length * 2 >= binned.cols;
}

/** The hot loop of boosting: every feature, four bins per 32-bit load, each row's gradient read once. */
function buildSingleWords(
  hist: Float64Array,
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  rows: Uint32Array,
  begin: number,
  end: number,
  sign: number,
): void {
  const { bins } = binned;
  const words = new Uint32Array(bins.buffer, bins.byteOffset, bins.length >>> 2);
  const wordsPerRow = binned.stride >>> 2;
  const f1 = BINS * 3;
  const f2 = 2 * f1;
  const f3 = 3 * f1;
  const f4 = 4 * f1;
  for (let i = begin; i < end; i++) {
    const r = rows[i]!;
    const g = sign * grad[r]!;
    const h = sign * hess[r]!;
    let w = r * wordsPerRow;
    const wEnd = w + wordsPerRow;
    for (let base = 0; w < wEnd; w++, base += f4) {
      const word = words[w]!;
      let at = base + (word & 255) * 3;
      hist[at]! += g;
      hist[at + 1]! += h;
      hist[at + 2]! += sign;
      at = base + f1 + ((word >>> 8) & 255) * 3;
      hist[at]! += g;
      hist[at + 1]! += h;
      hist[at + 2]! += sign;
      at = base + f2 + ((word >>> 16) & 255) * 3;
      hist[at]! += g;
      hist[at + 1]! += h;
      hist[at + 2]! += sign;
      at = base + f3 + (word >>> 24) * 3;
      hist[at]! += g;
      hist[at + 1]! += h;
      hist[at + 2]! += sign;
    }
  }
}

function buildSingleListed(
  hist: Float64Array,
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  rows: Uint32Array,
  begin: number,
  end: number,
  features: Int32Array,
  sign: number,
): void {
  const { bins, stride } = binned;
  const block = BINS * 3;
  const nf = features.length;
  for (let i = begin; i < end; i++) {
    const r = rows[i]!;
    const g = sign * grad[r]!;
    const h = sign * hess[r]!;
    const rowAt = r * stride;
    for (let j = 0; j < nf; j++) {
      const f = features[j]!;
      const at = f * block + bins[rowAt + f]! * 3;
      hist[at]! += g;
      hist[at + 1]! += h;
      hist[at + 2]! += sign;
    }
  }
}

function buildMulti(
  hist: Float64Array,
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  outputs: number,
  rows: Uint32Array,
  begin: number,
  end: number,
  features: Int32Array,
  sign: number,
): void {
  const { bins, stride } = binned;
  const width = bucketStride(outputs);
  const block = BINS * width;
  const nf = features.length;
  for (let i = begin; i < end; i++) {
    const r = rows[i]!;
    const gradAt = r * outputs;
    const h = sign * hess[r]!;
    const rowAt = r * stride;
    for (let j = 0; j < nf; j++) {
      const f = features[j]!;
      const at = f * block + bins[rowAt + f]! * width;
      for (let k = 0; k < outputs; k++) hist[at + k]! += sign * grad[gradAt + k]!;
      hist[at + outputs]! += h;
      hist[at + outputs + 1]! += sign;
    }
  }
}

/** parent -= child over `features`: the parent's buffer becomes the sibling's histogram. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, outputs: number, features: Int32Array): void {
  const block = BINS * bucketStride(outputs);
  for (let j = 0; j < features.length; j++) {
    const from = features[j]! * block;
    const to = from + block;
    for (let i = from; i < to; i++) parent[i]! -= child[i]!;
  }
}
