import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtDelta, fmtMaxAge, fmtMetric, fmtShare, fmtSmall, fmtSpan, fmtTarget, fmtWindow, keyMetric, metricField } from './modelFormat';
import { readMetrics } from './modelMetrics';
import { directionMetrics, returnMetrics } from './fixtures/modelRecord';

describe('metric formats', () => {
  it('reads shares as percents, scores to three places and small errors to three significant digits', () => {
    expect(fmtShare(0.52149)).toBe('52.1%');
    expect(fmtShare(null)).toBe('—');
    expect(fmtMetric(metricField('logLoss'), 1.0148)).toBe('1.015');
    expect(fmtSmall(0.0016634)).toBe('0.00166');
    expect(fmtSmall(12.345)).toBe('12.3');
    expect(fmtSmall(-0.000012345)).toBe('-0.0000123');
    expect(fmtMetric(metricField('rows'), 10006)).toBe('10,006');
  });

  it('signs differences, shares in percentage points', () => {
    expect(fmtDelta(metricField('accuracy'), 0.535, 0.531)).toBe('-0.4 pp');
    expect(fmtDelta(metricField('auc'), 0.5, 0.556)).toBe('+0.056');
    expect(fmtDelta(metricField('rmse'), 0.002, 0.00166)).toBe('-0.00034');
    expect(fmtDelta(metricField('auc'), null, 0.5)).toBeNull();
  });

  it('picks accuracy for a direction model and RMSE for a return model', () => {
    expect(keyMetric({ kind: 'direction', horizon: 5, threshold: 0.001 }, readMetrics(directionMetrics()).summary)).toMatchObject({ text: '52.0%', field: { key: 'accuracy' } });
    expect(keyMetric({ kind: 'return', horizon: 5 }, readMetrics(returnMetrics()).summary)).toMatchObject({ text: '0.00166', field: { key: 'rmse' } });
  });
});

describe('words', () => {
  it('says the target', () => {
    expect(fmtTarget({ kind: 'direction', horizon: 5, threshold: 0.001 })).toBe('Direction over 5 bars beyond ±0.1%');
    expect(fmtTarget({ kind: 'direction', horizon: 1, threshold: 0.0005 })).toBe('Direction over 1 bar beyond ±0.05%');
    expect(fmtTarget({ kind: 'direction', horizon: 12, threshold: 0.01 })).toBe('Direction over 12 bars beyond ±1%');
    expect(fmtTarget({ kind: 'return', horizon: 12 })).toBe('Return over 12 bars');
  });

  it('says sizes and spans in the largest whole unit', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(19_191)).toBe('18.7 KB');
    expect(fmtSpan(30 * 86_400_000)).toBe('30 days');
    expect(fmtSpan(36 * 3_600_000)).toBe('36 hours');
    expect(fmtSpan(90 * 60_000)).toBe('90 minutes');
    expect(fmtMaxAge({ createdAt: 0, maxAgeMs: null })).toBe('Never expires');
    expect(fmtMaxAge({ createdAt: 0, maxAgeMs: 86_400_000 })).toMatch(/^1 day \(until \d{4}-\d{2}-\d{2} \d{2}:\d{2}\)$/);
  });

  it('writes a window, leaving the year out when asked and both ends are this year', () => {
    const from = new Date(2026, 10, 24, 13, 9).getTime();
    const to = new Date(2026, 10, 25, 22, 29).getTime();
    expect(fmtWindow({ from, to })).toBe('2026-11-24 13:09 → 2026-11-25 22:29');
    expect(fmtWindow({ from, to }, true, new Date(2026, 11, 1).getTime())).toBe('11-24 13:09 → 11-25 22:29');
    expect(fmtWindow({ from, to }, true, new Date(2027, 0, 1).getTime())).toBe('2026-11-24 13:09 → 2026-11-25 22:29');
    expect(fmtWindow(null)).toBe('—');
  });
});
