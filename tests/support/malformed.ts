/**
 * A seeded generator of malformed JSON-RPC traffic for the WebSocket host:
 * every contract method with broken params (wrong types, missing and extra
 * fields, NaN/Infinity/1e400 as numbers and as strings, decimal text outside
 * the grammar, 100 KB strings, 100k-item lists, deep nesting, `__proto__`
 * and `constructor` keys), unknown methods, broken envelopes, batches,
 * text that is not JSON and binary frames.
 *
 * Frames are built as text, so values JSON cannot produce from a JS object
 * (1e400, -0, duplicate keys, own `__proto__` keys) reach the host as sent.
 * Each frame carries the ids the host may answer it with (none for a
 * notification). No frame can change state: any frame naming a command or
 * urgent method whose params the contract's own schema would accept is
 * thrown away and built again, so a fuzz run can prove the books unchanged.
 */
import { z } from 'zod';
import { isMethodName, methods, type MethodName } from '../../src/shared/contract';
import { Rng } from './rng';
import type { RpcId } from './rpcSocket';

export type FrameKind = 'call' | 'notification' | 'unknown-method' | 'envelope' | 'batch' | 'not-json' | 'binary';

export interface MalformedFrame {
  kind: FrameKind;
  data: string | Buffer;
  binary: boolean;
  /** The id the host answers with (a one-item list), or an empty list when it owes no reply (a notification). */
  replyIds: RpcId[];
  /** The contract method the host sees, when the frame names one (to check an accidental success). */
  method: MethodName | null;
  /** What was broken, for failure messages. */
  label: string;
}

export interface MalformedOptions {
  seed: number;
  count: number;
  /** A valid value for each params field name the contract uses (`venue`, `symbol`, `price`, `config`, …). */
  goodValues: Record<string, unknown>;
  /** Frames stay at or under the host's frame limit, so none closes the connection. */
  maxFrameBytes: number;
  /** A string id longer than this is answered with id null (the host does not echo it). */
  maxIdLength: number;
  /** When false, a frame that would be a valid query is built again, so every reply is an error. */
  allowValidQueries?: boolean;
  /** Share of frames that carry a huge value (100 KB string, 100k-item list, deep nesting). */
  hugeShare?: number;
}

const METHOD_NAMES = Object.keys(methods) as MethodName[];

/** The field names a method's params object knows (the union of the alternatives for `orders.get`). */
export function paramsFields(method: MethodName): string[] {
  const schema = methods[method].params as z.ZodType;
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) {
    const keys = new Set<string>();
    for (const option of schema.options as z.ZodType[]) if (option instanceof z.ZodObject) for (const k of Object.keys(option.shape)) keys.add(k);
    return [...keys];
  }
  return [];
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** True when `message` names a contract method of the given kinds and its params pass that method's schema. */
function passesSchema(message: unknown, kinds: ReadonlySet<string>): boolean {
  const m = asRecord(message);
  if (m === null || typeof m.method !== 'string' || !isMethodName(m.method)) return false;
  const spec = methods[m.method];
  if (!kinds.has(spec.kind)) return false;
  // The host validates `params ?? {}`: a missing params object is an empty one.
  return spec.params.safeParse(m.params ?? {}).success;
}

const STATE_CHANGING = new Set(['command', 'urgent']);
const QUERIES = new Set(['query']);

/** True if any request in the frame (a batch's members too) is a valid command or urgent call. */
export function couldChangeState(parsed: unknown): boolean {
  return Array.isArray(parsed) ? parsed.some((item) => passesSchema(item, STATE_CHANGING)) : passesSchema(parsed, STATE_CHANGING);
}

function isValidQuery(parsed: unknown): boolean {
  return Array.isArray(parsed) ? parsed.some((item) => passesSchema(item, QUERIES)) : passesSchema(parsed, QUERIES);
}

/**
 * The ids JSON-RPC 2.0 obliges the host to answer a text frame with: id null
 * when the frame is not JSON, a batch, or not a request object (or its string
 * id is too long to echo); none for a notification; else the request's id.
 */
