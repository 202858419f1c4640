/**
 * API keys and request signing as Bybit v5 does it. A private REST request
 * carries X-BAPI-API-KEY, X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW and
 * X-BAPI-SIGN = HMAC-SHA256(secret, timestamp + apiKey + recvWindow +
 * payload), the payload being the query string of a GET or the JSON body of
 * a POST, exactly as sent; the timestamp must fall in [server - recvWindow,
 * server + 1000). The private WebSocket authenticates with
 * ["auth", apiKey, expires, HMAC(secret, "GET/realtime" + expires)].
 * A key's permissions, read-only flag and IP allow-list gate what it may do
 * and are what GET /v5/user/query-api reports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RevocableKeys } from '../common/keys';
import { errors } from './errors';

export interface BybitPermissions {
  ContractTrade: string[];
  Spot: string[];
  Wallet: string[];
  Options: string[];
  Derivatives: string[];
  CopyTrading: string[];
  BlockTrade: string[];
  Exchange: string[];
  NFT: string[];
  Affiliate: string[];
  Earn: string[];
}

export interface BybitKeySpec {
  apiKey: string;
  secret: string;
  /** A read-only key can query but not trade. */
  readOnly?: boolean;
  /** By default: contract orders and positions, spot, transfers between own accounts; no withdrawals. */
  permissions?: Partial<BybitPermissions>;
  /** The IP allow-list; ["*"] (the default) is any address. */
  ips?: string[];
}

export const DEFAULT_BYBIT_PERMISSIONS: BybitPermissions = {
  ContractTrade: ['Order', 'Position'],
  Spot: ['SpotTrade'],
  Wallet: ['AccountTransfer', 'SubMemberTransfer'],
  Options: ['OptionsTrade'],
  Derivatives: ['DerivativesTrade'],
  CopyTrading: [],
  BlockTrade: [],
  Exchange: ['ExchangeHistory'],
  NFT: [],
  Affiliate: [],
  Earn: [],
};

/** What an endpoint asks of a key: nothing (public), to read, or to trade (orders, positions). */
export type Access = 'public' | 'read' | 'order' | 'position';

interface KeyEntry {
  spec: BybitKeySpec;
  permissions: BybitPermissions;
  ips: string[];
  revoked: boolean;
  createdAt: number;
}

export class BybitKeyRing extends RevocableKeys<KeyEntry> {
  constructor(private readonly now: () => number) {
    super();
  }

  add(spec: BybitKeySpec): void {
    this.keys.set(spec.apiKey, { spec, permissions: { ...DEFAULT_BYBIT_PERMISSIONS, ...spec.permissions }, ips: spec.ips ?? ['*'], revoked: false, createdAt: this.now() });
  }

  /** GET /v5/user/query-api for a key. */
  info(apiKey: string): Record<string, unknown> {
    const entry = this.entry(apiKey);
    if (entry === undefined) throw errors.invalidKey();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const restricted = !entry.ips.includes('*');
    return {
      id: '13770661',
      note: 'keel-fake',
      apiKey,
      readOnly: entry.spec.readOnly === true ? 1 : 0,
      secret: '',
      permissions: entry.permissions,
      ips: entry.ips,
      type: 1,
      deadlineDay: restricted ? -1 : 88,
      expiredAt: restricted ? '' : iso(entry.createdAt + 90 * 86_400_000),
      createdAt: iso(entry.createdAt),
      unified: 0,
      uta: 1,
      userID: 24617703,
      inviterID: 0,
      vipLevel: 'No VIP',
      mktMakerLevel: '0',
      affiliateID: 0,
      rsaPublicKey: '',
      isMaster: true,
      parentUid: '0',
      kycLevel: 'LEVEL_DEFAULT',
      kycRegion: '',
    };
  }
}

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface RestAuthInput {
  headers: IncomingHttpHeaders;
  /** The query string of a GET, the body of a POST, byte for byte. */
  payload: string;
  ip: string;
  /** Server time in ms, skew included. */
  serverTime: number;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Checks a private request; answers its API key or throws Bybit's error. */
export function authenticate(keys: BybitKeyRing, input: RestAuthInput, access: Access): string | undefined {
  if (access === 'public') return undefined;
  const apiKey = header(input.headers, 'x-bapi-api-key');
  const timestamp = header(input.headers, 'x-bapi-timestamp');
  const signature = header(input.headers, 'x-bapi-sign');
  if (apiKey === '' || timestamp === '' || signature === '') throw errors.emptyAuth(timestamp, apiKey, signature);
  const entry = keys.entry(apiKey);
  if (entry === undefined) throw errors.invalidKey();
  if (!entry.ips.includes('*') && !entry.ips.includes(input.ip)) throw errors.ipMismatch();
  const recvWindowText = header(input.headers, 'x-bapi-recv-window') || '5000';
  const recvWindow = Number(recvWindowText);
  if (!/^\d+$/.test(timestamp) || !Number.isInteger(recvWindow) || recvWindow <= 0) throw errors.params('params error: X-BAPI-TIMESTAMP or X-BAPI-RECV-WINDOW invalid');
  const origin = timestamp + apiKey + recvWindowText + input.payload;
  if (!same(hmacHex(entry.spec.secret, origin), signature)) throw errors.badSign(origin);
  const requestTime = Number(timestamp);
  if (requestTime < input.serverTime - recvWindow || requestTime >= input.serverTime + 1000) throw errors.timestamp(requestTime, input.serverTime, recvWindow);
  if (access === 'order' || access === 'position') {
    const granted = access === 'order' ? 'Order' : 'Position';
    if (entry.spec.readOnly === true || !entry.permissions.ContractTrade.includes(granted)) throw errors.permissionDenied();
  }
  return apiKey;
}

/** The private stream's auth op: answers the API key, or why it was refused (Bybit's ret_msg). */
export function authenticateStream(keys: BybitKeyRing, args: unknown, serverTime: number): { apiKey: string } | { refused: string } {
  if (!Array.isArray(args) || args.length !== 3) return { refused: 'Params Error' };
  const [apiKey, expires, signature] = args.map((a) => (typeof a === 'number' ? String(a) : a)) as unknown[];
  if (typeof apiKey !== 'string' || typeof expires !== 'string' || typeof signature !== 'string') return { refused: 'Params Error' };
  const entry = keys.entry(apiKey);
  if (entry === undefined) return { refused: 'Invalid apikey' };
  if (!same(hmacHex(entry.spec.secret, `GET/realtime${expires}`), signature)) return { refused: 'Signature Error' };
  if (!(Number(expires) > serverTime)) return { refused: 'Params Error: request expired' };
  return { apiKey };
}
