/**
 * The system monitor on the real app (engine, paper venue, SQLite, worker
 * pools): `system.metrics` and `system.health` through the contract, the
 * `system.metrics` event, threshold alerts through the alert sink, and the
 * headless host's Prometheus endpoint over HTTP behind the token. Samples
 * are taken on demand (`keel.monitor.sample()`), so nothing waits on the
 * sampling interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createKeel, type Keel } from '../../src/main/app';
import { startWsHost, type WsHost } from '../../src/main/host/wsServer';
import { renderPrometheus } from '../../src/main/monitor/prometheus';
import { monitorSampleSchema, type AlertRecord, type BacktestResult, type MonitorSample, type SystemHealth, type SystemMetrics } from '../../src/shared/contract';

const TOKEN = 'monitor-token-123';
const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;

let keel: Keel;
let host: WsHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-monitor-'));
  keel = await createKeel({
    dataDir,
    mode: 'headless',
    seed: 11,
    checkResults: true,
    // A memory bound every process exceeds: the alert path runs for real.
    monitor: { thresholds: { memoryRssBytes: 1024 } },
  });
  host = await startWsHost({ server: keel.server, token: TOKEN, host: '127.0.0.1', port: 0, metrics: () => renderPrometheus(keel.monitor.metrics()) });
  keel.monitor.countWebSocketClients(() => host.clients());
});

afterAll(async () => {
  await host?.close();
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('system.metrics through the contract', () => {
  it('answers the first sample: the main process measured, the renderer not, pools not started, the paper venue and the journal', async () => {
    const metrics = await call<SystemMetrics>('system.metrics');
    const { sample } = metrics;
    expect(sample.processes[0]).toMatchObject({ kind: 'main', pid: process.pid, measured: true });
    expect(sample.processes[0]!.memoryBytes).toBeGreaterThan(0);
    expect(sample.processes[1]).toMatchObject({ kind: 'renderer', measured: false, cpuPercent: null, memoryBytes: null });
    expect(sample.workerPools.map((p) => [p.name, p.started])).toEqual([
      ['backtest', false],
      ['training', false],
      ['scoring', false],
    ]);
    expect(sample.journal.fileBytes).toBeGreaterThan(0);
    expect(sample.venues.map((v) => [v.venue, v.paper, v.measured])).toEqual([['paper', true, true]]);
    expect(metrics.jobs).toEqual({ backtest: null, training: null });
    expect(metrics.history.times.length).toBeGreaterThanOrEqual(1);
  });

  it("counts the paper venue's requests and the journal's writes in the next sample, and grows the history", async () => {
    const before = (await call<SystemMetrics>('system.metrics')).history.times.length;
    await call('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.01' });
    await call('orders.place', { ...BTC, side: 'sell', type: 'market', quantity: '0.01' });
    keel.monitor.sample();
    const metrics = await call<SystemMetrics>('system.metrics');
    const paper = metrics.sample.venues.find((v) => v.venue === 'paper')!;
    expect(paper.requests).toBeGreaterThanOrEqual(2);
    expect(paper.errors).toBe(0);
    expect(paper.errorRate).toBe(0);
    expect(paper.latencyP50Ms).not.toBeNull();
    expect(paper.lastMessageAgeMs).not.toBeNull();
    expect(metrics.sample.journal.writes).toBeGreaterThanOrEqual(2);
    expect(metrics.sample.journal.writeP99Ms).not.toBeNull();
    expect(metrics.history.times).toHaveLength(before + 1);
    const series = metrics.history.series.find((s) => s.key === 'venue.paper.latencyP50')!;
    expect(series.values).toHaveLength(before + 1);
    expect(series.values.at(-1)).toBe(paper.latencyP50Ms);
  });

  it('finds a worker pool once a backtest has started it, and reports the last backtest', async () => {
    const { id } = await call<{ id: string }>('backtests.run', {
      strategy: { type: 'sma-cross', params: { fast: 5, slow: 20 } },
      data: { ...BTC, timeframe: '1m' },
    });
    await vi.waitFor(
      async () => {
        const runs = await call<{ backtests: Array<{ id: string; status: string }> }>('backtests.list');
        expect(runs.backtests.find((b) => b.id === id)?.status).toMatch(/done|failed/);
      },
      { timeout: 60_000, interval: 200 },
    );
    keel.monitor.sample();
    const metrics = await call<SystemMetrics>('system.metrics');
    const pool = metrics.sample.workerPools.find((p) => p.name === 'backtest')!;
    expect(pool.started).toBe(true);
    expect(pool.completed + pool.failed).toBeGreaterThanOrEqual(1);
    expect(pool.live).toBeGreaterThanOrEqual(1);
    expect(metrics.jobs.backtest).toMatchObject({ id });
    // The finished run's curve, whole and thinned to a chart's worth through the contract (results are checked against its schema here).
    const whole = await call<BacktestResult>('backtests.get', { id });
    const thin = await call<BacktestResult>('backtests.get', { id, equityPoints: 100 });
    expect(whole.equity.length).toBeGreaterThan(100);
    expect(whole.equityTotal).toBeUndefined();
    expect(thin.equity.length).toBeLessThanOrEqual(100);
    expect(thin.equityTotal).toBe(whole.equity.length);
    expect(thin.equity[0]).toEqual(whole.equity[0]);
    expect(thin.equity.at(-1)).toEqual(whole.equity.at(-1));
    expect({ ...thin, equity: [], equityTotal: undefined }).toEqual({ ...whole, equity: [], equityTotal: undefined });
    await expect(call('backtests.get', { id, equityPoints: 10 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  }, 90_000);

  it('raises a threshold alert once in the alert centre, and reports it in system.health', async () => {
    const memoryAlerts = async () => (await call<{ alerts: AlertRecord[] }>('alerts.list', { limit: 500 })).alerts.filter((a) => a.subjectId === 'memory');
    expect(await memoryAlerts()).toHaveLength(1);
    expect((await memoryAlerts())[0]).toMatchObject({ kind: 'system', severity: 'warning' });
    keel.monitor.sample();
    expect(await memoryAlerts()).toHaveLength(1);
    const health = await call<SystemHealth>('system.health');
    expect(health.status).toBe('warning');
    expect(health.breaches.map((b) => b.metric)).toContain('memory');
    expect(health.venues.map((v) => v.venue)).toEqual(['paper']);
  });

  it('publishes each sample as the system.metrics event', () => {
    const seen: MonitorSample[] = [];
    const off = keel.server.onEvent((topic, data) => {
      if (topic === 'system.metrics') seen.push(monitorSampleSchema.parse(data));
    });
    const sample = keel.monitor.sample();
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.at).toBe(sample.at);
  });

  it('refuses params it does not take, with VALIDATION_FAILED', async () => {
    const outcome = await keel.server.invoke('system.metrics', { since: 0 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const health = await keel.server.invoke('system.health', 'all');
    expect(health).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('the Prometheus endpoint', () => {
  it('refuses a request without the token, or with a wrong one, with 401 and no figures', async () => {
    for (const [path, headers] of [
      ['/metrics', {}],
      ['/metrics?token=wrong-token-000', {}],
      ['/metrics', { Authorization: 'Bearer wrong-token-000' }],
      ['/metrics', { Authorization: `Basic ${Buffer.from(`keel:${TOKEN}`).toString('base64')}` }],
    ] as const) {
      const res = await get(path, headers);
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="keel"');
      expect(res.body).not.toContain('keel_');
    }
  });

  it('serves the figures in the text format with the token as a bearer header or in the query', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      keel.monitor.sample();
      const res = await get('/metrics', { Authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('# TYPE keel_event_loop_delay_seconds gauge');
      expect(res.body).toMatch(/^keel_venue_ready\{venue="paper"\} 1$/m);
      expect(res.body).toMatch(/^keel_websocket_clients 1$/m);
      expect(res.body).toMatch(/^keel_process_resident_memory_bytes\{process="main",pid="\d+"\} \d+$/m);
      expect(res.body).toMatch(/^keel_worker_pool_tasks_completed_total\{pool="backtest"\} \d+$/m);
      const byQuery = await get(`/metrics?token=${TOKEN}`);
      expect(byQuery.status).toBe(200);
      expect(byQuery.body).toContain('keel_journal_size_bytes{file="db"}');
      const head = await get('/metrics', { Authorization: `Bearer ${TOKEN}` }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    } finally {
      ws.close();
    }
  });
});
