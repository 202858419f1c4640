/**
 * The headless host against hostile input: malformed request targets on the
 * plain and the upgrade path, percent-encoded ways around the page token,
 * methods other than GET/HEAD, the security headers of every answer, and on
 * the WebSocket binary frames, batches, long ids, oversized frames, the
 * caller each connection is given, and one client flooding another's
 * emergency stop. Everything runs in this process: a crash of the host
 * fails the run as an uncaught error.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKeel, type Keel } from '../../src/main/app';
import { parseVenueUrls, resolveToken } from '../../src/main/headless';
import type { Caller, ContractServer } from '../../src/main/host/contractServer';
import { MAX_IN_FLIGHT, MAX_PAYLOAD_BYTES, startWsHost, type WsHost } from '../../src/main/host/wsServer';
import type { InvokeOutcome } from '../../src/shared/contract';
import { rawRequest, type RawResponse, WEBSOCKET_HANDSHAKE } from '../support/rawHttp';

const TOKEN = 'hardening-token-123';
const PAGE = '<!doctype html><title>Keel</title>';

/** Every call the host makes, with the caller it passed. */
class RecordingServer implements ContractServer {
  readonly calls: Array<{ method: string; caller: Caller | undefined }> = [];
  constructor(private readonly inner: ContractServer) {}
  invoke(method: string, params: unknown, caller?: Caller): Promise<InvokeOutcome> {
    this.calls.push({ method, caller });
    return this.inner.invoke(method, params, caller);
  }
  onEvent(listener: Parameters<ContractServer['onEvent']>[0]): () => void {
    return this.inner.onEvent(listener);
  }
}

let keel: Keel;
let server: RecordingServer;
let host: WsHost;
let dataDir: string;
let rendererDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-hardening-'));
  rendererDir = join(dataDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), PAGE);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
  keel = await createKeel({ dataDir: join(dataDir, 'data'), mode: 'headless', seed: 5 });
  server = new RecordingServer(keel.server);
  host = await startWsHost({ server, token: TOKEN, host: '127.0.0.1', port: 0, rendererDir, log: () => undefined });
});
afterAll(async () => {
  await host?.close();
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (target: string, headers: Record<string, string> = {}) => rawRequest(host.port, 'GET', target, headers);

function expectSecurityHeaders(response: RawResponse, port = host.port): void {
  const h = response.headers;
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy']).toContain(`ws://127.0.0.1:${port}`);
  expect(h['content-security-policy']).not.toContain(':*');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cross-origin-resource-policy']).toBe('same-origin');
  expect(h['x-frame-options']).toBe('DENY');
  for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'payment']) {
    expect(h['permissions-policy']).toContain(`${feature}=()`);
  }
}

async function expectAlive(): Promise<void> {
  const response = await get('/rpc');
  expect(response.status).toBe(426);
}

const MALFORMED_PATHS = ['/%', '/%zz', '/%ff', '/assets/%', '/%E0%A4%A', '/%2e%2e%2', '/%c0%ae%c0%ae/x', '/..%c0%af..', '/%00', '/a%5c..%5c..%5cx'];
const MALFORMED_ABSOLUTE = ['http://[', 'http://a:99999/', 'http://[::1/', 'ftp://x/', '*'];

describe('malformed request targets', () => {
  it.each([...MALFORMED_PATHS, ...MALFORMED_ABSOLUTE])('answers GET %s with a 4xx carrying the security headers, and keeps running', async (target) => {
    const response = await get(target);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectSecurityHeaders(response);
    await expectAlive();
  });

  it.each([...MALFORMED_PATHS, ...MALFORMED_ABSOLUTE])('answers a WebSocket upgrade to %s with a 4xx, and keeps running', async (target) => {
    const response = await get(target, WEBSOCKET_HANDSHAKE);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectSecurityHeaders(response);
    await expectAlive();
  });

  it('serves a well-formed absolute-form target like its origin-form', async () => {
    expect((await get(`http://127.0.0.1:${host.port}/assets/app.js`)).status).toBe(200);
    expect((await get(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)).status).toBe(200);
  });

  it('answers what the HTTP parser rejects with the security headers too', async () => {
    const response = await get('/a b');
    expect(response.status).toBe(400);
    expectSecurityHeaders(response);
    await expectAlive();
  });
});

