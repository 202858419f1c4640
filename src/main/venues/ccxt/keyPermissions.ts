/**
 * What an exchange says an API key may do: read, trade, withdraw, and
 * whether it is tied to an IP allow-list. Each exchange answers in its own
 * endpoint and shape (ccxt has no unified call for it), read here through
 * ccxt's implicit API. Where an exchange does not say (a demo account often
 * cannot), the answer is null and the trader is told.
 */
import type { CcxtExchange } from './ccxtTypes';
import type { ExchangeId } from './exchanges';

export interface KeyPermissionsReport {
  read: boolean | null;
  trade: boolean | null;
  withdraw: boolean | null;
  ipRestricted: boolean | null;
}

type Implicit = Record<string, ((params?: Record<string, unknown>) => Promise<unknown>) | undefined>;

function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  return null;
}

async function binance(api: Implicit): Promise<KeyPermissionsReport> {
  const call = api.sapiGetAccountApiRestrictions;
  if (!call) throw new Error('this account cannot report key permissions');
  const r = (await call()) as Record<string, unknown>;
  return { read: flag(r.enableReading), trade: flag(r.enableFutures), withdraw: flag(r.enableWithdrawals), ipRestricted: flag(r.ipRestrict) };
}

async function bybit(api: Implicit): Promise<KeyPermissionsReport> {
  const call = api.privateGetV5UserQueryApi;
  if (!call) throw new Error('this account cannot report key permissions');
  const response = (await call()) as { result?: Record<string, unknown> };
  const result = response.result ?? {};
  const permissions = (result.permissions ?? {}) as Record<string, unknown>;
  const listed = (name: string) => Array.isArray(permissions[name]) && (permissions[name] as unknown[]).length > 0;
  const ips = Array.isArray(result.ips) ? (result.ips as unknown[]).map(String) : [];
  const readOnly = flag(result.readOnly);
  return {
    read: true,
    trade: readOnly === null ? null : !readOnly && listed('ContractTrade'),
    withdraw: listed('Wallet') && (permissions.Wallet as unknown[]).map(String).includes('Withdraw') ? true : listed('Withdraw'),
    ipRestricted: ips.length > 0 && !ips.includes('*'),
  };
}

async function okx(api: Implicit): Promise<KeyPermissionsReport> {
  const call = api.privateGetAccountConfig;
  if (!call) throw new Error('this account cannot report key permissions');
  const response = (await call()) as { data?: Array<Record<string, unknown>> };
  const config = response.data?.[0] ?? {};
  const perm = String(config.perm ?? '').split(',').map((p) => p.trim());
  const ip = String(config.ip ?? '').trim();
  return { read: perm.includes('read_only') || perm.length > 0, trade: perm.includes('trade'), withdraw: perm.includes('withdraw'), ipRestricted: ip !== '' };
}

const READERS: Record<ExchangeId, (api: Implicit) => Promise<KeyPermissionsReport>> = { binanceusdm: binance, bybit, okx };

export function readKeyPermissions(exchange: CcxtExchange, id: ExchangeId): Promise<KeyPermissionsReport> {
  return READERS[id](exchange as unknown as Implicit);
}

/** The warnings a trader sees for a key's permissions. */
export function permissionWarnings(permissions: KeyPermissionsReport | null): string[] {
  if (permissions === null) return ['The exchange did not report what this key may do; make sure it cannot withdraw.'];
  const warnings: string[] = [];
  if (permissions.withdraw === true) warnings.push('This key can withdraw funds. Keel never withdraws; a key without that permission is safer.');
  if (permissions.ipRestricted === false) warnings.push('This key works from any IP address; restrict it to your own on the exchange.');
  if (permissions.trade === false) warnings.push('This key cannot trade futures; orders will be refused.');
  return warnings;
}
