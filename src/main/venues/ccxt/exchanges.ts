/**
 * The exchanges Keel trades through ccxt, and how an instance is made for
 * one: demo or live, the options Keel always sets, and (for tests and the
 * headless host's `--venue-url`) pointing it at a loopback server.
 *
 * ccxt is loaded on first use, never at start-up: it takes a second or two
 * to load all its exchanges, and a trader on the paper venue never needs it.
 */
import type { CcxtExchange } from './ccxtTypes';

export const SUPPORTED_EXCHANGES = ['binanceusdm', 'bybit', 'okx'] as const;
export type ExchangeId = (typeof SUPPORTED_EXCHANGES)[number];
export type VenueMode = 'demo' | 'live';

export interface ExchangeSpec {
  id: ExchangeId;
  label: string;
  /** OKX keys come with a passphrase. */
  needsPassphrase: boolean;
  /** How demo trading is switched on: Binance and Bybit have demo accounts; OKX simulates with a header (sandbox). */
  demo: 'demo-trading' | 'sandbox';
  /** The currency positions settle in: Keel trades USDT-margined linear perpetuals. */
  settle: string;
  /** The instruments a new venue shows until the trader picks others. */
  defaultSymbols: string[];
}

export const EXCHANGES: Record<ExchangeId, ExchangeSpec> = {
  binanceusdm: {
    id: 'binanceusdm',
    label: 'Binance USD-M futures',
    needsPassphrase: false,
    demo: 'demo-trading',
    settle: 'USDT',
    defaultSymbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT', 'BNB/USDT:USDT'],
  },
  bybit: {
    id: 'bybit',
    label: 'Bybit linear perpetuals',
    needsPassphrase: false,
    demo: 'demo-trading',
    settle: 'USDT',
    defaultSymbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT'],
  },
  okx: {
    id: 'okx',
    label: 'OKX perpetual swaps',
    needsPassphrase: true,
    demo: 'sandbox',
    settle: 'USDT',
    defaultSymbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT'],
  },
};

export function isExchangeId(value: string): value is ExchangeId {
  return (SUPPORTED_EXCHANGES as readonly string[]).includes(value);
}

type CcxtModule = { pro: Record<string, new (config: Record<string, unknown>) => CcxtExchange> };
let loading: Promise<CcxtModule> | null = null;

/** ccxt, loaded once, on first use. */
export function loadCcxt(): Promise<CcxtModule> {
  loading ??= import('ccxt').then((module) => ((module as { default?: CcxtModule }).default ?? (module as unknown as CcxtModule)));
  return loading;
}

export interface ExchangeConfig {
  exchange: ExchangeId;
  mode: VenueMode;
  credentials: { apiKey: string; secret: string; passphrase?: string } | null;
  /** Per-request timeout. */
  timeoutMs: number;
  /** A loopback server to talk to instead of the exchange (tests, `--venue-url`). */
  baseUrl?: string;
  /** Where ccxt's own log lines go (already redacted by the caller). */
  log: (line: string) => void;
}

export async function createExchange(config: ExchangeConfig): Promise<CcxtExchange> {
  const ccxt = await loadCcxt();
  const spec = EXCHANGES[config.exchange];
  const Exchange = ccxt.pro[spec.id];
  if (!Exchange) throw new Error(`ccxt has no ${spec.id} exchange`);
  const exchange = new Exchange({
    ...(config.credentials ? { apiKey: config.credentials.apiKey, secret: config.credentials.secret } : {}),
    ...(config.credentials?.passphrase ? { password: config.credentials.passphrase } : {}),
    // ccxt spaces requests by the exchange's published weights. A loopback stand-in (tests, --venue-url) is not
    // spaced: it enforces its own limits with 429s, as the exchange does, and those are what Keel must handle.
    enableRateLimit: config.baseUrl === undefined,
    timeout: config.timeoutMs,
    // Never `verbose`: it prints signed requests and API-key headers.
    verbose: false,
    options: {
      defaultType: 'swap',
      // A futures key has no business calling the spot wallet endpoints ccxt would otherwise call from loadMarkets.
      fetchCurrencies: false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      // Keel resyncs the time difference itself, once, when the venue says the clock is off.
      adjustForTimeDifference: false,
      // Keel reads positions by its own polls and never watches them. Left on, ccxt.pro's Binance fetches a positions
      // snapshot when watchOrders first opens a client's user stream: a hidden, weighted REST call whose promise
      // nobody awaits, so a stream that drops before the snapshot answers rejects it as an unhandled rejection.
      watchPositions: { fetchPositionsSnapshot: false },
    },
  });
  exchange.log = (...args: unknown[]) => config.log(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
  if (config.mode === 'demo') {
    if (spec.demo === 'demo-trading') exchange.enableDemoTrading?.(true);
    else exchange.setSandboxMode(true);
  }
  if (config.baseUrl !== undefined) await pointAt(exchange, config.baseUrl);
  return exchange;
}

/** Only loopback servers may stand in for an exchange: a typo must never send keys to a stranger. */
export function checkLoopbackUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${text}: only http(s) URLs can stand in for an exchange`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') throw new Error(`${text}: only a loopback address (127.0.0.1, localhost, ::1) can stand in for an exchange`);
  return url;
}

/**
 * Rewrites every REST and WebSocket URL of an exchange to a loopback server,
 * keeping each path. On a loopback URL ccxt cannot tell Binance's futures
 * error table from its spot one (it chooses by host), so the futures table
 * is kept; and ccxt.pro accepts plain ws:// only once its proxy agent is loaded.
 */
async function pointAt(exchange: CcxtExchange, baseUrl: string): Promise<void> {
  const base = checkLoopbackUrl(baseUrl);
  const http = `${base.protocol}//${base.host}`;
  const ws = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}`;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+/, http).replace(/^wss?:\/\/[^/]+/, ws);
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) (value as Record<string, unknown>)[key] = rewrite(inner);
    }
    return value;
  };
  exchange.urls.api = rewrite(exchange.urls.api);
  if (exchange.id === 'binanceusdm' || exchange.id === 'binance') {
    const exceptions = exchange.exceptions as Record<string, Record<string, unknown>> | undefined;
    exchange.getExceptionsByUrl = (_url: string, kind: string) => exceptions?.linear?.[kind] ?? {};
  }
  await exchange.loadHttpProxyAgent?.();
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
