import { describe, expect, it } from 'vitest';
import { binaryAuc, classificationMetrics, foldBacktest, regressionMetrics } from './metrics';

describe('classification metrics', () => {
  it('accuracy, log loss, per-class precision and recall, worked by hand', () => {
    // Three rows, two classes: right (0.8), wrong (0.6 on the other class), right (0.9).
    const probs = [0.8, 0.2, 0.6, 0.4, 0.1, 0.9];
    const labels = [0, 1, 1];
    const m = classificationMetrics(probs, labels, 2);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.9)) / 3, 12);
    expect(m.perClass).toEqual([
      { label: 0, precision: 0.5, recall: 1, support: 1 },
      { label: 1, precision: 1, recall: 0.5, support: 2 },
    ]);
    expect(m.calibration.reduce((n, b) => n + b.rows, 0)).toBe(3);
    expect(m.calibration[8]).toMatchObject({ rows: 1, hitRate: 1 });
  });

  it('AUC: 1 for a perfect ranking, 0.5 for ties, null without both outcomes', () => {
    expect(binaryAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(binaryAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(binaryAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // One positive above one of two negatives: 0.5.
    expect(binaryAuc([0.1, 0.5, 0.9], [0, 1, 0])).toBe(0.5);
    expect(binaryAuc([0.1, 0.2], [1, 1])).toBeNull();
  });
});

describe('regression metrics', () => {
  it('RMSE, MAE, R² and the direction hit rate', () => {
    const m = regressionMetrics([0.1, -0.2, 0.3, 0], [0.2, -0.1, -0.1, 0]);
    expect(m.rmse).toBeCloseTo(Math.sqrt((0.01 + 0.01 + 0.16 + 0) / 4), 12);
    expect(m.mae).toBeCloseTo((0.1 + 0.1 + 0.4) / 4, 12);
    expect(m.directionHitRate).toBeCloseTo(2 / 3, 12);
    expect(regressionMetrics([1, 2], [1, 2]).r2).toBe(1);
    expect(regressionMetrics([1, 1], [1, 1]).r2).toBeNull();
  });
});

describe('fold backtest', () => {
  it('compounds each call held to the next close, counts trades, exposure, hits and the drawdown, worked by hand', () => {
    // long +10 %, long −10 %, flat (+50 % missed), short −20 % (a gain), short 0 %.
    const b = foldBacktest([1, 1, 0, -1, -1], [0.1, -0.1, 0.5, -0.2, 0]);
    const equity = 1.1 * 0.9 * 1.2;
    expect(b.bars).toBe(5);
    expect(b.trades).toBe(2);
    expect(b.exposure).toBeCloseTo(4 / 5, 12);
    expect(b.returnPct).toBeCloseTo((equity - 1) * 100, 9);
    expect(b.buyHoldReturnPct).toBeCloseTo((1.1 * 0.9 * 1.5 * 0.8 * 1 - 1) * 100, 9);
    // Peak 1.1, then 0.99: a 10 % fall.
    expect(b.maxDrawdownPct).toBeCloseTo(10, 9);
    // Of the three positioned bars that moved, two gained.
    expect(b.hitRate).toBeCloseTo(2 / 3, 12);
  });

  it('flat all along: nothing traded, no hit rate, the market move as buy and hold', () => {
    expect(foldBacktest([0, 0], [0.01, 0.02])).toEqual({ bars: 2, trades: 0, exposure: 0, returnPct: 0, buyHoldReturnPct: expect.closeTo(3.02, 9), maxDrawdownPct: 0, hitRate: null });
    expect(foldBacktest([], [])).toMatchObject({ bars: 0, exposure: 0, returnPct: 0, hitRate: null });
    expect(() => foldBacktest([1], [])).toThrow(RangeError);
  });

  it('a flip from long to short is a new trade', () => {
    expect(foldBacktest([1, -1, -1, 1], [0, 0, 0, 0]).trades).toBe(3);
  });
});
