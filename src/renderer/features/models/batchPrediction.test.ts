import { describe, expect, it } from 'vitest';
import { MAX_PREDICT_CSV_CHARS, type PredictBatchResult } from '../../../shared/contract';
import { fmtDateTime } from '../../lib/format';
import { batchFileName, checkBatchFile, describeBatch, outputLabel, previewBatch } from './batchPrediction';

function result(columns: string[], rows: number[][], skipped = 0): PredictBatchResult {
  return { columns, rows, csv: [columns.join(','), ...rows.map((r) => r.join(','))].join('\n'), skipped };
}

describe('previewBatch', () => {
  it('reads a direction model: the time, the likeliest class as the call and its probability as the confidence', () => {
    const t = 1_700_000_040_000;
    const p = previewBatch(result(['time', 'p_long', 'p_short', 'p_neutral'], [[t, 0.2, 0.5, 0.3], [t + 60_000, 0.6, 0.1, 0.3]]));
    expect(p.keyLabel).toBe('Time');
    expect(p.outputs).toEqual(['P(long)', 'P(short)', 'P(neutral)']);
    expect(p.rows).toEqual([
      { key: fmtDateTime(t).slice(0, 16), call: 'Short', confidence: 0.5, outputs: [0.2, 0.5, 0.3] },
      { key: fmtDateTime(t + 60_000).slice(0, 16), call: 'Long', confidence: 0.6, outputs: [0.6, 0.1, 0.3] },
    ]);
    expect(p.total).toBe(2);
  });

  it('reads numbered classes, a forecast value, and a features file keyed by its rows', () => {
    expect(previewBatch(result(['row', 'p_0', 'p_1'], [[2, 0.3, 0.7]])).rows[0]).toEqual({ key: 'Row 2', call: 'Class 1', confidence: 0.7, outputs: [0.3, 0.7] });
    const forecast = previewBatch(result(['time', 'value'], [[0, 0.002], [60_000, -0.001], [120_000, 0]]));
    expect(forecast.outputs).toEqual(['Forecast']);
    expect(forecast.rows.map((r) => [r.call, r.confidence])).toEqual([
      ['Up', null],
      ['Down', null],
      ['Flat', null],
    ]);
  });

  it('shows only the first rows, and says how many there are', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [i + 2, 0.5, 0.5]);
    const p = previewBatch(result(['row', 'p_0', 'p_1'], rows), 20);
    expect(p.rows).toHaveLength(20);
    expect(p.rows.at(-1)!.key).toBe('Row 21');
    expect(p.total).toBe(50);
  });
});

describe('batch words', () => {
  it('names the outputs', () => {
    expect(outputLabel('p_long')).toBe('P(long)');
    expect(outputLabel('p_3')).toBe('P(class 3)');
    expect(outputLabel('value')).toBe('Forecast');
  });

  it('sums up the answer, the warm-up included for bars', () => {
    expect(describeBatch(result(['time', 'value'], [[0, 1]], 70))).toBe('1 row scored; the first 70 bars warmed up the features.');
    expect(describeBatch(result(['row', 'value'], Array.from({ length: 1234 }, (_, i) => [i, 0])))).toBe('1,234 rows scored.');
  });

  it('refuses an empty or too large file before sending it', () => {
    expect(checkBatchFile('a.csv', 'time,open\n1,2')).toBeNull();
    expect(checkBatchFile('a.csv', ' \n')).toBe('a.csv is empty.');
    expect(checkBatchFile('big.csv', 'x'.repeat(MAX_PREDICT_CSV_CHARS + 1))).toMatch(/^big\.csv is larger than 8 MiB/);
  });

  it('names the download after the model and the file', () => {
    expect(batchFileName({ name: 'btc direction', version: 2 }, 'C:\\data\\BTC 1m.csv')).toBe('btc-direction-v2-BTC-1m.csv');
    expect(batchFileName({ name: '***', version: 1 }, '.csv')).toBe('model-v1-predictions.csv');
  });
});
