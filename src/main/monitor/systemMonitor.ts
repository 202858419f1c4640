/**
 * The system monitor: every few seconds it reads each part of Keel (the
 * main thread, Electron's other processes when there are any, the worker
 * pools, the journal, the WebSocket host, each venue, email delivery) into
 * one sample, keeps the last hour of samples in memory, checks them against
 * the thresholds (raising an alert once per crossing) and publishes the
 * sample. Reading is cheap by design: counters and small windows kept by the
 * parts themselves, a stat of two files, nothing that touches the journal's
 * tables on the sampling path.
 */
import type { AlertDeliveryStatus, AlertSink } from '../alerts/alertSink';
import type { Clock, TimerHandle } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import type { VenueStats } from '../engine/ports/venueStats';
import type { BacktestSummary } from '../../shared/contract/backtests';
import type { JobView } from '../../shared/contract/ml';
import type {
  Breach,
  MonitoredProcess,
  MonitorJob,
  MonitorSample,
  MonitorThresholds,
  SystemHealth,
  SystemMetrics,
  VenueMetrics,
  WorkerPoolMetrics,
} from '../../shared/contract/monitor';
import { monitorThresholdsSchema } from '../../shared/contract/monitor';
import type { VenueStatus } from '../../shared/domain';
import { errorText, KeelError } from '../../shared/errors';
import type { DurationSummary } from './durationWindow';
import type { MainThreadReading } from './mainThreadProbe';
import { historyOf } from '../../shared/monitorSeries';
import { RingHistory } from './ringHistory';
import { DEFAULT_THRESHOLDS, ThresholdWatch, type Check } from './thresholds';

export const DEFAULT_SAMPLE_INTERVAL_MS = 5_000;
export const HISTORY_SPAN_MS = 60 * 60_000;
/** A venue's error rate is judged only over at least this many requests: one failed call of two is not a trend. */
export const MIN_REQUESTS_FOR_ERROR_RATE = 5;

/** One of Electron's other processes, as the shell reads it. */
export interface ProcessReading {
  kind: 'renderer' | 'gpu' | 'utility';
  label: string;
  pid: number;
  cpuPercent: number | null;
  memoryBytes: number | null;
}

export interface SystemMonitorSources {
  mainThread: { read(): MainThreadReading };
  pools: { read(): WorkerPoolMetrics[] };
  journal: { sizes(): { fileBytes: number; walBytes: number }; writes(): DurationSummary };
  /** Each venue's status and, where it reports them, its statistics. */
  venues: () => Array<{ status: VenueStatus; stats: VenueStats | null }>;
  backtests: () => readonly BacktestSummary[];
  training: () => readonly JobView[];
  /** Electron's renderer, GPU and helper processes; absent in headless, where the renderer is the user's browser. */
  otherProcesses?: () => ProcessReading[];
  /** How outgoing email fares; absent where email is not set up. */
  emailDelivery?: () => AlertDeliveryStatus;
}

export interface SystemMonitorOptions extends SystemMonitorSources {
  clock: Pick<Clock, 'now' | 'every'>;
  intervalMs?: number;
  /** How much history is kept (default one hour). */
  historyMs?: number;
  thresholds?: Partial<MonitorThresholds>;
  alerts?: AlertSink;
  /** Each new sample (the `system.metrics` event). */
  publish?: (sample: MonitorSample) => void;
  log?: Logger;
}

export class SystemMonitor {
  readonly intervalMs: number;
  readonly thresholds: MonitorThresholds;
  private readonly history: RingHistory<MonitorSample>;
  private readonly watch: ThresholdWatch;
  private timer: TimerHandle | null = null;
  private lastAt: number | null = null;
  private webSocketClients: (() => number) | null = null;
  private sampling = false;

