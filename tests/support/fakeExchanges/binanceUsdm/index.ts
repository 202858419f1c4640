/**
 * A fake Binance USD-M futures exchange for tests: a real HTTP + WebSocket
 * server on 127.0.0.1 that ccxt's `binanceusdm` (and ccxt.pro's) talks to with
 * only its URLs changed. startFakeBinanceUsdm() wires the parts together and
 * hands back the handles a test steers it with.
 */
import { type ApiKeySpec, KeyRing } from './auth';
import type { ControlTarget } from './control';
import { ExchangeState } from './exchangeState';
import { commonLevers, type FakeExchangeHandle, fakeExchangeBasics, type FakeExchangeOptions, served } from '../common/fakeExchange';
import { binanceFaultQueue } from './faults';
import { MarketData } from './marketData';
import { MarketStream } from './marketStream';
import { DEFAULT_LIMITS, RateLimiter, type RateLimitOptions } from './rateLimits';
import { startHttpServer } from './server';
import { DEFAULT_SYMBOLS, type SymbolSpec } from './symbols';
import { fixed, ZERO } from '../common/decimal';
import type { AccountUpdateReason, OrderRequest } from './types';
import { type StreamFaultSpec, UserDataStream } from './userStream';
import { orderView } from './views';

export { Faults } from './faults';
export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from './faults';
export type { ApiKeySpec, KeyPermissions } from './auth';
export type { JournalEntry, Outcome } from '../common/journal';
export type { StreamFaultSpec, StreamRecord } from './userStream';
export type { SymbolSpec } from './symbols';
export { DEFAULT_SYMBOLS } from './symbols';
export type { OrderRequest } from './types';
export { pointCcxtAtFake, rewriteCcxtUrls, type CcxtExchangeLike } from './pointCcxt';
export { servedRoutes } from './server';
export type { ExchangeState } from './exchangeState';
export type { RequestJournal } from '../common/journal';
export type { FaultQueue } from './faults';
export type { UserDataStream } from './userStream';
export type { MarketStream } from './marketStream';
export type { KeyRing } from './auth';

export const DEFAULT_API_KEY: ApiKeySpec = { apiKey: 'keel-fake-api-key-0001', secret: 'keel-fake-secret-0001' };

export interface FakeBinanceUsdmOptions extends FakeExchangeOptions {
  /** API keys the fake accepts, each with its permissions (default: one read + futures key). */
  keys?: ApiKeySpec[];
  symbols?: SymbolSpec[];
  limits?: Partial<RateLimitOptions>;
  /** Serve /__fake/* (default true). */
  controlSurface?: boolean;
  fundingRate?: string;
  seed?: number;
}

export interface FakeBinanceUsdm extends FakeExchangeHandle {
  /** ws://127.0.0.1:PORT/ws — ccxt.pro's urls.api.ws.future. */
  readonly wsBase: string;
  readonly state: ExchangeState;
  readonly userStream: UserDataStream;
  readonly marketStream: MarketStream;
  readonly keys: KeyRing;
  injectStream(spec: StreamFaultSpec): { remaining(): number; cancel(): void };
  /** Places an order as another client of the same account (the website, a phone) would; answers Binance's order JSON. */
  externalOrder(request: OrderRequest): Record<string, unknown>;
  /** Fills (part of) a resting order as maker, as if another trader took it. */
  fillOrder(orderId: number, quantity?: string, price?: string): Record<string, unknown>;
  adjustWallet(amount: string, reason?: AccountUpdateReason): void;
}

export async function startFakeBinanceUsdm(options: FakeBinanceUsdmOptions = {}): Promise<FakeBinanceUsdm> {
  const basics = fakeExchangeBasics(options, binanceFaultQueue());
  const { now, faults, journal } = basics;
  const limits: RateLimitOptions = { ...DEFAULT_LIMITS, ...options.limits };

  const state = new ExchangeState({
    symbols: options.symbols ?? DEFAULT_SYMBOLS,
    walletBalance: options.walletBalance ?? '10000',
    makerRate: options.makerRate ?? '0.0002',
    takerRate: options.takerRate ?? '0.0005',
    defaultLeverage: options.defaultLeverage ?? 20,
    now,
    seed: options.seed ?? 7,
  });
  const keys = new KeyRing(now);
  for (const key of options.keys ?? [DEFAULT_API_KEY]) keys.add(key);
  const limiter = new RateLimiter(limits, now);
  const market = new MarketData(state, { fundingRate: options.fundingRate ?? '0.00010000' });
  const userStream = new UserDataStream(state);
  const marketStream = new MarketStream(state, market);

  const api = {
    ...commonLevers({ ...basics, state: { setMark: (symbol, price) => state.setMark(symbol, price), adjustWallet: (amount) => state.adjustWallet(amount), settleFunding: (symbol, rate) => fixed(state.settleFunding(symbol, rate)?.income ?? ZERO, 8) }, keys }),
    injectStream: (spec: StreamFaultSpec) => userStream.inject(spec),
    externalOrder: (request: OrderRequest) => orderView(state, state.placeOrder(request, 'external'), 'queried'),
    fillOrder: (orderId: number, quantity?: string, price?: string) => orderView(state, state.fillRestingOrder(orderId, quantity, price), 'queried'),
    adjustWallet: (amount: string, reason?: AccountUpdateReason) => state.adjustWallet(amount, reason),
  };
  const control: ControlTarget = {
    ...api,
    clearFaults: () => faults.clear(),
    dropStream: () => userStream.dropConnections(),
    state: () => ({ ...state.snapshot(), pendingFaults: faults.pending(), streamConnections: userStream.connectionCount() }),
    journal: () => journal.entries(),
    streamHistory: () => userStream.history(),
  };

  const host = options.host ?? '127.0.0.1';
  const server = await startHttpServer(
    { state, market, userStream, marketStream, keys, faults, journal, limiter, limits, control: options.controlSurface === false ? null : control },
    host,
    options.port ?? 0,
  );
  const where = served(host, server);
  return {
    ...where,
    wsBase: `${where.base.replace(/^http/, 'ws')}/ws`,
    state,
    journal,
    faults,
    userStream,
    marketStream,
    keys,
    ...api,
  };
}
