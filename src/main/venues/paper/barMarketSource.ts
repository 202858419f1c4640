/**
 * A market fed bar by bar from historical OHLCV, for backtests: `pushBar`
 * advances an instrument's market to that bar. The exchange core then works
 * its orders against the bar (with `NextBarOpenFillModel`: market orders at
 * its open, limits and stops against its range), and the bar's close becomes
 * the last price and the mark.
 *
 * Between bars the market stands at the last close: the touch is the close
 * on both sides with unlimited size (bars carry no depth), so a taker under
 * the book-walk model fills at the close ("trade on close"). Before its first
 * bar an instrument has no price, and orders on it are refused. The port's
 * market data comes from the bars pushed so far: the ticker from the last
 * day of them, candles aggregated from them; there is no order book.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderBook, OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import { aggregateCandles, type Bar } from '../../core/candles';
import { formatSteps, stepsToNumber, type Step } from './fixedPoint';
import { instrumentMath, PAPER_VENUE_ID } from './instruments';
import type { InstrumentMarket, MarketListing, MarketObserver, MarketSource, TickBar } from './marketSource';
import type { FillBuffer } from './syntheticBook';

export interface BarInstrument {
  instrument: Instrument;
  /** Largest accepted order quantity (decimal string). Default 1,000,000,000. */
  maxQuantity?: string;
}

export interface BarMarketSourceOptions {
  /** Venue id in instruments and tickers. Default 'paper'. */
  venue?: string;
  instruments: readonly BarInstrument[];
  /**
   * A spread rate ("0.0002"): the touch is the price × (1 ± spread), so an
   * order that opens a position pays it, and the engine's margin checks and
   * sizing see it. Last and mark stay at the price.
   */
  spread?: string;
  /** Bars each symbol is expected to get, when known (a backtest's); the columns start that large. */
  capacity?: number;
}

const SPREAD_UNITS = 10n ** 18n;

const DAY_MS = 86_400_000;
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** One instrument's market between bars: everything trades at the last close (an entry spread apart). */
class BarMarket implements InstrumentMarket {
  private price = Number.NaN;
  private bid = Number.NaN;
  private ask = Number.NaN;

  /** Spread rate in 1e-18 units (0 = none). */
  constructor(private readonly spreadUnits: bigint) {}

  get closeTicks(): number {
    return this.price;
  }

  set closeTicks(ticks: number) {
    this.price = ticks;
    if (this.spreadUnits === 0n || Number.isNaN(ticks)) {
      this.bid = ticks;
      this.ask = ticks;
      return;
    }
    // Rounded against the taker when the spread falls between ticks.
    const up = BigInt(ticks) * (SPREAD_UNITS + this.spreadUnits);
    const down = BigInt(ticks) * (SPREAD_UNITS - this.spreadUnits);
    this.ask = Number(up / SPREAD_UNITS + (up % SPREAD_UNITS === 0n ? 0n : 1n));
    this.bid = Number(down / SPREAD_UNITS);
  }

  bestBid(): number {
    return this.bid;
  }

  bestAsk(): number {
    return this.ask;
  }

  wouldTake(side: OrderSide, priceTicks: number): boolean {
    return side === 'buy' ? priceTicks >= this.closeTicks : priceTicks <= this.closeTicks;
  }

  take(side: OrderSide, maxLots: number, limitTicks: number, sink: FillBuffer): number {
    if (maxLots <= 0 || !this.reaches(side, limitTicks)) return 0;
    sink.push(this.closeTicks, maxLots);
    return maxLots;
  }

  available(side: OrderSide, limitTicks: number): number {
    return this.reaches(side, limitTicks) ? UNLIMITED : 0;
  }

  markTicks(): number {
    return this.closeTicks;
  }

  lastTicks(): number {
    return this.closeTicks;
  }

  private reaches(side: OrderSide, limitTicks: number): boolean {
    const close = this.closeTicks;
    if (Number.isNaN(close)) return false;
    return side === 'buy' ? close <= limitTicks : close >= limitTicks;
  }
}

/**
 * The bars pushed so far, oldest first, one growable column per field. A
 * long backtest keeps a million of them: numbers in typed arrays are nothing
 * the garbage collector traces or copies, where an object per bar (and its
 * boxed numbers) would be, on every collection while the run lasts.
 */
