import { describe, expect, it } from 'vitest';
import type { SystemMetrics } from '../../shared/contract/monitor';
import { escapeLabel, renderPrometheus } from './prometheus';
import { DEFAULT_THRESHOLDS } from './thresholds';

const AT = 1_750_000_000_000;

function metrics(): SystemMetrics {
  return {
    sample: {
      at: AT,
      intervalMs: 5000,
      processes: [
        { kind: 'main', label: 'Main (engine)', pid: 100, measured: true, cpuPercent: 25, memoryBytes: 314_572_800 },
        { kind: 'renderer', label: 'Renderer (your browser)', pid: null, measured: false, cpuPercent: null, memoryBytes: null },
      ],
      memory: { rssBytes: 314_572_800, heapUsedBytes: 1000, heapTotalBytes: 2000, externalBytes: 300 },
      eventLoop: { delayP50Ms: 0.5, delayP99Ms: 12, delayMaxMs: 40, utilization: 0.25 },
      workerPools: [
        { name: 'backtest', started: true, size: 2, live: 2, busy: 1, queued: 3, completed: 17, failed: 1, replaced: 0, workers: [{ threadId: 7, utilization: 0.5 }, { threadId: 8, utilization: null }] },
        { name: 'training', started: false, size: 0, live: 0, busy: 0, queued: 0, completed: 0, failed: 0, replaced: 0, workers: [] },
      ],
      journal: { fileBytes: 4096, walBytes: 1024, writes: 12, writeP50Ms: 0.25, writeP99Ms: 2, writeMaxMs: 3 },
      webSocketClients: 2,
      venues: [
        { venue: 'paper', state: 'ready', paper: true, requests: 10, errors: 1, errorRate: 0.1, latencyP50Ms: 1, latencyP95Ms: 4, windowMs: 300_000, rateLimitUsage: null, rateLimited: false, lastMessageAgeMs: 200, measured: true },
        { venue: 'okx', state: 'blocked', paper: false, requests: 0, errors: 0, errorRate: null, latencyP50Ms: null, latencyP95Ms: null, windowMs: 0, rateLimitUsage: null, rateLimited: false, lastMessageAgeMs: null, measured: false },
      ],
      email: null,
      breaches: [{ key: 'venueMessageAge:pa"per', metric: 'venueMessageAge', subject: 'pa"per', label: 'x', value: 1, threshold: 0.5, since: AT }],
    },
    history: { times: [], series: [] },
    jobs: { backtest: { id: 'bt-1', name: 'Trend', status: 'done', startedAt: AT - 2000, finishedAt: AT - 1000 }, training: null },
    thresholds: DEFAULT_THRESHOLDS,
  };
}

/** Parses the exposition text the way a scraper would, failing on anything malformed. */
function parse(text: string): { families: Map<string, { help: string; type: string }>; samples: Array<{ name: string; labels: Record<string, string>; value: number }> } {
  expect(text.endsWith('\n')).toBe(true);
  const families = new Map<string, { help: string; type: string }>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  let current: string | null = null;
  for (const line of text.trimEnd().split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (help) {
      expect(families.has(help[1]!), `${help[1]} declared twice`).toBe(false);
      families.set(help[1]!, { help: help[2]!, type: '' });
      current = help[1]!;
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line);
    if (type) {
      expect(type[1]).toBe(current);
      families.get(type[1]!)!.type = type[2]!;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    expect(sample, `malformed line: ${line}`).not.toBeNull();
    expect(sample![1]).toBe(current);
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    const body = sample![3] ?? '';
    let consumed = 0;
    for (let m = labelRe.exec(body); m; m = labelRe.exec(body)) {
      labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      consumed = labelRe.lastIndex;
    }
    expect(consumed, `labels of ${line}`).toBe(body.length);
    const value = Number(sample![4]);
    expect(Number.isFinite(value), line).toBe(true);
    samples.push({ name: sample![1]!, labels, value });
  }
  return { families, samples };
}

describe('renderPrometheus', () => {
  const text = renderPrometheus(metrics());
  const { families, samples } = parse(text);
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('writes every family with HELP and TYPE, counters ending in _total', () => {
    expect(families.size).toBeGreaterThan(20);
    for (const [name, family] of families) {
      expect(name).toMatch(/^keel_/);
      expect(family.help.length).toBeGreaterThan(10);
      expect(family.type === 'counter').toBe(name.endsWith('_total'));
    }
  });

  it('writes figures in base units', () => {
    expect(value('keel_sample_timestamp_seconds')).toBe(AT / 1000);
    expect(value('keel_process_cpu_ratio', { process: 'main', pid: '100' })).toBe(0.25);
    expect(value('keel_process_resident_memory_bytes', { process: 'main' })).toBe(314_572_800);
    expect(value('keel_event_loop_delay_seconds', { stat: 'p99' })).toBe(0.012);
    expect(value('keel_event_loop_delay_seconds', { stat: 'max' })).toBe(0.04);
    expect(value('keel_journal_size_bytes', { file: 'wal' })).toBe(1024);
    expect(value('keel_journal_write_seconds', { stat: 'p50' })).toBe(0.00025);
    expect(value('keel_websocket_clients')).toBe(2);
    expect(value('keel_worker_pool_queued', { pool: 'backtest' })).toBe(3);
    expect(value('keel_worker_pool_tasks_completed_total', { pool: 'backtest' })).toBe(17);
    expect(value('keel_worker_event_loop_utilization_ratio', { pool: 'backtest', thread: '7' })).toBe(0.5);
    expect(value('keel_venue_request_latency_seconds', { venue: 'paper', stat: 'p95' })).toBe(0.004);
    expect(value('keel_venue_last_message_age_seconds', { venue: 'paper' })).toBe(0.2);
    expect(value('keel_venue_request_error_ratio', { venue: 'paper' })).toBe(0.1);
    expect(value('keel_monitor_threshold', { metric: 'event_loop_delay_p99_seconds' })).toBe(DEFAULT_THRESHOLDS.eventLoopDelayP99Ms / 1000);
    expect(value('keel_last_job_finished_timestamp_seconds', { kind: 'backtest', status: 'done' })).toBe((AT - 1000) / 1000);
  });

  it('leaves out what was not measured rather than writing 0', () => {
    expect(samples.some((s) => s.labels.process === 'renderer')).toBe(false);
    expect(value('keel_worker_event_loop_utilization_ratio', { thread: '8' })).toBeUndefined();
    expect(value('keel_worker_pool_started', { pool: 'training' })).toBe(0);
    expect(value('keel_worker_pool_size', { pool: 'training' })).toBeUndefined();
    expect(value('keel_venue_ready', { venue: 'okx' })).toBe(0);
    expect(value('keel_venue_requests', { venue: 'okx' })).toBeUndefined();
    expect(families.has('keel_email_queued')).toBe(false);
    expect(value('keel_last_job_started_timestamp_seconds', { kind: 'training' })).toBeUndefined();
  });

  it('escapes label values', () => {
    expect(value('keel_monitor_breach', { metric: 'venueMessageAge', subject: 'pa"per' })).toBe(1);
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
