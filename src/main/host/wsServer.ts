/**
 * The headless host: one HTTP server on loopback that serves the built
 * renderer, at /rpc the contract as JSON-RPC 2.0 over WebSocket, and at
 * /metrics the system monitor for Prometheus.
 * Every connection must present the token; browsers must come from our own
 * origin. A connection from our own page is the person at the desk; one
 * without an Origin is the automation API. Events go only to connections
 * that subscribed, state topics coalesced (latest per key), all others in
 * full and in order.
 *
 * Nothing a client sends may end the process: every handler is guarded,
 * malformed requests get a 4xx with the same security headers as the page,
 * and each connection's frames are read one at a time from a bounded queue
 * with a bounded number running, so no client can crowd out another's
 * emergency stop.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { type EventTopic, isEventTopic, isMethodName, type MethodName, methods } from '../../shared/contract';
import { describeThrown, KeelError, shorten, type KeelErrorShape } from '../../shared/errors';
import type { Caller, ContractServer } from './contractServer';
import { EventCoalescer, timerSchedule } from './eventCoalescer';
import { METRICS_PATH, serveMetrics } from './metricsEndpoint';
import { checkRequest, errorResponse, eventNotification, JSON_RPC, type JsonRpcId, resultResponse } from './jsonRpc';
import {
  ALLOWED_METHODS,
  buildContentSecurityPolicy,
  isPagePath,
  parseRequestTarget,
  securityHeaders,
  sendText,
  serveStatic,
} from './staticFiles';

export interface WsHostOptions {
  server: ContractServer;
  token: string;
  host: string;
  port: number;
  /** Folder of the built renderer; when absent only /rpc is served. */
  rendererDir?: string;
  /** Binding beyond loopback must be asked for explicitly. */
  allowRemote?: boolean;
  /** A slow client that lets this much pile up is disconnected (it reloads on reconnect) rather than starving the engine. */
  maxBufferedBytes?: number;
  coalesceIntervalMs?: number;
  /** Where failures inside the host's own handlers are reported (they are answered 4xx/5xx, never thrown). */
  log?: (message: string) => void;
  /** The system monitor in Prometheus' text format, served at /metrics behind the token; absent: /metrics is not served. */
  metrics?: () => string;
}

export interface WsHost {
  /** The page address, token included. */
  url: string;
  /** `http://127.0.0.1:5173`, `http://[::1]:5173`: the origin of the page, without the token. */
  origin: string;
  port: number;
  /** Contract connections open now. */
  clients(): number;
  close(): Promise<void>;
}

/** The largest legitimate request is a few KiB; anything bigger is refused by the WebSocket layer (1009). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Requests waiting per connection before the host stops reading that socket. */
export const MAX_QUEUED_MESSAGES = 256;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Reading is paused long before this; reaching it means a client ignored back-pressure. */
const HARD_QUEUE_LIMIT = MAX_QUEUED_MESSAGES * 16;
/** Requests of one connection running at once; more wait their turn in its queue. */
export const MAX_IN_FLIGHT = 16;
/** Longer string ids are not echoed back: a reply is never amplified by its request. */
export const MAX_ID_LENGTH = 128;
const CLIENT_NAME = /^[A-Za-z0-9 _.-]{1,32}$/;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  // Comparing digests keeps the comparison constant-time without revealing the token's length.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** `::1` -> `[::1]`: the host as it appears in a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Everything the host needs to know about one upgrade request, or the status it is refused with. */
type UpgradeDecision = { ok: true; caller: Caller } | { ok: false; status: number; text: string };

