/**
 * What the paper exchange core needs from a market, whoever makes it: the
 * synthetic market (a seeded price process and order book, stepped on the
 * clock) or historical bars pushed one by one. The core reads, per
 * instrument, the touch and the liquidity a taker can take, the mark, and
 * the last trade price stops trigger against; the source tells it when the
 * market changed (the book moved, a trade printed, a bar arrived) so resting
 * orders it reached can fill. The source also serves the port's market data
 * (tickers, books, candles) and persists its own state.
 *
 * Prices are integer ticks and sizes integer lots, as in the matching core.
 */
import type { Instrument, OrderBook, OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import type { Bar } from '../../core/candles';
import type { MarketEvent } from '../../engine/ports/venue';
import type { InstrumentMath } from './instruments';
import type { PaperVenueStore } from './store';
import type { FillBuffer } from './syntheticBook';

/** Liquidity an order can take, best price first. */
export interface Liquidity {
  /** Best bid in ticks; NaN when there is none. */
  bestBid(): number;
  /** Best ask in ticks; NaN when there is none. */
  bestAsk(): number;
  /** True when a `side` order at `priceTicks` would take liquidity now (post-only check). */
  wouldTake(side: OrderSide, priceTicks: number): boolean;
  /**
   * Takes up to `maxLots` for an order on `side` at prices no worse than
   * `limitTicks` (±Infinity for market orders); pushes one fill per price
   * level into `sink` and returns the lots taken.
   */
  take(side: OrderSide, maxLots: number, limitTicks: number, sink: FillBuffer): number;
  /** Lots a `side` order could take at prices no worse than `limitTicks` (fill-or-kill check). */
  available(side: OrderSide, limitTicks: number): number;
}

/** One instrument's market, as the exchange core reads it. */
export interface InstrumentMarket extends Liquidity {
  /** Mark price in ticks (may sit half a tick between two); NaN while the market has no price yet. */
  markTicks(): number;
  /** Last trade price in ticks, which stops trigger against; NaN while there has been none. */
  lastTicks(): number;
}

/** An instrument a market source lists, with its integer factors and its market. */
export interface MarketListing {
  readonly instrument: Instrument;
  readonly math: InstrumentMath;
  readonly market: InstrumentMarket;
}

/** A trade the market printed: `side` is the aggressor's. */
export interface TradePrint {
  side: OrderSide;
  ticks: number;
  lots: number;
}

/** A bar in whole ticks: the range the market went through since the previous one. */
export interface TickBar {
  /** Start of the bar (epoch ms). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Volume traded in the bar, in whole lots (rounded down). */
  volumeLots: number;
}

/** What changed in one instrument's market. */
export type MarketUpdate =
  /** The book (and with it the mark) moved: resting orders it moved through may fill. */
  | { kind: 'book'; symbol: string }
  /** A trade printed: resting orders it went through may fill, stops it reached trigger. */
  | { kind: 'trade'; symbol: string; trade: TradePrint }
  /** A new bar: the market went from its open through its range to its close (which is now the last price and the mark). */
  | { kind: 'bar'; symbol: string; bar: TickBar };

/** A perpetual's funding interval ended: positions open now are charged or paid at `rate` (positive: longs pay shorts). */
export interface FundingDue {
  symbol: string;
  /** The interval's rate as a decimal fraction. */
  rate: string;
  /** The funding time it settles. */
  fundingTime: number;
}

/** Where a market source reports; the venue implements it. */
export interface MarketObserver {
  /** Runs `work` as one unit: what the exchange does meanwhile is written, and its events delivered, once at the end. */
  batch(work: () => void): void;
  /** The market of one instrument changed (call inside `batch`). */
  changed(update: MarketUpdate): void;
  /** A perpetual's funding interval ended (call inside `batch`, before the step moves the market). Absent: funding is not settled. */
  funding?(due: FundingDue): void;
  /** False while nobody listens to market data, so tickers and trades need not be built. */
  readonly wantsMarketData: boolean;
  /** Public market data (tickers, trades), delivered after the unit commits. */
  publish(event: MarketEvent): void;
}

/** Where a source writes its state: the venue's store, inside the venue's transaction. */
export type MarketSink = Pick<PaperVenueStore, 'saveMarket' | 'saveBars' | 'pruneBars'>;

export interface MarketSource {
  /** The venue id its instruments and tickers carry. */
  readonly venue: string;
  listings(): readonly MarketListing[];
  /** Connects the source to the venue it feeds; once. */
  attach(observer: MarketObserver): void;
  /** The clock-driven loop starts (again) at `now`: the first step covers the time from here. */
  start(now: number): void;
  /**
   * One clock-driven step to `now`, covering `dtMs` (by default the time
   * since the last step). A source fed from outside (bars) has nothing to do.
   */
  step(now: number, dtMs?: number): void;

  ticker(symbol: string, now: number): Ticker;
  orderBook(symbol: string, depth: number, now: number): OrderBook;
  candles(symbol: string, timeframe: Timeframe, limit: number): Bar[];

  /** True when the source has state to write at the next store transaction. */
  readonly needsSave: boolean;
  /** Asks for all of its state to be written at the next store transaction (the venue stops). */
  saveAll(): void;
  /** Writes what is due (called inside the venue's store transaction). */
  save(sink: MarketSink, now: number): void;
}

/** Scenario hooks (tests, demos) a source may offer. */
export interface MarketScenario {
  /** Moves the price of `symbol` to `price` now; resting orders the move goes through fill. */
  setPrice(symbol: string, price: number): void;
  /** Prints a trade, exactly as the market's own trades are processed. */
  printTrade(symbol: string, side: OrderSide, price: string, quantity: string): void;
}

/** True when `market` offers the scenario hooks. */
export function hasScenario(market: MarketSource): market is MarketSource & MarketScenario {
  const hooks = market as Partial<MarketScenario>;
  return typeof hooks.setPrice === 'function' && typeof hooks.printTrade === 'function';
}
