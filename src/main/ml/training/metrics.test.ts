import { describe, expect, it } from 'vitest';
import { binaryAuc, classificationMetrics, regressionMetrics } from './metrics';

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
