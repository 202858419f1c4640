import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../engine/ports/clock';
import type { AlertDeliveryStatus, AlertInput } from '../alerts/alertSink';
import type { VenueStats } from '../engine/ports/venueStats';
import type { VenueStatus } from '../../shared/domain';
import type { BacktestSummary } from '../../shared/contract/backtests';
import type { JobView } from '../../shared/contract/ml';
import { systemMetricsSchema, systemHealthSchema, type WorkerPoolMetrics } from '../../shared/contract/monitor';
import { DurationWindow } from './durationWindow';
import type { MainThreadReading } from './mainThreadProbe';
import { MIN_REQUESTS_FOR_ERROR_RATE, SystemMonitor, type ProcessReading, type SystemMonitorOptions } from './systemMonitor';

const T0 = 1_750_000_000_000;
const MiB = 1024 * 1024;

/** Sources whose readings each test sets by hand. */
function harness(overrides: Partial<SystemMonitorOptions> = {}) {
  const clock = new SimulatedClock(T0);
  const raised: AlertInput[] = [];
  const published: unknown[] = [];
  const writes = new DurationWindow();
  const state = {
    main: {
      cpuPercent: 12.5,
      memory: { rssBytes: 300 * MiB, heapUsedBytes: 80 * MiB, heapTotalBytes: 120 * MiB, externalBytes: 5 * MiB },
      eventLoop: { delayP50Ms: 0.2, delayP99Ms: 3, delayMaxMs: 9, utilization: 0.1 },
    } as MainThreadReading,
    pools: [{ name: 'backtest', started: false, size: 0, live: 0, busy: 0, queued: 0, completed: 0, failed: 0, replaced: 0, workers: [] }] as WorkerPoolMetrics[],
    sizes: { fileBytes: 4 * MiB, walBytes: MiB },
    venues: [] as Array<{ status: VenueStatus; stats: VenueStats | null }>,
    backtests: [] as BacktestSummary[],
    training: [] as JobView[],
  };
  const options: SystemMonitorOptions = {
    clock,
    intervalMs: 5_000,
    historyMs: 60_000,
    mainThread: { read: () => state.main },
    pools: { read: () => state.pools },
    journal: { sizes: () => state.sizes, writes: () => writes.drain() },
    venues: () => state.venues,
    backtests: () => state.backtests,
    training: () => state.training,
    alerts: { raise: (a) => raised.push(a) },
    publish: (s) => published.push(s),
    ...overrides,
  };
  const monitor = new SystemMonitor(options);
  return { clock, monitor, state, raised, published, writes };
}

function venue(id: string, stats: Partial<VenueStats> | null, state: VenueStatus['state'] = 'ready'): { status: VenueStatus; stats: VenueStats | null } {
  return {
    status: { venue: id, state, reason: null, paper: id === 'paper' },
    stats:
      stats === null
        ? null
        : { windowMs: 300_000, requests: 0, errors: 0, latencyP50Ms: null, latencyP95Ms: null, rateLimitUsage: null, rateLimited: false, lastMessageAt: null, ...stats },
  };
}

