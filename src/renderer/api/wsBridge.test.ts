import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWsBridge, rpcErrorToOutcome, rpcUrlFromLocation } from './wsBridge';

/** Just enough of a WebSocket to drive the bridge by hand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  sent: { id: number; method: string; params: unknown }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as { id: number; method: string; params: unknown });
  }
  close() {
    this.drop();
  }
  open() {
    this.onopen?.();
  }
  reply(id: number, body: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify({ jsonrpc: '2.0', id, ...body }) });
  }
  event(topic: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { topic, data } }) });
  }
  drop(reason = '') {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({ code: 1006, reason });
  }
}

/** Lets promise continuations run; no time passes (timers are fake in this file). */
const flush = () => vi.advanceTimersByTimeAsync(0);

function connectAndSubscribe() {
  const bridge = createWsBridge({
    url: 'ws://h/rpc?token=t',
    topics: ['market.tick', 'orders.updated'],
    minBackoffMs: 10,
    maxBackoffMs: 10,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });
  const ws = FakeSocket.all[FakeSocket.all.length - 1]!;
  return { bridge, ws };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createWsBridge', () => {
  it('subscribes to every topic on open before reporting open', async () => {
    const { bridge, ws } = connectAndSubscribe();
    expect(bridge.status().state).toBe('connecting');
    ws.open();
    expect(ws.sent[0]).toMatchObject({ method: 'events.subscribe', params: { topics: ['market.tick', 'orders.updated'] } });
    expect(bridge.status().state).toBe('connecting');
    ws.reply(ws.sent[0]!.id, { result: { topics: [] } });
    await flush();
    expect(bridge.status().state).toBe('open');
    bridge.close();
  });

  it('answers results and maps JSON-RPC errors to the stable code in error.data.code', async () => {
    const { bridge, ws } = connectAndSubscribe();
    ws.open();
    ws.reply(ws.sent[0]!.id, { result: {} });
    await flush();
    const ok = bridge.invoke('market.tickers', {});
    const bad = bridge.invoke('orders.place', { venue: 'paper' });
    const [a, b] = ws.sent.slice(1);
    expect(a).toMatchObject({ method: 'market.tickers', params: {} });
    ws.reply(a!.id, { result: [1, 2] });
    ws.reply(b!.id, { error: { code: -32000, message: 'Not enough margin', data: { code: 'INSUFFICIENT_MARGIN', need: '5' } } });
    expect(await ok).toEqual({ ok: true, result: [1, 2] });
    expect(await bad).toEqual({
      ok: false,
      error: { code: 'INSUFFICIENT_MARGIN', message: 'Not enough margin', data: { need: '5' } },
    });
    bridge.close();
  });

  it('delivers event notifications to listeners', async () => {
    const { bridge, ws } = connectAndSubscribe();
    const seen: [string, unknown][] = [];
    bridge.on((topic, data) => seen.push([topic, data]));
    ws.open();
    ws.event('market.tick', { last: '1' });
    expect(seen).toEqual([['market.tick', { last: '1' }]]);
    bridge.close();
  });

  it('refuses to send while down, fails in-flight calls on close, then reconnects and resubscribes', async () => {
    // Backoff is 10 ms with full jitter over its upper half: this fixes the jitter to 8 ms.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { bridge, ws } = connectAndSubscribe();
    expect(await bridge.invoke('orders.place', {})).toMatchObject({ ok: false });
    expect(ws.sent).toHaveLength(0);
    ws.open();
    ws.reply(ws.sent[0]!.id, { result: {} });
    await flush();
    const inflight = bridge.invoke('orders.place', {});
    ws.drop('host restarting');
    expect(await inflight).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(bridge.status()).toMatchObject({ state: 'closed' });
    expect(bridge.status().detail).toContain('host restarting');
    await vi.advanceTimersByTimeAsync(7);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    expect(bridge.status()).toMatchObject({ state: 'connecting', detail: null });
    const again = FakeSocket.all[1]!;
    expect(again.url).toBe('ws://h/rpc?token=t');
    again.open();
    expect(again.sent[0]).toMatchObject({ method: 'events.subscribe' });
    again.reply(again.sent[0]!.id, { result: {} });
    await flush();
    expect(bridge.status().state).toBe('open');
    bridge.close();
  });

  it('times out a request the host never answers', async () => {
    vi.useFakeTimers();
    const bridge = createWsBridge({
      url: 'ws://h/rpc',
      topics: ['x'],
      requestTimeoutMs: 1000,
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.reply(ws.sent[0]!.id, { result: {} });
    await vi.advanceTimersByTimeAsync(0);
    const p = bridge.invoke('market.tickers', {});
    await vi.advanceTimersByTimeAsync(1001);
    expect(await p).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    bridge.close();
  });
});

describe('rpcErrorToOutcome', () => {
  it('falls back to codes derived from JSON-RPC numbers', () => {
    expect(rpcErrorToOutcome({ code: -32601, message: 'nope' })).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'nope' },
    });
    expect(rpcErrorToOutcome({ code: -32602, message: 'bad' }).ok).toBe(false);
  });
});

describe('rpcUrlFromLocation', () => {
  it('builds the rpc url from the page address and its token', () => {
    expect(rpcUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:5199', search: '?token=a b' })).toBe(
      'ws://127.0.0.1:5199/rpc?token=a%20b',
    );
    expect(rpcUrlFromLocation({ protocol: 'http:', host: 'x', search: '' })).toBeNull();
  });
});
