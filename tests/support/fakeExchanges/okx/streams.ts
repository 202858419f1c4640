/**
 * OKX v5's WebSocket streams on the fake, one class per URL path as OKX
 * splits them: /ws/v5/private (login, then the orders, positions and account
 * channels, pushed as {arg, data: [...]} on every change of the account; a
 * test can skip, duplicate or drop what it pushes), /ws/v5/business (login;
 * algo orders and candles live there, and nothing of the fake's does, so it
 * only acknowledges) and /ws/v5/public (the tickers channel, a snapshot on
 * subscribe and on every mark move). Every path answers the text "ping" with
 * "pong"; a simulated-trading connection carries `brokerId=9999`, which is
 * how ccxt reaches OKX's demo sockets, and a private login without it is
 * refused with 50101 like a REST call without the simulated-trading header.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { AccountStream, type Delivery, type PushFault } from '../common/streamFaults';
import { authenticateLogin, type OkxKeyRing } from './auth';
import type { OkxState, StateEvent } from './state';
import { balanceView, orderPushView, positionView, tickerView } from './views';

export const PRIVATE_CHANNELS = ['orders', 'positions', 'account'] as const;
export const BUSINESS_CHANNELS = ['orders-algo'] as const;

export type StreamFaultAction = PushFault;

export interface StreamFaultSpec {
  action: StreamFaultAction;
  /** The channel it strikes ("orders", "positions", "account"); default any. */
  channel?: string;
  /** How many pushes it strikes (default 1). */
  times?: number;
}

export type { Delivery } from '../common/streamFaults';

export interface StreamRecord {
  seq: number;
  channel: string;
  data: Record<string, unknown>[];
  delivery: Delivery;
}

type Arg = Record<string, string>;

interface Connection {
  connId: string;
  apiKey: string | null;
  /** Whether the socket came in as OKX's demo sockets do (brokerId=9999). */
  simulated: boolean;
  subscriptions: Arg[];
}

function parse(raw: unknown): Record<string, unknown> | null {
  try {
    const message = JSON.parse(String(raw)) as unknown;
    return message !== null && typeof message === 'object' && !Array.isArray(message) ? (message as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function reply(socket: WebSocket, message: Record<string, unknown> | string): void {
  if (socket.readyState === socket.OPEN) socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

function argsOf(message: Record<string, unknown>): Arg[] | null {
  if (!Array.isArray(message.args) || message.args.length === 0) return null;
  const args: Arg[] = [];
  for (const raw of message.args) {
    if (raw === null || typeof raw !== 'object') return null;
    args.push(Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)])));
  }
  return args;
}

const sameArg = (a: Arg, b: Arg) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The private and business sockets: login, then subscriptions to the account's channels. */
export class PrivateStream extends AccountStream<Connection, StreamFaultSpec, StreamRecord> {
  constructor(
    private readonly state: OkxState,
    private readonly keys: OkxKeyRing,
    private readonly demo: boolean,
    private readonly channels: readonly string[],
    /** Whether this socket pushes the account's changes (the business socket has none of the fake's to push). */
    pushes: boolean,
  ) {
    super();
    if (pushes) state.onEvent((event) => this.onEvent(event));
  }

