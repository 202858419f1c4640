import { describe, expect, it } from 'vitest';
import { directionMetrics, returnMetrics } from './fixtures/modelRecord';
import { calibrationRows, perClassRows, readMetrics } from './modelMetrics';

describe('readMetrics', () => {
  it('reads the summary and every fold of a direction model', () => {
    const m = readMetrics(directionMetrics());
    expect(m.summary).toMatchObject({ accuracy: 0.52, logLoss: 1.01, auc: 0.56, rows: 10_000, rmse: null });
    expect(m.folds.map((f) => f.fold)).toEqual([1, 2]);
  });

  it('shows what a model has: no folds, a figure of the wrong kind left out, a broken fold dropped', () => {
    expect(readMetrics({})).toEqual({ summary: expect.objectContaining({ accuracy: null, rmse: null }), folds: [] });
    const m = readMetrics({ accuracy: 'high', rmse: Number.NaN, folds: [{ fold: 1 }, ...(returnMetrics().folds as unknown[])] });
    expect(m.summary.accuracy).toBeNull();
    expect(m.summary.rmse).toBeNull();
    expect(m.folds).toHaveLength(1);
    expect(m.folds[0]!.metrics.rmse).toBe(0.0015);
  });
});

describe('perClassRows', () => {
  const { folds } = readMetrics(directionMetrics());

  it('names the classes and gives one fold as it is', () => {
    expect(perClassRows(folds, 2)).toEqual([
      { label: 'Long', precision: 0.4, recall: 0.3, support: 600 },
      { label: 'Short', precision: 0.3, recall: 0.1, support: 400 },
      { label: 'Neutral', precision: 0.5, recall: 0.8, support: 1000 },
    ]);
  });

  it('averages over the folds, skipping a precision a fold does not have, and sums the support', () => {
    const rows = perClassRows(folds, 'all');
    expect(rows[0]!.precision).toBeCloseTo(0.3);
    expect(rows[1]!.precision).toBeCloseTo(0.3); // fold 1 never called short
    expect(rows[1]!.recall).toBeCloseTo(0.05);
    expect(rows.map((r) => r.support)).toEqual([1000, 1000, 2000]);
  });
});

describe('calibrationRows', () => {
  const { folds } = readMetrics(directionMetrics());

  it('leaves empty bins out', () => {
    expect(calibrationRows(folds, 1).map((b) => b.from)).toEqual([0.4, 0.5]);
  });

  it('pools the folds row by row', () => {
    const rows = calibrationRows(folds, 'all');
    expect(rows.map((b) => [b.from, b.rows])).toEqual([
      [0.4, 1500],
      [0.5, 1000],
      [0.6, 1500],
    ]);
    // 1000 rows at 0.45 / 50 % and 500 at 0.43 / 40 %.
    expect(rows[0]!.confidence).toBeCloseTo((1000 * 0.45 + 500 * 0.43) / 1500);
    expect(rows[0]!.hitRate).toBeCloseTo((1000 * 0.5 + 500 * 0.4) / 1500);
  });
});
