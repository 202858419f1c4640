/**
 * The price-file parser: the sample files, the syntax it tolerates, a large
 * generated file, and one refusal per rule, each pinned to its row and column.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { parseOhlcvCsv, type DatasetRefusal, type ParseOhlcvOptions } from './ohlcvCsv';

const SAMPLES = join(__dirname, '../../../../tests/fixtures/backtesting/data');
const sample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');
const H = 'Time,Open,High,Low,Close,Volume';

function refusal(text: string, options?: ParseOhlcvOptions): { message: string; data: DatasetRefusal } {
  try {
    parseOhlcvCsv(text, options);
  } catch (error) {
    if (error instanceof KeelError && error.code === 'VALIDATION_FAILED') return { message: error.message, data: error.data as DatasetRefusal };
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('parseOhlcvCsv on the sample files', () => {
  it('reads BTCUSD as 156 monthly bars', () => {
    const dataset = parseOhlcvCsv(sample('BTCUSD.csv'));
    expect(dataset.rows).toBe(156);
    expect(dataset.bars).toHaveLength(156);
    expect(dataset.timeframe).toEqual({ label: '1M', ms: 2_629_746_000, timeframe: null });
    expect(dataset.first).toEqual({ time: Date.UTC(2012, 0, 31), open: 4.58, high: 7.38, low: 3.8, close: 5.55, volume: 2012.25343589 });
    expect(dataset.last).toEqual({ time: Date.UTC(2024, 11, 31), open: 96515, high: 108364, low: 92092, close: 93381, volume: 25342.80228337 });
    expect(dataset.timeFormat).toBe('iso');
  });

  it('reads EURUSD as 5000 hourly bars', () => {
    const dataset = parseOhlcvCsv(sample('EURUSD.csv'));
    expect(dataset.rows).toBe(5000);
    expect(dataset.timeframe).toEqual({ label: '1h', ms: 3_600_000, timeframe: '1h' });
    expect(dataset.first).toEqual({ time: Date.UTC(2017, 3, 19, 9), open: 1.0716, high: 1.0722, low: 1.07083, close: 1.07219, volume: 1413 });
    expect(dataset.last).toEqual({ time: Date.UTC(2018, 1, 7, 15), open: 1.23427, high: 1.23444, low: 1.22904, close: 1.22904, volume: 6143 });
  });

  it('reads GOOG as 2148 daily bars despite weekends and holidays', () => {
    const dataset = parseOhlcvCsv(sample('GOOG.csv'));
    expect(dataset.rows).toBe(2148);
    expect(dataset.timeframe).toEqual({ label: '1d', ms: 86_400_000, timeframe: '1d' });
    expect(dataset.first).toEqual({ time: Date.UTC(2004, 7, 19), open: 100, high: 104.06, low: 95.96, close: 100.34, volume: 22351900 });
    expect(dataset.last).toEqual({ time: Date.UTC(2013, 2, 1), open: 797.8, high: 807.14, low: 796.15, close: 806.19, volume: 2175400 });
  });
});

describe('parseOhlcvCsv syntax', () => {
  const bar1 = { time: Date.UTC(2024, 0, 1), open: 10, high: 12, low: 9, close: 11, volume: 100 };
  const bar2 = { time: Date.UTC(2024, 0, 2), open: 11, high: 13, low: 10.5, close: 12.5, volume: 0 };

  it('takes a BOM, CRLF, blank trailing lines, any header case and column order, extra columns, quotes and blanks', () => {
    const text =
      '\uFEFF "DATE" ,close,Adj Close,volume,LOW,high,Open\r\n' +
      '2024-01-01,11,10.9,100,9,12,10\r\n' +
      '"2024-01-02", "12.5" ,12.4,0,10.5,13,11\r\n' +
      '\r\n  \r\n';
    const dataset = parseOhlcvCsv(text);
    expect(dataset.bars).toEqual([bar1, bar2]);
    expect(dataset.separator).toBe(',');
  });

  it('detects ";" from the header and allows "," inside quoted fields', () => {
    const dataset = parseOhlcvCsv('Timestamp;Open;High;Low;Close;Volume;Note\n2024-01-01;10;12;9;11;100;"a, b"\n2024-01-02;11;13;10.5;12.5;0;x');
    expect(dataset.bars).toEqual([bar1, bar2]);
    expect(dataset.separator).toBe(';');
  });

  it('sets volume to 0 when the column is absent and reads a file without a final line break', () => {
    const dataset = parseOhlcvCsv('datetime,open,high,low,close\n2024-01-01T00:00:00Z,10,12,9,11');
    expect(dataset.bars).toEqual([{ ...bar1, volume: 0 }]);
    expect(dataset.timeframe).toBeNull();
    expect(dataset.first).toBe(dataset.last);
  });

  it('reads epoch seconds and milliseconds, and zoned ISO times', () => {
    expect(parseOhlcvCsv(`${H}\n1704067200,10,12,9,11,100\n1704067260,10,12,9,11,100`)).toMatchObject({
      timeFormat: 'epoch-seconds',
      first: { time: 1_704_067_200_000 },
      timeframe: { label: '1m' },
    });
    expect(parseOhlcvCsv(`${H}\n1704067200000,10,12,9,11,100\n1704067500000,10,12,9,11,100`)).toMatchObject({
      timeFormat: 'epoch-milliseconds',
      first: { time: 1_704_067_200_000 },
      timeframe: { label: '5m' },
    });
    expect(parseOhlcvCsv(`${H}\n2024-01-01T02:00+02:00,10,12,9,11,100\n2024-01-01T01:00Z,10,12,9,11,100`).bars.map((b) => b.time)).toEqual([
      Date.UTC(2024, 0, 1, 0),
      Date.UTC(2024, 0, 1, 1),
    ]);
  });

  it('reads exponents, signs and a high or low equal to the open or close', () => {
    const dataset = parseOhlcvCsv(`${H}\n2024-01-01,+1e1,1.2E1,10,1.2e1,-0`);
    expect(dataset.first).toEqual({ time: Date.UTC(2024, 0, 1), open: 10, high: 12, low: 10, close: 12, volume: 0 });
    expect(Object.is(dataset.first.volume, 0)).toBe(true);
  });

  it('parses a generated 200,000-row file of one-minute bars', () => {
    const start = Date.UTC(2020, 0, 1);
    const lines = [H];
    for (let i = 0; i < 200_000; i++) {
      const open = 100 + (i % 97) / 8;
      const close = open + ((i % 13) - 6) / 16;
      lines.push(`${new Date(start + i * 60_000).toISOString()},${open},${Math.max(open, close) + 0.5},${Math.min(open, close) - 0.5},${close},${i % 1000}`);
    }
    const dataset = parseOhlcvCsv(`${lines.join('\n')}\n`);
    expect(dataset.rows).toBe(200_000);
    expect(dataset.timeframe).toEqual({ label: '1m', ms: 60_000, timeframe: '1m' });
    expect(dataset.first).toEqual({ time: start, open: 100, high: 100.5, low: 99.125, close: 99.625, volume: 0 });
    const i = 199_999;
    const open = 100 + (i % 97) / 8;
    const close = open + ((i % 13) - 6) / 16;
    expect(dataset.last).toEqual({ time: start + i * 60_000, open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: 999 });
  });
});

describe('parseOhlcvCsv refusals', () => {
  const ok = '2024-01-01,10,12,9,11,100';
  const cases: { rule: string; text: string; options?: ParseOhlcvOptions; where: string; data: DatasetRefusal }[] = [
    { rule: 'an empty file', text: '\uFEFF\n\n', where: 'Row 1:', data: { row: 1, column: null, columnName: null, rule: 'header' } },
    { rule: 'a missing header', text: `${ok}\n`, where: 'Row 1, column 1 (2024-01-01):', data: { row: 1, column: 1, columnName: '2024-01-01', rule: 'header' } },
    { rule: 'a first column that is not the time', text: 'Symbol,Open,High,Low,Close\n', where: 'Row 1, column 1 (Symbol):', data: { row: 1, column: 1, columnName: 'Symbol', rule: 'header' } },
    { rule: 'a second time column', text: 'Date,Time,Open,High,Low,Close\n', where: 'Row 1, column 2 (Time):', data: { row: 1, column: 2, columnName: 'Time', rule: 'header' } },
    { rule: 'a repeated column', text: 'Time,Open,High,Low,Close,open\n', where: 'Row 1, column 6 (open):', data: { row: 1, column: 6, columnName: 'open', rule: 'header' } },
    { rule: 'a missing required column', text: 'Time,Open,High,Low,Volume\n', where: 'Row 1: the header has no Close column', data: { row: 1, column: null, columnName: 'Close', rule: 'header' } },
    { rule: 'an unclosed quote', text: `${H}\n${ok}\n2024-01-02,"10,12,9,11,100\n`, where: 'Row 3, column 2 (Open):', data: { row: 3, column: 2, columnName: 'Open', rule: 'quote' } },
    { rule: 'text after a closing quote', text: `${H}\n2024-01-01,10,"12"x,9,11,100\n`, where: 'Row 2, column 3 (High):', data: { row: 2, column: 3, columnName: 'High', rule: 'quote' } },
    { rule: 'a row with too few fields', text: `${H}\n${ok}\n2024-01-02,10,12,9\n`, where: 'Row 3, column 5 (Close):', data: { row: 3, column: 5, columnName: 'Close', rule: 'field-count' } },
    { rule: 'a row with too many fields', text: `${H}\n${ok}\n2024-01-02,10,12,9,11,100,7\n`, where: 'Row 3, column 7:', data: { row: 3, column: 7, columnName: null, rule: 'field-count' } },
    { rule: 'a blank row before the end', text: `${H}\n${ok}\n\n2024-01-03,10,12,9,11,100\n`, where: 'Row 3:', data: { row: 3, column: null, columnName: null, rule: 'blank-row' } },
    { rule: 'an unreadable time', text: `${H}\n${ok}\n01/02/2024,10,12,9,11,100\n`, where: 'Row 3, column 1 (Time):', data: { row: 3, column: 1, columnName: 'Time', rule: 'time' } },
    { rule: 'an impossible date', text: `Date,Open,High,Low,Close\n2023-02-28,10,12,9,11\n2023-02-29,10,12,9,11\n`, where: 'Row 3, column 1 (Date):', data: { row: 3, column: 1, columnName: 'Date', rule: 'time' } },
    { rule: 'an epoch number too small to tell its unit', text: `${H}\n20240101,10,12,9,11,100\n`, where: 'Row 2, column 1 (Time):', data: { row: 2, column: 1, columnName: 'Time', rule: 'time' } },
    { rule: 'a change of time format', text: `${H}\n1704067200,10,12,9,11,100\n1704067260000,10,12,9,11,100\n`, where: 'Row 3, column 1 (Time):', data: { row: 3, column: 1, columnName: 'Time', rule: 'time-format' } },
    { rule: 'a repeated time', text: `${H}\n${ok}\n2024-01-02,10,12,9,11,100\n2024-01-02T00:00Z,10,12,9,11,100\n`, where: 'Row 4, column 1 (Time):', data: { row: 4, column: 1, columnName: 'Time', rule: 'time-order' } },
    { rule: 'a time out of order', text: `${H}\n${ok}\n2024-01-03,10,12,9,11,100\n2024-01-02,10,12,9,11,100\n`, where: 'Row 4, column 1 (Time):', data: { row: 4, column: 1, columnName: 'Time', rule: 'time-order' } },
    { rule: 'a value that is not a number', text: `${H}\n${ok}\n2024-01-02,10,12,9,1.1.1,100\n`, where: 'Row 3, column 5 (Close):', data: { row: 3, column: 5, columnName: 'Close', rule: 'number' } },
    { rule: 'a value that is not finite', text: `${H}\n2024-01-01,10,1e400,9,11,100\n`, where: 'Row 2, column 3 (High):', data: { row: 2, column: 3, columnName: 'High', rule: 'number' } },
    { rule: 'an empty value', text: `${H}\n2024-01-01,10,12,,11,100\n`, where: 'Row 2, column 4 (Low):', data: { row: 2, column: 4, columnName: 'Low', rule: 'number' } },
    { rule: 'a price that is not above zero', text: `${H}\n${ok}\n2024-01-02,0,12,9,11,100\n`, where: 'Row 3, column 2 (Open):', data: { row: 3, column: 2, columnName: 'Open', rule: 'price' } },
    { rule: 'a negative volume', text: `${H}\n${ok}\n2024-01-02,10,12,9,11,-1\n`, where: 'Row 3, column 6 (Volume):', data: { row: 3, column: 6, columnName: 'Volume', rule: 'volume' } },
    { rule: 'a low above the open or close', text: `Time,Close,Low,High,Open\n2024-01-01,11,10.5,12,10\n`, where: 'Row 2, column 3 (Low):', data: { row: 2, column: 3, columnName: 'Low', rule: 'low' } },
    { rule: 'a high below the open or close', text: `${H}\n${ok}\n2024-01-02,10,10.5,9,11,100\n`, where: 'Row 3, column 3 (High):', data: { row: 3, column: 3, columnName: 'High', rule: 'high' } },
    { rule: 'a header without bars', text: `${H}\n\n`, where: 'Row 2:', data: { row: 2, column: null, columnName: null, rule: 'no-rows' } },
    { rule: 'more rows than allowed', text: `${H}\n${ok}\n2024-01-02,10,12,9,11,100\n2024-01-03,10,12,9,11,100\n`, options: { maxRows: 2 }, where: 'Row 4:', data: { row: 4, column: null, columnName: null, rule: 'max-rows' } },
    { rule: 'more bytes than allowed', text: `${H}\n${ok}\n${ok}\n`, options: { maxBytes: H.length + 1 + ok.length + 5 }, where: 'Row 3:', data: { row: 3, column: null, columnName: null, rule: 'max-bytes' } },
  ];

  it.each(cases)('refuses $rule at its row and column', ({ text, options, where, data }) => {
    const { message, data: got } = refusal(text, options);
    expect(got).toEqual(data);
    expect(message.startsWith(where)).toBe(true);
  });

  it('names the blank time header "Time" and quotes the offending text', () => {
    const { message, data } = refusal(`,Open,High,Low,Close,Volume\n${ok}\n2024-01-02,10,12,abc,11,100\n`);
    expect(data).toEqual({ row: 3, column: 4, columnName: 'Low', rule: 'number' });
    expect(message).toContain('"abc"');
    expect(refusal(`,Open,High,Low,Close\n2024-01-02,10,12,9,11\n2024-01-01,10,12,9,11\n`).message).toMatch(/^Row 3, column 1 \(Time\): 2024-01-01T00:00:00.000Z is earlier than row 2/);
  });

  it('counts UTF-8 bytes, not characters, against the byte limit', () => {
    const text = `${H},Note\n2024-01-01,10,12,9,11,100,€€€\n`;
    expect(parseOhlcvCsv(text, { maxBytes: text.length + 6 }).rows).toBe(1);
    expect(refusal(text, { maxBytes: text.length + 5 }).data).toEqual({ row: 2, column: null, columnName: null, rule: 'max-bytes' });
  });

  it('rejects options that are not positive integers', () => {
    expect(() => parseOhlcvCsv(`${H}\n${ok}`, { maxRows: 0 })).toThrow(RangeError);
    expect(() => parseOhlcvCsv(`${H}\n${ok}`, { maxBytes: 1.5 })).toThrow(RangeError);
  });
});