export function expectedReplyIds(text: string, maxIdLength: number): RpcId[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [null];
  }
  const m = asRecord(value);
  if (m === null) return [null];
  const id = m.id;
  const idOk = id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string' || !idOk) return [null];
  if (typeof id === 'string' && id.length > maxIdLength) return [null];
  if (id === undefined) return [];
  return [id as RpcId];
}

// Huge values, built once: each stays well under the host's frame limit on its own.
let hugeCache: string[] | null = null;
function hugeValues(): string[] {
  if (hugeCache) return hugeCache;
  const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  hugeCache = [
    JSON.stringify('9'.repeat(100_000)),
    JSON.stringify('1.'.padEnd(100_000, '5')),
    JSON.stringify('x'.repeat(100_000)),
    JSON.stringify('\u00e9'.repeat(50_000)),
    `[${new Array<string>(100_000).fill('0').join(',')}]`,
    `[${new Array<string>(60_000).fill('"a"').join(',')}]`,
    `{${Array.from({ length: 12_000 }, (_, i) => `"k${i}":0`).join(',')}}`,
    deepArray(1_000),
    deepArray(50_000),
    deepObject(5_000),
    deepObject(20_000),
  ];
  return hugeCache;
}

/** Values as raw JSON text, each wrong somewhere in the contract. */
const RAW_NUMBERS = ['1e400', '-1e400', '-0', '1e-400', '0', '-1', '1.5', '1e5', '2147483648', '-2147483649', '9007199254740993', '123456789012345678901234567890', '0.1', '65536'];
const DECIMAL_LOOKALIKES = [
  'NaN', 'Infinity', '-Infinity', '1e400', '1E5', '1e5', '+1', '+0.001', ' 1', '1 ', '\t0.001\n', '007', '00000.001', '-0', '-0.0', '0', '-1', '-0.001',
  '0.0000000000000000001', '1.', '.5', '1..2', '1,5', '0x10', '0b1', '1_000', '\u0661', '\u00a00.001', '\ufeff0.001', '\u20280.001', '',
  '1'.repeat(41), '9'.repeat(40), `0.${'0'.repeat(37)}1`,
];
const ODD_STRINGS = [
  'a', '\u0000', '\ud800', '\udfff\ud800', '\u202e', 'paper ', 'PAPER', 'Paper', 'BTC/USDT:USDT ', 'btc/usdt:usdt', 'BTC/USDT:', 'BTC', '../../etc/passwd',
  '__proto__', 'constructor', 'prototype', 'toString', 'market.tick', '<script>', '%00', '😀', 'x'.repeat(5_000), 'x'.repeat(4_097), 'é'.repeat(300),
];
const LITERALS = [
  'null', 'true', 'false', '[]', '{}', '[1,"a",null]', '[[]]', '{"a":1}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":null}', '["paper"]', '[0.001]', '{"$gt":""}',
];

function badValue(rng: Rng, hugeShare: number): string {
  if (rng.chance(hugeShare)) return rng.pick(hugeValues());
  const r = rng.next();
  if (r < 0.25) return rng.pick(RAW_NUMBERS);
  if (r < 0.6) return JSON.stringify(rng.pick(DECIMAL_LOOKALIKES));
  if (r < 0.8) return JSON.stringify(rng.pick(ODD_STRINGS));
  return rng.pick(LITERALS);
}

const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' venue', 'VENUE', 'venue\u0000', 'x'.repeat(5_000), '$where'];

const UNKNOWN_METHODS = [
  'orders.explode', 'no.such', '', ' ', 'orders.place ', ' orders.place', 'Orders.place', 'ORDERS.PLACE', 'system.info\u0000', 'system\u0000info', '__proto__',
  'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'orders', 'orders.', '.place', 'emergency.stop.now', 'event', 'rpc.discover', '\ud800',
  'x'.repeat(10_000), 'orders/place', 'orders..place', 'risk.limits', 'events.unsubscribe', 'account.withdraw', 'admin.shutdown',
];

