/**
 * A small fake OKX v5 exchange for tests: a real HTTP + WebSocket server on
 * 127.0.0.1 speaking enough of OKX's API for ccxt's `okx` (and ccxt.pro's)
 * to trade USDT perpetual swaps against it in simulated trading with only its
 * URLs changed, as Keel's `createExchange({ exchange: 'okx', mode: 'demo',
 * baseUrl })` does. It shares the fault queue, request journal, HTTP
 * transport and decimals with the other fakes (../common).
 *
 * Served: public time, instruments, tickers (and one ticker), candles and
 * history candles, books; account balance, positions, config (the key's
 * perm and ip) and set-leverage; asset currencies (live only); trade order, batch-orders, cancel-order,
 * cancel-batch-orders, order details by ordId or clOrdId, orders-pending,
 * orders-history, fills and fills-history; the private socket (login,
 * orders, positions, account), the business socket (login) and the public
 * tickers channel. Every quantity is in contracts, as OKX counts.
 */
import { commonLevers, type FakeExchangeHandle, fakeExchangeBasics, type FakeExchangeOptions, served } from '../common/fakeExchange';
import { type OkxEnvironment, OkxKeyRing, type OkxKeySpec } from './auth';
import { okxFaultQueue } from './faults';
import { DEFAULT_OKX_SYMBOLS, type OkxSymbolSpec } from './instruments';
import { startOkxServer } from './server';
import { OkxState } from './state';
import { BUSINESS_CHANNELS, PRIVATE_CHANNELS, PrivateStream, PublicStream, type StreamFaultSpec } from './streams';
import { orderView } from './views';

export { OkxFaults } from './faults';
export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from './faults';
export type { OkxEnvironment, OkxKeySpec, OkxPermission } from './auth';
export type { OkxSymbolSpec } from './instruments';
export { DEFAULT_OKX_SYMBOLS } from './instruments';
export type { JournalEntry, Outcome } from '../common/journal';
export type { StreamFaultSpec, StreamRecord } from './streams';
export { servedRoutes } from './server';
export type { OkxState } from './state';

export const DEFAULT_OKX_KEY: OkxKeySpec = {
  apiKey: 'keel-fake-okx-key-0001',
  secret: 'KEELFAKEOKXSECRET00000000000000001',
  passphrase: 'keel-fake-passphrase-1',
};

export interface FakeOkxOptions extends FakeExchangeOptions {
  /** Keys the fake accepts (default: one key that reads and trades, no withdrawals, any IP). */
  keys?: OkxKeySpec[];
  symbols?: OkxSymbolSpec[];
  /** Simulated trading (default: keys need `x-simulated-trading: 1`) or live (keys must not send it). */
  environment?: OkxEnvironment;
}

export interface FakeOkx extends FakeExchangeHandle {
  readonly state: OkxState;
  /** /ws/v5/private: login, orders, positions, account. */
  readonly privateStream: PrivateStream;
  /** /ws/v5/business: login and algo orders (which the fake never has). */
  readonly businessStream: PrivateStream;
  /** /ws/v5/public: tickers. */
  readonly publicStream: PublicStream;
  readonly keys: OkxKeyRing;
  /** Marks an instrument (instId) at a price. */
  setMark(instId: string, price: string): void;
  injectStream(spec: StreamFaultSpec): { remaining(): number; cancel(): void };
  /** Places an order as another client of the same account would (the website, the app); answers OKX's order JSON. */
  externalOrder(request: Record<string, unknown>): Record<string, unknown>;
  /** Fills (part of, in contracts) a resting order as maker, as if another trader took it. */
  fillOrder(ordId: string, contracts?: string, price?: string): Record<string, unknown>;
}

export async function startFakeOkx(options: FakeOkxOptions = {}): Promise<FakeOkx> {
  const basics = fakeExchangeBasics(options, okxFaultQueue());
  const { now, faults, journal } = basics;
  const environment = options.environment ?? 'demo';
  const state = new OkxState({
    symbols: options.symbols ?? DEFAULT_OKX_SYMBOLS,
    walletBalance: options.walletBalance ?? '10000',
    makerRate: options.makerRate ?? '0.0002',
    takerRate: options.takerRate ?? '0.0005',
    defaultLeverage: options.defaultLeverage ?? 10,
    now,
  });
  const keys = new OkxKeyRing();
  for (const key of options.keys ?? [DEFAULT_OKX_KEY]) keys.add(key);
  const privateStream = new PrivateStream(state, keys, environment === 'demo', PRIVATE_CHANNELS, true);
  const businessStream = new PrivateStream(state, keys, environment === 'demo', BUSINESS_CHANNELS, false);
  const publicStream = new PublicStream(state);
  const host = options.host ?? '127.0.0.1';
  const server = await startOkxServer({ state, keys, faults, journal, privateStream, businessStream, publicStream, environment }, host, options.port ?? 0);
  return {
    ...served(host, server),
    ...commonLevers({ ...basics, state, keys }),
    state,
    journal,
    faults,
    privateStream,
    businessStream,
    publicStream,
    keys,
    injectStream: (spec) => privateStream.inject(spec),
    externalOrder: (request) => orderView(state, state.placeOrder(request, 'external')),
    fillOrder: (ordId, contracts, price) => orderView(state, state.fillRestingOrder(ordId, contracts, price)),
  };
}
