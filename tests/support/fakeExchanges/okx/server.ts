/**
 * The fake OKX's transport: a node:http server on loopback that journals
 * each request, applies any armed fault (the common transport does that),
 * then authenticates, counts it against OKX's per-endpoint window and routes
 * it; and on the same port the WebSocket upgrades for /ws/v5/public,
 * /ws/v5/private and /ws/v5/business.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { type RunningServer, startFakeServer } from '../common/fakeServer';
import { type Answer, clientIp, headerValue, type InjectedAction, injectedBody, type Outcome } from '../common/httpTransport';
import type { FaultQueue } from '../common/faults';
import type { RequestJournal } from '../common/journal';
import { authenticate, type OkxEnvironment, type OkxKeyRing } from './auth';
import { errors, OkxError } from './errors';
import { findRoute, Params, type Route, type RouteAnswer, ROUTES } from './routes';
import type { OkxState } from './state';
import type { PrivateStream, PublicStream } from './streams';

export interface OkxServerParts {
  state: OkxState;
  keys: OkxKeyRing;
  faults: FaultQueue;
  journal: RequestJournal;
  privateStream: PrivateStream;
  businessStream: PrivateStream;
  publicStream: PublicStream;
  environment: OkxEnvironment;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const WINDOW_MS = 2_000;

/** Requests per two seconds per key (or IP, for public data) and endpoint, as OKX counts them. */
class EndpointLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  charge(who: string, route: Route, now: number): void {
    const key = `${who}|${route.method} ${route.path}`;
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const window = this.windows.get(key);
    const current = window !== undefined && window.start === start ? window : { start, used: 0 };
    current.used += 1;
    this.windows.set(key, current);
    if (current.used > route.per2s) throw errors.rateLimited();
  }
}

type Body = { kind: 'none' } | { kind: 'object'; value: Record<string, unknown> } | { kind: 'array'; value: Array<Record<string, unknown>> };

function parseBody(method: string, rawBody: string): Body {
  if (method !== 'POST' || rawBody === '') return { kind: 'none' };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw errors.bodyNotJson();
  }
  if (Array.isArray(body)) {
    if (!body.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) throw errors.bodyNotJson();
    return { kind: 'array', value: body as Array<Record<string, unknown>> };
  }
  if (body === null || typeof body !== 'object') throw errors.bodyNotJson();
  return { kind: 'object', value: body as Record<string, unknown> };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What the journal keeps of a request: the query and body fields as text; a batch's fields joined with commas. */
function journalParams(rawQuery: string, body: Body | OkxError): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  if (body instanceof OkxError || body.kind === 'none') return params;
  if (body.kind === 'object') {
    for (const [k, v] of Object.entries(body.value)) params[k] = asText(v);
    return params;
  }
  const keys = new Set(body.value.flatMap((entry) => Object.keys(entry)));
  for (const k of keys) params[k] = body.value.map((entry) => (entry[k] === undefined ? '' : asText(entry[k]))).join(',');
  return params;
}

export async function startOkxServer(parts: OkxServerParts, host: string, port: number): Promise<RunningServer> {
  const { state, journal, faults, keys } = parts;
  const limiter = new EndpointLimiter();

  function refusal(error: unknown): Outcome {
    const okx = error instanceof OkxError ? error : errors.systemBusy();
    if (!(error instanceof OkxError)) console.error('[fake okx] handler failed', error);
    return { answer: { status: okx.httpStatus, body: JSON.stringify(okx.body()), headers: JSON_HEADERS }, processed: false, code: Number(okx.code) };
  }

  function execute(req: IncomingMessage, method: string, path: string, rawUrl: string, rawQuery: string, rawBody: string, body: Body | OkxError): Outcome {
    try {
      const route = findRoute(method, path);
      if (route === undefined) throw errors.routeNotFound();
      if (body instanceof OkxError) throw body;
      const apiKey = authenticate(keys, { headers: req.headers, method, requestPath: rawUrl, body: rawBody, ip: clientIp(req), serverTime: state.now(), environment: parts.environment }, route.access);
      limiter.charge(apiKey ?? clientIp(req), route, state.now());
      if (route.batch === true ? body.kind !== 'array' : body.kind === 'array') throw errors.bodyNotJson();
      const raw: Record<string, unknown> = {};
      for (const [k, v] of new URLSearchParams(rawQuery)) raw[k] = v;
      if (body.kind === 'object') Object.assign(raw, body.value);
      const result = route.handle({ params: new Params(raw), list: body.kind === 'array' ? body.value : null, apiKey, state, keys });
      const answer: RouteAnswer = Array.isArray(result) ? { code: '0', msg: '', data: result } : result;
      // An order refused inside a batch answer: the journal keeps its sCode (the first one, when several were refused).
      const refused = answer.code === '0' ? undefined : (answer.data as Array<Record<string, unknown>>).find((e) => e.sCode !== undefined && e.sCode !== '0');
      const now = `${state.now()}000`;
      const envelope = path.startsWith('/api/v5/trade/') ? { code: answer.code, data: answer.data, inTime: now, msg: answer.msg, outTime: now } : { code: answer.code, data: answer.data, msg: answer.msg };
      return {
        answer: { status: 200, body: JSON.stringify(envelope), headers: JSON_HEADERS },
        // Some orders of a batch may have been acted on even when others were refused.
        processed: answer.code !== '1',
        code: refused === undefined ? undefined : Number(refused.sCode),
      };
    } catch (error) {
      return refusal(error);
    }
  }

  function injected(action: InjectedAction): { answer: Answer; code: number | undefined } {
    if (action.type === 'reject') {
      return { answer: { status: action.status ?? 200, body: JSON.stringify({ code: String(action.code), data: [], msg: action.msg }), headers: JSON_HEADERS }, code: action.code };
    }
    const body = injectedBody(action);
    const code = typeof action.body === 'object' && typeof action.body.code === 'string' && action.body.code !== '0' ? Number(action.body.code) : undefined;
    return { answer: { status: action.status, body, headers: { ...JSON_HEADERS, ...action.headers } }, code };
  }

  return startFakeServer({
    name: 'okx',
    host,
    port,
    journal,
    faults,
    now: () => state.now(),
    route: ({ req, method, path, rawUrl, rawQuery, rawBody }) => {
      let body: Body | OkxError;
      try {
        body = parseBody(method, rawBody);
      } catch (error) {
        body = error instanceof OkxError ? error : errors.bodyNotJson();
      }
      return {
        params: journalParams(rawQuery, body),
        apiKey: headerValue(req, 'ok-access-key'),
        run: () => execute(req, method, path, rawUrl, rawQuery, rawBody, body),
        injected,
      };
    },
    crashed: () => ({ status: 500, body: JSON.stringify(errors.systemBusy().body()), headers: JSON_HEADERS }),
    upgrade: (_req, url) => {
      const attach =
        url.pathname === '/ws/v5/private'
          ? (ws: WebSocket) => parts.privateStream.attach(ws, url.searchParams)
          : url.pathname === '/ws/v5/business'
            ? (ws: WebSocket) => parts.businessStream.attach(ws, url.searchParams)
            : url.pathname === '/ws/v5/public'
              ? (ws: WebSocket) => parts.publicStream.attach(ws)
              : null;
      return attach ?? '404 Not Found';
    },
    closeStreams: () => {
      parts.privateStream.close();
      parts.businessStream.close();
      parts.publicStream.close();
    },
  });
}

/** Every REST route the fake serves, as "METHOD /path". */
export function servedRoutes(): string[] {
  return ROUTES.map((r) => `${r.method} ${r.path}`);
}
