/**
 * Seeded synthetic feature matrices for the tree tests and the benchmark: a
 * few informative features (a linear part and an interaction), the rest pure
 * noise, optional missing values. Targets follow the model use cases: the
 * sign of a "return" (binary), long / short / neutral beyond a threshold
 * (3 classes), or the return itself.
 */
import { Prng } from '../../core/prng';
import type { Matrix } from './matrix';

export interface SyntheticOptions {
  rows: number;
  cols: number;
  seed?: number;
  /** Standard deviation of the noise added to the signal (default 0). */
  noise?: number;
  /** Share of values replaced by NaN (default 0). */
  missing?: number;
  float32?: boolean;
}

export interface SyntheticData {
  x: Matrix;
  /** The noisy signal: x0 + 0.5·x1 − 0.5·x2·x3 (+ noise); a missing x0 counts as 0. */
  signal: Float64Array;
  binary: Float64Array;
  /** 0 long (signal > 0.5), 1 short (< −0.5), 2 neutral. */
  direction: Float64Array;
}

/** Features 0..3 carry the signal (needs cols >= 4); every other feature is noise. */
export function syntheticData(options: SyntheticOptions): SyntheticData {
  const { rows, cols } = options;
  const rng = new Prng(options.seed ?? 1);
  const values = options.float32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  const signal = new Float64Array(rows);
  const binary = new Float64Array(rows);
  const direction = new Float64Array(rows);
  const missing = options.missing ?? 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = missing > 0 && rng.next() < missing ? Number.NaN : rng.normal();
    const v = (c: number) => {
      const value = values[r * cols + c]!;
      return value === value ? value : 0;
    };
    const s = v(0) + 0.5 * v(1) - 0.5 * v(2) * v(3) + (options.noise ?? 0) * rng.normal();
    signal[r] = s;
    binary[r] = s > 0 ? 1 : 0;
    direction[r] = s > 0.5 ? 0 : s < -0.5 ? 1 : 2;
  }
  return { x: { values, rows, cols }, signal, binary, direction };
}

/** Rows [from, to) of a matrix and its labels. */
export function sliceRows(x: Matrix, from: number, to: number): Matrix {
  return { values: x.values.subarray(from * x.cols, to * x.cols), rows: to - from, cols: x.cols };
}
