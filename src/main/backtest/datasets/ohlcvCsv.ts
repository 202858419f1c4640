/**
 * Reads a price file (CSV text of OHLCV bars) into bars a backtest can run
 * on, or refuses it with a `VALIDATION_FAILED` error that points at the row
 * and column at fault, the way a trader would find it in an editor.
 *
 * The file:
 * - starts with a header row (an optional BOM before it). Column 1 is the bar
 *   time, named Time, Date, Datetime or Timestamp, or left blank as pandas
 *   writes an index; Open, High, Low and Close follow in any order, Volume is
 *   optional (0 when absent) and other columns are ignored. Names are
 *   matched without regard to case or surrounding blanks;
 * - separates fields with "," or ";", whichever the header uses (the one
 *   that occurs more often outside quotes); fields may be quoted, with `""`
 *   for a quote inside;
 * - has one bar per line (LF or CRLF), every line with as many fields as the
 *   header, times strictly increasing; blank lines only at the end;
 * - gives times as read by `readBarTime` (ISO dates and date-times, UTC when
 *   no zone is written, or epoch seconds or milliseconds told apart by
 *   magnitude), all rows in the same one of those three forms;
 * - gives prices as finite decimals above zero (a dot for the decimal point,
 *   an exponent allowed), volume as a finite decimal of zero or more, with
 *   low <= min(open, close) and high >= max(open, close).
 *
 * Rows are counted from 1 with the header as row 1, so row n is line n of
 * the file. Parsing walks the text once by index; it never splits the text
 * into lines or fields, so memory is the text plus the bars.
 */
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { detectBarSpacing, type BarSpacing } from './barSpacing';
import { excerpt, newTimeReading, readBarTime, type TimeFormat, type TimeReading } from './barTime';
import { FieldCursor, readDecimal, type FieldStatus } from './csvFields';

export const DEFAULT_MAX_ROWS = 5_000_000;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface ParseOhlcvOptions {
  /** Most data rows accepted, the header not counted; default 5,000,000. */
  maxRows?: number;
  /** Most bytes accepted, counting the text as UTF-8 (a BOM included); default 512 MiB. */
  maxBytes?: number;
}

export interface OhlcvDataset {
  /** The bars, oldest first, prices and volume as the file gives them. */
  bars: Bar[];
  /** The most common gap between bars; null for a single bar. */
  timeframe: BarSpacing | null;
  /** Number of bars (data rows). */
  rows: number;
  /** The oldest bar (`bars[0]`). */
  first: Bar;
  /** The newest bar (`bars[rows - 1]`). */
  last: Bar;
  /** How the file writes its times, so a caller can show how epoch numbers were read. */
  timeFormat: TimeFormat;
  separator: ',' | ';';
}

/** Which rule a refused file broke, for programs; the message is for people. */
export type DatasetRule =
  | 'header'
  | 'quote'
  | 'field-count'
  | 'blank-row'
  | 'time'
  | 'time-format'
  | 'time-order'
  | 'number'
  | 'price'
  | 'volume'
  | 'low'
  | 'high'
  | 'no-rows'
  | 'max-rows'
  | 'max-bytes';

/** The `data` of a refusal. */
export interface DatasetRefusal {
  /** 1-based, the header being row 1. */
  row: number;
  /** 1-based column, or null when the fault is the whole row or a column the header lacks. */
  column: number | null;
  /** The column's name as the header writes it ('Time' for a blank time header), or null when it has none. */
  columnName: string | null;
  rule: DatasetRule;
}

const TIME = 1;
const OPEN = 2;
const HIGH = 3;
const LOW = 4;
const CLOSE = 5;
const VOLUME = 6;
const IGNORED = 0;

const TIME_NAMES: ReadonlySet<string> = new Set(['', 'time', 'date', 'datetime', 'timestamp']);
const VALUE_COLUMNS: ReadonlyMap<string, { role: number; name: string }> = new Map([
  ['open', { role: OPEN, name: 'Open' }],
  ['high', { role: HIGH, name: 'High' }],
  ['low', { role: LOW, name: 'Low' }],
  ['close', { role: CLOSE, name: 'Close' }],
  ['volume', { role: VOLUME, name: 'Volume' }],
]);
const REQUIRED = ['Open', 'High', 'Low', 'Close'] as const;
const COLUMNS_HINT = 'the time first (Time, Date, Datetime or Timestamp, or blank), then Open, High, Low, Close and optionally Volume';

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const SEMICOLON = 59;
const QUOTE = 34;

