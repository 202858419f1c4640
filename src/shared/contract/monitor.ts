/**
 * The system monitor's shapes: one sample of how the machine and its parts
 * are doing (processes, event loop, worker pools, journal, connections,
 * venues, email delivery), the thresholds that raise alerts, and the last
 * hour's history as numeric series for small charts. Served by
 * `system.metrics` and pushed as the `system.metrics` event.
 */
import { z } from 'zod';
import { timestampMs, venueStatusSchema } from '../domain';

const nonNegative = z.number().nonnegative();
const count = z.number().int().nonnegative();

export const monitoredProcessSchema = z.object({
  kind: z.enum(['main', 'renderer', 'gpu', 'utility']),
  label: z.string(),
  pid: z.number().int().nullable(),
  /** False where Keel cannot see the process: in headless the renderer is the user's own browser. */
  measured: z.boolean(),
  /** Share of one core over the last sampling interval (100 = one core busy); null until two readings exist. */
  cpuPercent: nonNegative.nullable(),
  /** Resident memory (working set for Electron's helper processes). */
  memoryBytes: nonNegative.nullable(),
});
export type MonitoredProcess = z.infer<typeof monitoredProcessSchema>;

export const mainMemorySchema = z.object({
  rssBytes: nonNegative,
  heapUsedBytes: nonNegative,
  heapTotalBytes: nonNegative,
  externalBytes: nonNegative,
});

export const eventLoopMetricsSchema = z.object({
  /** Lateness of the main thread's loop over the interval, beyond its sampling resolution. */
  delayP50Ms: nonNegative,
  delayP99Ms: nonNegative,
  delayMaxMs: nonNegative,
  /** Share of the interval the loop was busy (0..1). */
  utilization: z.number().min(0).max(1),
});

export const workerPoolMetricsSchema = z.object({
  name: z.string(),
  /** Pools start on first use; one not started yet has no workers. */
  started: z.boolean(),
  size: count,
  live: count,
  busy: count,
  queued: count,
  completed: count,
  failed: count,
  replaced: count,
  /** Each worker thread's event-loop utilisation over the interval (0..1); null for its first reading. */
  workers: z.array(z.object({ threadId: z.number().int(), utilization: z.number().min(0).max(1).nullable() })),
});
export type WorkerPoolMetrics = z.infer<typeof workerPoolMetricsSchema>;

export const journalMetricsSchema = z.object({
  fileBytes: nonNegative,
  walBytes: nonNegative,
  /** Journal transactions committed over the interval, and how long they held the main thread. */
  writes: count,
  writeP50Ms: nonNegative.nullable(),
  writeP99Ms: nonNegative.nullable(),
  writeMaxMs: nonNegative.nullable(),
});

export const venueMetricsSchema = z.object({
  venue: z.string(),
  state: venueStatusSchema.shape.state,
  paper: z.boolean(),
  /** Requests and failed requests over the venue's window (`windowMs`). */
  requests: count,
  errors: count,
  errorRate: z.number().min(0).max(1).nullable(),
  latencyP50Ms: nonNegative.nullable(),
  latencyP95Ms: nonNegative.nullable(),
  windowMs: nonNegative,
  /** Share of the exchange's request budget in use (0..1) where it says; null where it does not. */
  rateLimitUsage: nonNegative.nullable(),
  /** Requests are being held back by a rate limit or a ban. */
  rateLimited: z.boolean(),
  /** Time since the venue last said anything (a response, a stream message, a market update); null before it has. */
  lastMessageAgeMs: nonNegative.nullable(),
  /** False for a venue that reports no statistics. */
  measured: z.boolean(),
});
export type VenueMetrics = z.infer<typeof venueMetricsSchema>;

export const emailDeliveryMetricsSchema = z.object({
  queued: count,
  failingAttempts: count,
  lastError: z.string().nullable(),
  lastSentAt: timestampMs.nullable(),
  lastFailedAt: timestampMs.nullable(),
});

