/**
 * API keys and request authentication as Binance does it: the X-MBX-APIKEY
 * header names the key, the key's permissions gate the endpoint, and signed
 * endpoints carry timestamp (+ recvWindow) and an HMAC-SHA256 signature of the
 * query string followed by the form body, checked against the server clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from './errors';

export interface KeyPermissions {
  ipRestrict: boolean;
  enableReading: boolean;
  enableFutures: boolean;
  enableWithdrawals: boolean;
  enableInternalTransfer: boolean;
  enableMargin: boolean;
  enableSpotAndMarginTrading: boolean;
  permitsUniversalTransfer: boolean;
  enableVanillaOptions: boolean;
  enablePortfolioMarginTrading: boolean;
  enableFixApiTrade: boolean;
  enableFixReadOnly: boolean;
}

export interface ApiKeySpec {
  apiKey: string;
  secret: string;
  /** What the key may do; by default read and trade futures, no withdrawals, no IP allow-list. */
  permissions?: Partial<KeyPermissions>;
}

export const DEFAULT_PERMISSIONS: KeyPermissions = {
  ipRestrict: false,
  enableReading: true,
  enableFutures: true,
  enableWithdrawals: false,
  enableInternalTransfer: false,
  enableMargin: false,
  enableSpotAndMarginTrading: false,
  permitsUniversalTransfer: false,
  enableVanillaOptions: false,
  enablePortfolioMarginTrading: false,
  enableFixApiTrade: false,
  enableFixReadOnly: false,
};

/**
 * Binance's endpoint security types: NONE is public, USER_STREAM needs only the
 * key header, USER_DATA and TRADE are signed (TRADE also needs the futures permission).
 */
export type Security = 'NONE' | 'USER_STREAM' | 'USER_DATA' | 'TRADE';

interface KeyEntry {
  secret: string;
  permissions: KeyPermissions;
  revoked: boolean;
  createTime: number;
}

export class KeyRing {
  private readonly keys = new Map<string, KeyEntry>();

  constructor(private readonly now: () => number) {}

  add(spec: ApiKeySpec): void {
    this.keys.set(spec.apiKey, {
      secret: spec.secret,
      permissions: { ...DEFAULT_PERMISSIONS, ...spec.permissions },
      revoked: false,
      createTime: this.now(),
    });
  }

  /** The key stops working at once, as when the owner deletes it on the website. */
  revoke(apiKey: string): void {
    const entry = this.keys.get(apiKey);
    if (entry !== undefined) entry.revoked = true;
  }

  setPermissions(apiKey: string, permissions: Partial<KeyPermissions>): void {
    const entry = this.keys.get(apiKey);
    if (entry === undefined) throw new Error(`no such key: ${apiKey}`);
    entry.permissions = { ...entry.permissions, ...permissions };
  }

  /** GET /sapi/v1/account/apiRestrictions for a key. */
  restrictions(apiKey: string) {
    const entry = this.keys.get(apiKey);
    if (entry === undefined) throw new Error(`no such key: ${apiKey}`);
    return { ...entry.permissions, createTime: entry.createTime };
  }

  entry(apiKey: string): KeyEntry | undefined {
    const entry = this.keys.get(apiKey);
    return entry === undefined || entry.revoked ? undefined : entry;
  }
}

export interface AuthInput {
  headers: IncomingHttpHeaders;
  rawQuery: string;
  rawBody: string;
  params: Record<string, string>;
  ip: string;
  /** Server time in ms, skew included. */
  serverTime: number;
}

/** Removes the `signature=` pair from a raw parameter string, keeping the rest byte for byte. */
export function withoutSignature(raw: string): string {
  if (raw === '') return raw;
  return raw
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Checks a request against its endpoint's security type; answers the API key, or throws Binance's error. */
export function authenticate(keys: KeyRing, input: AuthInput, security: Security): string | undefined {
  if (security === 'NONE') return undefined;
  const header = input.headers['x-mbx-apikey'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey === undefined || apiKey === '') throw errors.apiKeyFormat();
  const entry = keys.entry(apiKey);
  if (entry === undefined) throw errors.invalidApiKey(input.ip);
  if (!entry.permissions.enableReading) throw errors.invalidApiKey(input.ip);
  if (security === 'TRADE' && !entry.permissions.enableFutures) throw errors.invalidApiKey(input.ip);
  if (security === 'USER_STREAM') return apiKey;

  const timestampText = input.params.timestamp;
  if (timestampText === undefined || timestampText === '' || !/^\d+$/.test(timestampText)) throw errors.mandatory('timestamp');
  const signature = input.params.signature;
  if (signature === undefined || signature === '') throw errors.mandatory('signature');
  const recvWindowText = input.params.recvWindow;
  const recvWindow = recvWindowText === undefined ? 5000 : Number(recvWindowText);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > 60000) throw errors.invalidRecvWindow();

  const payload = withoutSignature(input.rawQuery) + withoutSignature(input.rawBody);
  const expected = Buffer.from(sign(entry.secret, payload));
  const given = Buffer.from(signature.toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw errors.badSignature();

  const timestamp = Number(timestampText);
  if (timestamp >= input.serverTime + 1000) throw errors.timestampAhead();
  if (input.serverTime - timestamp > recvWindow) throw errors.outsideRecvWindow();
  return apiKey;
}
