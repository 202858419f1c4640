/**
 * What the Monitor view derives from a `system.metrics` answer: the series
 * of a figure, whether a figure is over its threshold, and the threshold a
 * chart draws as its line.
 */
import type { Breach, MetricSeries, MetricsHistory, MonitorMetric, MonitorThresholds } from '../../../shared/contract/monitor';

export function seriesOf(history: MetricsHistory, key: string): MetricSeries | undefined {
  return history.series.find((s) => s.key === key);
}

export function breachOf(breaches: readonly Breach[], metric: MonitorMetric, subject: string | null = null): Breach | undefined {
  return breaches.find((b) => b.metric === metric && b.subject === subject);
}

/** The bound a chart of this series draws, in the series' own unit; null where none applies. */
export function thresholdFor(key: string, thresholds: MonitorThresholds): number | null {
  if (key === 'eventLoop.delayP99') return thresholds.eventLoopDelayP99Ms;
  if (key === 'process.main.memory') return thresholds.memoryRssBytes;
  if (key === 'journal.writeP99') return thresholds.journalWriteP99Ms;
  if (/^venue\..+\.messageAge$/.test(key)) return thresholds.venueMessageAgeMs;
  if (/^venue\..+\.errorRate$/.test(key)) return thresholds.venueErrorRate;
  return null;
}

/** Spells out what a breach is about: "binance: last message age 92 s, over 60 s since 14:02:11". */
export function breachText(breach: Breach, format: (value: number) => string, time: (ms: number) => string): string {
  return `${breach.label} ${format(breach.value)}, over ${format(breach.threshold)} since ${time(breach.since)}`;
}