export function parseOhlcvCsv(text: string, options: ParseOhlcvOptions = {}): OhlcvDataset {
  const maxRows = limit(options.maxRows, DEFAULT_MAX_ROWS, 'maxRows');
  const maxBytes = limit(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes');
  checkSize(text, maxBytes);

  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (isBlankRange(text, pos, length)) {
    refuse(1, null, null, 'header', `the file is empty; a header row is required: ${COLUMNS_HINT}`);
  }

  // Header.
  let lineBreak = text.indexOf('\n', pos);
  if (lineBreak < 0) lineBreak = length;
  let lineEnd = contentEnd(text, pos, lineBreak);
  const separator = detectSeparator(text, pos, lineEnd);
  const cursor = new FieldCursor(text, separator);
  const reading = newTimeReading();
  const header = readHeader(text, cursor, pos, lineEnd, reading);
  const { roles, names } = header;
  const columns = roles.length;
  pos = lineBreak + 1;

  const bars: Bar[] = [];
  let row = 1;
  let timeFormat: TimeFormat = 'iso';
  let previousTime = Number.NEGATIVE_INFINITY;

  while (pos < length) {
    row++;
    lineBreak = text.indexOf('\n', pos);
    if (lineBreak < 0) lineBreak = length;
    lineEnd = contentEnd(text, pos, lineBreak);

    if (lineEnd === pos || isBlank(text.charCodeAt(pos))) {
      if (isBlankRange(text, pos, lineEnd)) {
        if (isBlankRange(text, lineBreak, length)) break;
        refuse(row, null, null, 'blank-row', 'the row is blank; blank lines are allowed only at the end of the file');
      }
    }
    if (bars.length >= maxRows) {
      refuse(row, null, null, 'max-rows', `the file has more than ${maxRows.toLocaleString('en-US')} bars, the most accepted`);
    }

    cursor.reset(pos, lineEnd);
    let time = 0;
    let open = 0;
    let high = 0;
    let low = 0;
    let close = 0;
    let volume = 0;
    for (let c = 0; c < columns; c++) {
      if (cursor.done) {
        refuse(row, c + 1, names[c] ?? null, 'field-count', `the row ends after ${c} field${c === 1 ? '' : 's'}; the header has ${columns}`);
      }
      const status = cursor.next();
      if (status !== 'ok') refuseQuote(row, c + 1, names[c] ?? null, status);
      const role = roles[c]!;
      if (role === IGNORED) continue;
      const start = cursor.start;
      const end = cursor.end;
      if (role === TIME) {
        if (cursor.escaped || !readBarTime(text, start, end, reading)) {
          refuse(row, c + 1, names[c] ?? null, 'time', cursor.escaped ? `"${excerpt(text, start, end)}" is not a time` : reading.problem);
        }
        if (bars.length === 0) {
          timeFormat = reading.format;
        } else if (reading.format !== timeFormat) {
          refuse(row, c + 1, names[c] ?? null, 'time-format', `the time is written as ${describeFormat(reading.format)}, but the rows before it use ${describeFormat(timeFormat)}`);
        }
        time = reading.ms;
        if (time <= previousTime) {
          const order = time === previousTime ? `repeats the time of row ${row - 1}` : `is earlier than row ${row - 1} (${new Date(previousTime).toISOString()})`;
          refuse(row, c + 1, names[c] ?? null, 'time-order', `${new Date(time).toISOString()} ${order}; times must be strictly increasing`);
        }
        continue;
      }
      const value = cursor.escaped ? Number.NaN : readDecimal(text, start, end);
      if (!Number.isFinite(value)) {
        refuse(row, c + 1, names[c] ?? null, 'number', `"${excerpt(text, start, end)}" is not a finite number (use digits with a dot for decimals)`);
      }
      if (role === VOLUME) {
        if (value < 0) refuse(row, c + 1, names[c] ?? null, 'volume', `the volume ${excerpt(text, start, end)} is negative`);
        volume = value + 0; // turns -0 into 0
        continue;
      }
      if (value <= 0) refuse(row, c + 1, names[c] ?? null, 'price', `the price ${excerpt(text, start, end)} is not above zero`);
      if (role === OPEN) open = value;
      else if (role === HIGH) high = value;
      else if (role === LOW) low = value;
      else close = value;
    }
    if (!cursor.done) {
      refuse(row, columns + 1, null, 'field-count', `the row has more fields than the header's ${columns}`);
    }
    if (low > open || low > close) {
      refuse(row, header.lowColumn, names[header.lowColumn - 1] ?? null, 'low', `the low ${low} is above the ${low > open ? `open ${open}` : `close ${close}`}`);
    }
    if (high < open || high < close) {
      refuse(row, header.highColumn, names[header.highColumn - 1] ?? null, 'high', `the high ${high} is below the ${high < open ? `open ${open}` : `close ${close}`}`);
    }
    bars.push({ time, open, high, low, close, volume });
    previousTime = time;
    pos = lineBreak + 1;
  }

  if (bars.length === 0) refuse(2, null, null, 'no-rows', 'the file has a header but no bars');
  return {
    bars,
    timeframe: detectBarSpacing(bars),
    rows: bars.length,
    first: bars[0]!,
    last: bars[bars.length - 1]!,
    timeFormat,
    separator: separator === SEMICOLON ? ';' : ',',
  };
}

interface Header {
  roles: number[];
  /** Each column's name for messages; null for a blank name. */
  names: (string | null)[];
  lowColumn: number;
  highColumn: number;
}

function readHeader(text: string, cursor: FieldCursor, start: number, end: number, reading: TimeReading): Header {
  const roles: number[] = [];
  const names: (string | null)[] = [];
  const seen = new Map<number, number>();
  cursor.reset(start, end);
  while (!cursor.done) {
    const column = roles.length + 1;
    const status = cursor.next();
    if (status !== 'ok') refuseQuote(1, column, null, status);
    const name = cursor.value().trim();
    const key = name.toLowerCase();
    if (column === 1) {
      if (!TIME_NAMES.has(key)) {
        const looksLikeData = readBarTime(text, cursor.start, cursor.end, reading) || Number.isFinite(readDecimal(text, cursor.start, cursor.end));
        refuse(
          1,
          1,
          name,
          'header',
          looksLikeData
            ? `"${excerpt(name, 0, name.length)}" looks like data, but a header row is required: ${COLUMNS_HINT}`
            : `the first column must be the bar time: ${COLUMNS_HINT}`,
        );
      }
      roles.push(TIME);
      names.push(name === '' ? 'Time' : name);
      continue;
    }
    if (key !== '' && TIME_NAMES.has(key)) {
      refuse(1, column, name, 'header', 'only column 1 may hold the time; a file with the date and the time in separate columns needs them joined');
    }
    const known = VALUE_COLUMNS.get(key);
    const role = known?.role ?? IGNORED;
    if (known) {
      const earlier = seen.get(role);
      if (earlier !== undefined) refuse(1, column, name, 'header', `${known.name} is already column ${earlier}`);
      seen.set(role, column);
    }
    roles.push(role);
    names.push(name === '' ? null : name);
  }
  for (const required of REQUIRED) {
    if (!seen.has(VALUE_COLUMNS.get(required.toLowerCase())!.role)) {
      refuse(1, null, required, 'header', `the header has no ${required} column; it needs ${COLUMNS_HINT}`);
    }
  }
  return { roles, names, lowColumn: seen.get(LOW)!, highColumn: seen.get(HIGH)! };
}

/** The separator the header line uses more often outside quotes; a comma when it uses neither. */
export function detectSeparator(text: string, start: number, end: number): number {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === COMMA) commas++;
    else if (c === SEMICOLON) semicolons++;
  }
  return semicolons > commas ? SEMICOLON : COMMA;
}

