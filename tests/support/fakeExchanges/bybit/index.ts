/**
 * A smaller fake Bybit v5 exchange for tests: a real HTTP + WebSocket server
 * on 127.0.0.1 speaking enough of Bybit's unified-account API for ccxt's
 * `bybit` (and ccxt.pro's) to trade linear USDT perpetuals against it with
 * only its URLs changed, as Keel's `createExchange({ exchange: 'bybit',
 * baseUrl })` does. It shares the fault queue, request journal, HTTP
 * transport and decimals with the Binance fake (../common).
 *
 * Served: server time, instruments-info, tickers, kline, orderbook; wallet
 * balance (UNIFIED), account info, API key info (query-api); position list
 * and set-leverage; order create, cancel, cancel-all, realtime and history;
 * execution list; the private stream (auth, order/execution/position/wallet)
 * and the public tickers stream.
 */
import { commonLevers, type FakeExchangeHandle, fakeExchangeBasics, type FakeExchangeOptions, served } from '../common/fakeExchange';
import { type BybitKeySpec, BybitKeyRing } from './auth';
import { bybitFaultQueue } from './faults';
import { type BybitSymbolSpec, DEFAULT_BYBIT_SYMBOLS } from './instruments';
import { startBybitServer } from './server';
import { BybitState, type CreateOrderRequest } from './state';
import { PrivateStream, PublicStream, type StreamFaultSpec } from './streams';
import { orderView } from './views';

export { BybitFaults } from './faults';
export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from './faults';
export type { BybitKeySpec, BybitPermissions } from './auth';
export { DEFAULT_BYBIT_PERMISSIONS } from './auth';
export type { BybitSymbolSpec } from './instruments';
export { DEFAULT_BYBIT_SYMBOLS } from './instruments';
export type { JournalEntry, Outcome } from '../common/journal';
export type { StreamFaultSpec, StreamRecord } from './streams';
export { servedRoutes } from './server';
export type { BybitState } from './state';

export const DEFAULT_BYBIT_KEY: BybitKeySpec = { apiKey: 'keelFakeBybitKey01', secret: 'keelFakeBybitSecret0000000000000001' };

export interface FakeBybitOptions extends FakeExchangeOptions {
  /** Keys the fake accepts (default: one key that trades contracts, no withdrawals, any IP). */
  keys?: BybitKeySpec[];
  symbols?: BybitSymbolSpec[];
}

export interface FakeBybit extends FakeExchangeHandle {
  readonly state: BybitState;
  readonly privateStream: PrivateStream;
  readonly keys: BybitKeyRing;
  injectStream(spec: StreamFaultSpec): { remaining(): number; cancel(): void };
  /** Places an order as another client of the same account would (the website, the app); answers Bybit's order JSON. */
  externalOrder(request: CreateOrderRequest): Record<string, unknown>;
  /** Fills (part of) a resting order as maker, as if another trader took it. */
  fillOrder(orderId: string, quantity?: string, price?: string): Record<string, unknown>;
}

export async function startFakeBybit(options: FakeBybitOptions = {}): Promise<FakeBybit> {
  const basics = fakeExchangeBasics(options, bybitFaultQueue());
  const { now, faults, journal } = basics;
  const state = new BybitState({
    symbols: options.symbols ?? DEFAULT_BYBIT_SYMBOLS,
    walletBalance: options.walletBalance ?? '10000',
    makerRate: options.makerRate ?? '0.0002',
    takerRate: options.takerRate ?? '0.00055',
    defaultLeverage: options.defaultLeverage ?? 10,
    now,
  });
  const keys = new BybitKeyRing(now);
  for (const key of options.keys ?? [DEFAULT_BYBIT_KEY]) keys.add(key);
  const privateStream = new PrivateStream(state, keys);
  const publicStream = new PublicStream(state);
  const host = options.host ?? '127.0.0.1';
  const server = await startBybitServer({ state, keys, faults, journal, privateStream, publicStream }, host, options.port ?? 0);
  return {
    ...served(host, server),
    ...commonLevers({ ...basics, state, keys }),
    state,
    journal,
    faults,
    privateStream,
    keys,
    injectStream: (spec) => privateStream.inject(spec),
    externalOrder: (request) => orderView(state, state.placeOrder(request, 'external')),
    fillOrder: (orderId, quantity, price) => orderView(state, state.fillRestingOrder(orderId, quantity, price)),
  };
}
