/**
 * The paper venue's default market: one seeded `SymbolMarket` per listed
 * instrument (price process, synthetic order book, trade flow, 1-minute
 * history), stepped on the clock. Every step moves each instrument's mid,
 * redraws its book (resting orders the book moved through fill), prints its
 * simulated trades (resting orders they go through fill, stops they reach
 * trigger) and publishes its ticker. A perpetual whose funding interval has
 * ended settles funding first, at the marks the last step left. Its state
 * and closed bars are persisted through the venue's store, so a restart
 * continues the same market.
 */
import type { OrderBook, OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import type { Bar } from '../../core/candles';
import type { Clock } from '../../engine/ports/clock';
import { formatSteps, toSteps } from './fixedPoint';
import { DEFAULT_HISTORY_MINUTES, DEFAULT_RETENTION_MINUTES } from './history';
import { PAPER_INSTRUMENTS, instrumentMath, type PaperInstrumentSpec } from './instruments';
import type {
  InstrumentMarket,
  MarketListing,
  MarketObserver,
  MarketScenario,
  MarketSink,
  MarketSource,
  TradePrint,
} from './marketSource';
import type { PaperVenueStore } from './store';
import { SymbolMarket } from './symbolMarket';
import type { FillBuffer, SyntheticBook } from './syntheticBook';

export interface SyntheticMarketSourceOptions {
  /** Venue id in instruments and tickers. */
  venue: string;
  clock: Clock;
  seed: number;
  /** Default: the paper venue's perpetuals. */
  instruments?: readonly PaperInstrumentSpec[];
  /** Where earlier runs left their markets (read once, here). Default: nowhere, every market starts fresh. */
  store?: Pick<PaperVenueStore, 'loadMarket' | 'loadBars'>;
  /** 1-minute bars of history generated for a market with none stored (and at most this many for the minutes a restart missed). Default 10,080 (7 days). */
  historyMinutes?: number;
  /** 1-minute bars kept in memory and in the store, in minutes. Default 43,200 (30 days). */
  historyRetentionMinutes?: number;
  /** Days of hourly past generated, when a chart asks, before a market's first 1-minute bar. Default about two years (see `deepHistory`). */
  deepHistoryDays?: number;
  /** How often each instrument's market state is persisted. Default 1000 ms. */
  snapshotMs?: number;
}

/** A step never covers more than this, however long the host slept: the model moves in believable steps. */
const MAX_STEP_GAP_MS = 5_000;

/** One instrument's simulated market and when its state was last written. */
interface SimulatedInstrument {
  readonly listing: MarketListing;
  readonly market: SymbolMarket;
  savedAt: number;
}

/** A `SymbolMarket` as the exchange core reads it. */
class SyntheticInstrumentMarket implements InstrumentMarket {
  private readonly book: SyntheticBook;

  constructor(private readonly market: SymbolMarket) {
    this.book = market.book;
  }

  bestBid(): number {
    return this.book.bestBid();
  }

  bestAsk(): number {
    return this.book.bestAsk();
  }

  wouldTake(side: OrderSide, priceTicks: number): boolean {
    return this.book.wouldTake(side, priceTicks);
  }

  take(side: OrderSide, maxLots: number, limitTicks: number, sink: FillBuffer): number {
    return this.book.take(side, maxLots, limitTicks, sink);
  }

  available(side: OrderSide, limitTicks: number): number {
    return this.book.available(side, limitTicks);
  }

  markTicks(): number {
    return this.market.markTicks();
  }

  lastTicks(): number {
    return this.market.lastTicks;
  }
}

export class SyntheticMarketSource implements MarketSource, MarketScenario {
  readonly venue: string;
  private readonly clock: Clock;
  private readonly simulated = new Map<string, SimulatedInstrument>();
  private readonly listed: MarketListing[] = [];
  private readonly toSave = new Set<SimulatedInstrument>();
  private readonly snapshotMs: number;
  private observer: MarketObserver | null = null;
  private lastStepAt: number;

  constructor(options: SyntheticMarketSourceOptions) {
    this.venue = options.venue;
    this.clock = options.clock;
    this.snapshotMs = options.snapshotMs ?? 1000;
    const now = this.clock.now();
    this.lastStepAt = now;
    const persisted = new Map((options.store?.loadMarket() ?? []).map((r) => [r.symbol, r]));
    for (const spec of options.instruments ?? PAPER_INSTRUMENTS) {
      const instrument = { ...spec.instrument, venue: this.venue };
      const math = instrumentMath(instrument, spec.market.maxQuantity);
      const record = persisted.get(instrument.symbol);
      const market = new SymbolMarket({
        spec,
        math,
        seed: options.seed,
        now,
        historyMinutes: options.historyMinutes ?? DEFAULT_HISTORY_MINUTES,
        retentionMinutes: options.historyRetentionMinutes ?? DEFAULT_RETENTION_MINUTES,
        ...(options.deepHistoryDays !== undefined ? { deepHistoryDays: options.deepHistoryDays } : {}),
        ...(options.store ? { store: options.store } : {}),
        ...(record ? { persisted: record } : {}),
      });
      const listing: MarketListing = { instrument, math, market: new SyntheticInstrumentMarket(market) };
      const sim: SimulatedInstrument = { listing, market, savedAt: now };
      this.simulated.set(instrument.symbol, sim);
      this.listed.push(listing);
      // Generated or gap-filled bars are stored by the venue's first write.
      if (market.unsavedBars > 0) this.toSave.add(sim);
    }
  }

  listings(): readonly MarketListing[] {
    return this.listed;
  }

  attach(observer: MarketObserver): void {
    if (this.observer) throw new Error(`The ${this.venue} market already feeds a venue`);
    this.observer = observer;
  }

  start(now: number): void {
    this.lastStepAt = now;
  }

  /**
   * One market step for every instrument: the mid moves by `dtMs` (by
   * default the time since the last step, at most 5 s), the book is redrawn,
   * simulated trades print, tickers are published.
   */
  step(now: number, dtMs?: number): void {
    const dt = dtMs ?? Math.min(MAX_STEP_GAP_MS, Math.max(0, now - this.lastStepAt));
    this.lastStepAt = now;
    const observer = this.mustObserver();
    observer.batch(() => {
      for (const sim of this.simulated.values()) this.stepInstrument(sim, now, dt, observer);
    });
  }

  ticker(symbol: string, now: number): Ticker {
    return this.must(symbol).market.ticker(this.venue, now);
  }

  orderBook(symbol: string, depth: number, now: number): OrderBook {
    const { market, listing } = this.must(symbol);
    const { tick, lot } = listing.math;
    const levels = (side: 'bids' | 'asks'): Array<[string, string]> =>
      market.book.depth(side, depth).map(([ticks, lots]) => [formatSteps(ticks, tick), formatSteps(lots, lot)]);
    return { venue: this.venue, symbol, bids: levels('bids'), asks: levels('asks'), timestamp: now };
  }

  candles(symbol: string, timeframe: Timeframe, limit: number): Bar[] {
    return this.must(symbol).market.candles(timeframe, limit);
  }

  setPrice(symbol: string, price: number): void {
    const sim = this.must(symbol);
    const observer = this.mustObserver();
    observer.batch(() => {
      sim.market.setPrice(this.clock.now(), price);
      observer.changed({ kind: 'book', symbol });
    });
  }

  printTrade(symbol: string, side: OrderSide, price: string, quantity: string): void {
    const sim = this.must(symbol);
    const { tick, lot } = sim.listing.math;
    const ticks = toSteps(price, tick);
    const lots = toSteps(quantity, lot);
    if (ticks <= 0 || lots <= 0) throw new RangeError(`Trade ${quantity} @ ${price} is not on ${symbol}'s tick and lot`);
    const observer = this.mustObserver();
    observer.batch(() => this.print(sim, { side, ticks, lots }, this.clock.now(), observer));
  }

  get needsSave(): boolean {
    return this.toSave.size > 0;
  }

  saveAll(): void {
    for (const sim of this.simulated.values()) this.toSave.add(sim);
  }

  save(sink: MarketSink, now: number): void {
    for (const sim of this.toSave) {
      sim.market.persist(sink, now);
      sim.savedAt = now;
    }
    this.toSave.clear();
  }

  private stepInstrument(sim: SimulatedInstrument, now: number, dtMs: number, observer: MarketObserver): void {
    const { market } = sim;
    const symbol = market.symbol;
    if (market.fundingDue(now)) {
      // Settled before the market moves, at the rate and marks the trader last saw.
      observer.funding?.({ symbol, ...market.settleFunding(now) });
      this.toSave.add(sim);
    }
    market.advance(now, dtMs);
    observer.changed({ kind: 'book', symbol });
    for (const trade of market.generateTrades(dtMs)) this.print(sim, trade, now, observer);
    if (observer.wantsMarketData) observer.publish({ type: 'ticker', ticker: market.ticker(this.venue, now) });
    if (now - sim.savedAt >= this.snapshotMs) this.toSave.add(sim);
  }

  /** Folds a trade into the market, publishes it, and lets it reach resting orders and stops. */
  private print(sim: SimulatedInstrument, trade: TradePrint, now: number, observer: MarketObserver): void {
    const { market, listing } = sim;
    market.recordTrade(trade, now);
    if (observer.wantsMarketData) {
      observer.publish({
        type: 'trade',
        trade: {
          symbol: market.symbol,
          price: formatSteps(trade.ticks, listing.math.tick),
          quantity: formatSteps(trade.lots, listing.math.lot),
          side: trade.side,
          timestamp: now,
        },
      });
    }
    observer.changed({ kind: 'trade', symbol: market.symbol, trade });
  }

  private must(symbol: string): SimulatedInstrument {
    const sim = this.simulated.get(symbol);
    if (!sim) throw new Error(`${symbol} is not listed on ${this.venue}`);
    return sim;
  }

  private mustObserver(): MarketObserver {
    if (!this.observer) throw new Error(`The ${this.venue} market feeds no venue yet`);
    return this.observer;
  }
}