function describeFormat(format: TimeFormat): string {
  return format === 'iso' ? 'an ISO date' : format === 'epoch-seconds' ? 'epoch seconds' : 'epoch milliseconds';
}

/** The end of a line's content: before the line break, and before a CR that precedes it. */
export function contentEnd(text: string, start: number, lineBreak: number): number {
  return lineBreak > start && text.charCodeAt(lineBreak - 1) === CR ? lineBreak - 1 : lineBreak;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Whether `text[start, end)` holds nothing but blanks and line breaks. */
export function isBlankRange(text: string, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c !== SPACE && c !== TAB && c !== NEWLINE && c !== CR) return false;
  }
  return true;
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Refuses text over `maxBytes` of UTF-8, at the row where the limit is crossed. */
function checkSize(text: string, maxBytes: number): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, two units, is 4).
  if (text.length * 3 <= maxBytes) return;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : c >= 0xdc00 && c <= 0xdfff ? 0 : 3;
    if (bytes > maxBytes) {
      let row = 1;
      for (let p = text.indexOf('\n'); p >= 0 && p < i; p = text.indexOf('\n', p + 1)) row++;
      refuse(row, null, null, 'max-bytes', `the file is larger than ${maxBytes.toLocaleString('en-US')} bytes, the most accepted`);
    }
  }
}

function refuseQuote(row: number, column: number, name: string | null, status: Exclude<FieldStatus, 'ok'>): never {
  refuse(
    row,
    column,
    name,
    'quote',
    status === 'unterminated-quote' ? 'a quoted field is not closed on its line' : 'a quoted field is followed by text before the next separator',
  );
}

function refuse(row: number, column: number | null, columnName: string | null, rule: DatasetRule, reason: string): never {
  const where = column === null ? `Row ${row}` : `Row ${row}, column ${column}${columnName ? ` (${columnName})` : ''}`;
  const data: DatasetRefusal = { row, column, columnName, rule };
  throw new KeelError('VALIDATION_FAILED', `${where}: ${reason}.`, data);
}
