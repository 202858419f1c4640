/**
 * Signals through the host: recorded through the SignalBook the app builds
 * (the sink a model-driven strategy is handed), read back through
 * `signals.list` with every filter, their events delivered over the
 * WebSocket in full and in order (never coalesced: each update of one signal
 * arrives), and still there after the app is closed and opened again on the
 * same journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { startWsHost, type WsHost } from '../../src/main/host/wsServer';
import type { NewSignal } from '../../src/main/ml/signals/signalSink';
import { signalSchema, type Signal } from '../../src/shared/contract';
import { RpcSocket, rpcUrl } from '../support/rpcSocket';

const TOKEN = 'signals-token-123456';
const T0 = 1_700_000_040_000;
const MINUTE = 60_000;

let keel: Keel;
let host: WsHost;
let rpc: RpcSocket;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-signals-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 5, checkResults: true });
  host = await startWsHost({ server: keel.server, token: TOKEN, host: '127.0.0.1', port: 0 });
  rpc = await RpcSocket.open(rpcUrl(host.port, TOKEN));
  await rpc.ok('events.subscribe', { topics: ['signals.new', 'signals.updated'] });
});

afterAll(async () => {
  await rpc?.close();
  await host?.close();
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

function scored(overrides: Partial<NewSignal> = {}): NewSignal {
  return {
    time: T0,
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    timeframe: '1m',
    direction: 'long',
    confidence: 0.8123,
    probabilities: { long: 0.8123, short: 0.1, neutral: 0.0877 },
    modelId: 'm-1',
    modelName: 'btc-direction',
    modelVersion: 2,
    featuresHash: 'a1b2c3d4e5f60718',
    strategyId: 's-ml-1',
    regime: 'trending_up',
    acted: false,
    note: '',
    ...overrides,
  };
}

async function eventsFor(id: string, count: number): Promise<Array<{ topic: string; data: Signal }>> {
  for (let i = 0; i < 200; i++) {
    const mine = rpc.events.filter((e) => (e.data as Signal).id === id);
    if (mine.length >= count) return mine.map((e) => ({ topic: e.topic, data: e.data as Signal }));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${count} events arrived for ${id}`);
}

const ids = (list: readonly Signal[]) => list.map((s) => s.id);

describe('signals through the host', () => {
  it('records through the app-built SignalBook and reads back through signals.list, every filter applied', async () => {
    const a = keel.signals.record(scored({ time: T0 }));
    const b = keel.signals.record(scored({ time: T0 + MINUTE, direction: 'short', confidence: 0.64, strategyId: 's-ml-2', modelId: 'm-2', modelVersion: 1 }));
    const c = keel.signals.record(scored({ time: T0 + 2 * MINUTE, symbol: 'ETH/USDT:USDT', direction: 'neutral', confidence: 0.5, regime: null }));
    keel.signals.decide(a.id, true, 'confidence 0.81 above 0.75');
    keel.signals.linkOrder(a.id, 'o-entry');
    keel.signals.decide(b.id, false, 'confidence 0.64 below 0.75');

    const all = (await call<{ signals: Signal[] }>('signals.list')).signals;
    expect(ids(all)).toEqual([c.id, b.id, a.id]);
    for (const s of all) expect(signalSchema.parse(s)).toEqual(s);
    expect(all[2]).toEqual({ ...a, acted: true, note: 'confidence 0.81 above 0.75', orderIds: ['o-entry'] });
    expect(all[1]).toMatchObject({ acted: false, note: 'confidence 0.64 below 0.75', orderIds: [] });

    expect(ids((await call<{ signals: Signal[] }>('signals.list', { strategyId: 's-ml-1' })).signals)).toEqual([c.id, a.id]);
    expect(ids((await call<{ signals: Signal[] }>('signals.list', { venue: 'paper', symbol: 'BTC/USDT:USDT' })).signals)).toEqual([b.id, a.id]);
    expect(ids((await call<{ signals: Signal[] }>('signals.list', { modelId: 'm-2' })).signals)).toEqual([b.id]);
    expect(ids((await call<{ signals: Signal[] }>('signals.list', { orderId: 'o-entry' })).signals)).toEqual([a.id]);
    expect(ids((await call<{ signals: Signal[] }>('signals.list', { before: T0 + 2 * MINUTE, limit: 1 })).signals)).toEqual([b.id]);
    expect(ids((await call<{ signals: Signal[] }>('signals.list', { venue: 'binance' })).signals)).toEqual([]);
  });

  it('refuses bad filters with VALIDATION_FAILED', async () => {
    for (const params of [{ limit: 0 }, { limit: 5_001 }, { symbol: 'btc' }, { timeframe: '1m' }]) {
      const outcome = await keel.server.invoke('signals.list', params);
      expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('delivers signals.new and every signals.updated over the WebSocket, in order and in full', async () => {
    const s = keel.signals.record(scored({ time: T0 + 10 * MINUTE }));
    keel.signals.decide(s.id, true, 'acted');
    // A burst of links within one frame: a coalescing host would keep only the last.
    for (let i = 1; i <= 5; i++) keel.signals.linkOrder(s.id, `o-burst-${i}`);
    keel.signals.linkOrder(s.id, 'o-burst-1');
    const events = await eventsFor(s.id, 7);
    expect(events.map((e) => e.topic)).toEqual(['signals.new', ...new Array<string>(6).fill('signals.updated')]);
    expect(events[0]!.data).toEqual(s);
    expect(events.map((e) => e.data.orderIds.length)).toEqual([0, 0, 1, 2, 3, 4, 5]);
    expect(events.at(-1)!.data).toEqual({ ...s, acted: true, note: 'acted', orderIds: ['o-burst-1', 'o-burst-2', 'o-burst-3', 'o-burst-4', 'o-burst-5'] });
    // Linking an order again changed nothing and published nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rpc.events.filter((e) => (e.data as Signal).id === s.id)).toHaveLength(7);
    expect(await rpc.ok('signals.list', { orderId: 'o-burst-3' })).toEqual({ signals: [events.at(-1)!.data] });
  });

  it('keeps signals in the journal across a restart', async () => {
    const before = (await call<{ signals: Signal[] }>('signals.list')).signals;
    expect(before.length).toBeGreaterThan(0);
    await rpc.close();
    await host.close();
    await keel.shutdown();
    keel = await createKeel({ dataDir, mode: 'headless', seed: 5, checkResults: true });
    host = await startWsHost({ server: keel.server, token: TOKEN, host: '127.0.0.1', port: 0 });
    rpc = await RpcSocket.open(rpcUrl(host.port, TOKEN));
    expect((await call<{ signals: Signal[] }>('signals.list')).signals).toEqual(before);
    // The reopened book goes on from the journal: a decision on an old signal is kept and published.
    await rpc.ok('events.subscribe', { topics: ['signals.updated'] });
    const oldest = before.at(-1)!;
    keel.signals.linkOrder(oldest.id, 'o-after-restart');
    const [updated] = await eventsFor(oldest.id, 1);
    expect(updated!.data.orderIds).toEqual([...oldest.orderIds, 'o-after-restart']);
  });
});
