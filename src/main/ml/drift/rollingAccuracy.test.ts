import { describe, expect, it } from 'vitest';
import { accuracyBelowReference, ModelComparison, RollingAccuracy } from './rollingAccuracy';

/** A deterministic hit pattern with exactly `rate` correct in every block of 20. */
function hitsAt(rate: number): (i: number) => boolean {
  const perBlock = Math.round(rate * 20);
  return (i) => i % 20 < perBlock;
}

describe('rolling accuracy', () => {
  it('counts only the last N outcomes', () => {
    const acc = new RollingAccuracy(4);
    expect(acc.accuracy).toBeNaN();
    for (const hit of [true, true, false, false]) acc.record(hit);
    expect(acc.accuracy).toBe(0.5);
    acc.record(false);
    acc.record(false);
    expect(acc.accuracy).toBe(0);
    expect(acc.count).toBe(4);
    acc.record(true);
    expect(acc.accuracy).toBe(0.25);
  });

  it('flags accuracy more than two standard errors below the reference, and the band narrows with N', () => {
    // Reference 0.6: the band at N = 100 is 2 * sqrt(0.24 / 100) = 0.098, at N = 1000 it is 0.031.
    expect(accuracyBelowReference(0.55, 100, 0.6)).toBe(false);
    expect(accuracyBelowReference(0.5, 100, 0.6)).toBe(true);
    expect(accuracyBelowReference(0.55, 1000, 0.6)).toBe(true);
    expect(accuracyBelowReference(0.58, 1000, 0.6)).toBe(false);
    expect(accuracyBelowReference(Number.NaN, 0, 0.6)).toBe(false);
  });
});

describe('online vs batch comparison', () => {
  it('flags a batch model whose accuracy fell, once its window is full', () => {
    const comparison = new ModelComparison({ window: 200, batchReference: 0.6 });
    const batch = hitsAt(0.45);
    for (let i = 0; i < 199; i++) comparison.record(1, 1, batch(i) ? 1 : 0);
    expect(comparison.status().batchDrifting).toBe(false);
    comparison.record(1, 1, batch(199) ? 1 : 0);
    const status = comparison.status();
    expect(status.batch).toBe(0.45);
    expect(status.batchDrifting).toBe(true);
  });

  it('judges from fewer outcomes than the window when asked, never before them', () => {
    const comparison = new ModelComparison({ window: 200, batchReference: 0.6, minSamples: 100 });
    for (let i = 0; i < 99; i++) comparison.record(1, 1, 0);
    expect(comparison.status()).toMatchObject({ samples: 99, batch: 0, batchDrifting: false, onlineAhead: false });
    comparison.record(1, 1, 0);
    expect(comparison.status()).toMatchObject({ samples: 100, batchDrifting: true, onlineAhead: true });
    expect(() => new ModelComparison({ window: 10, minSamples: 11 })).toThrow(/minSamples/);
    expect(() => new ModelComparison({ window: 10, minSamples: 0 })).toThrow(/minSamples/);
  });

  it('does not flag a batch model performing as validated', () => {
    const comparison = new ModelComparison({ window: 200, batchReference: 0.6 });
    const batch = hitsAt(0.6);
    for (let i = 0; i < 1000; i++) comparison.record(1, 1, batch(i) ? 1 : 0);
    expect(comparison.status().batchDrifting).toBe(false);
  });

  it('calls the online model ahead only when the paired difference is significant', () => {
    // 100 outcomes; the models agree except where one alone is right.
    const run = (onlineOnly: number, batchOnly: number) => {
      const comparison = new ModelComparison({ window: 100 });
      for (let i = 0; i < 100; i++) {
        const online = i < onlineOnly ? 1 : i < onlineOnly + batchOnly ? 0 : i % 2;
        const batch = i < onlineOnly ? 0 : i < onlineOnly + batchOnly ? 1 : i % 2;
        comparison.record(1, online, batch);
      }
      return comparison.status();
    };
    // (12 - 3) / sqrt(15) = 2.32 > 2; (10 - 5) / sqrt(15) = 1.29.
    const ahead = run(12, 3);
    expect([ahead.onlineOnly, ahead.batchOnly, ahead.onlineAhead]).toEqual([12, 3, true]);
    expect(ahead.difference).toBeCloseTo(0.09, 12);
    expect(run(10, 5).onlineAhead).toBe(false);
    expect(run(3, 12).onlineAhead).toBe(false);
  });
});
