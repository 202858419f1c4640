import { describe, expect, it } from 'vitest';
import type { Breach, MonitorThresholds } from '../../../shared/contract/monitor';
import { breachOf, breachText, seriesOf, thresholdFor } from './monitorView';

const thresholds: MonitorThresholds = {
  eventLoopDelayP99Ms: 200,
  memoryRssBytes: 2048,
  journalWriteP99Ms: 50,
  venueMessageAgeMs: 60_000,
  venueErrorRate: 0.25,
  emailFailingAttempts: 3,
};

const breach = (metric: Breach['metric'], subject: string | null): Breach => ({ key: subject ? `${metric}:${subject}` : metric, metric, subject, label: `${subject ?? 'Keel'}: ${metric}`, value: 90_000, threshold: 60_000, since: 0 });

describe('monitor view helpers', () => {
  it("draws each charted figure's own threshold, and none where no alert applies", () => {
    expect(thresholdFor('eventLoop.delayP99', thresholds)).toBe(200);
    expect(thresholdFor('process.main.memory', thresholds)).toBe(2048);
    expect(thresholdFor('journal.writeP99', thresholds)).toBe(50);
    expect(thresholdFor('venue.binance.messageAge', thresholds)).toBe(60_000);
    expect(thresholdFor('venue.my.venue.errorRate', thresholds)).toBe(0.25);
    expect(thresholdFor('venue.binance.latencyP50', thresholds)).toBeNull();
    expect(thresholdFor('process.renderer.memory', thresholds)).toBeNull();
  });

  it('finds a breach by metric and subject', () => {
    const list = [breach('venueMessageAge', 'binance'), breach('memory', null)];
    expect(breachOf(list, 'venueMessageAge', 'binance')?.key).toBe('venueMessageAge:binance');
    expect(breachOf(list, 'venueMessageAge', 'okx')).toBeUndefined();
    expect(breachOf(list, 'memory')?.key).toBe('memory');
    expect(breachOf(list, 'eventLoopDelay')).toBeUndefined();
  });

  it('spells a breach out', () => {
    expect(breachText(breach('venueMessageAge', 'binance'), (v) => `${v / 1000} s`, () => '14:02:11')).toBe('binance: venueMessageAge 90 s, over 60 s since 14:02:11');
  });

  it('finds a series by key', () => {
    const history = { times: [1], series: [{ key: 'a', label: 'A', unit: 'ms' as const, values: [1] }] };
    expect(seriesOf(history, 'a')?.label).toBe('A');
    expect(seriesOf(history, 'b')).toBeUndefined();
  });
});
