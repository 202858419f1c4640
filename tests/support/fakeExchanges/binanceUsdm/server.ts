/**
 * The fake's transport: a node:http server on loopback that journals each
 * request, applies any armed fault, then charges weight, authenticates and
 * routes it; and the WebSocket upgrade on the same port for the user-data
 * stream (/private/ws?listenKey=…, /ws/<listenKey>) and the public streams
 * (/public/ws, /market/ws, /ws, each optionally followed by a path).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { type Answer, clientIp, headerValue, type InjectedAction, type Outcome, readBody, send, serveWithFault, Sleeper } from '../common/httpTransport';
import type { RequestJournal } from '../common/journal';
import { authenticate, type KeyRing } from './auth';
import { handleControl, type ControlTarget } from './control';
import { BinanceError, errors } from './errors';
import type { ExchangeState } from './exchangeState';
import type { FaultQueue } from './faults';
import type { MarketData } from './marketData';
import type { MarketStream } from './marketStream';
import type { RateLimiter, RateLimitOptions } from './rateLimits';
import { findRoute, Params, ROUTES } from './routes';
import type { UserDataStream } from './userStream';

export interface ServerParts {
  state: ExchangeState;
  market: MarketData;
  userStream: UserDataStream;
  marketStream: MarketStream;
  keys: KeyRing;
  faults: FaultQueue;
  journal: RequestJournal;
  limiter: RateLimiter;
  limits: RateLimitOptions;
  control: ControlTarget | null;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Query and form body merged; a parameter in both takes the query's value, as on Binance. */
function parseParams(rawQuery: string, rawBody: string, contentType: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  if (rawBody !== '' && (contentType === undefined || contentType.includes('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
  }
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  return params;
}

export async function startHttpServer(parts: ServerParts, host: string, port: number): Promise<RunningServer> {
  const { state, journal, faults, limiter, keys } = parts;
  const sleeper = new Sleeper();
  const sockets = new Set<Socket>();
  let closing = false;

  function execute(req: IncomingMessage, method: string, path: string, rawQuery: string, rawBody: string, params: Record<string, string>): Outcome {
    const route = findRoute(method, path);
    const orderHeaders = route?.placesOrder === true;
    try {
      if (route === undefined) {
        limiter.chargeWeight(1, clientIp(req));
        throw errors.invalidPath(method, path);
      }
      const p = new Params(params);
      limiter.chargeWeight(route.weight(p), clientIp(req));
      const apiKey = authenticate(keys, { headers: req.headers, rawQuery, rawBody, params, ip: clientIp(req), serverTime: state.now() }, route.security);
      if (route.placesOrder === true) limiter.chargeOrder();
      const body = route.handle({ params: p, apiKey, state, market: parts.market, userStream: parts.userStream, keys, limits: parts.limits });
      return {
        answer: { status: 200, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...limiter.headers(orderHeaders) } },
        processed: true,
        code: undefined,
      };
    } catch (error) {
      const binance = error instanceof BinanceError ? error : errors.unknown();
      if (!(error instanceof BinanceError)) console.error('[fake binanceusdm] handler failed', error);
      return {
        answer: {
          status: binance.status,
          body: JSON.stringify(binance.body()),
          headers: { 'Content-Type': 'application/json', ...limiter.headers(orderHeaders), ...binance.headers },
        },
        processed: false,
        code: binance.code,
      };
    }
  }

  function injectedAnswer(action: InjectedAction, orderHeaders: boolean): Answer {
    if (action.type === 'reject') {
      return {
        status: action.status ?? 400,
        body: JSON.stringify({ code: action.code, msg: action.msg }),
        headers: { 'Content-Type': 'application/json', ...limiter.headers(orderHeaders) },
      };
    }
    const body = action.body === undefined ? '' : typeof action.body === 'string' ? action.body : JSON.stringify(action.body);
    return { status: action.status, body, headers: { 'Content-Type': 'application/json', ...limiter.headers(orderHeaders), ...action.headers } };
  }

  async function onApiRequest(req: IncomingMessage, res: ServerResponse, method: string, path: string, rawQuery: string, rawBody: string): Promise<void> {
    const params = parseParams(rawQuery, rawBody, headerValue(req, 'content-type'));
    const entry = journal.record(method, path, params, headerValue(req, 'x-mbx-apikey'), state.now());
    await serveWithFault({
      req,
      res,
      entry,
      fault: faults.take(method, path),
      run: () => execute(req, method, path, rawQuery, rawBody, params),
      injected: (action) => ({
        answer: injectedAnswer(action, findRoute(method, path)?.placesOrder === true),
        code: action.type === 'reject' ? action.code : typeof action.body === 'object' && typeof action.body.code === 'number' ? action.body.code : undefined,
      }),
      sleeper,
      closing: () => closing,
    });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
    const rawBody = await readBody(req);
    if (path.startsWith('/__fake/')) {
      if (parts.control === null) {
        send(res, { status: 404, body: '{"error":"control surface disabled"}', headers: { 'Content-Type': 'application/json' } });
        return;
      }
      let body: unknown = undefined;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        send(res, { status: 400, body: '{"error":"body is not JSON"}', headers: { 'Content-Type': 'application/json' } });
        return;
      }
      const answer = handleControl(parts.control, method, path, body);
      send(res, { status: answer.status, body: JSON.stringify(answer.body), headers: { 'Content-Type': 'application/json' } });
      return;
    }
    await onApiRequest(req, res, method, path, rawQuery, rawBody);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      console.error('[fake binanceusdm] request failed', error);
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: JSON.stringify(errors.unknown().body()), headers: {} });
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
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
    };
    let listenKey: string | null = null;
    let initialStreams: string[] = [];
    if (url.pathname === '/private/ws') {
      listenKey = url.searchParams.get('listenKey');
      if (listenKey === null) return refuse('400 Bad Request');
    } else if (url.pathname === '/ws' && url.searchParams.has('listenKey')) {
      listenKey = url.searchParams.get('listenKey');
    } else {
      // Public streams: /ws, /public/ws, /market/ws and /stream, optionally followed by stream names
      // (/ws/btcusdt@markPrice) or, as ccxt.pro dials them, a connection number (/market/ws/0).
      const publicPath = /^\/(?:public\/ws|market\/ws|ws|stream)(?:\/(.*))?$/.exec(url.pathname);
      if (publicPath === null) return refuse('404 Not Found');
      const rest = decodeURIComponent(publicPath[1] ?? '');
      if (url.pathname.startsWith('/ws/') && parts.userStream.isValidListenKey(rest)) listenKey = rest;
      else initialStreams = rest.split('/').filter((s) => s.includes('@'));
    }
    if (listenKey !== null && !parts.userStream.isValidListenKey(listenKey)) return refuse('400 Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (listenKey !== null) parts.userStream.attach(ws, listenKey);
      else parts.marketStream.attach(ws, initialStreams);
    });
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
      parts.userStream.close();
      parts.marketStream.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Every REST route the fake serves, as "METHOD /path", for documentation and tests. */
export function servedRoutes(): string[] {
  return ROUTES.map((r) => `${r.method} ${r.path}`);
}
