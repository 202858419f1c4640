/**
 * The embedded paper venue behind the same `VenuePort` a real exchange
 * adapter implements. It composes the parts that do the work:
 *
 * - a market source: by default `SyntheticMarketSource` (a seeded simulated
 *   market of USDT-margined perpetuals, stepped on the clock); a backtest
 *   passes a `BarMarketSource` fed from historical bars;
 * - the exchange core (`PaperExchange`): order rules, matching through a
 *   fill model (`BookWalkFillModel` by default), fees, the account;
 * - the unit of work (`PaperUnitOfWork`): each command or market change is
 *   written in one store transaction, inside which its execution events are
 *   delivered (before the returned promise settles, in the order the venue
 *   produced them); market data goes out after the commit;
 * - fault injection: failing requests, latency, a dropped connection.
 *
 * Its perpetuals settle funding every 8 hours (00:00, 08:00, 16:00 UTC) at a
 * rate that follows the simulated basis, and liquidate positions whose
 * margin ran out at their bankruptcy price (see `PerpetualDesk`).
 *
 * Events are queued during a command and dispatched after it, so a listener
 * that reacts by calling the venue again sees a consistent venue and its
 * events follow. A listener that throws is reported to `onError` and does
 * not abort the transaction.
 */
import { Dec } from '../../../shared/decimal';
import type { Bar } from '../../core/candles';
import type { Balance, Instrument, MarginMode, OrderBook, OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type {
  AmendOrder,
  CancelOrder,
  ExecutionEvent,
  MarketEvent,
  SubmitOrder,
  VenueConnectivity,
  VenueFillReport,
  VenueFundingReport,
  VenueOrderReport,
  VenueOrderFeatures,
  VenuePort,
  VenuePositionReport,
} from '../../engine/ports/venue';
import { EventOutbox } from './eventOutbox';
import { CONNECTION_DROPPED, FaultInjector, INJECTED_FAILURE, VenueConnectionError, type FaultConfig } from './faults';
import type { FillModel } from './fillModel';
import { PAPER_VENUE_ID, type PaperInstrumentSpec } from './instruments';
import { hasScenario, type MarketScenario, type MarketSource } from './marketSource';
import { PaperExchange } from './paperExchange';
import { PaperUnitOfWork } from './paperUnitOfWork';
import { Prng, hashSeed } from '../../core/prng';
import { InMemoryPaperVenueStore, type PaperVenueStore } from './store';
import { SyntheticMarketSource } from './syntheticMarketSource';
import { VenueStatsRecorder } from '../venueStatsRecorder';
import type { VenueStats } from '../../engine/ports/venueStats';

export const DEFAULT_PAPER_SEED = 20_240_601;
export const DEFAULT_PAPER_BALANCE = '10000';

export interface PaperVenueOptions {
  clock: Clock;
  /** Persistence of this venue (a store is bound to one venue id). Default: in memory, nothing survives the process. */
  store?: PaperVenueStore;
  /** Venue id in instruments, tickers and books. Default: the market's, else 'paper'. */
  id?: string;
  /** Seeds the simulated market and fault injection. */
  seed?: number;
  /** Starting balance of a new account (settle currency, decimal string). Default 10,000. */
  initialBalance?: string;
  /** Where prices come from. Default: the synthetic market over `instruments` (the options below marked "synthetic"). */
  market?: MarketSource;
  /** How orders meet the market. Default: `BookWalkFillModel`. */
  fillModel?: FillModel;
  /** Synthetic: the instruments and their market parameters. */
  instruments?: readonly PaperInstrumentSpec[];
  /** Synthetic: 1-minute bars of history generated for a market with none stored (and at most this many for the minutes a restart missed). Default 10,080 (7 days). */
  historyMinutes?: number;
  /** Synthetic: 1-minute bars kept in memory and in the store, in minutes (the oldest whole days beyond it are dropped). Default 43,200 (30 days). */
  historyRetentionMinutes?: number;
  /** Market step interval. Default 200 ms; 0: no timer, the market is driven from outside (bars pushed by a backtest). */
  stepMs?: number;
  /** Synthetic: how often each instrument's market state is persisted. Default 1000 ms. */
  marketSnapshotMs?: number;
  /** Terminal orders kept for `orderReport`. Default 10,000. */
  terminalOrderLimit?: number;
  faults?: Partial<FaultConfig>;
  /** Listener and timer errors go here (the venue keeps running). Default console.error. */
  onError?: (error: unknown) => void;
}

/** The paper exchange amends every order in place (see `paperAmend`) and holds brackets, OCO pairs (`paperGroups`) and trailing stops (`paperTrailing`) itself. */
export const PAPER_ORDER_FEATURES: VenueOrderFeatures = {
  types: ['market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop'],
  amendsInPlace: () => true,
  brackets: true,
  oco: true,
  trailing: { distance: true, percent: true },
};

export class PaperVenue implements VenuePort {
  readonly id: string;
  readonly paper = true;
  readonly orderFeatures = PAPER_ORDER_FEATURES;
  /** Every simulated print reaches `onMarket`. */
  readonly streamsTrades = true;

  private readonly clock: Clock;
  private readonly store: PaperVenueStore;
  private readonly market: MarketSource;
  private readonly exchange: PaperExchange;
  private readonly unit: PaperUnitOfWork;
  private readonly outbox: EventOutbox;
  private readonly faults: FaultInjector;
  private readonly connectivityListeners = new Set<(state: VenueConnectivity, reason: string | null) => void>();
  private readonly initialBalance: string;
  private readonly stepMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: TimerHandle | null = null;
  private readonly requestStats: VenueStatsRecorder;

  constructor(options: PaperVenueOptions) {
    this.clock = options.clock;
    this.requestStats = new VenueStatsRecorder(() => this.clock.now());
    this.store = options.store ?? new InMemoryPaperVenueStore();
    this.id = options.id ?? options.market?.venue ?? PAPER_VENUE_ID;
    if (options.market && options.market.venue !== this.id) throw new RangeError(`The market is for venue ${options.market.venue}, not ${this.id}`);
    this.initialBalance = options.initialBalance ?? DEFAULT_PAPER_BALANCE;
    this.stepMs = options.stepMs ?? 200;
    this.onError = options.onError ?? ((error) => console.error('[paper venue]', error));
    const outbox = new EventOutbox(this.onError);
    this.outbox = outbox;
    const seed = options.seed ?? DEFAULT_PAPER_SEED;
    this.faults = new FaultInjector(new Prng(hashSeed(seed, this.id, 'faults', this.clock.now())), options.faults);

    this.market =
      options.market ??
      new SyntheticMarketSource({
        venue: this.id,
        clock: this.clock,
        seed,
        store: this.store,
        ...(options.instruments ? { instruments: options.instruments } : {}),
        ...(options.historyMinutes !== undefined ? { historyMinutes: options.historyMinutes } : {}),
        ...(options.historyRetentionMinutes !== undefined ? { historyRetentionMinutes: options.historyRetentionMinutes } : {}),
        ...(options.marketSnapshotMs !== undefined ? { snapshotMs: options.marketSnapshotMs } : {}),
      });
    this.exchange = new PaperExchange({
      venue: this.id,
      clock: this.clock,
      listings: this.market.listings(),
      initialBalance: Dec.parse(this.initialBalance),
      ...(options.fillModel ? { fillModel: options.fillModel } : {}),
      ...(options.terminalOrderLimit !== undefined ? { terminalOrderLimit: options.terminalOrderLimit } : {}),
      emit: (event) => outbox.execution(event),
    });
    this.unit = new PaperUnitOfWork({ store: this.store, outbox, exchange: this.exchange, market: this.market, now: () => this.clock.now() });
    const exchange = this.exchange;
    const unit = this.unit;
    const clock = this.clock;
    const requestStats = this.requestStats;
    this.market.attach({
      batch: (work) => unit.run(work),
      changed: (update) => exchange.marketChanged(update, clock.now()),
      funding: (due) => exchange.settleFunding(due, clock.now()),
      get wantsMarketData() {
        return outbox.wantsMarket;
      },
      publish: (event) => {
        requestStats.heard();
        outbox.market(event);
      },
    });
    this.exchange.restore(this.store.loadAccount(), this.store.loadOrders());
    // Writes what starting changed (orders of delisted instruments, generated market history).
    this.unit.flush();
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.timer) return;
    this.market.start(this.clock.now());
    if (this.stepMs <= 0) return;
    this.timer = this.clock.every(this.stepMs, () => {
      try {
        this.market.step(this.clock.now());
      } catch (error) {
        this.onError(error);
      }
    });
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.unit.run(() => this.market.saveAll());
  }

  /**
   * One market step covering `dtMs` (by default the time since the last
   * step). `start()` steps on the clock; tests may call it directly.
   */
  stepMarket(dtMs?: number): void {
    this.market.step(this.clock.now(), dtMs);
  }

  // ------------------------------------------------------------- market data

  instruments(): Instrument[] {
    return this.exchange.instruments();
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]> {
    return this.market.candles(symbol, timeframe, limit);
  }

  ticker(symbol: string): Ticker {
    return this.market.ticker(symbol, this.clock.now());
  }

  orderBook(symbol: string, depth: number): OrderBook {
    return this.market.orderBook(symbol, depth, this.clock.now());
  }

  // ---------------------------------------------------------------- commands

  submit(command: SubmitOrder): Promise<void> {
    return this.timed(() => {
      if (this.faults.disconnected) return Promise.reject(new VenueConnectionError());
      if (this.faults.failOrder()) return Promise.reject(new Error(INJECTED_FAILURE));
      return this.perform(() => this.exchange.submit(command));
    });
  }

  cancel(command: CancelOrder): Promise<void> {
    return this.timed(() => {
      if (this.faults.disconnected) return Promise.reject(new VenueConnectionError());
      if (this.faults.failCancel()) return Promise.reject(new Error(INJECTED_FAILURE));
      return this.perform(() => this.exchange.cancel(command));
    });
  }

  amend(command: AmendOrder): Promise<void> {
    return this.timed(() => {
      if (this.faults.disconnected) return Promise.reject(new VenueConnectionError());
      if (this.faults.failOrder()) return Promise.reject(new Error(INJECTED_FAILURE));
      return this.perform(() => this.exchange.amend(command));
    });
  }

  cancelAll(symbol?: string): Promise<void> {
    return this.timed(() => {
      if (this.faults.disconnected) return Promise.reject(new VenueConnectionError());
      if (this.faults.failCancel()) return Promise.reject(new Error(INJECTED_FAILURE));
      return this.perform(() => this.exchange.cancelAll(symbol));
    });
  }

  async setLeverage(symbol: string, leverage: number): Promise<void> {
    if (this.faults.disconnected) throw new VenueConnectionError();
    this.unit.run(() => this.exchange.setLeverage(symbol, leverage));
  }

  /** Cross or isolated margin for a perpetual; refused while it has a position or open orders. */
  async setMarginMode(symbol: string, mode: MarginMode): Promise<void> {
    if (this.faults.disconnected) throw new VenueConnectionError();
    this.unit.run(() => this.exchange.setMarginMode(symbol, mode));
  }

  /** Cancels every open order and starts the account over with `balance` (leverage settings stay; the fill history is kept). */
  async resetAccount(balance: string = this.initialBalance): Promise<void> {
    const amount = Dec.parse(balance);
    if (amount.isNegative()) throw new RangeError(`Balance must not be negative, got ${balance}`);
    this.unit.run(() => this.exchange.reset(amount));
  }

  /** Changes fault injection; switching `disconnected` reports the connection dropped or back. */
  setFaults(config: Partial<FaultConfig>): void {
    const wasDisconnected = this.faults.disconnected;
    this.faults.set(config);
    const disconnected = this.faults.disconnected;
    if (disconnected !== wasDisconnected) this.reportConnectivity(disconnected ? 'disconnected' : 'connected', disconnected ? CONNECTION_DROPPED : null);
  }

  /** Scenario hook (tests, demos): moves the simulated mid to `price` now; resting orders it moves through fill. */
  setMarketPrice(symbol: string, price: number): void {
    this.scenario().setPrice(symbol, price);
  }

  /** Scenario hook (tests, demos): prints a simulated trade, exactly as the market's own trades are processed. */
  injectTrade(symbol: string, side: OrderSide, price: string, quantity: string): void {
    this.scenario().printTrade(symbol, side, price, quantity);
  }

  // ----------------------------------------------------------------- reports

  async orderReport(clientOrderId: string, _symbol?: string): Promise<VenueOrderReport | undefined> {
    return this.exchange.orderReport(clientOrderId);
  }

  async openOrderReports(): Promise<VenueOrderReport[]> {
    return this.exchange.openOrderReports();
  }

  /** Every fill this venue made at or after `sinceMs`, oldest first, from its store (an account reset keeps them). */
  async fillReports(sinceMs: number): Promise<VenueFillReport[]> {
    return this.store.loadFills(sinceMs);
  }

  /** Every funding payment this venue settled at or after `sinceMs`, oldest first, from its store. */
  async fundingReports(sinceMs: number): Promise<VenueFundingReport[]> {
    return this.store.loadFunding(sinceMs);
  }

  async positionReports(): Promise<VenuePositionReport[]> {
    return this.exchange.positionReports();
  }

  async balanceReports(): Promise<Balance[]> {
    return this.exchange.balanceReports();
  }

  onExecution(listener: (event: ExecutionEvent) => void): () => void {
    return this.outbox.onExecution(listener);
  }

  onMarket(listener: (event: MarketEvent) => void): () => void {
    return this.outbox.onMarket(listener);
  }

  /** Commands and their injected failures over the recent window, and when the simulated market last moved. */
  stats(): VenueStats {
    return this.requestStats.read();
  }

  onConnectivity(listener: (state: VenueConnectivity, reason: string | null) => void): () => void {
    this.connectivityListeners.add(listener);
    return () => this.connectivityListeners.delete(listener);
  }

  // --------------------------------------------------------------- internals

  /** A command, counted in the venue's request statistics (injected faults show up as errors). */
  private timed(run: () => Promise<void>): Promise<void> {
    return this.requestStats.track(run(), this.clock.now());
  }

  private perform(work: () => void): Promise<void> {
    const latency = this.faults.latencyMs;
    if (latency > 0) {
      return new Promise<void>((resolve, reject) => {
        this.clock.after(latency, () => {
          try {
            this.unit.run(work);
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
    }
    try {
      this.unit.run(work);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private reportConnectivity(state: VenueConnectivity, reason: string | null): void {
    for (const listener of [...this.connectivityListeners]) {
      try {
        listener(state, reason);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private scenario(): MarketScenario {
    const market = this.market;
    if (!hasScenario(market)) throw new Error(`The ${this.id} market has no scenario hooks`);
    return market;
  }
}
