/**
 * The user-data stream: listen keys (create, keep alive, delete, expire),
 * the WebSocket connections that carry them, and the stream faults a test can
 * arm: drop the connection, duplicate, reorder (hold until the next one) or
 * skip an event. Every event the engine publishes is recorded with what
 * became of it, so a test can compare what was sent with what a client saw.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ArmedStreamFaults, type StreamFaultHandle } from '../common/streamFaults';
import { errors } from './errors';
import type { ExchangeState } from './exchangeState';
import type { EngineEvent } from './types';
import { accountUpdate, algoUpdate, listenKeyExpired, orderTradeUpdate } from './wsEvents';

export type StreamFaultAction = 'drop' | 'duplicate' | 'reorder' | 'skip';

export interface StreamFaultSpec {
  action: StreamFaultAction;
  /** Event type it strikes ("ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE", "ALGO_UPDATE"), or a predicate on the payload; default any. */
  match?: string | ((payload: Record<string, unknown>) => boolean);
  /** How many matching events it strikes (default 1). */
  times?: number;
}

export type Delivery = 'sent' | 'duplicated' | 'held' | 'sent-late' | 'skipped' | 'dropped' | 'no-listener';

export interface StreamRecord {
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  delivery: Delivery;
}

const LISTEN_KEY_TTL_MS = 60 * 60_000;

interface ListenKey {
  key: string;
  apiKey: string;
  expiresAt: number;
}

export class UserDataStream {
  private readonly keysByApiKey = new Map<string, ListenKey>();
  private readonly sockets = new Map<WebSocket, string>();
  private readonly faults = new ArmedStreamFaults<StreamFaultSpec>();
  private held: StreamRecord | null = null;
  private readonly log: StreamRecord[] = [];
  private nextSeq = 1;

  constructor(private readonly state: ExchangeState) {
    state.onEvent((event) => this.onEngineEvent(event));
  }

  // ---- listen keys --------------------------------------------------------------------------

  /** POST listenKey: an active key is returned again (and extended), as Binance does. */
  createListenKey(apiKey: string): string {
    const now = this.state.now();
    const existing = this.keysByApiKey.get(apiKey);
    if (existing !== undefined && existing.expiresAt > now) {
      existing.expiresAt = now + LISTEN_KEY_TTL_MS;
      return existing.key;
    }
    const key = randomBytes(32).toString('base64url').slice(0, 64);
    this.keysByApiKey.set(apiKey, { key, apiKey, expiresAt: now + LISTEN_KEY_TTL_MS });
    return key;
  }

  keepAlive(apiKey: string): string {
    const entry = this.activeKey(apiKey);
    if (entry === undefined) throw errors.invalidListenKey();
    entry.expiresAt = this.state.now() + LISTEN_KEY_TTL_MS;
    return entry.key;
  }

  deleteListenKey(apiKey: string): void {
    const entry = this.keysByApiKey.get(apiKey);
    if (entry === undefined) return;
    this.keysByApiKey.delete(apiKey);
    for (const [socket, key] of this.sockets) if (key === entry.key) socket.close(1000, 'listenKey deleted');
  }

  /** Ends a listen key as its 60 minutes running out would: listenKeyExpired, then the stream closes. */
  expireListenKey(apiKey?: string): void {
    const now = this.state.now();
    for (const entry of [...this.keysByApiKey.values()]) {
      if (apiKey !== undefined && entry.apiKey !== apiKey) continue;
      this.keysByApiKey.delete(entry.apiKey);
      for (const [socket, key] of this.sockets) {
        if (key !== entry.key) continue;
        socket.send(JSON.stringify(listenKeyExpired(entry.key, now)));
        socket.close(1000, 'listenKey expired');
      }
    }
  }

  isValidListenKey(key: string): boolean {
    const now = this.state.now();
    return [...this.keysByApiKey.values()].some((entry) => entry.key === key && entry.expiresAt > now);
  }

  attach(socket: WebSocket, listenKey: string): void {
    this.sockets.set(socket, listenKey);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    // Binance ignores what a client sends on the user stream; answer requests with an id so clients do not wait.
    socket.on('message', (raw) => {
      try {
        const message = JSON.parse(raw.toString()) as { id?: unknown };
        if (message.id !== undefined) socket.send(JSON.stringify({ result: null, id: message.id }));
      } catch {
        // not JSON: ignored, as Binance does
      }
    });
  }

  connectionCount(): number {
    return this.sockets.size;
  }

  // ---- faults -------------------------------------------------------------------------------

  inject(spec: StreamFaultSpec): StreamFaultHandle {
    return this.faults.inject(spec);
  }

  /** Closes every user-stream connection abruptly (no close frame), as a network drop does. */
  dropConnections(): void {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }

  /** Sends an event held back by a reorder fault, if no later event has released it yet. */
  flush(): void {
    const held = this.held;
    this.held = null;
    if (held !== null) {
      held.delivery = 'sent-late';
      this.send(held.payload);
    }
  }

  /** Everything the engine published on the stream, with what became of each event. */
  history(): StreamRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  close(): void {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }

  // ---- delivery -----------------------------------------------------------------------------

  private activeKey(apiKey: string): ListenKey | undefined {
    const entry = this.keysByApiKey.get(apiKey);
    return entry !== undefined && entry.expiresAt > this.state.now() ? entry : undefined;
  }

  private onEngineEvent(event: EngineEvent): void {
    let payload: Record<string, unknown>;
    if (event.type === 'order') payload = orderTradeUpdate(this.state, event);
    else if (event.type === 'account') payload = accountUpdate(this.state, event);
    else if (event.type === 'algo') payload = algoUpdate(this.state, event);
    else return;
    this.publish(payload);
  }

  private publish(payload: Record<string, unknown>): void {
    const record: StreamRecord = { seq: this.nextSeq++, event: String(payload.e), payload, delivery: 'sent' };
    this.log.push(record);
    if (this.sockets.size === 0) {
      record.delivery = 'no-listener';
      return;
    }
    const fault = this.takeFault(payload);
    if (fault === 'skip') {
      record.delivery = 'skipped';
      return;
    }
    if (fault === 'drop') {
      record.delivery = 'dropped';
      this.dropConnections();
      return;
    }
    if (fault === 'reorder') {
      this.flush();
      record.delivery = 'held';
      this.held = record;
      return;
    }
    this.send(payload);
    if (fault === 'duplicate') {
      record.delivery = 'duplicated';
      this.send(payload);
    }
    this.flush();
  }

  private takeFault(payload: Record<string, unknown>): StreamFaultAction | undefined {
    return this.faults.take(({ match }) => match === undefined || (typeof match === 'string' ? payload.e === match : match(payload)));
  }

  private send(payload: Record<string, unknown>): void {
    const text = JSON.stringify(payload);
    for (const [socket, key] of this.sockets) {
      if (this.isValidListenKey(key) && socket.readyState === socket.OPEN) socket.send(text);
    }
  }
}
