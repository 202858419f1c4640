/**
 * The monitor's figures in Prometheus' text exposition format (version
 * 0.0.4), for the headless host's `/metrics`: base units (seconds, bytes,
 * ratios), `keel_` names, a HELP and TYPE line per family, counters ending
 * in `_total`. Only what was measured is written: a figure Keel does not
 * have is left out rather than written as 0.
 */
import type { SystemMetrics } from '../../shared/contract/monitor';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Array<{ labels: Labels; value: number }>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderPrometheus(metrics: SystemMetrics): string {
  const { sample, thresholds, jobs } = metrics;
  const families = new Map<string, Family>();
  const put = (name: string, type: Family['type'], help: string, value: number | null | undefined, labels: Labels = {}) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    let family = families.get(name);
    if (!family) {
      family = { name, help, type, samples: [] };
      families.set(name, family);
    }
    family.samples.push({ labels, value });
  };
  const sec = (msValue: number | null) => (msValue === null ? null : msValue / 1000);

  put('keel_sample_timestamp_seconds', 'gauge', 'When the figures below were sampled (Unix time).', sample.at / 1000);
  for (const p of sample.processes) {
    if (!p.measured) continue;
    const labels = { process: p.kind, pid: String(p.pid ?? '') };
    put('keel_process_cpu_ratio', 'gauge', 'CPU used by the process over the last sampling interval, as a share of one core.', p.cpuPercent === null ? null : p.cpuPercent / 100, labels);
    put('keel_process_resident_memory_bytes', 'gauge', 'Resident memory of the process (working set for Electron helper processes).', p.memoryBytes, labels);
  }
  put('keel_main_heap_used_bytes', 'gauge', 'V8 heap in use in the main process.', sample.memory.heapUsedBytes);
  put('keel_main_heap_total_bytes', 'gauge', 'V8 heap allocated in the main process.', sample.memory.heapTotalBytes);
  put('keel_main_external_memory_bytes', 'gauge', 'Memory held outside the V8 heap by the main process (buffers, native objects).', sample.memory.externalBytes);
  const loopHelp = 'Main thread event-loop delay over the last sampling interval.';
  put('keel_event_loop_delay_seconds', 'gauge', loopHelp, sec(sample.eventLoop.delayP50Ms), { stat: 'p50' });
  put('keel_event_loop_delay_seconds', 'gauge', loopHelp, sec(sample.eventLoop.delayP99Ms), { stat: 'p99' });
  put('keel_event_loop_delay_seconds', 'gauge', loopHelp, sec(sample.eventLoop.delayMaxMs), { stat: 'max' });
  put('keel_event_loop_utilization_ratio', 'gauge', 'Share of the last sampling interval the main thread event loop was busy.', sample.eventLoop.utilization);

  for (const pool of sample.workerPools) {
    const labels = { pool: pool.name };
    put('keel_worker_pool_started', 'gauge', 'Whether the worker pool has started (pools start on first use).', pool.started ? 1 : 0, labels);
    if (!pool.started) continue;
    put('keel_worker_pool_size', 'gauge', 'Workers the pool is configured to run.', pool.size, labels);
    put('keel_worker_pool_live', 'gauge', 'Worker threads currently alive in the pool.', pool.live, labels);
    put('keel_worker_pool_busy', 'gauge', 'Requests being worked on in the pool.', pool.busy, labels);
    put('keel_worker_pool_queued', 'gauge', 'Requests waiting for a free worker.', pool.queued, labels);
    put('keel_worker_pool_tasks_completed_total', 'counter', 'Requests the pool answered with a result.', pool.completed, labels);
    put('keel_worker_pool_tasks_failed_total', 'counter', 'Requests the pool answered with an error.', pool.failed, labels);
    put('keel_worker_pool_workers_replaced_total', 'counter', 'Workers started to replace crashed ones.', pool.replaced, labels);
    for (const w of pool.workers) {
      put('keel_worker_event_loop_utilization_ratio', 'gauge', 'Share of the last sampling interval a worker thread was busy.', w.utilization, { pool: pool.name, thread: String(w.threadId) });
    }
  }

  put('keel_journal_size_bytes', 'gauge', 'Size of the journal on disk.', sample.journal.fileBytes, { file: 'db' });
  put('keel_journal_size_bytes', 'gauge', 'Size of the journal on disk.', sample.journal.walBytes, { file: 'wal' });
  put('keel_journal_writes', 'gauge', 'Journal transactions committed during the last sampling interval.', sample.journal.writes);
  const writeHelp = 'Time a journal transaction held the main thread during the last sampling interval.';
  put('keel_journal_write_seconds', 'gauge', writeHelp, sec(sample.journal.writeP50Ms), { stat: 'p50' });
  put('keel_journal_write_seconds', 'gauge', writeHelp, sec(sample.journal.writeP99Ms), { stat: 'p99' });
  put('keel_journal_write_seconds', 'gauge', writeHelp, sec(sample.journal.writeMaxMs), { stat: 'max' });

  put('keel_websocket_clients', 'gauge', 'Contract clients connected to the headless host.', sample.webSocketClients);

  for (const v of sample.venues) {
    const labels = { venue: v.venue };
    put('keel_venue_ready', 'gauge', 'Whether the venue is reconciled and accepting orders.', v.state === 'ready' ? 1 : 0, labels);
    if (!v.measured) continue;
    put('keel_venue_requests', 'gauge', 'Requests to the venue over its statistics window.', v.requests, labels);
    put('keel_venue_request_errors', 'gauge', 'Failed requests to the venue over its statistics window.', v.errors, labels);
    put('keel_venue_request_error_ratio', 'gauge', 'Share of requests to the venue that failed over its statistics window.', v.errorRate, labels);
    const latencyHelp = 'Request latency to the venue over its statistics window.';
    put('keel_venue_request_latency_seconds', 'gauge', latencyHelp, sec(v.latencyP50Ms), { ...labels, stat: 'p50' });
    put('keel_venue_request_latency_seconds', 'gauge', latencyHelp, sec(v.latencyP95Ms), { ...labels, stat: 'p95' });
    put('keel_venue_rate_limit_usage_ratio', 'gauge', "Share of the exchange's request budget in use, where it reports one.", v.rateLimitUsage, labels);
    put('keel_venue_rate_limited', 'gauge', 'Whether requests to the venue are being held back by a rate limit or ban.', v.rateLimited ? 1 : 0, labels);
    put('keel_venue_last_message_age_seconds', 'gauge', 'Time since the venue last said anything (response, stream or market update).', sec(v.lastMessageAgeMs), labels);
  }

  if (sample.email) {
    put('keel_email_queued', 'gauge', 'Emails waiting to be sent, including ones waiting for a retry.', sample.email.queued);
    put('keel_email_failing_attempts', 'gauge', 'Consecutive failed attempts at sending the oldest queued email.', sample.email.failingAttempts);
    put('keel_email_last_sent_timestamp_seconds', 'gauge', 'When an email was last sent (Unix time).', sample.email.lastSentAt === null ? null : sample.email.lastSentAt / 1000);
  }

  const limitHelp = 'The monitor threshold that raises an alert.';
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.eventLoopDelayP99Ms / 1000, { metric: 'event_loop_delay_p99_seconds' });
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.memoryRssBytes, { metric: 'main_resident_memory_bytes' });
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.journalWriteP99Ms / 1000, { metric: 'journal_write_p99_seconds' });
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.venueMessageAgeMs / 1000, { metric: 'venue_last_message_age_seconds' });
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.venueErrorRate, { metric: 'venue_request_error_ratio' });
  put('keel_monitor_threshold', 'gauge', limitHelp, thresholds.emailFailingAttempts, { metric: 'email_failing_attempts' });
  put('keel_monitor_breaches', 'gauge', 'Monitor thresholds currently crossed.', sample.breaches.length);
  for (const b of sample.breaches) {
    put('keel_monitor_breach', 'gauge', 'A crossed threshold (1 while it lasts), by metric and subject.', 1, { metric: b.metric, subject: b.subject ?? '' });
  }

  for (const [kind, job] of [['backtest', jobs.backtest], ['training', jobs.training]] as const) {
    if (!job) continue;
    put('keel_last_job_started_timestamp_seconds', 'gauge', 'When the latest job of its kind started (Unix time).', job.startedAt / 1000, { kind, status: job.status });
    put('keel_last_job_finished_timestamp_seconds', 'gauge', 'When the latest job of its kind finished (Unix time).', job.finishedAt === null ? null : job.finishedAt / 1000, { kind, status: job.status });
  }

  const lines: string[] = [];
  for (const family of families.values()) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples) lines.push(`${family.name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
