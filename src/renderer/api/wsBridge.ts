/**
 * The headless host's transport: JSON-RPC 2.0 over one WebSocket, with the
 * token from the page address, reconnect with capped exponential backoff, and
 * a fresh `events.subscribe` after every (re)connect. Requests made while the
 * socket is down fail at once instead of being queued: an order intent must
 * never be sent late, after the trader has moved on.
 */
import type { InvokeOutcome } from '../../shared/contract';
import type { ConnectionStatus, RendererBridge } from './bridge';
import { errorText } from '../../shared/errors';

export interface WsBridgeOptions {
  url: string;
  /** Topics to subscribe to after each connect. */
  topics: readonly string[];
  /** How long a request may wait for its answer. */
  requestTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Injected for tests; defaults to the browser's WebSocket. */
  createSocket?: (url: string) => WebSocket;
}

interface Pending {
  resolve: (outcome: InvokeOutcome) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface JsonRpcError {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}

/** JSON-RPC's own error codes, for answers that carry no stable code in `data.code`. */
function stableCodeFor(rpcCode: unknown): string {
  switch (rpcCode) {
    case -32601:
      return 'UNKNOWN_METHOD';
    case -32602:
    case -32600:
    case -32700:
      return 'VALIDATION_FAILED';
    default:
      return 'INTERNAL';
  }
}

export function rpcErrorToOutcome(error: JsonRpcError): InvokeOutcome {
  const message = typeof error.message === 'string' ? error.message : 'The host answered with an error';
  let code = stableCodeFor(error.code);
  let data: unknown;
  if (typeof error.data === 'object' && error.data !== null) {
    const { code: stable, ...rest } = error.data as { code?: unknown } & Record<string, unknown>;
    if (typeof stable === 'string') code = stable;
    if (Object.keys(rest).length > 0) data = rest;
  }
  return { ok: false, error: data === undefined ? { code, message } : { code, message, data } };
}

/** Builds ws://<host>/rpc?token=<token> from the page address; null when the address carries no token. */
export function rpcUrlFromLocation(loc: Pick<Location, 'protocol' | 'host' | 'search'>): string | null {
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) return null;
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/rpc?token=${encodeURIComponent(token)}`;
}

export function createWsBridge(options: WsBridgeOptions): RendererBridge {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 8_000;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));

  const eventListeners = new Set<(topic: string, data: unknown) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const pending = new Map<number, Pending>();
  let status: ConnectionStatus = { state: 'connecting', transport: 'ws', detail: null };
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUs = false;

  function setStatus(next: ConnectionStatus): void {
    if (next.state === status.state && next.detail === status.detail) return;
    status = next;
    for (const l of statusListeners) l(status);
  }

  function failAll(message: string): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.resolve({ ok: false, error: { code: 'INTERNAL', message } });
    }
  }

  /** Sends on the current socket whatever our public state says; used for the subscribe that precedes "open". */
  function send(ws: WebSocket, method: string, params: unknown): Promise<InvokeOutcome> {
    const id = nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'INTERNAL', message: `No answer from the host within ${Math.round(requestTimeoutMs / 1000)} s` },
        });
      }, requestTimeoutMs);
      pending.set(id, { resolve, timer });
      try {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      } catch (err) {
        clearTimeout(timer);
        pending.delete(id);
        resolve({ ok: false, error: { code: 'INTERNAL', message: errorText(err) } });
      }
    });
  }

  function onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    const batch = Array.isArray(msg) ? msg : [msg];
    for (const m of batch) {
      if (typeof m !== 'object' || m === null) continue;
      const frame = m as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
      if (frame.method === 'event' && typeof frame.params === 'object' && frame.params !== null) {
        const p = frame.params as { topic?: unknown; data?: unknown };
        if (typeof p.topic === 'string') for (const l of eventListeners) l(p.topic, p.data);
        continue;
      }
      if (typeof frame.id !== 'number') continue;
      const waiting = pending.get(frame.id);
      if (!waiting) continue;
      pending.delete(frame.id);
      clearTimeout(waiting.timer);
      if (frame.error !== undefined && frame.error !== null) {
        waiting.resolve(rpcErrorToOutcome(frame.error as JsonRpcError));
      } else {
        waiting.resolve({ ok: true, result: frame.result });
      }
    }
  }

  function scheduleReconnect(detail: string): void {
    if (closedByUs) return;
    // Full jitter keeps many windows from hammering a restarting host in lockstep.
    const ceiling = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    attempt += 1;
    setStatus({ state: 'closed', transport: 'ws', detail: `${detail} — retrying in ${(delay / 1000).toFixed(1)} s` });
    reconnectTimer = setTimeout(connect, delay);
  }

  function connect(): void {
    reconnectTimer = null;
    setStatus({ state: 'connecting', transport: 'ws', detail: null });
    let ws: WebSocket;
    try {
      ws = createSocket(options.url);
    } catch (err) {
      scheduleReconnect(err instanceof Error ? err.message : 'Cannot open the connection');
      return;
    }
    socket = ws;
    ws.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    ws.onopen = () => {
      void send(ws, 'events.subscribe', { topics: options.topics }).then((outcome) => {
        if (socket !== ws) return;
        if (!outcome.ok) {
          // Without a subscription the screen would silently go stale; drop and retry instead.
          ws.close(4000, 'subscribe failed');
          return;
        }
        attempt = 0;
        setStatus({ state: 'open', transport: 'ws', detail: null });
      });
    };
    ws.onclose = (ev: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      failAll('The connection to the Keel host was lost before it answered; check the blotter for the outcome');
      const reason = ev.reason ? `Disconnected (${ev.reason})` : 'Disconnected from the Keel host';
      if (closedByUs) setStatus({ state: 'closed', transport: 'ws', detail: 'Closed' });
      else scheduleReconnect(reason);
    };
    // Errors are always followed by close, which does the bookkeeping.
    ws.onerror = () => undefined;
  }

  connect();

  return {
    kind: 'ws',
    invoke(method, params) {
      if (!socket || status.state !== 'open') {
        return Promise.resolve({
          ok: false,
          error: { code: 'INTERNAL', message: 'Not connected to the Keel host; nothing was sent' },
        });
      }
      return send(socket, method, params);
    },
    on(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close(1000, 'closing');
    },
  };
}

/** A bridge that never connects, for a page opened without its token: it says why instead of spinning. */
export function createMissingTokenBridge(): RendererBridge {
  const status: ConnectionStatus = {
    state: 'closed',
    transport: 'ws',
    detail: 'No access token in the address: open the link the host printed (…/?token=…)',
  };
  return {
    kind: 'ws',
    invoke: () => Promise.resolve({ ok: false, error: { code: 'UNAUTHORIZED', message: status.detail ?? '' } }),
    on: () => () => undefined,
    status: () => status,
    onStatus: () => () => undefined,
    close: () => undefined,
  };
}
