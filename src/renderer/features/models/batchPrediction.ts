/**
 * The batch prediction section's model: which file may be sent, the first
 * rows of the answer as the trader reads them (the time or the file's row,
 * the call the model makes and its confidence, each output), a summary
 * line, and the name the full CSV is saved under. The engine answers the
 * table; the call and confidence are read from its columns here.
 */
import { MAX_PREDICT_CSV_CHARS, type PredictBatchResult } from '../../../shared/contract';
import type { ModelRecord } from '../../../shared/models';
import { fmtDateTime } from '../../lib/format';
import { DIRECTION_CLASS_NAMES } from './modelMetrics';

/** Rows shown on screen; the download has them all. */
export const PREVIEW_ROWS = 20;

const DIRECTION_COLUMNS = ['p_long', 'p_short', 'p_neutral'];

export interface PreviewRow {
  /** The bar's time, or "Row n" of the file. */
  key: string;
  /** The class with the highest probability ("Long", "Class 1"), or the forecast's direction ("Up", "Down", "Flat"). */
  call: string;
  /** The chosen class's probability; null for a forecast value. */
  confidence: number | null;
  outputs: number[];
}

export interface BatchPreview {
  /** Output column headings, after the key, call and confidence. */
  outputs: string[];
  keyLabel: 'Time' | 'Row';
  rows: PreviewRow[];
  /** Rows in the answer (the preview shows the first PREVIEW_ROWS). */
  total: number;
}

/** "P(long)", "P(class 2)", "Forecast". */
export function outputLabel(column: string): string {
  if (column === 'value') return 'Forecast';
  const name = column.replace(/^p_/, '');
  return /^\d+$/.test(name) ? `P(class ${name})` : `P(${name})`;
}

function callOf(columns: readonly string[], outputs: readonly number[]): { call: string; confidence: number | null } {
  if (outputs.length === 1) {
    const v = outputs[0]!;
    return { call: v > 0 ? 'Up' : v < 0 ? 'Down' : 'Flat', confidence: null };
  }
  let best = 0;
  for (let i = 1; i < outputs.length; i++) if (outputs[i]! > outputs[best]!) best = i;
  const direction = DIRECTION_COLUMNS.indexOf(columns[best]!);
  return { call: direction >= 0 ? DIRECTION_CLASS_NAMES[direction]! : `Class ${best}`, confidence: outputs[best]! };
}

export function previewBatch(result: PredictBatchResult, limit: number = PREVIEW_ROWS): BatchPreview {
  const keyLabel = result.columns[0] === 'row' ? 'Row' : 'Time';
  const outputColumns = result.columns.slice(1);
  const rows = result.rows.slice(0, limit).map((row) => {
    const outputs = row.slice(1);
    return { key: keyLabel === 'Row' ? `Row ${row[0]}` : fmtDateTime(row[0]!).slice(0, 16), ...callOf(outputColumns, outputs), outputs };
  });
  return { outputs: outputColumns.map(outputLabel), keyLabel, rows, total: result.rows.length };
}

/** "1,234 rows scored; the first 70 bars warmed up the features." */
export function describeBatch(result: PredictBatchResult): string {
  const n = result.rows.length;
  const scored = `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} scored`;
  if (result.skipped === 0) return `${scored}.`;
  return `${scored}; the first ${result.skipped.toLocaleString('en-US')} bar${result.skipped === 1 ? '' : 's'} warmed up the features.`;
}

/** Whether a picked file can be sent: not empty, not larger than the contract takes. */
export function checkBatchFile(fileName: string, text: string): string | null {
  if (text.trim() === '') return `${fileName} is empty.`;
  if (text.length > MAX_PREDICT_CSV_CHARS) return `${fileName} is larger than ${MAX_PREDICT_CSV_CHARS / 1024 / 1024} MiB; split it and score the parts.`;
  return null;
}

/** "btc-direction-v2-prices.csv": the model, then the file it scored. */
export function batchFileName(model: Pick<ModelRecord, 'name' | 'version'>, fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|txt)$/i, '');
  const safe = (text: string) => text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe(model.name) || 'model'}-v${model.version}-${safe(base) || 'predictions'}.csv`;
}