class BarColumns {
  length = 0;
  time: Float64Array<ArrayBuffer>;
  open: Float64Array<ArrayBuffer>;
  high: Float64Array<ArrayBuffer>;
  low: Float64Array<ArrayBuffer>;
  close: Float64Array<ArrayBuffer>;
  volume: Float64Array<ArrayBuffer>;

  /** `capacity`: the bars expected, when known (a backtest's), so the columns never grow and copy. */
  constructor(capacity = 1_024) {
    const size = Math.max(1, capacity);
    this.time = new Float64Array(size);
    this.open = new Float64Array(size);
    this.high = new Float64Array(size);
    this.low = new Float64Array(size);
    this.close = new Float64Array(size);
    this.volume = new Float64Array(size);
  }

  push(bar: Bar): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length;
    this.time[i] = bar.time;
    this.open[i] = bar.open;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    this.volume[i] = bar.volume;
    this.length = i + 1;
  }

  /** Every bar as an object of its own. */
  bars(): Bar[] {
    const out = new Array<Bar>(this.length);
    for (let i = 0; i < this.length; i++) {
      out[i] = { time: this.time[i]!, open: this.open[i]!, high: this.high[i]!, low: this.low[i]!, close: this.close[i]!, volume: this.volume[i]! };
    }
    return out;
  }

  private grow(): void {
    const widen = (column: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const wider = new Float64Array(column.length * 2);
      wider.set(column);
      return wider;
    };
    this.time = widen(this.time);
    this.open = widen(this.open);
    this.high = widen(this.high);
    this.low = widen(this.low);
    this.close = widen(this.close);
    this.volume = widen(this.volume);
  }
}

interface FedInstrument {
  readonly listing: MarketListing;
  readonly market: BarMarket;
  /** The bars pushed so far, oldest first. */
  readonly bars: BarColumns;
  readonly day: RollingDay;
}

/**
 * The ticker's 24-hour figures over the bars that started within a day of
 * the newest one, kept as bars arrive: the first bar's index, the volume
 * sum, and monotonic queues of bar indices for the high and the low. Each
 * bar enters and leaves once, so a ticker costs O(1) however fine the bars
 * (a day of one-minute bars is 1,440 of them).
 */
class RollingDay {
  first = 0;
  volume = 0;
  private readonly highs: number[] = [];
  private readonly lows: number[] = [];
  private highHead = 0;
  private lowHead = 0;

  add(bars: BarColumns): void {
    const i = bars.length - 1;
    const { time, high, low, volume } = bars;
    this.volume += volume[i]!;
    while (this.highs.length > this.highHead && high[this.highs[this.highs.length - 1]!]! <= high[i]!) this.highs.pop();
    this.highs.push(i);
    while (this.lows.length > this.lowHead && low[this.lows[this.lows.length - 1]!]! >= low[i]!) this.lows.pop();
    this.lows.push(i);
    while (this.first < i && time[this.first]! <= time[i]! - DAY_MS) {
      this.volume -= volume[this.first]!;
      this.first += 1;
    }
    while (this.highs[this.highHead]! < this.first) this.highHead += 1;
    while (this.lows[this.lowHead]! < this.first) this.lowHead += 1;
    // Drop the consumed heads now and then, so the queues do not grow with the data.
    if (this.highHead > 4_096) this.highHead = shift(this.highs, this.highHead);
    if (this.lowHead > 4_096) this.lowHead = shift(this.lows, this.lowHead);
  }

  high(bars: BarColumns): number {
    return bars.high[this.highs[this.highHead]!]!;
  }

  low(bars: BarColumns): number {
    return bars.low[this.lows[this.lowHead]!]!;
  }
}

function shift(queue: number[], head: number): number {
  queue.splice(0, head);
  return 0;
}

export class BarMarketSource implements MarketSource {
  readonly venue: string;
  readonly needsSave = false;
  private readonly fed = new Map<string, FedInstrument>();
  private readonly listed: MarketListing[] = [];
  private readonly untold = new Set<FedInstrument>();
  private observer: MarketObserver | null = null;

  constructor(options: BarMarketSourceOptions) {
    this.venue = options.venue ?? PAPER_VENUE_ID;
    const spread = Dec.parse(options.spread ?? '0');
    if (spread.isNegative() || spread.gte(Dec.ONE)) throw new RangeError(`The spread must be from 0 to below 1, got ${options.spread}`);
    for (const { instrument: spec, maxQuantity } of options.instruments) {
      const instrument = { ...spec, venue: this.venue };
      if (this.fed.has(instrument.symbol)) throw new RangeError(`${instrument.symbol} is listed twice`);
      const market = new BarMarket(spread.units);
      const listing: MarketListing = { instrument, math: instrumentMath(instrument, maxQuantity ?? '1000000000'), market };
      this.fed.set(instrument.symbol, { listing, market, bars: new BarColumns(options.capacity), day: new RollingDay() });
      this.listed.push(listing);
    }
  }

