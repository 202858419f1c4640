/**
 * The fake Bybit's transport: a node:http server on loopback that journals
 * each request, applies any armed fault (the common transport does that),
 * then authenticates, counts it against the key's per-endpoint limit and
 * routes it; and on the same port the WebSocket upgrades for the private
 * stream (/v5/private) and the public linear stream (/v5/public/linear).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { type Answer, clientIp, headerValue, type InjectedAction, type Outcome, readBody, send, serveWithFault, Sleeper } from '../common/httpTransport';
import type { FaultQueue } from '../common/faults';
import type { RequestJournal } from '../common/journal';
import { authenticate, type BybitKeyRing } from './auth';
import { BybitError, errors } from './errors';
import { findRoute, Params, ROUTES, type Route } from './routes';
import type { BybitState } from './state';
import type { PrivateStream, PublicStream } from './streams';

export interface BybitServerParts {
  state: BybitState;
  keys: BybitKeyRing;
  faults: FaultQueue;
  journal: RequestJournal;
  privateStream: PrivateStream;
  publicStream: PublicStream;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

/** Requests per second per key and endpoint, as Bybit counts them (a window per second, reset on the second). */
class EndpointLimiter {
  private readonly windows = new Map<string, { second: number; used: number }>();

  charge(apiKey: string, route: Route, now: number): Record<string, string> {
    const key = `${apiKey}|${route.path}`;
    const second = Math.floor(now / 1000);
    const window = this.windows.get(key);
    const current = window !== undefined && window.second === second ? window : { second, used: 0 };
    current.used += 1;
    this.windows.set(key, current);
    const resetAt = (second + 1) * 1000;
    if (current.used > route.perSecond) throw errors.rateLimited(route.perSecond, resetAt);
    return { 'X-Bapi-Limit': String(route.perSecond), 'X-Bapi-Limit-Status': String(route.perSecond - current.used), 'X-Bapi-Limit-Reset-Timestamp': String(resetAt) };
  }
}

/** GET parameters from the query; POST ones from the JSON body (Bybit v5 takes nothing else). */
function parseParams(method: string, rawQuery: string, rawBody: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  if (method === 'POST' && rawBody !== '') {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw errors.params('params error: the request body is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.params('params error: the request body is not a JSON object');
    Object.assign(params, body);
  }
  return params;
}

function asText(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

export async function startBybitServer(parts: BybitServerParts, host: string, port: number): Promise<RunningServer> {
  const { state, journal, faults, keys } = parts;
  const sleeper = new Sleeper();
  const limiter = new EndpointLimiter();
  const sockets = new Set<Socket>();
  let closing = false;

  const envelope = (result: unknown) => JSON.stringify({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: state.now() });

  function refusal(error: unknown, headers: Record<string, string> = {}): Outcome {
    const bybit = error instanceof BybitError ? error : errors.systemError();
    if (!(error instanceof BybitError)) console.error('[fake bybit] handler failed', error);
    return {
      answer: { status: bybit.httpStatus, body: JSON.stringify(bybit.body(state.now())), headers: { ...JSON_HEADERS, ...headers, ...bybit.headers, Timenow: String(state.now()) } },
      processed: false,
      code: bybit.retCode,
    };
  }

  function execute(req: IncomingMessage, method: string, path: string, rawQuery: string, rawBody: string, params: Record<string, unknown> | BybitError): Outcome {
    let limitHeaders: Record<string, string> = {};
    try {
      const route = findRoute(method, path);
      if (route === undefined) throw errors.routeNotFound();
      if (params instanceof BybitError) throw params;
      const apiKey = authenticate(keys, { headers: req.headers, payload: method === 'GET' ? rawQuery : rawBody, ip: clientIp(req), serverTime: state.now() }, route.access);
      if (apiKey !== undefined) limitHeaders = limiter.charge(apiKey, route, state.now());
      const result = route.handle({ params: new Params(params), apiKey, state, keys });
      return { answer: { status: 200, body: envelope(result), headers: { ...JSON_HEADERS, ...limitHeaders, Timenow: String(state.now()) } }, processed: true, code: undefined };
    } catch (error) {
      return refusal(error, limitHeaders);
    }
  }

  function injected(action: InjectedAction): { answer: Answer; code: number | undefined } {
    if (action.type === 'reject') {
      return {
        answer: { status: action.status ?? 200, body: JSON.stringify({ retCode: action.code, retMsg: action.msg, result: {}, retExtInfo: {}, time: state.now() }), headers: JSON_HEADERS },
        code: action.code,
      };
    }
    const body = action.body === undefined ? '' : typeof action.body === 'string' ? action.body : JSON.stringify(action.body);
    const retCode = typeof action.body === 'object' && typeof action.body.retCode === 'number' && action.body.retCode !== 0 ? action.body.retCode : undefined;
    return { answer: { status: action.status, body, headers: { ...JSON_HEADERS, ...action.headers } }, code: retCode };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
    const rawBody = await readBody(req);
    let params: Record<string, unknown> | BybitError;
    try {
      params = parseParams(method, rawQuery, rawBody);
    } catch (error) {
      params = error instanceof BybitError ? error : errors.params(String(error));
    }
    const entry = journal.record(method, path, params instanceof BybitError ? {} : asText(params), headerValue(req, 'x-bapi-api-key'), state.now());
    await serveWithFault({
      req,
      res,
      entry,
      fault: faults.take(method, path),
      run: () => execute(req, method, path, rawQuery, rawBody, params),
      injected,
      sleeper,
      closing: () => closing,
    });
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      console.error('[fake bybit] request failed', error);
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: JSON.stringify(errors.systemError().body(state.now())), headers: JSON_HEADERS });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that aborts mid-answer (timeouts, resets) must not surface as an uncaught socket error.
    socket.on('error', () => undefined);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const stream = path === '/v5/private' ? parts.privateStream : path === '/v5/public/linear' ? parts.publicStream : null;
    if (stream === null) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => stream.attach(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    async close() {
      closing = true;
      sleeper.clear();
      parts.privateStream.close();
      parts.publicStream.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Every REST route the fake serves, as "METHOD /path". */
export function servedRoutes(): string[] {
  return ROUTES.map((r) => `${r.method} ${r.path}`);
}