describe('the page token', () => {
  it.each(['/', '/index.html', '/%69ndex.html', '/index%2ehtml', '/%2findex.html', '//index.html', '/./index.html', '/assets/../index.html', '/assets/%2e%2e/index.html', '/INDEX.HTML', '/index.HTML', '/assets/'])(
    '%s needs the token',
    async (path) => {
      expect((await get(path)).status).toBe(401);
      expect((await get(`${path}?token=wrong-token-123`)).status).toBe(401);
    },
  );

  it('serves the page through any spelling once the token is given', async () => {
    for (const path of ['/', '/index.html', '/%69ndex.html', '/index%2ehtml']) {
      const response = await get(`${path}?token=${TOKEN}`);
      expect(response.status).toBe(200);
      expect(response.body).toBe(PAGE);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves assets without the token, and nothing outside the renderer folder', async () => {
    expect((await get('/assets/app.js')).status).toBe(200);
    expect((await get('/assets/%61pp.js')).status).toBe(200);
    for (const path of ['/../data/keel.db', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fdata%2fkeel.db', '/assets/.hidden', '/assets/app.js.', '/assets/app.js::$DATA']) {
      expect([403, 404]).toContain((await get(path)).status);
    }
  });
});

describe('methods and headers', () => {
  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'])('refuses %s with 405 and Allow: GET, HEAD', async (method) => {
    for (const target of ['/', '/assets/app.js', '/rpc', `/?token=${TOKEN}`]) {
      const response = await rawRequest(host.port, method, target, { 'Content-Length': '0' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expectSecurityHeaders(response);
    }
  });

  it('refuses CONNECT', async () => {
    const response = await rawRequest(host.port, 'CONNECT', `127.0.0.1:${host.port}`);
    expect(response.status).toBe(405);
    await expectAlive();
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await rawRequest(host.port, 'HEAD', '/assets/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log(1);'.length));
    expect(head.body).toBe('');
    expectSecurityHeaders(head);
    const refused = await rawRequest(host.port, 'HEAD', '/');
    expect(refused.status).toBe(401);
    expect(refused.body).toBe('');
  });

  it('puts the security headers on every answer: 200, 400, 401, 403, 404, 405, 426', async () => {
    const answers = await Promise.all([
      get(`/?token=${TOKEN}`),
      get('/assets/app.js'),
      get('/%'),
      get('/'),
      get(`/rpc?token=${TOKEN}`, { ...WEBSOCKET_HANDSHAKE, Origin: 'https://evil.example' }),
      get('/rpc', WEBSOCKET_HANDSHAKE),
      get('/missing.js'),
      get('/other', WEBSOCKET_HANDSHAKE),
      rawRequest(host.port, 'POST', '/', { 'Content-Length': '0' }),
      get('/rpc'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 401, 403, 401, 404, 404, 405, 426]);
    for (const answer of answers) expectSecurityHeaders(answer);
  });

  it("names only the host's own port in connect-src", async () => {
    const csp = (await get(`/?token=${TOKEN}`)).headers['content-security-policy']!;
    const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'))!;
    expect(connect.trim().split(/\s+/).slice(1).sort()).toEqual(["'self'", `ws://127.0.0.1:${host.port}`, `ws://localhost:${host.port}`].sort());
  });
});

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Collects every non-event reply of one socket, in arrival order. */
function replies(ws: WebSocket): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  ws.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as Record<string, unknown>;
    if (message.method !== 'event') seen.push(message);
  });
  return seen;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const rpcUrl = (query = '') => `ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}${query}`;

