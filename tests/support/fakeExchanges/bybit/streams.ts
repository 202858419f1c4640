/**
 * Bybit v5's WebSocket streams on the fake. The private stream
 * (/v5/private) takes the `auth` op, then `subscribe` to order, execution,
 * position and wallet, and pushes {id, topic, creationTime, data: [...]} for
 * every change of the account; a test can skip, duplicate or drop what it
 * pushes. The public linear stream (/v5/public/linear) serves
 * `tickers.<symbol>` snapshots, again on every mark move. Both answer
 * `ping` as Bybit does.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { AccountStream, type Delivery, type PushFault } from '../common/streamFaults';
import { authenticateStream, type BybitKeyRing } from './auth';
import type { BybitState, StateEvent } from './state';
import { executionView, orderView, positionView, tickerView, walletView } from './views';

export const PRIVATE_TOPICS = ['order', 'execution', 'position', 'wallet'] as const;

export type StreamFaultAction = PushFault;

export interface StreamFaultSpec {
  action: StreamFaultAction;
  /** The topic it strikes ("order", "execution", ...); default any. */
  topic?: string;
  /** How many pushes it strikes (default 1). */
  times?: number;
}

export type { Delivery } from '../common/streamFaults';

export interface StreamRecord {
  seq: number;
  topic: string;
  data: Record<string, unknown>[];
  delivery: Delivery;
}

interface Connection {
  connId: string;
  apiKey: string | null;
  topics: Set<string>;
}

function parse(raw: unknown): Record<string, unknown> | null {
  try {
    const message = JSON.parse(String(raw)) as unknown;
    return message !== null && typeof message === 'object' && !Array.isArray(message) ? (message as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function reply(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

export class PrivateStream extends AccountStream<Connection, StreamFaultSpec, StreamRecord> {
  constructor(
    private readonly state: BybitState,
    private readonly keys: BybitKeyRing,
  ) {
    super();
    state.onEvent((event) => this.onEvent(event));
  }

  attach(socket: WebSocket): void {
    const connection: Connection = { connId: randomUUID(), apiKey: null, topics: new Set() };
    this.connections.set(socket, connection);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => this.connections.delete(socket));
    socket.on('message', (raw) => {
      const message = parse(raw);
      if (message === null) return reply(socket, { success: false, ret_msg: 'error:invalid op', conn_id: connection.connId, request: { op: '', args: null } });
      const reqId = message.req_id;
      const answer = (success: boolean, retMsg: string, op: string) =>
        reply(socket, { success, ret_msg: retMsg, op, conn_id: connection.connId, ...(reqId === undefined ? {} : { req_id: String(reqId) }) });
      switch (message.op) {
        case 'auth': {
          const result = authenticateStream(this.keys, message.args, this.state.now());
          if ('refused' in result) return answer(false, result.refused, 'auth');
          connection.apiKey = result.apiKey;
          return answer(true, '', 'auth');
        }
        case 'subscribe':
        case 'unsubscribe': {
          if (connection.apiKey === null) return answer(false, 'Request not authorized', String(message.op));
          const args = Array.isArray(message.args) ? message.args.map(String) : [];
          const unknown = args.filter((t) => !(PRIVATE_TOPICS as readonly string[]).includes(t));
          if (unknown.length > 0) return answer(false, `error:handler not found,topic:${unknown[0]}`, String(message.op));
          for (const topic of args) {
            if (message.op === 'subscribe') connection.topics.add(topic);
            else connection.topics.delete(topic);
          }
          return answer(true, '', String(message.op));
        }
        case 'ping':
          return reply(socket, { ...(reqId === undefined ? {} : { req_id: String(reqId) }), op: 'pong', args: [String(this.state.now())], conn_id: connection.connId });
        default:
          return answer(false, `error:invalid op`, String(message.op ?? ''));
      }
    });
  }

  /** Authenticated connections, or those subscribed to a topic. */
  connectionCount(topic?: string): number {
    return [...this.connections.values()].filter((c) => c.apiKey !== null && (topic === undefined || c.topics.has(topic))).length;
  }

  private onEvent(event: StateEvent): void {
    const linear = (row: Record<string, unknown>) => ({ category: 'linear', ...row });
    if (event.type === 'order') this.publish('order', [linear(orderView(this.state, event.order))]);
    else if (event.type === 'execution') this.publish('execution', [linear(executionView(this.state, event.execution))]);
    else if (event.type === 'position') this.publish('position', [linear(positionView(this.state, this.state.instrument(event.symbol), this.state.position(event.symbol)))]);
    else if (event.type === 'wallet') this.publish('wallet', [walletView(this.state)]);
  }

  private publish(topic: string, data: Record<string, unknown>[]): void {
    const text = JSON.stringify({ id: `${randomUUID()}`, topic, creationTime: this.state.now(), data });
    const listeners = [...this.connections].filter(([, c]) => c.apiKey !== null && c.topics.has(topic)).map(([socket]): [WebSocket, string] => [socket, text]);
    this.push({ topic, data }, listeners, (spec) => spec.topic === undefined || spec.topic === topic);
  }
}

export class PublicStream {
  private readonly connections = new Map<WebSocket, { connId: string; topics: Set<string> }>();

  constructor(private readonly state: BybitState) {
    state.onEvent((event) => {
      if (event.type === 'mark') this.pushTicker(event.symbol);
    });
  }

  attach(socket: WebSocket): void {
    const connection = { connId: randomUUID(), topics: new Set<string>() };
    this.connections.set(socket, connection);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => this.connections.delete(socket));
    socket.on('message', (raw) => {
      const message = parse(raw);
      const reqId = message?.req_id;
      const answer = (success: boolean, retMsg: string, op: string) =>
        reply(socket, { success, ret_msg: retMsg, conn_id: connection.connId, ...(reqId === undefined ? {} : { req_id: String(reqId) }), op });
      if (message === null) return answer(false, 'error:invalid op', '');
      if (message.op === 'ping') return answer(true, 'pong', 'ping');
      if (message.op !== 'subscribe' && message.op !== 'unsubscribe') return answer(false, 'error:invalid op', String(message.op ?? ''));
      const args = Array.isArray(message.args) ? message.args.map(String) : [];
      const symbols = args.map((topic) => /^tickers\.([A-Z0-9]+)$/.exec(topic)?.[1]);
      const bad = args.find((topic, i) => symbols[i] === undefined || !this.state.listInstruments().some((ins) => ins.symbol === symbols[i]));
      if (bad !== undefined) return answer(false, `error:handler not found,topic:${bad}`, String(message.op));
      for (const topic of args) {
        if (message.op === 'subscribe') connection.topics.add(topic);
        else connection.topics.delete(topic);
      }
      answer(true, '', String(message.op));
      if (message.op === 'subscribe') for (const symbol of symbols) this.pushTicker(symbol as string, socket);
    });
  }

  close(): void {
    for (const socket of this.connections.keys()) socket.terminate();
    this.connections.clear();
  }

  private pushTicker(symbol: string, only?: WebSocket): void {
    const topic = `tickers.${symbol}`;
    const text = JSON.stringify({ topic, type: 'snapshot', data: tickerView(this.state, this.state.instrument(symbol)), cs: this.state.now(), ts: this.state.now() });
    for (const [socket, connection] of this.connections) {
      if ((only === undefined || socket === only) && connection.topics.has(topic) && socket.readyState === socket.OPEN) socket.send(text);
    }
  }
}