  listings(): readonly MarketListing[] {
    return this.listed;
  }

  attach(observer: MarketObserver): void {
    if (this.observer) throw new Error(`The ${this.venue} market already feeds a venue`);
    this.observer = observer;
  }

  /** Bars come from outside: the clock drives nothing here. */
  start(): void {}

  step(): void {}

  /**
   * Advances `symbol`'s market (the only one, when it lists one) to `bar`:
   * its orders are worked against the bar, then its close is the price.
   * Bars must come in time order, with prices on the tick and
   * low ≤ open, close ≤ high.
   */
  pushBar(bar: Bar, symbol?: string): void {
    const fed = this.pick(symbol);
    const ticks = this.record(fed, bar);
    const observer = this.attached();
    const name = fed.listing.instrument.symbol;
    this.untold.delete(fed);
    observer.batch(() => {
      observer.changed({ kind: 'bar', symbol: name, bar: ticks });
      if (observer.wantsMarketData) observer.publish({ type: 'ticker', ticker: this.ticker(name, bar.time) });
    });
  }

  /**
   * Takes `bar` as the market's newest without telling the venue: for a
   * backtest's quiet bars, when the exchange holds no order on the symbol,
   * so nothing can fill and nobody needs the price until something asks.
   * `sync` tells the venue (its marks, the engine's ticker) before anything
   * acts on the market; `pushBar` tells it anyway.
   */
  deferBar(bar: Bar, symbol?: string): void {
    const fed = this.pick(symbol);
    // A quiet bar's ticks are only checked and its close kept: they go into one scratch object, not a new one per bar.
    this.record(fed, bar, QUIET_BAR_TICKS);
    this.attached();
    this.untold.add(fed);
  }

  /** Tells the venue the price of every symbol that moved without telling it (`deferBar`, a deferred `setPrice`). */
  sync(): void {
    if (this.untold.size === 0) return;
    const observer = this.attached();
    const told = [...this.untold];
    this.untold.clear();
    observer.batch(() => {
      for (const fed of told) this.tell(observer, fed);
    });
  }

  /** True while some price moved without the venue being told. */
  get unsynced(): boolean {
    return this.untold.size > 0;
  }

  private record(fed: FedInstrument, bar: Bar, into: TickBar = newTickBar()): TickBar {
    const ticks = toTickBar(bar, fed.listing, into);
    const { bars } = fed;
    if (bars.length > 0 && bar.time <= bars.time[bars.length - 1]!) {
      throw new RangeError(`${fed.listing.instrument.symbol}: bar at ${bar.time} is not after the last one at ${bars.time[bars.length - 1]}`);
    }
    bars.push(bar);
    fed.day.add(fed.bars);
    fed.market.closeTicks = ticks.close;
    return ticks;
  }

  private attached(): MarketObserver {
    if (!this.observer) throw new Error(`The ${this.venue} market feeds no venue yet`);
    return this.observer;
  }

  /** The price moved between bars: marks follow (a book move works no bar order), and the ticker goes out. */
  private tell(observer: MarketObserver, fed: FedInstrument): void {
    const name = fed.listing.instrument.symbol;
    observer.changed({ kind: 'book', symbol: name });
    if (observer.wantsMarketData) observer.publish({ type: 'ticker', ticker: this.ticker(name, fed.bars.time[fed.bars.length - 1]!) });
  }

  /**
   * Moves `symbol`'s price between bars to `price` without working any
   * order: the next bar's open, which is known the moment this bar closes.
   * The backtest driver sets it before a strategy decides on the closed bar,
   * so a market order it sends fills there (the "bar" fill model); the next
   * `pushBar` then works resting orders against that bar's whole range.
   */
  setPrice(price: number, symbol?: string, options: { defer?: boolean } = {}): void {
    const fed = this.pick(symbol);
    if (fed.bars.length === 0) throw new Error(`${fed.listing.instrument.symbol} has no bars yet`);
    fed.market.closeTicks = ticksOf(price, fed.listing.math.tick);
    const observer = this.attached();
    if (options.defer) {
      this.untold.add(fed);
      return;
    }
    this.untold.delete(fed);
    observer.batch(() => this.tell(observer, fed));
  }

