import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { batchCsvKind, parseFeaturesCsv, type FeaturesCsvRefusal } from './featuresCsv';

const FEATURES = ['ret_1', 'rsi_14', 'atr_14_norm'];

function refusal(text: string, features: readonly string[] = FEATURES): { message: string; data: FeaturesCsvRefusal } {
  try {
    parseFeaturesCsv(text, features);
  } catch (error) {
    if (error instanceof KeelError && error.code === 'VALIDATION_FAILED') return { message: error.message, data: error.data as FeaturesCsvRefusal };
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('batchCsvKind', () => {
  it('tells a features file from a file of bars by its header', () => {
    expect(batchCsvKind('time,rsi_14,ret_1,atr_14_norm\n1,2,3,4', FEATURES)).toBe('features');
    // One feature named is enough to read it as features (the rest is then refused by name).
    expect(batchCsvKind('rsi_14;foo\n1;2', FEATURES)).toBe('features');
    expect(batchCsvKind('\uFEFFTime,Open,High,Low,Close,Volume\n', FEATURES)).toBe('bars');
    expect(batchCsvKind('"date","close"\n', FEATURES)).toBe('bars');
  });

  it('refuses a header that names neither, saying what each kind needs', () => {
    expect(() => batchCsvKind('a,b,c\n1,2,3', FEATURES)).toThrow(/Row 1: the header names neither bars \(Time, Open, High, Low, Close, Volume\) nor any of the model's features \(ret_1, rsi_14, atr_14_norm\)/);
  });
});

describe('parseFeaturesCsv', () => {
  it('takes the features by name in any column order, with a leading time column, into the model order', () => {
    const rows = parseFeaturesCsv('Timestamp,atr_14_norm,ret_1,rsi_14\r\n1700000000000,0.5,-0.001,55\r\n1700000060000,0.25,2e-3,45.5\r\n\r\n', FEATURES);
    expect(rows.rows).toBe(2);
    expect(Array.from(rows.times!)).toEqual([1_700_000_000_000, 1_700_000_060_000]);
    expect(Array.from(rows.values)).toEqual(Array.from(Float32Array.from([-0.001, 55, 0.5, 0.002, 45.5, 0.25])));
  });

  it('reads a file without times, a semicolon file, quoted names and a blank pandas index header', () => {
    const plain = parseFeaturesCsv('rsi_14,ret_1,atr_14_norm\n50,0,1\n', FEATURES);
    expect(plain.times).toBeNull();
    expect(Array.from(plain.values)).toEqual([0, 50, 1]);
    const semi = parseFeaturesCsv(';"ret_1";"rsi_14";"atr_14_norm"\n2024-01-02T03:04:00Z;1;2;3', FEATURES);
    expect(Array.from(semi.times!)).toEqual([Date.UTC(2024, 0, 2, 3, 4)]);
    expect(Array.from(semi.values)).toEqual([1, 2, 3]);
  });

  it('refuses a missing feature, naming it at the header row', () => {
    expect(refusal('time,ret_1,rsi_14\n1700000000000,1,2')).toEqual({
      message: "Row 1: the header has no column for the model's feature atr_14_norm.",
      data: { row: 1, column: null, columnName: 'atr_14_norm', rule: 'missing-feature' },
    });
  });

  it('refuses an unknown extra column at its column, with a hint for a name in the wrong case', () => {
    expect(refusal('ret_1,rsi_14,atr_14_norm,close\n1,2,3,4').data).toEqual({ row: 1, column: 4, columnName: 'close', rule: 'unknown-column' });
    expect(refusal('ret_1,RSI_14,atr_14_norm\n1,2,3').message).toBe('Row 1, column 2 (RSI_14): "RSI_14" is not one of the model\'s features; did you mean rsi_14? (names must match exactly).');
    expect(refusal('ret_1,time,rsi_14,atr_14_norm\n1,2,3,4').message).toMatch(/^Row 1, column 2 \(time\): only column 1 may hold the time/);
    expect(refusal('ret_1,,rsi_14,atr_14_norm\n1,2,3,4').data).toEqual({ row: 1, column: 2, columnName: null, rule: 'unknown-column' });
    expect(refusal('ret_1,rsi_14,atr_14_norm,ret_1\n1,2,3,4').data).toEqual({ row: 1, column: 4, columnName: 'ret_1', rule: 'header' });
  });

  it('refuses a bad number at its row and column', () => {
    const text = 'time,rsi_14,ret_1,atr_14_norm\n1700000000000,50,0.1,1\n1700000060000,50,abc,1\n';
    expect(refusal(text)).toEqual({
      message: 'Row 3, column 3 (ret_1): "abc" is not a finite number (use digits with a dot for decimals).',
      data: { row: 3, column: 3, columnName: 'ret_1', rule: 'number' },
    });
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,,3').message).toBe('Row 2, column 2 (rsi_14): the value is missing; every feature needs a finite number.');
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,NaN,3').data.rule).toBe('number');
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,Infinity,3').data.rule).toBe('number');
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,"1,5",3').data).toMatchObject({ row: 2, column: 2, rule: 'number' });
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,1e39,3').message).toMatch(/too large for a model input/);
  });

  it('refuses rows with too few or too many fields, bad times, blank rows inside and a file without rows', () => {
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,2').data).toEqual({ row: 2, column: 3, columnName: 'atr_14_norm', rule: 'field-count' });
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,2,3,4').data).toEqual({ row: 2, column: 4, columnName: null, rule: 'field-count' });
    expect(refusal('time,ret_1,rsi_14,atr_14_norm\nyesterday,1,2,3').data).toMatchObject({ row: 2, column: 1, columnName: 'time', rule: 'time' });
    expect(refusal('time,ret_1,rsi_14,atr_14_norm\n1700000000,1,2,3\n1700000000000,1,2,3').data).toMatchObject({ row: 3, column: 1, rule: 'time-format' });
    expect(refusal('ret_1,rsi_14,atr_14_norm\n1,2,3\n\n1,2,3').data).toEqual({ row: 3, column: null, columnName: null, rule: 'blank-row' });
    expect(refusal('ret_1,rsi_14,atr_14_norm\n').data).toEqual({ row: 2, column: null, columnName: null, rule: 'no-rows' });
    expect(refusal('  \n').data.rule).toBe('header');
    expect(refusal('ret_1,"rsi_14,atr_14_norm\n1,2,3').data).toMatchObject({ row: 1, rule: 'quote' });
  });

  it('refuses more rows than it accepts', () => {
    expect(() => parseFeaturesCsv('ret_1\n1\n2\n3', ['ret_1'], { maxRows: 2 })).toThrow(/Row 4: the file has more than 2 rows/);
    // Many rows grow the buffers without losing one.
    const many = ['ret_1,rsi_14', ...Array.from({ length: 5_000 }, (_, i) => `${i},${-i}`)].join('\n');
    const rows = parseFeaturesCsv(many, ['rsi_14', 'ret_1']);
    expect(rows.rows).toBe(5_000);
    expect(rows.values[2 * 4_999]).toBe(-4_999);
    expect(rows.values[2 * 4_999 + 1]).toBe(4_999);
  });
});
