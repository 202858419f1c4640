/**
 * Reads a features file for a batch prediction: a CSV whose header names a
 * model's features, so rows computed elsewhere can be scored by the model
 * as they are. Or tells it apart from a file of bars, which Keel's feature
 * pipeline turns into rows itself.
 *
 * The file:
 * - starts with a header row (an optional BOM before it), fields separated
 *   by "," or ";" (the one the header uses more often), quoted as in a
 *   price file;
 * - may start with a time column (Time, Date, Datetime or Timestamp, or a
 *   blank name as pandas writes an index); every other column names one of
 *   the model's features, exactly as the model names it, in any order.
 *   Every feature must have its column; a column that is no feature of the
 *   model, or a feature named twice, refuses the file;
 * - has one row per line, as many fields as the header; each feature value
 *   a finite decimal (a dot for the decimal point, an exponent allowed);
 *   times as in a price file, all in one form; blank lines only at the end.
 *
 * Refusals are `VALIDATION_FAILED` with the row and column at fault, rows
 * counted from 1 with the header as row 1 (the line an editor shows).
 */
import { KeelError } from '../../../shared/errors';
import { excerpt, newTimeReading, readBarTime, type TimeFormat } from '../../backtest/datasets/barTime';
import { FieldCursor, readDecimal, type FieldStatus } from '../../backtest/datasets/csvFields';
import { contentEnd, detectSeparator, isBlankRange } from '../../backtest/datasets/ohlcvCsv';

export const DEFAULT_MAX_FEATURE_ROWS = 1_000_000;

export interface FeatureRows {
  /** rows × features, each row in the model's feature order. */
  values: Float32Array;
  /** Number of data rows. */
  rows: number;
  /** Each row's time when the file has a time column, else null. */
  times: Float64Array | null;
}

/** Which rule a refused file broke, for programs; the message is for people. */
export type FeaturesCsvRule = 'header' | 'unknown-column' | 'missing-feature' | 'quote' | 'field-count' | 'blank-row' | 'time' | 'time-format' | 'number' | 'no-rows' | 'max-rows';

/** The `data` of a refusal. */
export interface FeaturesCsvRefusal {
  /** 1-based, the header being row 1. */
  row: number;
  /** 1-based column, or null when the fault is the whole row or a column the header lacks. */
  column: number | null;
  /** The column's name as the header writes it (or the missing feature's), or null. */
  columnName: string | null;
  rule: FeaturesCsvRule;
}

const TIME_NAMES: ReadonlySet<string> = new Set(['', 'time', 'date', 'datetime', 'timestamp']);
const BAR_NAMES: ReadonlySet<string> = new Set(['open', 'high', 'low', 'close']);
/** Models read 32-bit floats: beyond this a value would become infinite. */
const FLOAT32_MAX = 3.4028234663852886e38;
const NO_COLUMN = -1;
const TIME_COLUMN = -2;

/**
 * Whether a batch file holds bars or rows of the model's features, from its
 * header: features when it names any of them; bars when it names Open, High,
 * Low or Close; refused when it names neither.
 */
export function batchCsvKind(text: string, features: readonly string[]): 'bars' | 'features' {
  const names = headerNames(text);
  const wanted = new Set(features);
  if (names.some((n) => wanted.has(n))) return 'features';
  if (names.some((n) => BAR_NAMES.has(n.toLowerCase()))) return 'bars';
  refuse(
    1,
    null,
    null,
    'header',
    `the header names neither bars (Time, Open, High, Low, Close, Volume) nor any of the model's features (${list(features)}); a features file has a column per feature, optionally after a time column`,
  );
}

export function parseFeaturesCsv(text: string, features: readonly string[], options: { maxRows?: number } = {}): FeatureRows {
  const maxRows = options.maxRows ?? DEFAULT_MAX_FEATURE_ROWS;
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (isBlankRange(text, pos, length)) refuse(1, null, null, 'header', `the file is empty; a header row naming the model's features is required (${list(features)})`);

  let lineBreak = text.indexOf('\n', pos);
  if (lineBreak < 0) lineBreak = length;
  let lineEnd = contentEnd(text, pos, lineBreak);
  const cursor = new FieldCursor(text, detectSeparator(text, pos, lineEnd));
  const header = readHeader(cursor, pos, lineEnd, features);
  const { slots, names } = header;
  const columns = slots.length;
  const width = features.length;
  pos = lineBreak + 1;

  // Grown as rows arrive: the row count is known only at the end.
  let values = new Float32Array(Math.max(width, 1) * 1024);
  let times: Float64Array | null = header.hasTime ? new Float64Array(1024) : null;
  const reading = newTimeReading();
  let timeFormat: TimeFormat | null = null;
  let rows = 0;
  let row = 1;

  while (pos < length) {
    row++;
    lineBreak = text.indexOf('\n', pos);
    if (lineBreak < 0) lineBreak = length;
    lineEnd = contentEnd(text, pos, lineBreak);
    if (isBlankRange(text, pos, lineEnd)) {
      if (isBlankRange(text, lineBreak, length)) break;
      refuse(row, null, null, 'blank-row', 'the row is blank; blank lines are allowed only at the end of the file');
    }
    if (rows >= maxRows) refuse(row, null, null, 'max-rows', `the file has more than ${maxRows.toLocaleString('en-US')} rows, the most accepted`);
    if ((rows + 1) * width > values.length) values = grow(values, values.length * 2);
    if (times && rows >= times.length) times = grow(times, times.length * 2);

    cursor.reset(pos, lineEnd);
    for (let c = 0; c < columns; c++) {
      if (cursor.done) refuse(row, c + 1, names[c]!, 'field-count', `the row ends after ${c} field${c === 1 ? '' : 's'}; the header has ${columns}`);
      const status = cursor.next();
      if (status !== 'ok') refuseQuote(row, c + 1, names[c]!, status);
      const slot = slots[c]!;
      if (slot === TIME_COLUMN) {
        if (cursor.escaped || !readBarTime(text, cursor.start, cursor.end, reading)) {
          refuse(row, c + 1, names[c]!, 'time', cursor.escaped ? `"${excerpt(text, cursor.start, cursor.end)}" is not a time` : reading.problem);
        }
        if (timeFormat === null) timeFormat = reading.format;
        else if (reading.format !== timeFormat) refuse(row, c + 1, names[c]!, 'time-format', `the time is written as ${describeFormat(reading.format)}, but the rows before it use ${describeFormat(timeFormat)}`);
        times![rows] = reading.ms;
        continue;
      }
      const value = cursor.escaped ? Number.NaN : readDecimal(text, cursor.start, cursor.end);
      if (!Number.isFinite(value)) {
        const shown = excerpt(text, cursor.start, cursor.end);
        refuse(row, c + 1, names[c]!, 'number', shown === '' ? 'the value is missing; every feature needs a finite number' : `"${shown}" is not a finite number (use digits with a dot for decimals)`);
      }
      if (Math.abs(value) > FLOAT32_MAX) refuse(row, c + 1, names[c]!, 'number', `${excerpt(text, cursor.start, cursor.end)} is too large for a model input (at most about ±3.4e38)`);
      values[rows * width + slot] = value;
    }
    if (!cursor.done) refuse(row, columns + 1, null, 'field-count', `the row has more fields than the header's ${columns}`);
    rows++;
    pos = lineBreak + 1;
  }

  if (rows === 0) refuse(2, null, null, 'no-rows', 'the file has a header but no rows');
  return { values: values.slice(0, rows * width), rows, times: times ? times.slice(0, rows) : null };
}

