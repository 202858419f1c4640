/**
 * The batch side of the feature pipeline: a bar history becomes a row-major
 * Float32Array matrix (rows x FEATURE_COUNT) by streaming every bar through
 * the same FeaturePipeline that live scoring uses, so a backtest or training
 * set cannot differ from what the live model sees. The matrix may sit on a
 * SharedArrayBuffer to reach a worker without a copy.
 */
import type { Bar } from '../../../shared/domain';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURES_HASH } from './featureSet';
import { FeaturePipeline } from './featurePipeline';

export interface FeatureMatrix {
  rows: number;
  cols: number;
  names: readonly string[];
  featuresHash: string;
  /** Row-major: feature j of row i is at `i * cols + j`. NaN during warm-up. */
  values: Float32Array;
  /** 1 where every feature of the row exists. */
  ready: Uint8Array;
  /** Open time of each row's bar. */
  times: Float64Array;
}

export interface FeatureMatrixOptions {
  /** Allocate the matrix on a SharedArrayBuffer (for workers). */
  shared?: boolean;
}

export function computeFeatureMatrix(bars: readonly Bar[], options: FeatureMatrixOptions = {}): FeatureMatrix {
  const rows = bars.length;
  const cols = FEATURE_COUNT;
  const bytes = rows * cols * Float32Array.BYTES_PER_ELEMENT;
  const values = new Float32Array(options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const ready = new Uint8Array(rows);
  const times = new Float64Array(rows);
  const pipeline = new FeaturePipeline();
  for (let i = 0; i < rows; i++) {
    const bar = bars[i] as Bar;
    ready[i] = pipeline.write(bar, values, i * cols).ready ? 1 : 0;
    times[i] = bar.time;
  }
  return { rows, cols, names: FEATURE_NAMES, featuresHash: FEATURES_HASH, values, ready, times };
}

/** One row of a matrix as a view (no copy). */
export function matrixRow(matrix: Pick<FeatureMatrix, 'values' | 'cols'>, row: number): Float32Array {
  return matrix.values.subarray(row * matrix.cols, (row + 1) * matrix.cols);
}
