/**
 * A JSON-RPC 2.0 client over the host's WebSocket for cross-process tests
 * and benchmarks. It keeps every frame the host sends (text and byte size),
 * routes events apart from replies, and offers two ways to talk: `call`
 * (an id of its own, answered by id) and raw frames whose replies are read
 * in arrival order with `nextReply` (the host answers one connection's
 * requests in the order they arrived).
 */
import WebSocket from 'ws';
import type { z } from 'zod';
import { methods, type MethodName, type MethodResult } from '../../src/shared/contract';
import { ERROR_CODES, type ErrorCode } from '../../src/shared/errors';

export type RpcId = string | number | null;

export interface RpcErrorBody {
  code: number;
  message: string;
  data?: { code?: string; [key: string]: unknown };
}

export interface RpcMessage {
  jsonrpc?: unknown;
  id?: RpcId;
  method?: string;
  params?: { topic: string; data: unknown };
  result?: unknown;
  error?: RpcErrorBody;
}

/** One frame from the host as it travelled: its text, its size in bytes and when it arrived. */
export interface Received {
  text: string;
  bytes: number;
  message: RpcMessage;
  at: number;
}

export interface RpcEvent {
  topic: string;
  data: unknown;
  at: number;
}

export type CallOutcome =
  | { ok: true; result: unknown; reply: Received }
  | { ok: false; code: string; message: string; data: Record<string, unknown>; reply: Received };

export interface OpenOptions {
  /** Sent as the Origin header: the page's own origin makes the caller the UI; none makes it the automation API. */
  origin?: string;
  timeoutMs?: number;
}

const CALL_ID_PREFIX = 'rpc-';

/** A call was in flight when its socket closed: its outcome is unknown. */
export class SocketClosedError extends Error {
  constructor(readonly code: number) {
    super(`the socket closed (${code}) before the reply arrived`);
    this.name = 'SocketClosedError';
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

export function rpcUrl(port: number, token: string): string {
  return `ws://127.0.0.1:${port}/rpc?token=${encodeURIComponent(token)}`;
}

export class RpcSocket {
  readonly events: RpcEvent[] = [];
  /** Every reply (not event), in arrival order, including those `call` consumed. */
  readonly replies: Received[] = [];
  /** Resolves with the close code once the socket is closed, by either side. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly pending = new Map<string, { resolve: (reply: Received) => void; reject: (error: Error) => void }>();
  private readonly unmatched: Received[] = [];
  private waiter: { resolve: (reply: Received) => void; reject: (error: Error) => void } | null = null;
  private eventListeners: Array<(event: RpcEvent) => void> = [];
  private nextId = 1;
  private closeInfo: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        // A call whose reply can no longer come fails now rather than at its timeout.
        for (const waiting of this.pending.values()) waiting.reject(new SocketClosedError(code));
        this.pending.clear();
        this.waiter?.reject(new SocketClosedError(code));
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => undefined);
    ws.on('message', (raw: WebSocket.RawData) => this.onFrame(raw));
  }

  static open(url: string, options: OpenOptions = {}): Promise<RpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: options.origin === undefined ? {} : { Origin: options.origin },
        handshakeTimeout: options.timeoutMs ?? 5_000,
        maxPayload: 512 * 1024 * 1024,
      });
      const socket = new RpcSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode ?? '?'}`)));
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Replies that arrived and that neither a `call` nor `nextReply` has taken. */
  get unclaimedReplies(): number {
    return this.unmatched.length;
  }

  get closeCode(): number | null {
    return this.closeInfo?.code ?? null;
  }

  onEvent(listener: (event: RpcEvent) => void): () => void {
    this.eventListeners.push(listener);
    return () => {
      this.eventListeners = this.eventListeners.filter((l) => l !== listener);
    };
  }

  /** Sends a frame exactly as given: text, or binary when `binary` is set. */
  sendRaw(frame: string | Buffer, binary = false): void {
    this.ws.send(frame, { binary });
  }

  /** The next reply that no `call` claimed, in arrival order; fails at once if the socket closes first. */
  nextReply(timeoutMs = 10_000): Promise<Received> {
    const queued = this.unmatched.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closeInfo !== null) return Promise.reject(new SocketClosedError(this.closeInfo.code));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.waiter = null;
      };
      this.waiter = {
        resolve: (reply) => {
          settle();
          resolve(reply);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
    });
  }

  call(method: string, params: unknown, timeoutMs = 10_000): Promise<CallOutcome> {
    const id = `${CALL_ID_PREFIX}${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      if (this.closeInfo !== null) {
        clearTimeout(timer);
        reject(new SocketClosedError(this.closeInfo.code));
        return;
      }
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          const { error, result } = reply.message;
          if (error === undefined) resolve({ ok: true, result, reply });
          else resolve({ ok: false, code: String(error.data?.code), message: error.message, data: error.data ?? {}, reply });
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (err) => {
        if (err) {
          clearTimeout(timer);
          this.pending.delete(id);
          reject(this.ws.readyState === WebSocket.OPEN ? err : new SocketClosedError(this.closeInfo?.code ?? 1006));
        }
      });
    });
  }

  /** A call that must succeed; its result is parsed with the contract's own schema. */
  async ok<M extends MethodName>(method: M, params: unknown, timeoutMs?: number): Promise<MethodResult<M>> {
    const outcome = await this.call(method, params, timeoutMs);
    if (!outcome.ok) throw new Error(`${method} failed: ${outcome.code} ${outcome.message}`);
    return (methods[method].result as unknown as z.ZodType<MethodResult<M>>).parse(outcome.result);
  }

  /** Resolves with the first event on `topic` that satisfies `match`, seen before or after this call. */
  waitForEvent(topic: string, match: (data: unknown) => boolean, timeoutMs: number): Promise<RpcEvent> {
    const seen = this.events.find((e) => e.topic === topic && match(e.data));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${topic} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onEvent((event) => {
        if (event.topic !== topic || !match(event.data)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.ws.close();
    return this.closed.then(() => undefined);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private onFrame(raw: WebSocket.RawData): void {
    const buffer = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const text = buffer.toString('utf8');
    let message: RpcMessage;
    try {
      message = JSON.parse(text) as RpcMessage;
    } catch {
      // Not JSON: kept as a reply so that a test sees it and fails on it.
      message = {};
    }
    const at = performance.now();
    if (message.method === 'event' && message.params !== undefined && message.id === undefined) {
      const event = { topic: message.params.topic, data: message.params.data, at };
      this.events.push(event);
      for (const listener of this.eventListeners) listener(event);
      return;
    }
    const received: Received = { text, bytes: buffer.length, message, at };
    this.replies.push(received);
    const id = message.id;
    if (typeof id === 'string' && id.startsWith(CALL_ID_PREFIX)) {
      const waiting = this.pending.get(id);
      if (waiting) {
        this.pending.delete(id);
        waiting.resolve(received);
        return;
      }
    }
    if (this.waiter) this.waiter.resolve(received);
    else this.unmatched.push(received);
  }
}
