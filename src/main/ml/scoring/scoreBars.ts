/**
 * Scoring bars with a stored model: the feature pipeline (the same code as
 * training and live) turns the bars into rows, the model's own features are
 * picked from them in its order, and the model answers per row:
 * probabilities per class, or a value. Rows still in the pipeline's warm-up
 * are not scored. Tree models come as their JSON; ONNX models as bytes.
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
  if (model.format === 'trees') {
    const trees = modelFromJsonText(model.json);
    const values = predict(trees, matrix(x, rows.length, columns.length));
    return { times, values, width: outputWidth(trees), skipped: full.rows - rows.length };
  }
  const onnx = await importOnnxModel({ bytes: model.bytes, features: model.features });
  try {
    const values = Float64Array.from(await onnx.predict(x, rows.length));
    return { times, values, width: onnx.width, skipped: full.rows - rows.length };
  } finally {
    await onnx.close();
  }
}