  attach(socket: WebSocket, query: URLSearchParams): void {
    const connection: Connection = { connId: randomUUID().slice(0, 8), apiKey: null, simulated: query.get('brokerId') === '9999', subscriptions: [] };
    this.connections.set(socket, connection);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => this.connections.delete(socket));
    socket.on('message', (raw) => {
      if (String(raw) === 'ping') return reply(socket, 'pong');
      const message = parse(raw);
      const error = (code: string, msg: string) => reply(socket, { event: 'error', code, msg, connId: connection.connId });
      if (message === null) return error('60012', `Illegal request: ${String(raw)}`);
      switch (message.op) {
        case 'login': {
          const result = authenticateLogin(this.keys, message.args, this.state.now(), connection.simulated === this.demo);
          if ('refused' in result) return error(result.refused.code, result.refused.msg);
          connection.apiKey = result.apiKey;
          return reply(socket, { event: 'login', code: '0', msg: '', connId: connection.connId });
        }
        case 'subscribe':
        case 'unsubscribe': {
          const args = argsOf(message);
          if (args === null) return error('60013', 'Invalid args');
          if (connection.apiKey === null) return error('60011', 'Please log in');
          for (const arg of args) {
            if (!this.channels.includes(arg.channel ?? '')) return error('60018', `Wrong URL or channel:${arg.channel ?? ''} doesn't exist.`);
          }
          for (const arg of args) {
            if (message.op === 'subscribe') {
              if (!connection.subscriptions.some((s) => sameArg(s, arg))) connection.subscriptions.push(arg);
            } else {
              connection.subscriptions = connection.subscriptions.filter((s) => !sameArg(s, arg));
            }
            reply(socket, { event: message.op, arg, connId: connection.connId });
          }
          return;
        }
        default:
          return error('60019', `Invalid op: op ${String(message.op ?? '')}`);
      }
    });
  }

  /** Logged-in connections, or those subscribed to a channel. */
  connectionCount(channel?: string): number {
    return [...this.connections.values()].filter((c) => c.apiKey !== null && (channel === undefined || c.subscriptions.some((s) => s.channel === channel))).length;
  }

  private onEvent(event: StateEvent): void {
    if (event.type === 'order') {
      this.publish('orders', event.order.instId, [orderPushView(this.state, event.order, event.fill)]);
    } else if (event.type === 'position') {
      const position = this.state.position(event.instId);
      if (position !== undefined) this.publish('positions', event.instId, [positionView(this.state, position)]);
    } else if (event.type === 'account') {
      this.publish('account', undefined, [balanceView(this.state)]);
    }
  }

  /** The subscription of a connection a push of the channel reaches: its instrument type and instrument must match if it names them. */
  private subscriptionFor(connection: Connection, channel: string, instId: string | undefined): Arg | undefined {
    return connection.subscriptions.find(
      (s) =>
        s.channel === channel &&
        (s.instType === undefined || s.instType === 'ANY' || s.instType === 'SWAP') &&
        (s.instId === undefined || s.instId === instId) &&
        (s.ccy === undefined || s.ccy === 'USDT'),
    );
  }

  private publish(channel: string, instId: string | undefined, data: Record<string, unknown>[]): void {
    const listeners: Array<[WebSocket, string]> = [];
    for (const [socket, connection] of this.connections) {
      const subscription = connection.apiKey === null ? undefined : this.subscriptionFor(connection, channel, instId);
      // One push per connection, however many of its subscriptions it matches (OKX does not repeat itself).
      if (subscription !== undefined) listeners.push([socket, JSON.stringify({ arg: { ...subscription, uid: '448755723432165376' }, ...(channel === 'positions' ? { eventType: 'snapshot' } : {}), data })]);
    }
    this.push({ channel, data }, listeners, (spec) => spec.channel === undefined || spec.channel === channel);
  }
}

/** The public socket: the tickers channel, per instrument. */
export class PublicStream {
  private readonly connections = new Map<WebSocket, { connId: string; subscriptions: Arg[] }>();

  constructor(private readonly state: OkxState) {
    state.onEvent((event) => {
      if (event.type === 'mark') this.pushTicker(event.instId);
    });
  }

  attach(socket: WebSocket): void {
    const connection = { connId: randomUUID().slice(0, 8), subscriptions: [] as Arg[] };
    this.connections.set(socket, connection);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => this.connections.delete(socket));
    socket.on('message', (raw) => {
      if (String(raw) === 'ping') return reply(socket, 'pong');
      const message = parse(raw);
      const error = (code: string, msg: string) => reply(socket, { event: 'error', code, msg, connId: connection.connId });
      if (message === null) return error('60012', `Illegal request: ${String(raw)}`);
      if (message.op === 'login') return error('60008', 'The public channel does not support login');
      if (message.op !== 'subscribe' && message.op !== 'unsubscribe') return error('60019', `Invalid op: op ${String(message.op ?? '')}`);
      const args = argsOf(message);
      if (args === null) return error('60013', 'Invalid args');
      for (const arg of args) {
        if (arg.channel !== 'tickers' || arg.instId === undefined || !this.state.hasInstrument(arg.instId)) {
          return error('60018', `Wrong URL or channel:${arg.channel ?? ''},instId:${arg.instId ?? ''} doesn't exist.`);
        }
      }
      for (const arg of args) {
        if (message.op === 'subscribe') {
          if (!connection.subscriptions.some((s) => sameArg(s, arg))) connection.subscriptions.push(arg);
        } else {
          connection.subscriptions = connection.subscriptions.filter((s) => !sameArg(s, arg));
        }
        reply(socket, { event: message.op, arg, connId: connection.connId });
      }
      if (message.op === 'subscribe') for (const arg of args) this.pushTicker(arg.instId as string, socket);
    });
  }

  /** Connections subscribed to an instrument's tickers (to any, without one). */
  connectionCount(instId?: string): number {
    return [...this.connections.values()].filter((c) => c.subscriptions.some((s) => s.channel === 'tickers' && (instId === undefined || s.instId === instId))).length;
  }

  close(): void {
    for (const socket of this.connections.keys()) socket.terminate();
    this.connections.clear();
  }

  private pushTicker(instId: string, only?: WebSocket): void {
    const text = JSON.stringify({ arg: { channel: 'tickers', instId }, data: [tickerView(this.state, this.state.instrument(instId))] });
    for (const [socket, connection] of this.connections) {
      const subscribed = connection.subscriptions.some((s) => s.channel === 'tickers' && s.instId === instId);
      if ((only === undefined || socket === only) && subscribed && socket.readyState === socket.OPEN) socket.send(text);
    }
  }
}