  constructor(private readonly options: SystemMonitorOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    if (!(Number.isFinite(this.intervalMs) && this.intervalMs > 0)) throw new RangeError(`the sampling interval must be positive (got ${this.intervalMs})`);
    const parsed = monitorThresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, ...options.thresholds });
    if (!parsed.success) throw new KeelError('VALIDATION_FAILED', `Monitor thresholds: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.thresholds = parsed.data;
    this.history = new RingHistory(Math.max(1, Math.ceil((options.historyMs ?? HISTORY_SPAN_MS) / this.intervalMs)));
    this.watch = new ThresholdWatch(options.alerts);
  }

  /** Takes a first sample now, then one every interval. */
  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = this.options.clock.every(this.intervalMs, () => {
      try {
        this.sample();
      } catch (error) {
        this.options.log?.error(`[monitor] sampling failed: ${errorText(error)}`);
      }
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** The headless host counts its WebSocket clients; the desktop app has none. */
  countWebSocketClients(count: () => number): void {
    this.webSocketClients = count;
  }

  /** Reads every source into one sample, checks its thresholds, keeps it and publishes it. */
  sample(): MonitorSample {
    if (this.sampling) throw new Error('a sample is already being taken');
    this.sampling = true;
    try {
      const sample = this.read();
      this.history.push(sample);
      this.options.publish?.(sample);
      return sample;
    } finally {
      this.sampling = false;
    }
  }

  latest(): MonitorSample {
    return this.history.latest() ?? this.sample();
  }

  metrics(): SystemMetrics {
    const sample = this.latest();
    return {
      sample,
      history: historyOf(this.history.toArray()),
      jobs: { backtest: latestBacktest(this.options.backtests()), training: latestTraining(this.options.training()) },
      thresholds: this.thresholds,
    };
  }

  health(venues: VenueStatus[]): SystemHealth {
    const sample = this.latest();
    return { venues, eventLoopLagMs: sample.eventLoop.delayMaxMs, status: sample.breaches.length > 0 ? 'warning' : 'ok', breaches: sample.breaches, at: sample.at };
  }

  private read(): MonitorSample {
    const { options } = this;
    const at = options.clock.now();
    const intervalMs = this.lastAt === null ? 0 : Math.max(0, at - this.lastAt);
    this.lastAt = at;
    const main = options.mainThread.read();
    const processes: MonitoredProcess[] = [
      { kind: 'main', label: 'Main (engine)', pid: process.pid, measured: true, cpuPercent: main.cpuPercent, memoryBytes: main.memory.rssBytes },
    ];
    if (options.otherProcesses) {
      for (const p of options.otherProcesses()) processes.push({ ...p, measured: true });
    } else {
      processes.push({ kind: 'renderer', label: 'Renderer (your browser)', pid: null, measured: false, cpuPercent: null, memoryBytes: null });
    }
    const writes = options.journal.writes();
    const journal = { ...options.journal.sizes(), writes: writes.count, writeP50Ms: round2(writes.p50), writeP99Ms: round2(writes.p99), writeMaxMs: round2(writes.max) };
    const venues = options.venues().map(({ status, stats }) => venueMetrics(status, stats, at));
    const email = options.emailDelivery ? options.emailDelivery() : null;
    const partial = {
      at,
      intervalMs,
      processes,
      memory: main.memory,
      eventLoop: main.eventLoop,
      workerPools: options.pools.read(),
      journal,
      webSocketClients: this.webSocketClients ? this.webSocketClients() : null,
      venues,
      email,
    };
    const present = new Set(venues.map((v) => v.venue));
    this.watch.forget((breach) => !(breach.metric === 'venueMessageAge' || breach.metric === 'venueErrorRate') || present.has(breach.subject ?? ''));
    const breaches: Breach[] = this.watch.evaluate(this.checks(partial), at);
    return { ...partial, breaches };
  }

  private checks(sample: Omit<MonitorSample, 'breaches'>): Check[] {
    const t = this.thresholds;
    const checks: Check[] = [
      { metric: 'eventLoopDelay', subject: null, label: 'Event-loop delay p99', value: sample.eventLoop.delayP99Ms, threshold: t.eventLoopDelayP99Ms, format: ms },
      { metric: 'memory', subject: null, label: 'Main process memory', value: sample.memory.rssBytes, threshold: t.memoryRssBytes, format: bytes },
    ];
    if (sample.journal.writeP99Ms !== null) {
      checks.push({ metric: 'journalWriteLatency', subject: null, label: 'Journal write p99', value: sample.journal.writeP99Ms, threshold: t.journalWriteP99Ms, format: ms });
    }
    for (const v of sample.venues) {
      // Only a venue that should be talking: one connecting or blocked says why on its own.
      if (v.state === 'ready' && v.lastMessageAgeMs !== null) {
        checks.push({ metric: 'venueMessageAge', subject: v.venue, venue: v.venue, label: `${v.venue}: last message age`, value: v.lastMessageAgeMs, threshold: t.venueMessageAgeMs, format: seconds });
      }
      if (v.errorRate !== null && v.requests >= MIN_REQUESTS_FOR_ERROR_RATE) {
        checks.push({ metric: 'venueErrorRate', subject: v.venue, venue: v.venue, label: `${v.venue}: request error rate`, value: v.errorRate, threshold: t.venueErrorRate, format: percent });
      }
    }
    if (sample.email) {
      checks.push({ metric: 'emailDelivery', subject: null, label: 'Email delivery failed attempts', value: sample.email.failingAttempts, threshold: t.emailFailingAttempts, inclusive: true, format: String });
    }
    return checks;
  }
}

function venueMetrics(status: VenueStatus, stats: VenueStats | null, now: number): VenueMetrics {
  if (stats === null) {
    return {
      venue: status.venue,
      state: status.state,
      paper: status.paper,
      requests: 0,
      errors: 0,
      errorRate: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
      windowMs: 0,
      rateLimitUsage: null,
      rateLimited: false,
      lastMessageAgeMs: null,
      measured: false,
    };
  }
  return {
    venue: status.venue,
    state: status.state,
    paper: status.paper,
    requests: stats.requests,
    errors: stats.errors,
    errorRate: stats.requests === 0 ? null : stats.errors / stats.requests,
    latencyP50Ms: stats.latencyP50Ms,
    latencyP95Ms: stats.latencyP95Ms,
    windowMs: stats.windowMs,
    rateLimitUsage: stats.rateLimitUsage,
    rateLimited: stats.rateLimited,
    lastMessageAgeMs: stats.lastMessageAt === null ? null : Math.max(0, now - stats.lastMessageAt),
    measured: true,
  };
}

function latestBacktest(runs: readonly BacktestSummary[]): MonitorJob | null {
  let best: BacktestSummary | undefined;
  for (const run of runs) if (!best || run.createdAt > best.createdAt) best = run;
  return best ? { id: best.id, name: best.name, status: best.status, startedAt: best.createdAt, finishedAt: best.finishedAt } : null;
}

function latestTraining(jobs: readonly JobView[]): MonitorJob | null {
  let best: JobView | undefined;
  for (const job of jobs) if (!best || job.startedAt > best.startedAt) best = job;
  return best ? { id: best.id, name: best.name, status: best.status, startedAt: best.startedAt, finishedAt: best.finishedAt } : null;
}

function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}

export function ms(value: number): string {
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
}

export function seconds(value: number): string {
  return `${Math.round(value / 1000)} s`;
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