export async function startWsHost(options: WsHostOptions): Promise<WsHost> {
  if (!LOOPBACK.has(options.host) && !options.allowRemote) {
    throw new Error(`Refusing to listen on ${options.host}: only loopback is allowed unless --allow-remote is given.`);
  }
  if (options.token.length < 8) throw new Error('The access token must be at least 8 characters.');
  const log = options.log ?? ((message: string) => console.error(message));

  // Both are fixed once the server listens (port 0 picks one); until then no request can arrive.
  let port = options.port;
  let headers: Record<string, string> = {};
  const ownOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://${urlHost(options.host)}:${port}`];

  const decideUpgrade = (req: IncomingMessage): UpgradeDecision => {
    const target = parseRequestTarget(req.url);
    if (target === null) return { ok: false, status: 400, text: 'Malformed request target' };
    if (target.path !== '/rpc') return { ok: false, status: 404, text: 'Not found' };
    if (req.method !== 'GET') return { ok: false, status: 405, text: 'Method not allowed' };
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') return { ok: false, status: 400, text: 'Only WebSocket upgrades are served' };
    const key = req.headers['sec-websocket-key'];
    const version = req.headers['sec-websocket-version'];
    if (key === undefined || !/^[+/0-9A-Za-z]{22}==$/.test(key) || (version !== '13' && version !== '8')) {
      return { ok: false, status: 400, text: 'Malformed WebSocket handshake' };
    }
    if (!tokensMatch(options.token, target.query.get('token'))) return { ok: false, status: 401, text: 'Unauthorized' };
    const clients = target.query.getAll('client');
    if (clients.length > 1 || (clients.length === 1 && !CLIENT_NAME.test(clients[0]!))) {
      return { ok: false, status: 400, text: 'client must be 1-32 characters of letters, digits, space, _ . -' };
    }
    const origin = req.headers.origin;
    if (origin === undefined) {
      // Scripts and bots send no Origin; they still need the token.
      return { ok: true, caller: clients.length === 1 ? { kind: 'api', name: clients[0]! } : { kind: 'api' } };
    }
    if (!ownOrigins().includes(origin)) return { ok: false, status: 403, text: 'Forbidden' };
    return { ok: true, caller: { kind: 'manual' } };
  };

  const http: Server = createServer((req, res) => {
    res.on('error', () => res.destroy());
    try {
      const target = parseRequestTarget(req.url);
      if (target === null) return sendText(res, 400, 'Bad request', headers);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendText(res, 405, 'Method not allowed', { ...headers, Allow: ALLOWED_METHODS });
      }
      if (target.path === '/rpc') return sendText(res, 426, 'Upgrade to WebSocket required', { ...headers, Upgrade: 'websocket' });
      if (target.path === METRICS_PATH && options.metrics) {
        return serveMetrics(req, res, target.query, { authorized: (given) => tokensMatch(options.token, given), render: options.metrics, headers });
      }
      if (isPagePath(target.path) && !tokensMatch(options.token, target.query.get('token'))) {
        return sendText(res, 401, 'Keel: open the address printed when the host started; it carries the access token.', headers);
      }
      if (!options.rendererDir) return sendText(res, 404, 'Not found', headers);
      serveStatic(options.rendererDir, target, req, res, headers).catch((error: unknown) => {
        log(`[host] serving ${describeTarget(req.url)} failed: ${describe(error)}`);
        res.destroy();
      });
    } catch (error) {
      log(`[host] request ${describeTarget(req.url)} failed: ${describe(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error', headers);
      else res.destroy();
    }
  });

  // Requests Node's parser rejects (bad request line, oversized headers) get the same headers as any other answer.
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseSocket(socket, status, STATUS_CODES[status] ?? 'Bad request', headers);
  });
  http.on('checkExpectation', (_req: IncomingMessage, res) => sendText(res, 417, 'Expectation failed', headers));
  http.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    refuseSocket(socket, 405, 'Method not allowed', { ...headers, Allow: ALLOWED_METHODS });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const decision = decideUpgrade(req);
      if (!decision.ok) return refuseSocket(socket, decision.status, decision.text, headers);
      wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options, decision.caller, log));
    } catch (error) {
      log(`[host] upgrade ${describeTarget(req.url)} failed: ${describe(error)}`);
      refuseSocket(socket, 500, 'Internal error', headers);
    }
  });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolveListen();
    });
  });
  // After start-up, a server-level error (such as running out of file descriptors) is logged, not fatal.
  http.on('error', (error) => log(`[host] server error: ${describe(error)}`));
  port = (http.address() as AddressInfo).port;

  const webSocketSources = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`];
  if (!LOOPBACK.has(options.host) || options.host === '::1') webSocketSources.push(`ws://${urlHost(options.host)}:${port}`);
  headers = securityHeaders(buildContentSecurityPolicy(webSocketSources));

  const origin = `http://${urlHost(options.host)}:${port}`;
  return {
    url: `${origin}/?token=${encodeURIComponent(options.token)}`,
    origin,
    port,
    clients: () => wss.clients.size,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

/** Answers a raw socket (an upgrade or CONNECT that is not accepted) and closes it. */
function refuseSocket(socket: Duplex, status: number, text: string, headers: OutgoingHttpHeaders): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(text, 'utf8');
  const lines = Object.entries({
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    Connection: 'close',
  }).map(([name, value]) => `${name}: ${String(value)}`);
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n`), body]));
}

type Job = { kind: 'text'; text: string } | { kind: 'binary' };

function serveConnection(ws: WebSocket, options: WsHostOptions, caller: Caller, log: (message: string) => void): void {
  const subscribed = new Set<EventTopic>();
  const maxBuffered = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  const send = (text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      ws.close(1013, 'Client too slow; reconnect to reload');
      return;
    }
    ws.send(text);
  };
  const coalescer = new EventCoalescer({
    flushIntervalMs: options.coalesceIntervalMs ?? 16,
    schedule: timerSchedule,
    deliver: (topic, data) => send(eventNotification(topic, data)),
  });
  const unsubscribe = options.server.onEvent((topic, data) => {
    if (subscribed.has(topic)) coalescer.push(topic, data);
  });

  // Each connection's frames are read one at a time from a bounded queue and
  // yield to the event loop between two, so no client can crowd out another.
  // Up to MAX_IN_FLIGHT of its requests may be running at once (a slow venue
  // call must not freeze the page's other requests); urgent methods (the
  // emergency stop) start at once, whatever this connection has in flight.
  const queue: Job[] = [];
  let queuedBytes = 0;
  let running = false;
  let inFlight = 0;
  let slotFreed: (() => void) | null = null;
  const jobBytes = (job: Job) => (job.kind === 'text' ? job.text.length : 0);
  const full = () => queue.length >= MAX_QUEUED_MESSAGES || queuedBytes >= MAX_QUEUED_BYTES;

  const reply = (text: string | null) => {
    if (text !== null) send(text);
  };
  const start = (request: ParsedRequest) => {
    inFlight += 1;
    invokeRequest(request, options.server, caller, subscribed)
      .catch((error: unknown) => {
        // The contract server answers typed errors; this is only reached if it broke that promise.
        log(`[host] a WebSocket request failed: ${describe(error)}`);
        return errorResponse(request.id, new KeelError('INTERNAL', 'The request failed unexpectedly; the error was logged.'));
      })
      .then(reply)
      .finally(() => {
        inFlight -= 1;
        slotFreed?.();
      });
  };
  const drain = async () => {
    running = true;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      queuedBytes -= jobBytes(job);
      if (ws.isPaused && !full() && ws.readyState === ws.OPEN) ws.resume();
      const parsed = job.kind === 'binary' ? BINARY_REFUSED : parseRequest(job.text);
      if (typeof parsed === 'string') {
        reply(parsed);
      } else {
        const urgent = isUrgent(parsed.method);
        while (!urgent && inFlight >= MAX_IN_FLIGHT) await new Promise<void>((free) => (slotFreed = free));
        slotFreed = null;
        start(parsed);
      }
      // Let other connections' sockets and timers run between two requests of this one.
      await new Promise<void>((next) => setImmediate(next));
    }
    running = false;
  };

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    const job: Job = isBinary ? { kind: 'binary' } : { kind: 'text', text: rawText(raw) };
    // The urgent lane: a frame naming an urgent method (the emergency stop) is read at once, ahead of this
    // connection's own queue, so a page whose requests are stuck behind a slow venue can still stop trading.
    if (job.kind === 'text' && URGENT_METHOD_NAMED.test(job.text)) {
      const parsed = parseRequest(job.text);
      if (typeof parsed !== 'string' && isUrgent(parsed.method)) {
        start(parsed);
        return;
      }
    }
    if (queue.length >= HARD_QUEUE_LIMIT) {
      ws.close(1008, 'Too many requests in flight');
      return;
    }
    queue.push(job);
    queuedBytes += jobBytes(job);
    if (full() && !ws.isPaused) ws.pause();
    if (!running) void drain();
  });
  ws.on('close', () => {
    // Requests already received still run (a fire-and-forget emergency stop must take effect); their replies go nowhere.
    unsubscribe();
    coalescer.dispose();
  });
  ws.on('error', () => ws.terminate());
}

function rawText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

const URGENT_METHODS = (Object.keys(methods) as MethodName[]).filter((m) => methods[m].kind === 'urgent');
/** A cheap look for an urgent method's name in a frame, before anything parses it. */
const URGENT_METHOD_NAMED = new RegExp(URGENT_METHODS.map((m) => `"${m.replace('.', '\\.')}"`).join('|'));

function isUrgent(method: string): boolean {
  return isMethodName(method) && methods[method].kind === 'urgent';
}

interface ParsedRequest {
  id: JsonRpcId;
  /** A notification (no id) gets no answer. */
  notification: boolean;
  method: string;
  params: unknown;
}

const BINARY_REFUSED = errorResponse(
  null,
  new KeelError('VALIDATION_FAILED', 'Invalid request: binary frames are not accepted; send JSON text.'),
  JSON_RPC.INVALID_REQUEST,
);

/** The envelope checked: a request to run, or the error to answer at once. */
function parseRequest(text: string): ParsedRequest | string {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', 'Parse error: the message is not JSON.'), JSON_RPC.PARSE_ERROR);
  }
  if (Array.isArray(message)) {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', 'Invalid request: batches are not supported; send one request per message.'), JSON_RPC.INVALID_REQUEST);
  }
  if (!checkRequest(message)) {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', 'Invalid request: not a JSON-RPC 2.0 request.'), JSON_RPC.INVALID_REQUEST);
  }
  if (typeof message.id === 'string' && message.id.length > MAX_ID_LENGTH) {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', `Invalid request: a string id may be at most ${MAX_ID_LENGTH} characters.`), JSON_RPC.INVALID_REQUEST);
  }
  return { id: message.id ?? null, notification: message.id === undefined, method: message.method, params: message.params };
}

async function invokeRequest(request: ParsedRequest, server: ContractServer, caller: Caller, subscribed: Set<EventTopic>): Promise<string | null> {
  const outcome = await server.invoke(request.method, request.params, caller);
  if (outcome.ok && request.method === 'events.subscribe') {
    for (const topic of (outcome.result as { topics: string[] }).topics) if (isEventTopic(topic)) subscribed.add(topic);
  }
  if (request.notification) return null;
  return outcome.ok ? resultResponse(request.id, outcome.result) : errorResponse(request.id, outcome.error as KeelErrorShape);
}

const MAX_LOGGED_CHARS = 2000;

function describe(error: unknown): string {
  return shorten(describeThrown(error), MAX_LOGGED_CHARS);
}

/** The request target as logged: bounded, and never the token. */
function describeTarget(url: string | undefined): string {
  return JSON.stringify((url ?? '').replace(/token=[^&#]*/gi, 'token=…').slice(0, 200));
}
