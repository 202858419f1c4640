/**
 * The simulated market of one instrument: its price model, its synthetic
 * order book, the flow of simulated trades, 1-minute candles (generated
 * history, then live bars folded from trades) and the 24h ticker. It knows
 * nothing about user orders; the venue feeds its trades to the matching
 * engine. Every random draw comes from streams derived from the venue seed,
 * the symbol and the start time, so a run replays exactly.
 */
import type { OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import {
  type Bar,
  ONE_MINUTE_MS,
  bucketStart,
  candlesFromOneMinute,
  flatCandle,
  foldTrade,
} from '../../core/candles';
import { formatSteps, stepsToNumber } from './fixedPoint';
import { DayWindow } from './dayWindow';
import { generateHistory } from './history';
import type { InstrumentMath, PaperInstrumentSpec } from './instruments';
import { PriceProcess, processParams } from './priceProcess';
import { Prng, hashSeed } from './prng';
import type { PaperMarketRecord } from './store';
import { SyntheticBook, levelOffsets } from './syntheticBook';

export interface SimTrade {
  side: OrderSide;
  ticks: number;
  lots: number;
}

export interface SymbolMarketOptions {
  spec: PaperInstrumentSpec;
  math: InstrumentMath;
  seed: number;
  /** Start time of this run (epoch ms): seeds the live streams and ends the history. */
  now: number;
  historyMinutes: number;
  /** Where the previous run left this market, to continue from. */
  persisted?: PaperMarketRecord;
}

const DAY_MS = 86_400_000;
const MIN_KEPT_BARS = 14 * 1440;
const TRADE_SIZE_SIGMA = 0.9;
const MAX_TRADES_PER_STEP = 60;

export class SymbolMarket {
  readonly symbol: string;
  readonly math: InstrumentMath;
  readonly book: SyntheticBook;
  private readonly spec: PaperInstrumentSpec;
  private readonly process: PriceProcess;
  private readonly bookRng: Prng;
  private readonly tradeRng: Prng;
  private readonly bars: Bar[];
  private readonly maxBars: number;
  /** Closed bars of the 24 hours before the live one, for the ticker. */
  private readonly day: DayWindow;
  private readonly tickSize: number;
  private readonly lotSize: number;
  private current: Bar;
  private lastTradeTicks: number;
  /** Standardised move of the last step: order flow leans the way price went. */
  private lastMoveZ = 0;

  constructor(options: SymbolMarketOptions) {
    const { spec, math, seed, now, persisted } = options;
    this.spec = spec;
    this.math = math;
    this.symbol = spec.instrument.symbol;
    const params = processParams(spec.market.anchorPrice, spec.market.annualVolatility);
    const currentMinute = bucketStart(now, ONE_MINUTE_MS);
    const history = generateHistory({
      symbol: this.symbol,
      seed,
      params,
      market: spec.market,
      tick: math.tick,
      lot: math.lot,
      endTime: currentMinute,
      minutes: options.historyMinutes,
      ...(persisted ? { endPrice: persisted.price } : {}),
    });
    this.bars = history.bars;
    this.maxBars = Math.max(options.historyMinutes, MIN_KEPT_BARS);
    this.process = new PriceProcess(params, persisted?.process ?? history.state, new Prng(hashSeed(seed, this.symbol, 'process', now)));
    this.bookRng = new Prng(hashSeed(seed, this.symbol, 'book', now));
    this.tradeRng = new Prng(hashSeed(seed, this.symbol, 'trades', now));

    const tickSize = stepsToNumber(1, math.tick);
    const lotSize = stepsToNumber(1, math.lot);
    this.tickSize = tickSize;
    this.lotSize = lotSize;
    const spanTicks = (spec.market.anchorPrice * spec.market.bookSpan) / tickSize;
    this.book = new SyntheticBook({
      levels: spec.market.bookLevels,
      offsets: levelOffsets(spec.market.bookLevels, spanTicks),
      topLots: Math.max(1, spec.market.bookLevelQuantity / lotSize),
      sizeGrowth: 0.35,
      sizeNoise: 0.4,
      maxSpreadTicks: spec.market.maxSpreadTicks,
      deficitCarry: 0.5,
    });
    const midTicks = this.process.price / tickSize;
    this.book.regenerate(midTicks, this.bookRng);
    this.lastTradeTicks = persisted?.lastTicks ?? Math.max(1, Math.round(midTicks));
    const lastClose = this.bars.length > 0 ? this.bars[this.bars.length - 1]!.close : stepsToNumber(this.lastTradeTicks, math.tick);
    this.current = flatCandle(currentMinute, lastClose);
    this.day = new DayWindow(lotSize);
    const from = dayWindowStart(currentMinute);
    let first = this.bars.length;
    while (first > 0 && this.bars[first - 1]!.time >= from) first--;
    for (let i = first; i < this.bars.length; i++) this.day.push(this.bars[i]!);
  }

  /** Mid price of the model (float). */
  get price(): number {
    return this.process.price;
  }

  /** Last simulated trade price in ticks. */
  get lastTicks(): number {
    return this.lastTradeTicks;
  }

  /** Mark price in ticks: the middle of the synthetic touch (may be half a tick). */
  markTicks(): number {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    if (Number.isNaN(bid) || Number.isNaN(ask)) return Math.max(1, Math.round(this.book.mid));
    return (bid + ask) / 2;
  }

  /** Advances the model by `dtMs`, redraws the book around the new mid and rolls candles to `now`. */
  advance(now: number, dtMs: number): void {
    const before = this.process.price;
    const after = this.process.advance(dtMs);
    const expected = this.process.sigma * Math.sqrt(Math.max(dtMs, 1) / 1000);
    this.lastMoveZ = expected > 0 ? Math.log(after / before) / expected : 0;
    this.redraw();
    this.roll(now);
  }

  /** Scenario hook: puts the mid at `price` and redraws the book there. */
  setPrice(now: number, price: number): void {
    if (!(price > 0)) throw new RangeError(`Price must be positive, got ${price}`);
    this.process.setPrice(price);
    this.lastMoveZ = 0;
    this.redraw();
    this.roll(now);
  }

  /** Draws this step's simulated trades at the touch: several a second, more when volatile. */
  generateTrades(dtMs: number): SimTrade[] {
    const rng = this.tradeRng;
    const m = this.spec.market;
    const activity = Math.min(3, Math.max(0.5, this.process.activity));
    const count = Math.min(MAX_TRADES_PER_STEP, rng.poisson((m.tradesPerSecond * activity * dtMs) / 1000));
    const trades: SimTrade[] = [];
    if (count === 0) return trades;
    const buyProbability = 0.5 + 0.3 * Math.tanh(this.lastMoveZ);
    const medianLots = m.medianTradeQuantity / stepsToNumber(1, this.math.lot);
    for (let i = 0; i < count; i++) {
      const side: OrderSide = rng.next() < buyProbability ? 'buy' : 'sell';
      const touch = side === 'buy' ? this.book.bestAsk() : this.book.bestBid();
      const ticks = Number.isNaN(touch) ? Math.max(1, Math.round(this.book.mid)) : touch;
      const size = medianLots * Math.exp(TRADE_SIZE_SIGMA * rng.normal());
      const lots = Math.max(1, Math.min(Math.round(size), Math.round(medianLots * 50)));
      trades.push({ side, ticks, lots });
    }
    return trades;
  }

  /** Folds a trade into the live candle and makes it the last price. */
  recordTrade(trade: SimTrade, timestamp: number): void {
    this.roll(timestamp);
    this.lastTradeTicks = trade.ticks;
    this.current = foldTrade(this.current, {
      price: stepsToNumber(trade.ticks, this.math.tick),
      quantity: stepsToNumber(trade.lots, this.math.lot),
      timestamp,
    });
  }

  candles(timeframe: Timeframe, limit: number): Bar[] {
    return candlesFromOneMinute(this.oneMinute(), timeframe, limit).map((c) => ({ ...c }));
  }

  /** Closed 1m bars plus the live one, oldest first. */
  oneMinute(): Bar[] {
    return [...this.bars, this.current];
  }

  /**
   * The 24h ticker: open, high, low and volume over the live minute and the
   * closed minutes of the 24 hours before it. O(1): the closed minutes'
   * figures are kept up to date as bars close (see DayWindow), and only the
   * live candle is folded in here.
   */
  ticker(venue: string, now: number): Ticker {
    const { tick, lot } = this.math;
    const current = this.current;
    const day = this.day;
    const openBar = day.first ?? current;
    const dayHigh = day.high;
    const dayLow = day.low;
    const high = dayHigh > current.high ? dayHigh : current.high;
    const low = dayLow < current.low ? dayLow : current.low;
    const volumeLots = day.volumeLots + Math.round(current.volume / this.lotSize);
    const openTicks = Math.round(openBar.open / this.tickSize);
    const last = this.lastTradeTicks;
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    const mark = this.markTicks();
    return {
      venue,
      symbol: this.symbol,
      bid: formatSteps(Number.isNaN(bid) ? last : bid, tick),
      ask: formatSteps(Number.isNaN(ask) ? last : ask, tick),
      last: formatSteps(last, tick),
      mark: formatHalfSteps(mark, tick.decimals, tick.mantissa),
      open24h: formatSteps(openTicks, tick),
      high24h: formatSteps(Math.round(high / this.tickSize), tick),
      low24h: formatSteps(Math.round(low / this.tickSize), tick),
      change24h: formatSteps(last - openTicks, tick),
      changePercent24h: openTicks > 0 ? ((last - openTicks) / openTicks) * 100 : 0,
      volume24h: formatSteps(volumeLots, lot),
      timestamp: now,
    };
  }

  snapshot(now: number): PaperMarketRecord {
    return {
      symbol: this.symbol,
      price: this.process.price,
      lastTicks: this.lastTradeTicks,
      process: this.process.state(),
      updatedAt: now,
    };
  }

  private redraw(): void {
    this.book.regenerate(this.process.price / stepsToNumber(1, this.math.tick), this.bookRng);
  }

  /** Closes finished minutes (flat bars for minutes without trades) up to `now`. */
  private roll(now: number): void {
    const minute = bucketStart(now, ONE_MINUTE_MS);
    if (minute <= this.current.time) return;
    // After a long sleep, keep at most the bars we would retain anyway.
    const firstGap = Math.max(this.current.time + ONE_MINUTE_MS, minute - this.maxBars * ONE_MINUTE_MS);
    const from = dayWindowStart(minute);
    const close = this.current.close;
    this.closeBar(this.current, from);
    for (let t = firstGap; t < minute; t += ONE_MINUTE_MS) this.closeBar(flatCandle(t, close), from);
    this.current = flatCandle(minute, close);
    this.day.evictBefore(from);
    // The 24h window is far inside what is kept, so trimming old bars never touches it.
    if (this.bars.length > this.maxBars + 1440) this.bars.splice(0, this.bars.length - this.maxBars);
  }

  /** Appends a closed bar to the history, and to the 24h window unless it is already too old for it. */
  private closeBar(bar: Bar, dayFrom: number): void {
    this.bars.push(bar);
    if (bar.time >= dayFrom) this.day.push(bar);
  }
}

/** Start of the oldest closed bar in the 24h window of a live minute starting at `minute`: 24 hours of bars in all, the live one included. */
function dayWindowStart(minute: number): number {
  return minute - DAY_MS + ONE_MINUTE_MS;
}

/** Formats a price that may sit half a tick between two ticks (a mid). */
export function formatHalfSteps(ticks: number, decimals: number, mantissa: number): string {
  if (Number.isInteger(ticks)) return formatScaled(ticks * mantissa * 10, decimals + 1);
  return formatScaled(Math.round(ticks * 2) * mantissa * 5, decimals + 1);
}

function formatScaled(value: number, decimals: number): string {
  let digits = String(Math.abs(value));
  if (digits.length <= decimals) digits = '0'.repeat(decimals - digits.length + 1) + digits;
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return value < 0 ? `-${text}` : text;
}