describe('WebSocket frames', () => {
  it('refuses a binary frame with a typed error and does not run it', async () => {
    const ws = await open(rpcUrl());
    const seen = replies(ws);
    const before = server.calls.length;
    ws.send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system.info' })), { binary: true });
    await until(() => seen.length === 1, 'the reply to a binary frame');
    expect(seen[0]).toMatchObject({ id: null, error: { code: -32600, data: { code: 'VALIDATION_FAILED' } } });
    expect(server.calls.length).toBe(before);
    ws.close();
  });

  it('answers a batch with one -32600 and runs nothing', async () => {
    const ws = await open(rpcUrl());
    const seen = replies(ws);
    const before = server.calls.length;
    ws.send(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'system.info' }, { jsonrpc: '2.0', id: 2, method: 'system.info' }]));
    await until(() => seen.length === 1, 'the reply to a batch');
    expect(seen[0]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(server.calls.length).toBe(before);
    ws.close();
  });

  it('does not echo a string id longer than 128 characters', async () => {
    const ws = await open(rpcUrl());
    const seen = replies(ws);
    const before = server.calls.length;
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'x'.repeat(129), method: 'system.info' }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'y'.repeat(128), method: 'system.info' }));
    await until(() => seen.length === 2, 'two replies');
    expect(seen[0]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(JSON.stringify(seen[0])).not.toContain('x'.repeat(129));
    expect(seen[1]).toMatchObject({ id: 'y'.repeat(128), result: expect.anything() });
    expect(server.calls.length).toBe(before + 1);
    ws.close();
  });

  it('closes on a frame above the payload limit', async () => {
    const ws = await open(rpcUrl());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system.info', params: { pad: 'x'.repeat(MAX_PAYLOAD_BYTES) } }));
    expect(await closed).toBe(1009);
    await expectAlive();
  });

  it('answers a burst far larger than the per-connection queue, in order', async () => {
    const ws = await open(rpcUrl());
    const seen = replies(ws);
    const count = 700;
    for (let id = 1; id <= count; id++) ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'system.info' }));
    await until(() => seen.length === count, `${count} replies`, 10_000);
    expect(seen.map((m) => m.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    ws.close();
  });
});

