import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKeel, type Keel } from '../../src/main/app';
import { startWsHost, type WsHost } from '../../src/main/host/wsServer';
import type { InvokeOutcome } from '../../src/shared/contract';
import { contractSuite, type ContractClient } from './contractSuite';

const TOKEN = 'integration-token-123';
let keel: Keel;
let host: WsHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-ws-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 11, checkResults: true });
  host = await startWsHost({ server: keel.server, token: TOKEN, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await host.close();
  await keel.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Raw JSON-RPC over the socket: one request, its answer. */
function rpc(ws: WebSocket, payload: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (message.method === 'event') return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  });
}

async function connectClient(): Promise<ContractClient> {
  const ws = await open(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`);
  let nextId = 1;
  const pending = new Map<number, (outcome: InvokeOutcome) => void>();
  const events: ContractClient['events'] = [];
  ws.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as {
      id?: number;
      method?: string;
      params?: { topic: string; data: unknown };
      result?: unknown;
      error?: { message: string; data: { code: string } };
    };
    if (message.method === 'event' && message.params) {
      events.push(message.params);
      return;
    }
    const resolve = pending.get(message.id!);
    pending.delete(message.id!);
    resolve?.(
      message.error
        ? { ok: false, error: { code: message.error.data.code, message: message.error.message, data: message.error.data } }
        : { ok: true, result: message.result },
    );
  });
  return {
    events,
    call: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      }),
    close: async () => ws.close(),
  };
}

contractSuite('the WebSocket host (JSON-RPC 2.0)', connectClient, 'api');

describe('WebSocket host specifics', () => {
  it('answers invalid params with -32602 and the stable code in error.data.code', async () => {
    const ws = await open(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`);
    const reply = await rpc(ws, { jsonrpc: '2.0', id: 7, method: 'orders.place', params: { venue: 'paper' } });
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32602, data: { code: 'VALIDATION_FAILED' } } });
    expect((reply.error as { message: string }).message).toMatch(/Invalid request/);
    ws.close();
  });

  it('answers parse errors, bad envelopes and unknown methods the JSON-RPC way', async () => {
    const ws = await open(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`);
    expect(await rpc(ws, '{nope')).toMatchObject({ id: null, error: { code: -32700 } });
    expect(await rpc(ws, { id: 1, method: 'system.info' })).toMatchObject({ error: { code: -32600 } });
    expect(await rpc(ws, { jsonrpc: '2.0', id: 2, method: 'no.such' })).toMatchObject({ id: 2, error: { code: -32601, data: { code: 'UNKNOWN_METHOD' } } });
    ws.close();
  });

  it('refuses a missing or wrong token', async () => {
    await expect(open(`ws://127.0.0.1:${host.port}/rpc`)).rejects.toThrow(/401/);
    await expect(open(`ws://127.0.0.1:${host.port}/rpc?token=wrong-token-123456`)).rejects.toThrow(/401/);
  });

  it('refuses a foreign Origin and accepts our own', async () => {
    const url = `ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`;
    await expect(open(url, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ws = await open(url, { Origin: `http://127.0.0.1:${host.port}` });
    ws.close();
  });

  it('refuses the page without its token', async () => {
    const response = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(response.status).toBe(401);
  });

  it('refuses to bind beyond loopback unless explicitly allowed', async () => {
    await expect(startWsHost({ server: keel.server, token: TOKEN, host: '0.0.0.0', port: 0 })).rejects.toThrow(/allow-remote/);
  });
});
