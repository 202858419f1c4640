/**
 * A batch prediction: a CSV scored by a stored model. The file holds either
 * bars (time, open, high, low, close, volume), which the feature pipeline
 * turns into rows, or rows of the model's own features, taken by name (see
 * featuresCsv.ts); its header tells which. Either file is read here, so a
 * refusal points at its row and column; the scoring itself is handed to a
 * scorer (the ML worker). The answer is a table: time (or, for a features
 * file without times, the row of the file) and the model's outputs, and the
 * same table as CSV.
 */
import type { PredictBatchResult } from '../../../shared/contract/ml';
import type { Bar } from '../../../shared/domain';
import type { ModelRecord } from '../../../shared/models';
import { parseOhlcvCsv } from '../../backtest/datasets/ohlcvCsv';
import { batchCsvKind, parseFeaturesCsv } from './featuresCsv';
import type { ScoredBars, StoredModel } from './scoreBars';

export interface BatchScorer {
  bars(model: StoredModel, bars: readonly Bar[]): Promise<ScoredBars>;
  /** `rows` is count × the model's features, row-major, in its order. */
  features(model: StoredModel, rows: Float32Array, count: number): Promise<{ values: Float64Array; width: number }>;
}

/** The row of the file a features row came from (the header is row 1). */
const FIRST_DATA_ROW = 2;

export async function predictBatchCsv(record: ModelRecord, bytes: Uint8Array, csv: string, scorer: BatchScorer): Promise<PredictBatchResult> {
  const model: StoredModel = record.algorithm === 'onnx' ? { format: 'onnx', bytes, features: record.features } : { format: 'trees', json: new TextDecoder().decode(bytes), features: record.features };
  if (batchCsvKind(csv, record.features) === 'bars') {
    const scored = await scorer.bars(model, parseOhlcvCsv(csv).bars);
    return table(record, 'time', scored.times, scored.values, scored.width, scored.skipped);
  }
  const rows = parseFeaturesCsv(csv, record.features);
  const scored = await scorer.features(model, rows.values, rows.rows);
  const keys = rows.times ?? Float64Array.from({ length: rows.rows }, (_, i) => i + FIRST_DATA_ROW);
  return table(record, rows.times ? 'time' : 'row', keys, scored.values, scored.width, 0);
}

/** Names of a model's outputs: the direction classes, a value, or numbered probabilities. */
export function outputColumns(record: Pick<ModelRecord, 'target'>, width: number): string[] {
  if (width === 1) return ['value'];
  if (record.target.kind === 'direction' && width === 3) return ['p_long', 'p_short', 'p_neutral'];
  return Array.from({ length: width }, (_, i) => `p_${i}`);
}

function table(record: ModelRecord, key: 'time' | 'row', keys: Float64Array, values: Float64Array, width: number, skipped: number): PredictBatchResult {
  const columns = [key, ...outputColumns(record, width)];
  const rows = Array.from(keys, (k, r) => [k, ...Array.from(values.subarray(r * width, (r + 1) * width))]);
  const csv = [columns.join(','), ...rows.map((row) => row.map((v, i) => (i === 0 ? String(v) : Number(v.toFixed(6)).toString())).join(','))].join('\n');
  return { columns, rows, csv, skipped };
}