describe('SystemMonitor', () => {
  it('samples every part at start and then every interval, and publishes each sample', async () => {
    const { clock, monitor, published, writes } = harness();
    writes.record(2);
    writes.record(4);
    monitor.start();
    expect(published).toHaveLength(1);
    const first = monitor.latest();
    expect(first).toMatchObject({
      at: T0,
      intervalMs: 0,
      memory: { rssBytes: 300 * MiB },
      eventLoop: { delayP99Ms: 3 },
      journal: { fileBytes: 4 * MiB, walBytes: MiB, writes: 2, writeP50Ms: 2, writeP99Ms: 4, writeMaxMs: 4 },
      webSocketClients: null,
      email: null,
      breaches: [],
    });
    // Headless: the main process is measured, the renderer (the user's browser) is listed as not measured.
    expect(first.processes).toEqual([
      { kind: 'main', label: 'Main (engine)', pid: process.pid, measured: true, cpuPercent: 12.5, memoryBytes: 300 * MiB },
      { kind: 'renderer', label: 'Renderer (your browser)', pid: null, measured: false, cpuPercent: null, memoryBytes: null },
    ]);
    await clock.advanceAndSettle(5_000);
    expect(published).toHaveLength(2);
    expect(monitor.latest()).toMatchObject({ at: T0 + 5_000, intervalMs: 5_000, journal: { writes: 0, writeP99Ms: null } });
    monitor.stop();
    await clock.advanceAndSettle(20_000);
    expect(published).toHaveLength(2);
  });

  it('keeps only the history span, oldest dropped, as series aligned on the sample times', async () => {
    const { clock, monitor, state } = harness();
    monitor.start();
    for (let i = 1; i <= 15; i++) {
      state.main = { ...state.main, eventLoop: { ...state.main.eventLoop, delayP99Ms: i } };
      await clock.advanceAndSettle(5_000);
    }
    const { history } = monitor.metrics();
    // 60 s at 5 s: twelve samples.
    expect(history.times).toHaveLength(12);
    expect(history.times[0]).toBe(T0 + 4 * 5_000);
    expect(history.times.at(-1)).toBe(T0 + 15 * 5_000);
    const p99 = history.series.find((s) => s.key === 'eventLoop.delayP99')!;
    expect(p99).toMatchObject({ unit: 'ms', label: 'Event-loop delay p99' });
    expect(p99.values).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    for (const s of history.series) expect(s.values, s.key).toHaveLength(12);
    monitor.stop();
  });

  it('pads a venue that appears later with nulls before it existed', async () => {
    const { clock, monitor, state } = harness();
    monitor.start();
    await clock.advanceAndSettle(5_000);
    state.venues = [venue('paper', { requests: 4, latencyP50Ms: 1, lastMessageAt: T0 + 9_000 })];
    await clock.advanceAndSettle(5_000);
    const { history } = monitor.metrics();
    expect(history.series.find((s) => s.key === 'venue.paper.latencyP50')!.values).toEqual([null, null, 1]);
    expect(history.series.find((s) => s.key === 'venue.paper.messageAge')!.values).toEqual([null, null, 1_000]);
    monitor.stop();
  });

  it("reports each venue's figures, and one without statistics as not measured", () => {
    const { monitor, state } = harness();
    state.venues = [
      venue('paper', { requests: 10, errors: 2, latencyP50Ms: 3, latencyP95Ms: 8, lastMessageAt: T0 - 250 }),
      venue('binance', { requests: 0, rateLimitUsage: 0.4, rateLimited: true }),
      venue('okx', null, 'connecting'),
    ];
    const sample = monitor.sample();
    expect(sample.venues).toEqual([
      { venue: 'paper', state: 'ready', paper: true, requests: 10, errors: 2, errorRate: 0.2, latencyP50Ms: 3, latencyP95Ms: 8, windowMs: 300_000, rateLimitUsage: null, rateLimited: false, lastMessageAgeMs: 250, measured: true },
      { venue: 'binance', state: 'ready', paper: false, requests: 0, errors: 0, errorRate: null, latencyP50Ms: null, latencyP95Ms: null, windowMs: 300_000, rateLimitUsage: 0.4, rateLimited: true, lastMessageAgeMs: null, measured: true },
      { venue: 'okx', state: 'connecting', paper: false, requests: 0, errors: 0, errorRate: null, latencyP50Ms: null, latencyP95Ms: null, windowMs: 0, rateLimitUsage: null, rateLimited: false, lastMessageAgeMs: null, measured: false },
    ]);
  });

  it('raises an alert once per crossing for each threshold, through the alert sink', () => {
    const { monitor, state, raised, writes } = harness({ thresholds: { eventLoopDelayP99Ms: 100, journalWriteP99Ms: 10, memoryRssBytes: 500 * MiB } });
    state.main = { ...state.main, eventLoop: { ...state.main.eventLoop, delayP99Ms: 150 }, memory: { ...state.main.memory, rssBytes: 600 * MiB } };
    writes.record(25);
    state.venues = [
      venue('binance', { requests: 20, errors: 10, lastMessageAt: T0 - 120_000 }),
      // Too few requests to judge; and connecting, so its silence is not a breach.
      venue('bybit', { requests: MIN_REQUESTS_FOR_ERROR_RATE - 1, errors: MIN_REQUESTS_FOR_ERROR_RATE - 1, lastMessageAt: T0 - 600_000 }, 'connecting'),
    ];
    const sample = monitor.sample();
    expect(sample.breaches.map((b) => b.key).sort()).toEqual(['eventLoopDelay', 'journalWriteLatency', 'memory', 'venueErrorRate:binance', 'venueMessageAge:binance']);
    expect(raised.map((a) => a.title).sort()).toEqual([
      'Event-loop delay p99 is 150 ms',
      'Journal write p99 is 25 ms',
      'Main process memory is 600.0 MiB',
      'binance: last message age is 120 s',
      'binance: request error rate is 50%',
    ]);
    expect(raised.every((a) => a.kind === 'system' && a.severity === 'warning')).toBe(true);
    // Still over on the next sample: nothing new is raised.
    writes.record(25);
    monitor.sample();
    expect(raised).toHaveLength(5);
  });

  it('forgets the breaches of a venue that was removed', () => {
    const { monitor, state, raised } = harness();
    state.venues = [venue('binance', { lastMessageAt: T0 - 120_000 })];
    expect(monitor.sample().breaches).toHaveLength(1);
    state.venues = [];
    expect(monitor.sample().breaches).toEqual([]);
    state.venues = [venue('binance', { lastMessageAt: T0 - 120_000 })];
    monitor.sample();
    expect(raised).toHaveLength(2);
  });

  it('shows email delivery and alerts when it keeps failing', () => {
    let status: AlertDeliveryStatus = { queued: 1, failingAttempts: 0, lastError: null, lastSentAt: T0 - 1000, lastFailedAt: null };
    const { monitor, raised } = harness({ emailDelivery: () => status });
    expect(monitor.sample().email).toEqual(status);
    status = { queued: 3, failingAttempts: 3, lastError: 'connect ECONNREFUSED 127.0.0.1:2525', lastSentAt: T0 - 1000, lastFailedAt: T0 };
    expect(monitor.sample().breaches).toMatchObject([{ metric: 'emailDelivery', value: 3, threshold: 3 }]);
    expect(raised).toHaveLength(1);
    expect(monitor.metrics().history.series.find((s) => s.key === 'email.queued')!.values).toEqual([1, 3]);
  });

  it("lists Electron's processes when the shell passes them, and counts WebSocket clients once told how", () => {
    const others: ProcessReading[] = [
      { kind: 'renderer', label: 'Renderer', pid: 11, cpuPercent: 4, memoryBytes: 200 * MiB },
      { kind: 'gpu', label: 'GPU', pid: 12, cpuPercent: 1, memoryBytes: 90 * MiB },
    ];
    const { monitor } = harness({ otherProcesses: () => others });
    monitor.countWebSocketClients(() => 3);
    const sample = monitor.sample();
    expect(sample.processes.map((p) => [p.kind, p.measured, p.memoryBytes])).toEqual([
      ['main', true, 300 * MiB],
      ['renderer', true, 200 * MiB],
      ['gpu', true, 90 * MiB],
    ]);
    expect(sample.webSocketClients).toBe(3);
    const keys = monitor.metrics().history.series.map((s) => s.key);
    expect(keys).toEqual(expect.arrayContaining(['process.main.cpu', 'process.renderer.memory', 'process.gpu.cpu', 'ws.clients']));
  });

  it('answers system.metrics and system.health in the contract shape, with the latest jobs', () => {
    const { monitor, state } = harness({ thresholds: { eventLoopDelayP99Ms: 1 } });
    const run = (id: string, createdAt: number): BacktestSummary =>
      ({ id, name: id, status: 'done', createdAt, finishedAt: createdAt + 10 }) as BacktestSummary;
    state.backtests = [run('bt-1', T0 - 3000), run('bt-2', T0 - 1000), run('bt-0', T0 - 5000)];
    state.training = [{ id: 'job-1', kind: 'train', name: 'trend', status: 'running', done: 1, total: 4, message: 'fold 1', startedAt: T0 - 100, finishedAt: null, modelId: null, error: null }];
    monitor.start();
    const metrics = systemMetricsSchema.parse(monitor.metrics());
    expect(metrics.jobs).toEqual({
      backtest: { id: 'bt-2', name: 'bt-2', status: 'done', startedAt: T0 - 1000, finishedAt: T0 - 990 },
      training: { id: 'job-1', name: 'trend', status: 'running', startedAt: T0 - 100, finishedAt: null },
    });
    expect(metrics.thresholds.eventLoopDelayP99Ms).toBe(1);
    expect(metrics.thresholds.venueMessageAgeMs).toBe(60_000);
    const health = systemHealthSchema.parse(monitor.health([]));
    expect(health).toMatchObject({ status: 'warning', eventLoopLagMs: 9, breaches: [{ metric: 'eventLoopDelay' }] });
    monitor.stop();
  });

  it('refuses thresholds and intervals that make no sense', () => {
    expect(() => harness({ thresholds: { venueErrorRate: 2 } })).toThrow(/venueErrorRate/);
    expect(() => harness({ thresholds: { eventLoopDelayP99Ms: -1 } })).toThrow(/eventLoopDelayP99Ms/);
    expect(() => harness({ intervalMs: 0 })).toThrow(RangeError);
  });

  it('logs a source that throws and keeps sampling', async () => {
    const logged: string[] = [];
    let fail = false;
    const { clock, monitor, published } = harness({
      log: { info: () => {}, warn: () => {}, error: (m: string) => logged.push(m) },
      pools: {
        read: () => {
          if (fail) throw new Error('pool gone');
          return [];
        },
      },
    });
    monitor.start();
    fail = true;
    await clock.advanceAndSettle(5_000);
    expect(logged).toEqual([expect.stringContaining('pool gone')]);
    fail = false;
    await clock.advanceAndSettle(5_000);
    expect(published).toHaveLength(2);
    monitor.stop();
  });
});
