/**
 * The monitor's history as the Monitor view draws it: one numeric series per
 * figure worth a small chart, aligned on the sample times. A figure that
 * appears later (a venue added, a pool started) is null before it existed,
 * and one that disappears is null after. The engine builds the history from
 * its samples; the view extends it with each `system.metrics` event the same
 * way, so both read alike.
 */
import type { MetricSeries, MetricsHistory, MonitorSample } from './contract/monitor';

type Unit = MetricSeries['unit'];

interface Point {
  key: string;
  label: string;
  unit: Unit;
  value: number | null;
}

const PROCESS_KINDS = ['main', 'renderer', 'gpu', 'utility'] as const;
const PROCESS_LABELS: Record<(typeof PROCESS_KINDS)[number], string> = { main: 'Main', renderer: 'Renderer', gpu: 'GPU', utility: 'Helpers' };

function sumOrNull(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

/** The charted figures of one sample. */
export function seriesPoints(sample: MonitorSample): Point[] {
  const points: Point[] = [];
  const add = (key: string, label: string, unit: Unit, value: number | null) => points.push({ key, label, unit, value });
  // One series per kind of process (Electron may run several renderers or helpers; a reload gives a new pid).
  for (const kind of PROCESS_KINDS) {
    const of = sample.processes.filter((p) => p.kind === kind && p.measured);
    if (of.length === 0) continue;
    const label = PROCESS_LABELS[kind];
    add(`process.${kind}.cpu`, `${label} CPU`, 'percent', sumOrNull(of.map((p) => p.cpuPercent)));
    add(`process.${kind}.memory`, `${label} memory`, 'bytes', sumOrNull(of.map((p) => p.memoryBytes)));
  }
  add('main.heapUsed', 'Main heap used', 'bytes', sample.memory.heapUsedBytes);
  add('eventLoop.delayP99', 'Event-loop delay p99', 'ms', sample.eventLoop.delayP99Ms);
  add('eventLoop.delayMax', 'Event-loop delay max', 'ms', sample.eventLoop.delayMaxMs);
  add('eventLoop.utilization', 'Event-loop utilisation', 'ratio', sample.eventLoop.utilization);
  for (const pool of sample.workerPools) {
    if (!pool.started) continue;
    add(`pool.${pool.name}.busy`, `${pool.name} workers busy`, 'count', pool.busy);
    add(`pool.${pool.name}.queued`, `${pool.name} queue`, 'count', pool.queued);
  }
  add('journal.size', 'Journal size', 'bytes', sample.journal.fileBytes + sample.journal.walBytes);
  add('journal.writes', 'Journal writes', 'count', sample.journal.writes);
  add('journal.writeP99', 'Journal write p99', 'ms', sample.journal.writeP99Ms);
  if (sample.webSocketClients !== null) add('ws.clients', 'WebSocket clients', 'count', sample.webSocketClients);
  for (const v of sample.venues) {
    if (!v.measured) continue;
    add(`venue.${v.venue}.latencyP50`, `${v.venue} latency p50`, 'ms', v.latencyP50Ms);
    add(`venue.${v.venue}.errorRate`, `${v.venue} error rate`, 'ratio', v.errorRate);
    add(`venue.${v.venue}.messageAge`, `${v.venue} last message age`, 'ms', v.lastMessageAgeMs);
  }
  if (sample.email) add('email.queued', 'Email queued', 'count', sample.email.queued);
  return points;
}

export function historyOf(samples: readonly MonitorSample[]): MetricsHistory {
  const series = new Map<string, MetricSeries>();
  samples.forEach((sample, i) => {
    for (const point of seriesPoints(sample)) {
      let s = series.get(point.key);
      if (!s) {
        s = { key: point.key, label: point.label, unit: point.unit, values: new Array<number | null>(i).fill(null) };
        series.set(point.key, s);
      }
      while (s.values.length < i) s.values.push(null);
      s.values.push(point.value);
    }
  });
  for (const s of series.values()) while (s.values.length < samples.length) s.values.push(null);
  return { times: samples.map((s) => s.at), series: [...series.values()] };
}

/**
 * The history with one more sample at its end, and without the samples older
 * than `spanMs` before it. A sample no newer than the last one is ignored
 * (an event that crossed a fresh read). Returns a new history; the one given
 * is not changed.
 */
export function appendSample(history: MetricsHistory, sample: MonitorSample, spanMs: number): MetricsHistory {
  const last = history.times.at(-1);
  if (last !== undefined && sample.at <= last) return history;
  const keepFrom = history.times.findIndex((t) => t > sample.at - spanMs);
  const drop = keepFrom < 0 ? history.times.length : keepFrom;
  const length = history.times.length - drop;
  const series = new Map<string, MetricSeries>(
    history.series.map((s) => [s.key, { ...s, values: s.values.slice(drop) }]),
  );
  for (const point of seriesPoints(sample)) {
    const s = series.get(point.key) ?? { key: point.key, label: point.label, unit: point.unit, values: new Array<number | null>(length).fill(null) };
    s.values.push(point.value);
    series.set(point.key, s);
  }
  for (const s of series.values()) if (s.values.length === length) s.values.push(null);
  // A series with nothing left once old samples are dropped is gone (a venue removed an hour ago).
  const kept = drop === 0 ? [...series.values()] : [...series.values()].filter((s) => s.values.some((v) => v !== null));
  return { times: [...history.times.slice(drop), sample.at], series: kept };
}
