/**
 * The headless host: one HTTP server on loopback that serves the built
 * renderer and, at /rpc, the contract as JSON-RPC 2.0 over WebSocket.
 * Every connection must present the token; browsers must come from our own
 * origin. Events go only to connections that subscribed, state topics
 * coalesced (latest per key), all others in full and in order.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { type EventTopic, isEventTopic } from '../../shared/contract';
import { KeelError, type KeelErrorShape } from '../../shared/errors';
import type { ContractServer } from './contractServer';
import { EventCoalescer, timerSchedule } from './eventCoalescer';
import { checkRequest, errorResponse, eventNotification, JSON_RPC, resultResponse } from './jsonRpc';
import { serveStatic } from './staticFiles';

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
}

export interface WsHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWsHost(options: WsHostOptions): Promise<WsHost> {
  if (!LOOPBACK.has(options.host) && !options.allowRemote) {
    throw new Error(`Refusing to listen on ${options.host}: only loopback is allowed unless --allow-remote is given.`);
  }
  if (options.token.length < 8) throw new Error('The access token must be at least 8 characters.');

  let port = options.port;
  const allowedOrigin = (origin: string | undefined): boolean => {
    if (origin === undefined) return true; // non-browser clients send none; they still need the token
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://${options.host}:${port}`].includes(origin);
  };

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/rpc') {
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('Upgrade to WebSocket required');
      return;
    }
    if ((url.pathname === '/' || url.pathname === '/index.html') && !tokensMatch(options.token, url.searchParams.get('token'))) {
      res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Keel: open the address printed when the host started; it carries the access token.');
      return;
    }
    if (!options.rendererDir) {
      res.writeHead(404).end('Not found');
      return;
    }
    void serveStatic(options.rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/rpc') return refuse(404, 'Not Found');
    if (!tokensMatch(options.token, url.searchParams.get('token'))) return refuse(401, 'Unauthorized');
    if (!allowedOrigin(req.headers.origin)) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options));
  });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolveListen());
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://${options.host}:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

function serveConnection(ws: WebSocket, options: WsHostOptions): void {
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

  ws.on('message', (raw) => {
    void handleMessage(raw.toString(), options.server, subscribed).then((reply) => {
      if (reply !== null) send(reply);
    });
  });
  ws.on('close', () => {
    unsubscribe();
    coalescer.dispose();
  });
  ws.on('error', () => ws.terminate());
}

async function handleMessage(text: string, server: ContractServer, subscribed: Set<EventTopic>): Promise<string | null> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', 'Parse error: the message is not JSON.'), JSON_RPC.PARSE_ERROR);
  }
  if (!checkRequest(message)) {
    return errorResponse(null, new KeelError('VALIDATION_FAILED', 'Invalid request: not a JSON-RPC 2.0 request.'), JSON_RPC.INVALID_REQUEST);
  }
  const id = message.id ?? null;
  const outcome = await server.invoke(message.method, message.params);
  if (outcome.ok && message.method === 'events.subscribe') {
    for (const topic of (outcome.result as { topics: string[] }).topics) if (isEventTopic(topic)) subscribed.add(topic);
  }
  if (message.id === undefined) return null; // a notification gets no answer
  return outcome.ok ? resultResponse(id, outcome.result) : errorResponse(id, outcome.error as KeelErrorShape);
}
