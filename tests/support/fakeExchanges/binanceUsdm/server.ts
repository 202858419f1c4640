/**
 * The fake's transport: a node:http server on loopback that journals each
 * request, applies any armed fault, then charges weight, authenticates and
 * routes it; and the WebSocket upgrade on the same port for the user-data
 * stream (/private/ws?listenKey=…, /ws/<listenKey>) and the public streams
 * (/public/ws, /market/ws, /ws, each optionally followed by a path).
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { type RunningServer, startFakeServer } from '../common/fakeServer';
import { type Answer, clientIp, headerValue, type InjectedAction, injectedBody, type Outcome } from '../common/httpTransport';
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
    const body = injectedBody(action);
    return { status: action.status, body, headers: { 'Content-Type': 'application/json', ...limiter.headers(orderHeaders), ...action.headers } };
  }

  return startFakeServer({
    name: 'binanceusdm',
    host,
    port,
    journal,
    faults,
    now: () => state.now(),
    route: ({ req, method, path, rawQuery, rawBody }) => {
      if (path.startsWith('/__fake/')) return { reply: controlAnswer(parts.control, method, path, rawBody) };
      const params = parseParams(rawQuery, rawBody, headerValue(req, 'content-type'));
      return {
        params,
        apiKey: headerValue(req, 'x-mbx-apikey'),
        run: () => execute(req, method, path, rawQuery, rawBody, params),
        injected: (action) => ({
          answer: injectedAnswer(action, findRoute(method, path)?.placesOrder === true),
          code: action.type === 'reject' ? action.code : typeof action.body === 'object' && typeof action.body.code === 'number' ? action.body.code : undefined,
        }),
      };
    },
    crashed: () => ({ status: 500, body: JSON.stringify(errors.unknown().body()), headers: {} }),
    upgrade: (_req, url) => {
      let listenKey: string | null = null;
      let initialStreams: string[] = [];
      if (url.pathname === '/private/ws') {
        listenKey = url.searchParams.get('listenKey');
        if (listenKey === null) return '400 Bad Request';
      } else if (url.pathname === '/ws' && url.searchParams.has('listenKey')) {
        listenKey = url.searchParams.get('listenKey');
      } else {
        // Public streams: /ws, /public/ws, /market/ws and /stream, optionally followed by stream names
        // (/ws/btcusdt@markPrice) or, as ccxt.pro dials them, a connection number (/market/ws/0).
        const publicPath = /^\/(?:public\/ws|market\/ws|ws|stream)(?:\/(.*))?$/.exec(url.pathname);
        if (publicPath === null) return '404 Not Found';
        const rest = decodeURIComponent(publicPath[1] ?? '');
        if (url.pathname.startsWith('/ws/') && parts.userStream.isValidListenKey(rest)) listenKey = rest;
        else initialStreams = rest.split('/').filter((s) => s.includes('@'));
      }
      if (listenKey !== null && !parts.userStream.isValidListenKey(listenKey)) return '400 Bad Request';
      const key = listenKey;
      return (ws: WebSocket) => {
        if (key !== null) parts.userStream.attach(ws, key);
        else parts.marketStream.attach(ws, initialStreams);
      };
    },
    closeStreams: () => {
      parts.userStream.close();
      parts.marketStream.close();
    },
  });
}

/** The control surface (/__fake/*): its answer, or 404 where it is disabled. */
function controlAnswer(control: ControlTarget | null, method: string, path: string, rawBody: string): Answer {
  if (control === null) return { status: 404, body: '{"error":"control surface disabled"}', headers: { 'Content-Type': 'application/json' } };
  let body: unknown = undefined;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    return { status: 400, body: '{"error":"body is not JSON"}', headers: { 'Content-Type': 'application/json' } };
  }
  const answer = handleControl(control, method, path, body);
  return { status: answer.status, body: JSON.stringify(answer.body), headers: { 'Content-Type': 'application/json' } };
}

/** Every REST route the fake serves, as "METHOD /path", for documentation and tests. */
export function servedRoutes(): string[] {
  return ROUTES.map((r) => `${r.method} ${r.path}`);
}
