/**
 * The fake Bybit's transport: a node:http server on loopback that journals
 * each request, applies any armed fault (the common transport does that),
 * then authenticates, counts it against the key's per-endpoint limit and
 * routes it; and on the same port the WebSocket upgrades for the private
 * stream (/v5/private) and the public linear stream (/v5/public/linear).
 */
import type { IncomingMessage } from 'node:http';
import { type RunningServer, startFakeServer } from '../common/fakeServer';
import { type Answer, clientIp, headerValue, type InjectedAction, injectedBody, type Outcome } from '../common/httpTransport';
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
  const limiter = new EndpointLimiter();

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
    const body = injectedBody(action);
    const retCode = typeof action.body === 'object' && typeof action.body.retCode === 'number' && action.body.retCode !== 0 ? action.body.retCode : undefined;
    return { answer: { status: action.status, body, headers: { ...JSON_HEADERS, ...action.headers } }, code: retCode };
  }

  return startFakeServer({
    name: 'bybit',
    host,
    port,
    journal,
    faults,
    now: () => state.now(),
    route: ({ req, method, path, rawQuery, rawBody }) => {
      let params: Record<string, unknown> | BybitError;
      try {
        params = parseParams(method, rawQuery, rawBody);
      } catch (error) {
        params = error instanceof BybitError ? error : errors.params(String(error));
      }
      return {
        params: params instanceof BybitError ? {} : asText(params),
        apiKey: headerValue(req, 'x-bapi-api-key'),
        run: () => execute(req, method, path, rawQuery, rawBody, params),
        injected,
      };
    },
    crashed: () => ({ status: 500, body: JSON.stringify(errors.systemError().body(state.now())), headers: JSON_HEADERS }),
    upgrade: (_req, url) => {
      const stream = url.pathname === '/v5/private' ? parts.privateStream : url.pathname === '/v5/public/linear' ? parts.publicStream : null;
      if (stream === null) return '404 Not Found';
      return (ws) => stream.attach(ws);
    },
    closeStreams: () => {
      parts.privateStream.close();
      parts.publicStream.close();
    },
  });
}

/** Every REST route the fake serves, as "METHOD /path". */
export function servedRoutes(): string[] {
  return ROUTES.map((r) => `${r.method} ${r.path}`);
}