  /** Bid, ask and last now, in ticks (the last close, or the price set since; bid and ask with the spread). */
  quoteTicks(symbol: string): { bid: number; ask: number; last: number } {
    const { market } = this.must(symbol);
    return { bid: market.bestBid(), ask: market.bestAsk(), last: market.closeTicks };
  }

  /** Last price, bid, ask and mark at the current price (the last close, or the next open once set); 24h figures over the bars that started within a day of the last one. */
  ticker(symbol: string, now: number): Ticker {
    const { listing, bars, day, market } = this.must(symbol);
    const { tick } = listing.math;
    if (bars.length === 0) throw new Error(`${symbol} has no bars yet`);
    const high = day.high(bars);
    const low = day.low(bars);
    const volume = Math.max(0, day.volume);
    const price = (value: number): string => formatSteps(ticksOf(value, tick), tick);
    const open = bars.open[day.first]!;
    const close = formatSteps(market.closeTicks, tick);
    return {
      venue: this.venue,
      symbol,
      bid: formatSteps(market.bestBid(), tick),
      ask: formatSteps(market.bestAsk(), tick),
      last: close,
      mark: close,
      open24h: price(open),
      high24h: price(high),
      low24h: price(low),
      change24h: formatSteps(market.closeTicks - ticksOf(open, tick), tick),
      changePercent24h: open > 0 ? ((stepsToNumber(market.closeTicks, tick) - open) / open) * 100 : 0,
      volume24h: Dec.fromNumber(volume).toString(),
      timestamp: now,
    };
  }

  /** Bars carry no depth. */
  orderBook(symbol: string, _depth: number, now: number): OrderBook {
    this.must(symbol);
    return { venue: this.venue, symbol, bids: [], asks: [], timestamp: now };
  }

  /** The bars pushed so far, aggregated to `timeframe` (bars finer than the data's stay as pushed), newest `limit`. */
  candles(symbol: string, timeframe: Timeframe, limit: number): Bar[] {
    return aggregateCandles(this.must(symbol).bars.bars(), timeframe).slice(-limit);
  }

  saveAll(): void {}

  save(): void {}

  private pick(symbol: string | undefined): FedInstrument {
    if (symbol !== undefined) return this.must(symbol);
    if (this.fed.size !== 1) throw new Error(`${this.venue} lists ${this.fed.size} instruments: say which one the bar is for`);
    return this.fed.values().next().value!;
  }

  private must(symbol: string): FedInstrument {
    const fed = this.fed.get(symbol);
    if (!fed) throw new Error(`${symbol} is not listed on ${this.venue}`);
    return fed;
  }
}

/** Whole ticks of a price that must lie on the tick (its nearest double is exactly `ticks` steps). */
function ticksOf(price: number, tick: Step): number {
  const ticks = Math.round(price / stepsToNumber(1, tick));
  if (!(ticks > 0) || stepsToNumber(ticks, tick) !== price) throw new RangeError(`Price ${price} is not a positive multiple of the tick ${tick.text}`);
  return ticks;
}

/** Scratch ticks for a quiet bar: read by nobody once `record` has returned. */
const QUIET_BAR_TICKS: TickBar = newTickBar();

function newTickBar(): TickBar {
  return { time: 0, open: 0, high: 0, low: 0, close: 0, volumeLots: 0 };
}

/** Checks `bar` against the tick and writes its ticks into `into`. */
function toTickBar(bar: Bar, listing: MarketListing, into: TickBar): TickBar {
  const { tick } = listing.math;
  const open = ticksOf(bar.open, tick);
  const high = ticksOf(bar.high, tick);
  const low = ticksOf(bar.low, tick);
  const close = ticksOf(bar.close, tick);
  if (low > Math.min(open, close) || high < Math.max(open, close)) {
    throw new RangeError(`${listing.instrument.symbol}: bar at ${bar.time} has low ${bar.low} / high ${bar.high} outside its open ${bar.open} and close ${bar.close}`);
  }
  into.time = bar.time;
  into.open = open;
  into.high = high;
  into.low = low;
  into.close = close;
  into.volumeLots = Math.max(0, Math.floor(bar.volume / stepsToNumber(1, listing.math.lot) + 1e-9));
  return into;
}
