/**
 * The feature matrix the tree code takes in: one row per sample (a bar), one
 * column per feature, row-major in a Float32Array or Float64Array. Row-major
 * is what a feature pipeline produces bar by bar and what scoring receives,
 * and the binned copy keeps the same layout (see binning.ts for why). Plain
 * data with a typed array, so it crosses to a worker by transfer or on a
 * SharedArrayBuffer without a copy.
 */
import { KeelError } from '../../../shared/errors';

export type FeatureValues = Float32Array | Float64Array;

export interface Matrix {
  /** rows × cols values, row r at [r * cols, (r + 1) * cols); NaN means missing. */
  values: FeatureValues;
  rows: number;
  cols: number;
}

/** Labels: class indices 0..K-1 for classification, targets for regression. */
export type Labels = ArrayLike<number>;

export function matrix(values: FeatureValues, rows: number, cols: number): Matrix {
  const m = { values, rows, cols };
  assertMatrix(m);
  return m;
}

/** A Float64 matrix from rows of numbers (tests, CSV uploads). */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>, cols = rows[0]?.length ?? 0): Matrix {
  const values = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new KeelError('VALIDATION_FAILED', `row ${r} has ${row.length} values, expected ${cols}`);
    for (let c = 0; c < cols; c++) values[r * cols + c] = row[c]!;
  });
  return { values, rows: rows.length, cols };
}

export function assertMatrix(m: Matrix): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.cols) || m.cols < 1) {
    throw new KeelError('VALIDATION_FAILED', `a feature matrix needs whole row and column counts, got ${m.rows} × ${m.cols}`);
  }
  if (m.values.length !== m.rows * m.cols) {
    throw new KeelError('VALIDATION_FAILED', `a ${m.rows} × ${m.cols} matrix needs ${m.rows * m.cols} values, got ${m.values.length}`);
  }
}
