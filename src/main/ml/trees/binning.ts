/**
 * Histogram binning: each feature's values are cut at quantiles into at most
 * 255 bins (one byte per value), with missing values (NaN) in a bin of their
 * own, so tree learning scans 255 histogram buckets instead of sorting rows.
 * Edges are fitted once on the training matrix and reused for validation
 * rows; a tree's split "bin <= t" is the same test as "value <= upper[t]" on
 * raw values, so a model scores raw rows without binning them.
 *
 * Layout: the binned matrix is row-major (one byte per feature, rows padded
 * to 4 bytes). Measured here on 50,000 rows × 32 features, building a node's
 * gradient histogram ran 1.3-2.3× faster row-major than column-major: a
 * row's 32 bins share one cache line and its gradient is read once, where
 * column-major gathers each scattered row once per feature. Row-major also
 * lets the histogram read four bins per 32-bit load (another 1.7× here).
 * Partitioning a node reads one byte per row either way.
 */
import { Prng } from '../../core/prng';
import { KeelError } from '../../../shared/errors';
import { assertMatrix, type Matrix } from './matrix';
import { sampleIndices } from './sampling';

/** The most value bins a feature can have; bin 255 is reserved for missing values. */
export const MAX_BINS = 255;
export const MISSING_BIN = 255;
/** Histogram buckets per feature: the value bins (at most 255) and the missing bin. */
export const HIST_BINS = 256;

export interface BinEdges {
  /**
   * Per feature, ascending upper edges: a value v falls in the first bin b
   * with v <= upper[b], else in the last value bin (upper.length). A feature
   * has upper.length + 1 value bins.
   */
  upper: Float64Array[];
}

export interface BinningOptions {
  /** Value bins per feature, 2..255 (default 255). */
  maxBins?: number;
  /** Edges are fitted on at most this many rows, sampled with `seed` (default 200,000). */
  sampleSize?: number;
  seed?: number;
}

export interface BinnedMatrix {
  rows: number;
  cols: number;
  /**
   * Bytes per row: cols rounded up to a multiple of 4, so histogram building
   * reads four bins per 32-bit load (the padding bytes are 0 and unused).
   */
  stride: number;
  /** rows × stride bin indices, row-major; MISSING_BIN for NaN. */
  bins: Uint8Array;
  /** Value bins per feature (upper.length + 1); the missing bin is extra. */
  numBins: Uint16Array;
}

export function fitBinEdges(x: Matrix, options: BinningOptions = {}): BinEdges {
  assertMatrix(x);
  const maxBins = options.maxBins ?? MAX_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new KeelError('VALIDATION_FAILED', `maxBins must be a whole number in 2..${MAX_BINS}, got ${maxBins}`);
  }
  const sampleSize = options.sampleSize ?? 200_000;
  const sample = x.rows > sampleSize ? sampleIndices(x.rows, new Uint32Array(sampleSize), new Prng(options.seed ?? 0)) : null;
  const count = sample === null ? x.rows : sample.length;
  const column = new Float64Array(count);
  const upper: Float64Array[] = [];
  for (let f = 0; f < x.cols; f++) {
    let present = 0;
    for (let i = 0; i < count; i++) {
      const v = x.values[(sample === null ? i : sample[i]!) * x.cols + f]!;
      if (v === v) column[present++] = v;
    }
    upper.push(quantileEdges(column.subarray(0, present).sort(), maxBins));
  }
  return { upper };
}

/**
 * Upper edges over sorted values: every distinct value its own bin when
 * there are few, else cuts near the k/maxBins quantiles. Cuts fall only
 * between distinct values, so a heavily repeated value keeps one bin.
 */
function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let j = 0; j + 1 < distinct.length; j++) edges.push(between(distinct[j]!, distinct[j + 1]!));
    return Float64Array.from(edges);
  }
  let cumulative = 0;
  let k = 1;
  for (let j = 0; j + 1 < distinct.length && edges.length < maxBins - 1; j++) {
    cumulative += counts[j]!;
    if (cumulative >= (k * n) / maxBins) {
      edges.push(between(distinct[j]!, distinct[j + 1]!));
      while ((k * n) / maxBins <= cumulative) k++;
    }
  }
  return Float64Array.from(edges);
}

/**
 * A cut c with a <= c < b (a goes left, b right): the number with the fewest
 * significant digits near the midpoint, so stored models stay short (0.25
 * rather than 0.24999999701976776); a itself where no such number exists
 * (infinities, adjacent doubles).
 */
export function between(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  if (!(mid >= a && mid < b)) return a;
  for (let digits = 1; digits <= 17; digits++) {
    const cut = Number(mid.toPrecision(digits));
    if (cut >= a && cut < b) return cut;
  }
  return mid;
}

/** The bin of one value under a feature's upper edges. */
export function binOf(upper: Float64Array, value: number): number {
  if (value !== value) return MISSING_BIN;
  let lo = 0;
  let hi = upper.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= upper[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins a matrix (training, validation or new rows) with fitted edges. */
export function applyBins(x: Matrix, edges: BinEdges): BinnedMatrix {
  assertMatrix(x);
  if (edges.upper.length !== x.cols) {
    throw new KeelError('VALIDATION_FAILED', `the bin edges are for ${edges.upper.length} features, the matrix has ${x.cols}`);
  }
  const { values, cols } = x;
  const stride = (cols + 3) & ~3;
  const bins = new Uint8Array(x.rows * stride);
  for (let f = 0; f < cols; f++) {
    const upper = edges.upper[f]!;
    for (let r = 0; r < x.rows; r++) bins[r * stride + f] = binOf(upper, values[r * cols + f]!);
  }
  return { rows: x.rows, cols, stride, bins, numBins: Uint16Array.from(edges.upper, (u) => u.length + 1) };
}