interface Header {
  /** Per column: the feature's index in the model's order, or TIME_COLUMN. */
  slots: number[];
  /** Each column's name for messages ('Time' for a blank time header). */
  names: string[];
  hasTime: boolean;
}

function readHeader(cursor: FieldCursor, start: number, end: number, features: readonly string[]): Header {
  const index = new Map(features.map((f, i) => [f, i]));
  const seen = new Map<number, number>();
  const slots: number[] = [];
  const names: string[] = [];
  cursor.reset(start, end);
  while (!cursor.done) {
    const column = slots.length + 1;
    const status = cursor.next();
    if (status !== 'ok') refuseQuote(1, column, null, status);
    const name = cursor.value().trim();
    const feature = index.get(name) ?? NO_COLUMN;
    if (feature === NO_COLUMN && column === 1 && TIME_NAMES.has(name.toLowerCase())) {
      slots.push(TIME_COLUMN);
      names.push(name === '' ? 'Time' : name);
      continue;
    }
    if (feature === NO_COLUMN) {
      const near = features.find((f) => f.toLowerCase() === name.toLowerCase());
      const why =
        name === ''
          ? 'the column has no name; only a time column in column 1 may be blank'
          : TIME_NAMES.has(name.toLowerCase())
            ? 'only column 1 may hold the time'
            : near
              ? `"${name}" is not one of the model's features; did you mean ${near}? (names must match exactly)`
              : `"${name}" is not one of the model's features (${list(features)}); remove the column`;
      refuse(1, column, name === '' ? null : name, 'unknown-column', why);
    }
    const earlier = seen.get(feature);
    if (earlier !== undefined) refuse(1, column, name, 'header', `${name} is already column ${earlier}`);
    seen.set(feature, column);
    slots.push(feature);
    names.push(name);
  }
  const missing = features.filter((_, i) => !seen.has(i));
  if (missing.length > 0) {
    refuse(1, null, missing[0]!, 'missing-feature', `the header has no column for the model's feature${missing.length === 1 ? '' : 's'} ${list(missing)}`);
  }
  return { slots, names, hasTime: slots[0] === TIME_COLUMN };
}

/** The header's names, trimmed and unquoted (for telling the two kinds of file apart). */
function headerNames(text: string): string[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineBreak = text.indexOf('\n', start);
  if (lineBreak < 0) lineBreak = text.length;
  const end = contentEnd(text, start, lineBreak);
  const cursor = new FieldCursor(text, detectSeparator(text, start, end));
  cursor.reset(start, end);
  const names: string[] = [];
  while (!cursor.done) {
    if (cursor.next() !== 'ok') break;
    names.push(cursor.value().trim());
  }
  return names;
}

function grow<T extends Float32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/** Names for a message: all of a short list, the first few of a long one. */
function list(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`;
}

function describeFormat(format: TimeFormat): string {
  return format === 'iso' ? 'an ISO date' : format === 'epoch-seconds' ? 'epoch seconds' : 'epoch milliseconds';
}

function refuseQuote(row: number, column: number, name: string | null, status: Exclude<FieldStatus, 'ok'>): never {
  refuse(row, column, name, 'quote', status === 'unterminated-quote' ? 'a quoted field is not closed on its line' : 'a quoted field is followed by text before the next separator');
}

function refuse(row: number, column: number | null, columnName: string | null, rule: FeaturesCsvRule, reason: string): never {
  const where = column === null ? `Row ${row}` : `Row ${row}, column ${column}${columnName ? ` (${columnName})` : ''}`;
  const data: FeaturesCsvRefusal = { row, column, columnName, rule };
  throw new KeelError('VALIDATION_FAILED', `${where}: ${reason}.`, data);
}
