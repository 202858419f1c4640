/**
 * PSI for every column of a feature matrix: the training sample against the
 * rows scored recently. Matrices are the feature pipeline's row-major layout,
 * so a worker can run this on the same buffers it scores from.
 */
import { populationStabilityIndex, type DriftStatus, type PsiOptions } from './psi';

export interface MatrixLike {
  /** Row-major values, `cols` per row. */
  values: ArrayLike<number>;
  cols: number;
}

export interface FeatureDrift {
  feature: string;
  psi: number;
  status: DriftStatus | 'unknown';
}

export interface FeatureDriftReport {
  features: FeatureDrift[];
  /** Names of the features whose PSI is above the drift threshold, worst first. */
  drifting: string[];
}

export function featureDrift(reference: MatrixLike, recent: MatrixLike, names: readonly string[], options: PsiOptions = {}): FeatureDriftReport {
  if (reference.cols !== names.length || recent.cols !== names.length) throw new RangeError(`both matrices need ${names.length} columns (got ${reference.cols} and ${recent.cols})`);
  const features = names.map((feature, j) => {
    const { psi, status } = populationStabilityIndex(column(reference, j), column(recent, j), options);
    return { feature, psi, status };
  });
  const drifting = features
    .filter((f) => f.status === 'drifting')
    .sort((a, b) => b.psi - a.psi)
    .map((f) => f.feature);
  return { features, drifting };
}

function column(matrix: MatrixLike, j: number): Float64Array {
  const rows = Math.floor(matrix.values.length / matrix.cols);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = matrix.values[i * matrix.cols + j] as number;
  return out;
}
