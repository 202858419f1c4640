/**
 * API keys and request signing as OKX v5 does it. A private REST request
 * carries OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO 8601
 * with milliseconds) and OK-ACCESS-SIGN = base64(HMAC-SHA256(secret,
 * timestamp + METHOD + requestPath + body)), the request path carrying the
 * query of a GET and the body being the JSON of a POST, exactly as sent; the
 * timestamp must be within 30 s of the server's. A demo (simulated trading)
 * key works only with `x-simulated-trading: 1`, a live key only without it:
 * OKX answers 50101 otherwise. The private WebSocket logs in with
 * {apiKey, passphrase, timestamp (seconds), sign = base64(HMAC(secret,
 * timestamp + "GET/users/self/verify"))}. A key's permissions and IP
 * allow-list gate what it may do and are what GET /api/v5/account/config
 * reports (`perm`, `ip`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RevocableKeys } from '../common/keys';
import { errors } from './errors';

export type OkxPermission = 'read_only' | 'trade' | 'withdraw';

export interface OkxKeySpec {
  apiKey: string;
  secret: string;
  passphrase: string;
  /** Default: read and trade, no withdrawals. */
  perm?: OkxPermission[];
  /** The IP allow-list; empty (the default) is any address. */
  ips?: string[];
  label?: string;
}

/** Which OKX the fake plays: simulated trading (keys need the header) or live (keys must not send it). */
export type OkxEnvironment = 'demo' | 'live';

/** What an endpoint asks of a key: nothing (public), to read, or to trade. */
export type Access = 'public' | 'read' | 'trade';

interface KeyEntry {
  spec: OkxKeySpec;
  perm: OkxPermission[];
  ips: string[];
  revoked: boolean;
}

/** How far a signed request's timestamp may be from the server's clock. */
export const TIMESTAMP_WINDOW_MS = 30_000;

export class OkxKeyRing extends RevocableKeys<KeyEntry> {
  add(spec: OkxKeySpec): void {
    this.keys.set(spec.apiKey, { spec, perm: spec.perm ?? ['read_only', 'trade'], ips: spec.ips ?? [], revoked: false });
  }

  /** GET /api/v5/account/config for a key. */
  config(apiKey: string): Record<string, unknown> {
    const entry = this.entry(apiKey);
    if (entry === undefined) throw errors.invalidKey();
    return {
      acctLv: '2',
      acctStpMode: 'cancel_maker',
      autoLoan: false,
      ctIsoMode: 'automatic',
      enableSpotBorrow: false,
      greeksType: 'PA',
      ip: entry.ips.join(','),
      kycLv: '2',
      label: entry.spec.label ?? 'keel-fake',
      level: 'Lv1',
      levelTmp: '',
      liquidationGear: '-1',
      mainUid: '448755723432165376',
      mgnIsoMode: 'automatic',
      opAuth: '0',
      perm: entry.perm.join(','),
      posMode: 'net_mode',
      roleType: '0',
      settleCcy: 'USDT',
      settleCcyList: ['USDT', 'USDC'],
      spotBorrowAutoRepay: false,
      spotOffsetType: '',
      spotRoleType: '0',
      spotTraderInsts: [],
      traderInsts: [],
      type: '0',
      uid: '448755723432165376',
    };
  }
}

export function hmacBase64(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export interface RestAuthInput {
  headers: IncomingHttpHeaders;
  method: string;
  /** The path and query as sent ("/api/v5/trade/order?instId=...&clOrdId=..."). */
  requestPath: string;
  /** The body of a POST, byte for byte ('' for a GET). */
  body: string;
  ip: string;
  /** Server time in ms, skew included. */
  serverTime: number;
  environment: OkxEnvironment;
}

/** Checks a private request; answers its API key or throws OKX's error. */
export function authenticate(keys: OkxKeyRing, input: RestAuthInput, access: Access): string | undefined {
  if (access === 'public') return undefined;
  const apiKey = header(input.headers, 'ok-access-key');
  const passphrase = header(input.headers, 'ok-access-passphrase');
  const timestamp = header(input.headers, 'ok-access-timestamp');
  const signature = header(input.headers, 'ok-access-sign');
  if (apiKey === '') throw errors.emptyKey();
  if (passphrase === '') throw errors.emptyPassphrase();
  if (signature === '') throw errors.emptySign();
  if (timestamp === '') throw errors.emptyTimestamp();
  const entry = keys.entry(apiKey);
  if (entry === undefined) throw errors.invalidKey();
  const simulated = header(input.headers, 'x-simulated-trading') === '1';
  if (simulated !== (input.environment === 'demo')) throw errors.environment();
  const requestTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (!Number.isFinite(requestTime)) throw errors.invalidTimestamp();
  if (Math.abs(input.serverTime - requestTime) > TIMESTAMP_WINDOW_MS) throw errors.timestampExpired();
  if (passphrase !== entry.spec.passphrase) throw errors.badPassphrase();
  const prehash = timestamp + input.method + input.requestPath + input.body;
  if (!same(hmacBase64(entry.spec.secret, prehash), signature)) throw errors.badSign();
  if (entry.ips.length > 0 && !entry.ips.includes(input.ip)) throw errors.ipNotAllowed(input.ip);
  if (access === 'trade' && !entry.perm.includes('trade')) throw errors.notAuthorized();
  return apiKey;
}

/** A login refused, in the words and code OKX answers on the socket. */
export interface LoginRefusal {
  code: string;
  msg: string;
}

/** The private stream's login op: answers the API key, or why it was refused. */
export function authenticateLogin(keys: OkxKeyRing, args: unknown, serverTime: number, environmentOk: boolean): { apiKey: string } | { refused: LoginRefusal } {
  const first = Array.isArray(args) ? (args[0] as Record<string, unknown> | undefined) : undefined;
  if (first === undefined || first === null || typeof first !== 'object') return { refused: { code: '60012', msg: 'Invalid request' } };
  const text = (name: string) => (typeof first[name] === 'string' ? (first[name] as string) : typeof first[name] === 'number' ? String(first[name]) : '');
  const apiKey = text('apiKey');
  const timestamp = text('timestamp');
  const entry = apiKey === '' ? undefined : keys.entry(apiKey);
  if (entry === undefined) return { refused: { code: '60005', msg: 'Invalid OK-ACCESS-KEY' } };
  if (!environmentOk) return { refused: { code: '50101', msg: 'APIKey does not match current environment.' } };
  if (!/^\d+(\.\d+)?$/.test(timestamp) || Math.abs(serverTime - Number(timestamp) * 1000) > TIMESTAMP_WINDOW_MS) {
    return { refused: { code: '60006', msg: 'Timestamp request expired' } };
  }
  if (text('passphrase') !== entry.spec.passphrase) return { refused: { code: '60024', msg: 'Wrong passphrase' } };
  if (!same(hmacBase64(entry.spec.secret, `${timestamp}GET/users/self/verify`), text('sign'))) return { refused: { code: '60007', msg: 'Invalid sign' } };
  return { apiKey };
}
