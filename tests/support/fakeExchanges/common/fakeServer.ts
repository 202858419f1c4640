/**
 * The server every fake exchange runs: a node:http server on loopback that
 * reads each request, lets the exchange say what it is (a call to its API, or
 * an answer of its own such as a control-surface reply), journals API calls
 * and serves them under any armed fault; and the WebSocket upgrade on the same
 * port, each exchange naming the stream a path attaches to. Closing it cuts
 * short every fault's sleep and every socket, so nothing outlives a test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FaultQueue } from './faults';
import { type Answer, type InjectedAction, type Outcome, readBody, send, serveWithFault, Sleeper } from './httpTransport';
import type { RequestJournal } from './journal';

/** A request as read: method, path and query split, body in full. */
export interface FakeRequest {
  req: IncomingMessage;
  method: string;
  /** The request target as sent (path and query), for signatures that cover it. */
  rawUrl: string;
  path: string;
  rawQuery: string;
  rawBody: string;
}

/** A call to the exchange's API: what the journal keeps of it, and how the exchange answers it. */
export interface ApiCall {
  params: Record<string, string>;
  apiKey: string | undefined;
  /** Runs the exchange's logic on the request. */
  run: () => Outcome;
  /** The exchange's own answer for an injected status or reject, and the error code it carries. */
  injected: (action: InjectedAction) => { answer: Answer; code: number | undefined };
}

export interface FakeServerOptions {
  /** For log lines: "[fake <name>] …". */
  name: string;
  host: string;
  port: number;
  journal: RequestJournal;
  faults: FaultQueue;
  /** The exchange's clock, for the journal. */
  now: () => number;
  /** What a request is: a call to the API (journaled, served under faults) or an answer given as is. */
  route: (request: FakeRequest) => ApiCall | { reply: Answer };
  /** The answer when serving a request threw. */
  crashed: () => Answer;
  /** The stream a WebSocket upgrade attaches to, or the HTTP status line ("404 Not Found") that refuses it. */
  upgrade: (req: IncomingMessage, url: URL) => ((ws: WebSocket) => void) | string;
  /** Closes the exchange's streams, before the server's own sockets go. */
  closeStreams: () => void;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export async function startFakeServer(options: FakeServerOptions): Promise<RunningServer> {
  const { journal, faults } = options;
  const sleeper = new Sleeper();
  const sockets = new Set<Socket>();
  let closing = false;

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
    const rawBody = await readBody(req);
    const call = options.route({ req, method, rawUrl, path, rawQuery, rawBody });
    if ('reply' in call) {
      send(res, call.reply);
      return;
    }
    const entry = journal.record(method, path, call.params, call.apiKey, options.now());
    await serveWithFault({
      req,
      res,
      entry,
      fault: faults.take(method, path),
      run: call.run,
      injected: call.injected,
      sleeper,
      closing: () => closing,
    });
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      console.error(`[fake ${options.name}] request failed`, error);
      if (!res.headersSent && !res.destroyed) send(res, options.crashed());
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
    const attach = options.upgrade(req, new URL(req.url ?? '/', 'http://127.0.0.1'));
    if (typeof attach === 'string') {
      socket.write(`HTTP/1.1 ${attach}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, attach);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    async close() {
      closing = true;
      sleeper.clear();
      options.closeStreams();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