describe('who is calling', () => {
  async function callerOf(query: string, headers: Record<string, string> = {}): Promise<Caller | undefined> {
    const ws = await open(rpcUrl(query), headers);
    const seen = replies(ws);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system.info' }));
    await until(() => seen.length === 1, 'a reply');
    ws.close();
    return server.calls.at(-1)?.caller;
  }

  it('treats a connection without an Origin as the automation API, named by ?client', async () => {
    expect(await callerOf('')).toEqual({ kind: 'api' });
    expect(await callerOf('&client=grid-bot_1.2')).toEqual({ kind: 'api', name: 'grid-bot_1.2' });
    expect(await callerOf('&client=my+bot')).toEqual({ kind: 'api', name: 'my bot' });
  });

  it('treats a connection from our own page as the person at the desk', async () => {
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) {
      expect(await callerOf('&client=ignored', { Origin: origin })).toEqual({ kind: 'manual' });
    }
  });

  it('passes the caller on every call of the connection', async () => {
    const ws = await open(rpcUrl('&client=every'));
    const seen = replies(ws);
    const before = server.calls.length;
    for (let id = 1; id <= 5; id++) ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'system.info' }));
    await until(() => seen.length === 5, 'five replies');
    expect(server.calls.slice(before).map((c) => c.caller)).toEqual(Array(5).fill({ kind: 'api', name: 'every' }));
    ws.close();
  });

  it.each(['&client=', `&client=${'a'.repeat(33)}`, '&client=a%2Fb', '&client=%00', '&client=a&client=b', '&client=%C3%A9'])(
    'refuses the upgrade for a bad client name (%s)',
    async (query) => {
      await expect(open(rpcUrl(query))).rejects.toThrow(/HTTP 400/);
    },
  );

  it('still refuses a foreign Origin and a missing token', async () => {
    await expect(open(rpcUrl(), { Origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    await expect(open(`ws://127.0.0.1:${host.port}/rpc?client=bot`)).rejects.toThrow(/HTTP 401/);
  });
});

/**
 * A contract server whose commands run one at a time, like the dispatcher;
 * `slow` holds the queue until the test lets it go.
 */
/**
 * A contract server shaped like the real dispatcher: commands run one at a
 * time ('slow' ones wait for a release), urgent methods run at once.
 */
class GatedServer implements ContractServer {
  readonly invoked: string[] = [];
  private readonly gates: Array<() => void> = [];
  private queue: Promise<unknown> = Promise.resolve();
  invoke(method: string): Promise<InvokeOutcome> {
    this.invoked.push(method);
    if (method === 'emergency.stop') return Promise.resolve({ ok: true, result: method });
    const run = () =>
      method === 'slow'
        ? new Promise<InvokeOutcome>((resolve) => this.gates.push(() => resolve({ ok: true, result: 'slow' })))
        : Promise.resolve<InvokeOutcome>({ ok: true, result: method });
    const next = this.queue.then(run);
    this.queue = next;
    return next;
  }
  onEvent(): () => void {
    return () => undefined;
  }
  releaseOne(): boolean {
    const gate = this.gates.shift();
    gate?.();
    return gate !== undefined;
  }
  get waiting(): number {
    return this.gates.length;
  }
}

async function releaseAll(gated: GatedServer, expected: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (gated.invoked.filter((m) => m === 'slow').length < expected || gated.waiting > 0) {
    if (Date.now() > deadline) throw new Error('the flood did not drain');
    gated.releaseOne();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('fairness between clients', () => {
  it("one client's flood does not hold back another client's emergency stop", async () => {
    const gated = new GatedServer();
    const fair = await startWsHost({ server: gated, token: TOKEN, host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const url = `ws://127.0.0.1:${fair.port}/rpc?token=${TOKEN}`;
      const flooder = await open(`${url}&client=flood`);
      const operator = await open(`${url}&client=desk`);
      const operatorReplies = replies(operator);
      for (let id = 1; id <= 300; id++) flooder.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'slow' }));
      await until(() => gated.invoked.length >= 1, 'the first slow command');
      // Give the host every chance to pass on more of the flood before the stop arrives.
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The flooder has at most its in-flight allowance running; the rest waits in its own queue.
      expect(gated.invoked.filter((m) => m === 'slow').length).toBeLessThanOrEqual(MAX_IN_FLIGHT);

      operator.send(JSON.stringify({ jsonrpc: '2.0', id: 'stop', method: 'emergency.stop' }));
      // Answered with nothing released: the flood's stuck commands are not in its way.
      await until(() => operatorReplies.length === 1, 'the reply to the stop');
      expect(operatorReplies[0]).toMatchObject({ id: 'stop', result: 'emergency.stop' });
      expect(gated.invoked.filter((m) => m === 'slow').length).toBeLessThanOrEqual(MAX_IN_FLIGHT);

      // Requests already received still run after the flooder leaves; let them through.
      flooder.terminate();
      operator.close();
      await releaseAll(gated, 300);
    } finally {
      await fair.close();
    }
  });

  it("a connection's own emergency stop is not held behind its stuck requests", async () => {
    const gated = new GatedServer();
    const page = await startWsHost({ server: gated, token: TOKEN, host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const ws = await open(`ws://127.0.0.1:${page.port}/rpc?token=${TOKEN}`);
      const received = replies(ws);
      for (let id = 1; id <= 40; id++) ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'slow' }));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'stop', method: 'emergency.stop' }));
      await until(() => received.length === 1, 'the reply to the stop');
      expect(received[0]).toMatchObject({ id: 'stop', result: 'emergency.stop' });
      ws.close();
      await releaseAll(gated, 40);
    } finally {
      await page.close();
    }
  });
});

describe('IPv6 loopback', () => {
  it('prints a bracketed address and accepts its own [::1] origin', async () => {
    const v6 = await startWsHost({ server: new GatedServer(), token: TOKEN, host: '::1', port: 0, log: () => undefined });
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/?token=${TOKEN}`);
      expect(new URL(v6.url).hostname).toBe('[::1]');
      const page = await rawRequest(v6.port, 'GET', '/rpc', {}, { host: '::1' });
      expect(page.status).toBe(426);
      expect(page.headers['content-security-policy']).toContain(`ws://[::1]:${v6.port}`);
      const ws = await open(`ws://[::1]:${v6.port}/rpc?token=${TOKEN}`, { Origin: `http://[::1]:${v6.port}` });
      ws.close();
      await expect(open(`ws://[::1]:${v6.port}/rpc?token=${TOKEN}`, { Origin: `http://::1:${v6.port}` })).rejects.toThrow(/HTTP 403/);
    } finally {
      await v6.close();
    }
  });
});