export const MONITOR_METRICS = ['eventLoopDelay', 'memory', 'journalWriteLatency', 'venueMessageAge', 'venueErrorRate', 'emailDelivery'] as const;
export type MonitorMetric = (typeof MONITOR_METRICS)[number];

export const breachSchema = z.object({
  /** Stable per metric and subject ("venueMessageAge:binance"). */
  key: z.string(),
  metric: z.enum(MONITOR_METRICS),
  /** What it is about: a venue id, or null for the machine. */
  subject: z.string().nullable(),
  label: z.string(),
  value: z.number(),
  threshold: z.number(),
  since: timestampMs,
});
export type Breach = z.infer<typeof breachSchema>;

export const monitorThresholdsSchema = z.object({
  /** Main thread's p99 loop delay over one interval. */
  eventLoopDelayP99Ms: z.number().positive(),
  /** Main process resident memory. */
  memoryRssBytes: z.number().positive(),
  /** p99 time a journal transaction holds the main thread over one interval. */
  journalWriteP99Ms: z.number().positive(),
  /** A running venue silent for longer than this. */
  venueMessageAgeMs: z.number().positive(),
  /** Share of a venue's requests failing over its window (with at least a few requests). */
  venueErrorRate: z.number().positive().max(1),
  /** Consecutive failed attempts at sending the oldest queued email. */
  emailFailingAttempts: z.number().int().positive(),
});
export type MonitorThresholds = z.infer<typeof monitorThresholdsSchema>;

export const monitorSampleSchema = z.object({
  at: timestampMs,
  intervalMs: nonNegative,
  processes: z.array(monitoredProcessSchema),
  memory: mainMemorySchema,
  eventLoop: eventLoopMetricsSchema,
  workerPools: z.array(workerPoolMetricsSchema),
  journal: journalMetricsSchema,
  /** Contract clients on the headless host's WebSocket; null where it is not served (the desktop app). */
  webSocketClients: count.nullable(),
  venues: z.array(venueMetricsSchema),
  /** Outgoing email's health; null where email is not set up. */
  email: emailDeliveryMetricsSchema.nullable(),
  breaches: z.array(breachSchema),
});
export type MonitorSample = z.infer<typeof monitorSampleSchema>;

const jobSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  startedAt: timestampMs,
  finishedAt: timestampMs.nullable(),
});
export type MonitorJob = z.infer<typeof jobSummarySchema>;

export const METRIC_UNITS = ['ms', 'bytes', 'percent', 'ratio', 'count'] as const;

export const metricSeriesSchema = z.object({
  /** "main.cpu", "venue.paper.latencyP50", ... */
  key: z.string(),
  label: z.string(),
  unit: z.enum(METRIC_UNITS),
  /** One value per entry of `times`; null where it was not measured. */
  values: z.array(z.number().nullable()),
});
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

export const metricsHistorySchema = z.object({
  times: z.array(timestampMs),
  series: z.array(metricSeriesSchema),
});
export type MetricsHistory = z.infer<typeof metricsHistorySchema>;

export const systemMetricsSchema = z.object({
  sample: monitorSampleSchema,
  history: metricsHistorySchema,
  jobs: z.object({ backtest: jobSummarySchema.nullable(), training: jobSummarySchema.nullable() }),
  thresholds: monitorThresholdsSchema,
});
export type SystemMetrics = z.infer<typeof systemMetricsSchema>;

/** `system.health` as a method: the event's fields, plus an overall verdict and what is out of bounds. */
export const systemHealthSchema = z.object({
  venues: z.array(venueStatusSchema),
  eventLoopLagMs: z.number(),
  status: z.enum(['ok', 'warning']),
  breaches: z.array(breachSchema),
  at: timestampMs,
});
export type SystemHealth = z.infer<typeof systemHealthSchema>;
