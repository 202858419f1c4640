/**
 * Scoring bars with a stored model: the feature pipeline (the same code as
 * training and live) turns the bars into rows, the model's own features are
 * picked from them in its order, and the model answers per row:
 * probabilities per class, or a value. Rows still in the pipeline's warm-up
 * are not scored. Tree models come as their JSON; ONNX models as bytes.
 * Rows of features already computed (a features file) are scored by the
 * same model code through `scoreFeatureRows`.
 */
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { computeFeatureMatrix } from '../features/featureMatrix';
import { FEATURE_NAMES } from '../features/featureSet';
import { importOnnxModel } from '../onnx';
import { matrix, modelFromJsonText, outputWidth, predict } from '../trees';

export type StoredModel = { format: 'trees'; json: string; features: string[] } | { format: 'onnx'; bytes: Uint8Array; features: string[] };

export interface ScoredBars {
  /** Open time of each scored bar. */
  times: Float64Array;
  /** rows × width values. */
  values: Float64Array;
  width: number;
  /** Bars left out because the pipeline was still warming up. */
  skipped: number;
}

export async function scoreBars(model: StoredModel, bars: readonly Bar[]): Promise<ScoredBars> {
  const missing = model.features.filter((f) => !FEATURE_NAMES.includes(f as (typeof FEATURE_NAMES)[number]));
  if (missing.length > 0) throw new KeelError('VALIDATION_FAILED', `The model uses features Keel's pipeline does not compute (${missing.join(', ')}); it can only score rows of its own features.`);
  const full = computeFeatureMatrix(bars);
  const columns = model.features.map((f) => FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number]));
  const rows: number[] = [];
  for (let r = 0; r < full.rows; r++) if (full.ready[r] === 1) rows.push(r);
  const x = new Float32Array(rows.length * columns.length);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < columns.length; j++) x[i * columns.length + j] = full.values[rows[i]! * full.cols + columns[j]!]!;
  const times = Float64Array.from(rows, (r) => full.times[r]!);
  const { values, width } = await scoreFeatureRows(model, x, rows.length);
  return { times, values, width, skipped: full.rows - rows.length };
}

/** Scores `count` rows of the model's features in its order (row-major): rows × width values. */
export async function scoreFeatureRows(model: StoredModel, x: Float32Array, count: number): Promise<{ values: Float64Array; width: number }> {
  const cols = model.features.length;
  if (x.length !== count * cols) throw new RangeError(`expected ${count * cols} values for ${count} rows of ${cols} features, got ${x.length}`);
  if (model.format === 'trees') {
    const trees = modelFromJsonText(model.json);
    return { values: predict(trees, matrix(x, count, cols)), width: outputWidth(trees) };
  }
  const onnx = await importOnnxModel({ bytes: model.bytes, features: model.features });
  try {
    return { values: Float64Array.from(await onnx.predict(x, count)), width: onnx.width };
  } finally {
    await onnx.close();
  }
}
