/**
 * Shared set-up for the paper venue's tests: a venue (or the exchange core
 * composed without the port) on a simulated clock, a recorder of its
 * execution events, and order builders. Test-only; nothing in the venue
 * imports it.
 */
import { Dec } from '../../../shared/decimal';
import { SimulatedClock } from '../../engine/ports/clock';
import type { ExecutionEvent, SubmitOrder } from '../../engine/ports/venue';
import { EventOutbox } from './eventOutbox';
import type { FillModel } from './fillModel';
import type { MarketSource } from './marketSource';
import { PaperExchange } from './paperExchange';
import { PaperUnitOfWork } from './paperUnitOfWork';
import { PaperVenue, type PaperVenueOptions } from './paperVenue';
import { InMemoryPaperVenueStore, type PaperVenueStore } from './store';
import { SyntheticMarketSource } from './syntheticMarketSource';

export const START = Date.UTC(2025, 0, 6, 9, 30, 15);
export const BTC = 'BTC/USDT:USDT';
export const ETH = 'ETH/USDT:USDT';
export const SOL = 'SOL/USDT:USDT';

export type Filled = Extract<ExecutionEvent, { type: 'OrderFilled' }>;

export interface Harness {
  clock: SimulatedClock;
  store: PaperVenueStore;
  venue: PaperVenue;
  events: ExecutionEvent[];
}

export function harness(options: Partial<PaperVenueOptions> = {}, clock = new SimulatedClock(START)): Harness {
  const store = options.store ?? new InMemoryPaperVenueStore();
  const venue = new PaperVenue({ seed: 11, historyMinutes: 90, ...options, clock, store });
  const events: ExecutionEvent[] = [];
  venue.onExecution((e) => events.push(e));
  return { clock, store, venue, events };
}

export interface ExchangeHarness<M extends MarketSource = MarketSource> {
  clock: SimulatedClock;
  store: PaperVenueStore;
  market: M;
  exchange: PaperExchange;
  events: ExecutionEvent[];
  /** Runs a command the way the venue does: settled, written, its events delivered. */
  run(work: () => void): void;
}

export interface ExchangeHarnessOptions<M extends MarketSource> {
  initialBalance?: string;
  store?: PaperVenueStore;
  fillModel?: FillModel;
  /** Default: the synthetic market of the venue harness (same seed and history, so the same prices). */
  market?: (clock: SimulatedClock, store: PaperVenueStore) => M;
}

/** The exchange core with its market and unit of work, composed as the venue composes them, without the port. */
export function exchangeHarness<M extends MarketSource = SyntheticMarketSource>(
  options: ExchangeHarnessOptions<M> = {},
  clock = new SimulatedClock(START),
): ExchangeHarness<M> {
  const store = options.store ?? new InMemoryPaperVenueStore();
  const outbox = new EventOutbox((error) => {
    throw error;
  });
  const market = options.market ? options.market(clock, store) : (new SyntheticMarketSource({ venue: 'paper', clock, seed: 11, historyMinutes: 90, store }) as unknown as M);
  const exchange = new PaperExchange({
    venue: market.venue,
    clock,
    listings: market.listings(),
    initialBalance: Dec.parse(options.initialBalance ?? '10000'),
    ...(options.fillModel ? { fillModel: options.fillModel } : {}),
    emit: (event) => outbox.execution(event),
  });
  const unit = new PaperUnitOfWork({ store, outbox, exchange, market, now: () => clock.now() });
  const events: ExecutionEvent[] = [];
  outbox.onExecution((e) => events.push(e));
  market.attach({
    batch: (work) => unit.run(work),
    changed: (update) => exchange.marketChanged(update, clock.now()),
    funding: (due) => exchange.settleFunding(due, clock.now()),
    wantsMarketData: false,
    publish: () => {},
  });
  exchange.restore(store.loadAccount(), store.loadOrders());
  unit.flush();
  return { clock, store, market, exchange, events, run: (work) => unit.run(work) };
}

let counter = 0;

export function order(fields: Partial<SubmitOrder> & Pick<SubmitOrder, 'symbol' | 'side' | 'type' | 'quantity'>): SubmitOrder {
  counter += 1;
  return {
    clientOrderId: `t-${counter}`,
    price: null,
    stopPrice: null,
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    ...fields,
  };
}

export const D = (text: string): Dec => Dec.parse(text);

export function types(events: readonly ExecutionEvent[]): string[] {
  return events.map((e) => e.type);
}

export function fillsOf(events: readonly ExecutionEvent[], clientOrderId?: string): Filled[] {
  return events.filter((e): e is Filled => e.type === 'OrderFilled' && (clientOrderId === undefined || e.clientOrderId === clientOrderId));
}

export function eventsOf(events: readonly ExecutionEvent[], clientOrderId: string): ExecutionEvent[] {
  return events.filter((e) => e.clientOrderId === clientOrderId);
}

export interface Level {
  price: string;
  quantity: string;
}

export function levels(venue: PaperVenue, symbol: string): { bids: Level[]; asks: Level[] } {
  const book = venue.orderBook(symbol, 100);
  const map = (side: Array<[string, string]>): Level[] => side.map(([price, quantity]) => ({ price, quantity }));
  return { bids: map(book.bids), asks: map(book.asks) };
}

/** price × quantity × rate, exactly. */
export function feeOf(price: string, quantity: string, rate: string): string {
  return D(price).mul(D(quantity)).mul(D(rate)).toString();
}

export function sum(values: readonly string[]): Dec {
  return Dec.sum(values.map(D));
}

/** A price `ticks` ticks away from `price` on a 0.1 / 0.01 tick. */
export function offset(price: string, delta: string): string {
  return D(price).add(D(delta)).toString();
}
