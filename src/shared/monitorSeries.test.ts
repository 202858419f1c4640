import { describe, expect, it } from 'vitest';
import type { MonitorSample, VenueMetrics } from './contract/monitor';
import { appendSample, historyOf, seriesPoints } from './monitorSeries';

function sample(at: number, p99: number, venues: VenueMetrics[] = []): MonitorSample {
  return {
    at,
    intervalMs: 5000,
    processes: [
      { kind: 'main', label: 'Main (engine)', pid: 1, measured: true, cpuPercent: 10, memoryBytes: 100 },
      { kind: 'renderer', label: 'Renderer (your browser)', pid: null, measured: false, cpuPercent: null, memoryBytes: null },
    ],
    memory: { rssBytes: 100, heapUsedBytes: 50, heapTotalBytes: 80, externalBytes: 1 },
    eventLoop: { delayP50Ms: 0, delayP99Ms: p99, delayMaxMs: p99, utilization: 0.1 },
    workerPools: [{ name: 'backtest', started: false, size: 0, live: 0, busy: 0, queued: 0, completed: 0, failed: 0, replaced: 0, workers: [] }],
    journal: { fileBytes: 10, walBytes: 5, writes: 1, writeP50Ms: 1, writeP99Ms: 2, writeMaxMs: 2 },
    webSocketClients: null,
    venues,
    email: null,
    breaches: [],
  };
}

function venue(id: string, latency: number): VenueMetrics {
  return { venue: id, state: 'ready', paper: false, requests: 1, errors: 0, errorRate: 0, latencyP50Ms: latency, latencyP95Ms: latency, windowMs: 1, rateLimitUsage: null, rateLimited: false, lastMessageAgeMs: 0, measured: true };
}

const values = (h: ReturnType<typeof historyOf>, key: string) => h.series.find((s) => s.key === key)?.values;

describe('monitor series', () => {
  it('charts only what was measured: no renderer series in headless, no pool series before it starts', () => {
    const keys = seriesPoints(sample(1, 1)).map((p) => p.key);
    expect(keys).toContain('process.main.cpu');
    expect(keys).toContain('journal.size');
    expect(keys.some((k) => k.startsWith('process.renderer'))).toBe(false);
    expect(keys.some((k) => k.startsWith('pool.'))).toBe(false);
    expect(keys).not.toContain('ws.clients');
  });

  it('appends a sample the same way the engine builds its history', () => {
    const samples = [sample(1000, 1), sample(2000, 2, [venue('okx', 7)]), sample(3000, 3)];
    let appended = { times: [] as number[], series: [] as ReturnType<typeof historyOf>['series'] };
    for (const s of samples) appended = appendSample(appended, s, 60_000);
    expect(appended).toEqual(historyOf(samples));
    expect(values(appended, 'venue.okx.latencyP50')).toEqual([null, 7, null]);
  });

  it('drops samples older than the span, and series left with nothing', () => {
    let h = historyOf([sample(1000, 1, [venue('okx', 7)]), sample(2000, 2), sample(3000, 3)]);
    h = appendSample(h, sample(4000, 4), 2_500);
    expect(h.times).toEqual([2000, 3000, 4000]);
    expect(values(h, 'eventLoop.delayP99')).toEqual([2, 3, 4]);
    expect(values(h, 'venue.okx.latencyP50')).toBeUndefined();
  });

  it('ignores a sample no newer than the last, leaving the history as it was', () => {
    const h = historyOf([sample(1000, 1), sample(2000, 2)]);
    expect(appendSample(h, sample(2000, 9), 60_000)).toBe(h);
    expect(values(h, 'eventLoop.delayP99')).toEqual([1, 2]);
  });
});
