/**
 * The main process measured from inside: CPU over the interval (user and
 * system time against wall time), memory, and the event loop's delay
 * percentiles and utilisation. Each read covers the time since the previous
 * one. It keeps its own delay histogram, apart from the engine's
 * `system.health` probe, so neither resets the other's window.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

export interface MainThreadReading {
  /** Share of one core over the interval; null on the first read. */
  cpuPercent: number | null;
  memory: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number };
  eventLoop: { delayP50Ms: number; delayP99Ms: number; delayMaxMs: number; utilization: number };
}

export interface MainThreadProbe {
  read(): MainThreadReading;
  stop(): void;
}

export function startMainThreadProbe(resolutionMs = 10): MainThreadProbe {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let lastCpu = process.cpuUsage();
  let lastWall = performance.now();
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  let first = true;
  // Samples are the time between two ticks of Node's sampling timer (ns): the timer's own interval is not delay.
  const lateness = (ns: number) => round1(Math.max(0, ns / 1e6 - resolutionMs));
  return {
    read() {
      const wall = performance.now();
      const cpu = process.cpuUsage(lastCpu);
      const elu = performance.eventLoopUtilization(lastElu);
      const cpuPercent = first || wall <= lastWall ? null : round1(((cpu.user + cpu.system) / 1000 / (wall - lastWall)) * 100);
      const has = histogram.count > 0;
      const eventLoop = {
        delayP50Ms: has ? lateness(histogram.percentile(50)) : 0,
        delayP99Ms: has ? lateness(histogram.percentile(99)) : 0,
        delayMaxMs: has ? lateness(histogram.max) : 0,
        utilization: clamp01(elu.utilization),
      };
      histogram.reset();
      lastCpu = process.cpuUsage();
      lastWall = wall;
      lastElu = performance.eventLoopUtilization();
      first = false;
      const m = process.memoryUsage();
      return {
        cpuPercent,
        memory: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external },
        eventLoop,
      };
    },
    stop() {
      histogram.disable();
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