/** Frames that are not JSON at all. */
function notJson(rng: Rng, anyCall: () => string): string {
  const r = rng.next();
  if (r < 0.4) {
    const call = anyCall();
    return call.slice(0, rng.int(Math.max(1, call.length - 1)));
  }
  if (r < 0.6) {
    return rng.pick(['{nope', '', ' ', 'null,', 'NaN', 'undefined', "{'a':1}", '{"jsonrpc":"2.0"', '[', ']', '{"a":1}}', '\u0000', '\ufeff{}', '//', '{"id":1,}']);
  }
  if (r < 0.8) {
    const call = anyCall();
    return rng.chance(0.5) ? `${call}}` : `\ufeff${call}`;
  }
  const length = rng.between(1, 2_000);
  let text = '';
  for (let i = 0; i < length; i += 1) text += String.fromCharCode(32 + rng.int(95));
  return text;
}

export function malformedFrames(options: MalformedOptions): MalformedFrame[] {
  const rng = new Rng(options.seed);
  const hugeShare = options.hugeShare ?? 0.03;
  const allowValidQueries = options.allowValidQueries ?? true;
  const good = options.goodValues;
  let serial = 0;

  /** A fresh id, unique within this run so that a reply out of order cannot go unnoticed. */
  const freshId = (): string => {
    serial += 1;
    const r = rng.next();
    if (r < 0.6) return String(serial);
    if (r < 0.8) return JSON.stringify(`f${options.seed}-${serial}`);
    if (r < 0.9) return String(serial + 0.25);
    return String(-serial);
  };

  const goodText = (field: string): string => JSON.stringify(good[field] ?? 'x');

  /** Params as JSON text, broken in one to three ways, or undefined to leave them out. */
  const brokenParams = (method: MethodName): string | undefined => {
    const fields = paramsFields(method);
    if (rng.chance(0.12) || fields.length === 0) {
      if (rng.chance(0.15)) return undefined;
      // An empty or field-less object is often valid: break it with an unknown key.
      if (fields.length === 0 && rng.chance(0.5)) return `{${JSON.stringify(rng.pick(EXTRA_KEYS))}:${badValue(rng, hugeShare)}}`;
      return badValue(rng, hugeShare);
    }
    let entries: Array<[string, string]> = fields.filter(() => rng.chance(0.8)).map((f) => [f, goodText(f)]);
    if (method === 'orders.get') entries = [rng.chance(0.5) ? ['orderId', goodText('orderId')] : ['clientOrderId', goodText('clientOrderId')]];
    const mutations = rng.between(1, 3);
    for (let i = 0; i < mutations; i += 1) {
      const op = rng.next();
      if (op < 0.5) {
        const field = rng.pick(fields);
        entries = entries.filter(([k]) => k !== field);
        entries.push([field, badValue(rng, hugeShare)]);
      } else if (op < 0.65 && entries.length > 0) {
        entries.splice(rng.int(entries.length), 1);
      } else if (op < 0.85) {
        entries.push([rng.pick(EXTRA_KEYS), rng.chance(0.5) ? badValue(rng, hugeShare) : goodText(rng.pick(fields))]);
      } else {
        // A duplicate key: JSON keeps the last one, so the text and what the host sees differ.
        const field = rng.pick(fields);
        entries.push([field, goodText(field)], [field, badValue(rng, hugeShare)]);
      }
    }
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  };

  const request = (idText: string | undefined, methodText: string, params: string | undefined): string => {
    const parts = ['"jsonrpc":"2.0"'];
    if (idText !== undefined) parts.push(`"id":${idText}`);
    parts.push(`"method":${methodText}`);
    if (params !== undefined) parts.push(`"params":${params}`);
    if (rng.chance(0.2)) parts.reverse();
    return `{${parts.join(',')}}`;
  };

  const contractCall = (idText: string | undefined) => {
    const method = rng.pick(METHOD_NAMES);
    return { method, text: request(idText, JSON.stringify(method), brokenParams(method)) };
  };

  const badEnvelope = (): string => {
    const id = freshId();
    const method = JSON.stringify(rng.pick(METHOD_NAMES));
    const params = brokenParams('system.info') ?? '{}';
    return rng.pick([
      () => `{"id":${id},"method":${method},"params":${params}}`,
      () => `{"jsonrpc":"1.0","id":${id},"method":${method}}`,
      () => `{"jsonrpc":2,"id":${id},"method":${method}}`,
      () => `{"jsonrpc":2.0,"id":${id},"method":${method}}`,
      () => `{"jsonrpc":null,"id":${id},"method":${method}}`,
      () => `{"jsonrpc":"2.0 ","id":${id},"method":${method}}`,
      () => `{"jsonrpc":"2.0","id":${id}}`,
      () => `{"jsonrpc":"2.0","id":${id},"method":${rng.pick(['5', 'null', '{}', '[]', 'true', '1e400'])}}`,
      () => `{"jsonrpc":"2.0","id":${rng.pick(['true', 'false', '{}', '[]', '[1]', '{"a":1}'])},"method":${method}}`,
      () => `{"jsonrpc":"2.0","id":${JSON.stringify('i'.repeat(options.maxIdLength + 1 + rng.int(5_000)))},"method":${method}}`,
      () => rng.pick(['1', '"x"', 'null', 'true', 'false', '{}', '0', '-0', '1e400', '"jsonrpc"']),
      () => `{"__proto__":{"jsonrpc":"2.0","method":"system.info"},"id":${id}}`,
      () => `{"constructor":{"jsonrpc":"2.0"},"id":${id},"method":${method}}`,
    ])();
  };

  const build = (): Omit<MalformedFrame, 'replyIds' | 'method'> => {
    const r = rng.next();
    if (r < 0.68) return { kind: 'call', data: contractCall(freshId()).text, binary: false, label: 'contract method, broken params' };
    if (r < 0.72) return { kind: 'notification', data: contractCall(undefined).text, binary: false, label: 'notification, broken params' };
    if (r < 0.78) {
      const name = rng.pick(UNKNOWN_METHODS);
      const params = rng.chance(0.5) ? '{}' : brokenParams(rng.pick(METHOD_NAMES));
      return { kind: 'unknown-method', data: request(freshId(), JSON.stringify(name), params), binary: false, label: 'unknown method' };
    }
    if (r < 0.86) return { kind: 'envelope', data: badEnvelope(), binary: false, label: 'bad envelope' };
    if (r < 0.89) {
      const members = Array.from({ length: rng.pick([0, 1, 2, 50]) }, () => contractCall(freshId()).text);
      return { kind: 'batch', data: `[${members.join(',')}]`, binary: false, label: 'batch' };
    }
    if (r < 0.94) return { kind: 'not-json', data: notJson(rng, () => contractCall(freshId()).text), binary: false, label: 'not JSON' };
    if (rng.chance(0.5)) {
      const bytes = Buffer.alloc(rng.int(2_000));
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = rng.int(256);
      return { kind: 'binary', data: bytes, binary: true, label: 'binary: random bytes' };
    }
    // A binary frame holding a request: a host that executes it must still see nothing valid.
    return { kind: 'binary', data: Buffer.from(contractCall(freshId()).text, 'utf8'), binary: true, label: 'binary: a request' };
  };

  const frames: MalformedFrame[] = [];
  let rebuilt = 0;
  while (frames.length < options.count) {
    const frame = build();
    const text = typeof frame.data === 'string' ? frame.data : frame.data.toString('utf8');
    const bytes = typeof frame.data === 'string' ? Buffer.byteLength(frame.data, 'utf8') : frame.data.length;
    let parsed: unknown;
    let isJson = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      isJson = false;
    }
    const unsafe = isJson && couldChangeState(parsed);
    const unwantedOk = isJson && !allowValidQueries && isValidQuery(parsed);
    if (bytes > options.maxFrameBytes || unsafe || unwantedOk) {
      rebuilt += 1;
      if (rebuilt > options.count * 2) throw new Error('the generator keeps producing frames it must not send');
      continue;
    }
    const record = asRecord(parsed);
    const method = record !== null && typeof record.method === 'string' && isMethodName(record.method) ? record.method : null;
    // Binary frames are refused unread, with id null.
    const replyIds = frame.binary ? [null] : expectedReplyIds(text, options.maxIdLength);
    frames.push({ ...frame, replyIds, method });
  }
  return frames;
}