describe('headless token sources', () => {
  const files: Record<string, string> = { '/t/ok': 'file-token-123\n', '/t/crlf': 'file-token-456\r\n', '/t/empty': '\n', '/t/short': 'abc\n' };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error('ENOENT: no such file');
    return text;
  };

  it('prefers --token, then --token-file, then KEEL_TOKEN, else makes one up', () => {
    const env = { KEEL_TOKEN: 'env-token-789' };
    expect(resolveToken({ token: 'flag-token-000', tokenFile: '/t/ok' }, env, read)).toEqual({ token: 'flag-token-000', source: '--token' });
    expect(resolveToken({ tokenFile: '/t/ok' }, env, read)).toEqual({ token: 'file-token-123', source: '--token-file' });
    expect(resolveToken({ tokenFile: '/t/crlf' }, {}, read)).toEqual({ token: 'file-token-456', source: '--token-file' });
    expect(resolveToken({}, env, read)).toEqual({ token: 'env-token-789', source: 'KEEL_TOKEN' });
    const generated = resolveToken({}, { KEEL_TOKEN: '' }, read);
    expect(generated.source).toBe('generated');
    expect(generated.token.length).toBeGreaterThanOrEqual(24);
  });

  it('refuses an empty, short or unreadable token with a clear error', () => {
    expect(() => resolveToken({ tokenFile: '/t/empty' }, {}, read)).toThrow(/--token-file \/t\/empty: the token is empty/);
    expect(() => resolveToken({ tokenFile: '/t/short' }, {}, read)).toThrow(/at least 8 characters/);
    expect(() => resolveToken({ tokenFile: '/t/missing' }, {}, read)).toThrow(/--token-file \/t\/missing: cannot read it/);
    expect(() => resolveToken({}, { KEEL_TOKEN: 'short' }, read)).toThrow(/KEEL_TOKEN: the token must be at least 8/);
    expect(() => resolveToken({ token: '' }, {}, read)).toThrow(/--token: the token is empty/);
  });

  it('the headless entry keeps a supplied token out of its output and prints a valid IPv6 address', async () => {
    const tokenFile = join(dataDir, 'token');
    writeFileSync(tokenFile, 'secret-from-file-42\n');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../../src/main/headless.ts'), '--host', '::1', '--port', '0', '--data-dir', join(dataDir, 'cli'), '--token-file', tokenFile],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEEL_TOKEN: '' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(() => /ready at/.test(output) || child.exitCode !== null, 'the headless host to start', 15_000);
      const line = /ready at (\S+)(.*)/.exec(output);
      expect(line, output).not.toBeNull();
      const printed = new URL(line![1]!);
      expect(printed.hostname).toBe('[::1]');
      expect(line![2]).toMatch(/--token-file/);
      expect(output).not.toContain('secret-from-file-42');
      const ws = await open(`ws://[::1]:${printed.port}/rpc?token=secret-from-file-42`);
      ws.close();
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 20_000);
});

describe('--venue-url', () => {
  it('points an exchange at a loopback server, and nothing else', () => {
    expect(parseVenueUrls(['binanceusdm=http://127.0.0.1:9100/ignored/path', 'okx=http://localhost:9200'])).toEqual({ binanceusdm: 'http://127.0.0.1:9100', okx: 'http://localhost:9200' });
    expect(parseVenueUrls([])).toEqual({});
  });

  it('refuses a remote host, an unknown exchange, a malformed value or an exchange given twice, saying which', () => {
    expect(() => parseVenueUrls(['binanceusdm=https://fapi.binance.com'])).toThrow(/binanceusdm: .*only a loopback address/);
    expect(() => parseVenueUrls(['binanceusdm=http://10.0.0.5:80'])).toThrow(/only a loopback address/);
    expect(() => parseVenueUrls(['kraken=http://127.0.0.1:1'])).toThrow(/one of binanceusdm, bybit, okx/);
    expect(() => parseVenueUrls(['http://127.0.0.1:1'])).toThrow(/expected <exchange>=<url>/);
    expect(() => parseVenueUrls(['okx=ftp://127.0.0.1:21'])).toThrow(/only http\(s\) URLs/);
    expect(() => parseVenueUrls(['okx=http://127.0.0.1:1', 'okx=http://127.0.0.1:2'])).toThrow(/given twice/);
  });
});
