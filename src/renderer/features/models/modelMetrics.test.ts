import { describe, expect, it } from 'vitest';
import { directionMetrics, legacyFoldBacktest, olderDirectionMetrics, returnMetrics } from './fixtures/modelRecord';
import { backtestRows, calibrationRows, foldFigure, legacyBacktestRows, perClassRows, readMetrics } from './modelMetrics';

describe('readMetrics', () => {
  it('reads the summary and every fold of a direction model', () => {
    const m = readMetrics(directionMetrics());
    expect(m.kind).toBe('classification');
    expect(m.summary).toMatchObject({ accuracy: 0.52, logLoss: 1.01, auc: 0.56, rows: 10_000, rmse: null });
    expect(m.folds.map((f) => f.fold)).toEqual([1, 2]);
    expect(foldFigure(m.folds[1]!, 'accuracy')).toBe(0.49);
    expect(foldFigure(m.folds[1]!, 'rmse')).toBeNull();
  });

  it('reads a return model, its fold figures by name', () => {
    const m = readMetrics(returnMetrics());
    expect(m.kind).toBe('regression');
    expect(m.summary).toMatchObject({ rmse: 0.00166, directionHitRate: 0.499, accuracy: null, rows: 10_000 });
    expect(foldFigure(m.folds[0]!, 'rmse')).toBe(0.0015);
    expect(foldFigure(m.folds[0]!, 'r2')).toBe(-0.02);
  });

  it('reads a version stored before the shape was fixed: its figures, and no fold backtests', () => {
    const m = readMetrics(olderDirectionMetrics());
    expect(m.kind).toBe('classification');
    expect(m.summary.accuracy).toBe(0.52);
    expect(m.folds.map((f) => f.backtest)).toEqual([null, null]);
    expect(perClassRows(m.folds, 1)).toHaveLength(3);
    expect(backtestRows(m.folds)).toBeNull();
    const { kind: _kind, ...olderReturn } = returnMetrics();
    expect(readMetrics(olderReturn).kind).toBe('regression');
  });

  it('has no training metrics for an import, or for figures of the wrong kind', () => {
    const none = { kind: null, summary: expect.objectContaining({ accuracy: null, rmse: null, rows: null }), folds: [] };
    expect(readMetrics({})).toEqual(none);
    expect(readMetrics({ outputKind: 'probabilities', outputs: 2, goldenRows: 1 })).toEqual(none);
    expect(readMetrics({ ...directionMetrics(), accuracy: 'high' })).toEqual(none);
    expect(readMetrics({ ...directionMetrics(), kind: 'regression' })).toEqual(none);
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

  it('has no classes for a return model', () => {
    expect(perClassRows(readMetrics(returnMetrics()).folds, 'all')).toEqual([]);
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

describe('backtestRows', () => {
  it('gives each fold its backtest and chains the blocks, one after the other', () => {
    const rows = backtestRows(readMetrics(directionMetrics()).folds)!;
    expect(rows.folds.map((f) => [f.fold, f.backtest.returnPct])).toEqual([
      [1, 10],
      [2, -5],
    ]);
    // +10 % then −5 %: 1.1 × 0.95; holding: 0.9 × 1.2.
    expect(rows.chainedReturnPct).toBeCloseTo(4.5, 9);
    expect(rows.chainedBuyHoldPct).toBeCloseTo(8, 9);
    expect(rows).toMatchObject({ trades: 40, netPnl: 300, fees: 25 });
    expect(legacyBacktestRows(readMetrics(directionMetrics()).folds)).toBeNull();
  });

  it('keeps the gross calls of a version trained before folds ran the strategy apart from strategy backtests', () => {
    const older = directionMetrics();
    const metrics = { ...older, folds: older.folds.map((f, i) => ({ ...f, backtest: legacyFoldBacktest({ returnPct: i === 0 ? 10 : -5 }) })) };
    const m = readMetrics(metrics);
    expect(backtestRows(m.folds)).toBeNull();
    const legacy = legacyBacktestRows(m.folds)!;
    expect(legacy.folds.map((f) => [f.fold, f.backtest.hitRate])).toEqual([
      [1, 0.51],
      [2, 0.51],
    ]);
    expect(legacy.chainedReturnPct).toBeCloseTo(4.5, 9);
  });
});
