/**
 * The simulated market of one instrument: its price model, its synthetic
 * order book, the flow of simulated trades, 1-minute candles (generated
 * history, then live bars folded from trades) and the 24h ticker. It knows
 * nothing about user orders; `SyntheticMarketSource` feeds its trades to the
 * exchange core. Every random draw comes from streams derived from the venue seed,
 * the symbol and the start time, so a run replays exactly.
 *
 * Its 1-minute bars are part of the record: closed bars are queued as they
 * close and written with the market state (`persist`), and a restarted
 * market reads them back, closes the bar that was live as far as it had
 * formed, and generates the minutes the host was down from the model state
 * it stopped in. So every bar a trader saw reads the same after a restart.
 *
 * Charts of an hour or more reach further back: 1-minute bars that age out
 * of the retention are rolled up into hourly bars and kept, and before the
 * market's first 1-minute bar lies a generated long past (`deepHistory`,
 * two years of hourly bars by default), made only when a chart asks for it.
 * Every timeframe of an hour or more is aggregated from that one series, so
 * a daily bar always agrees with its hours.
 *
 * A perpetual's market also has an index and a funding rate (`FundingBasis`):
 * the ticker shows them, and the market source settles funding when an
 * interval ends.
 */
import type { OrderSide, Ticker, Timeframe } from '../../../shared/domain';
import {
  type Bar,
  ONE_MINUTE_MS,
  aggregateCandles,
  bucketStart,
  candlesFromOneMinute,
  flatCandle,
  foldTrade,
  timeframeMs,
} from '../../core/candles';
import { formatSteps, stepsToNumber } from './fixedPoint';
import { DayWindow } from './dayWindow';
import { DEFAULT_DEEP_HISTORY_DAYS, HOUR_MS, generateDeepHistory, type DeepAnchor } from './deepHistory';
import { FundingBasis } from './fundingBasis';
import { DEFAULT_RETENTION_MINUTES, generateGap, generateHistory } from './history';
import type { InstrumentMath, PaperInstrumentSpec } from './instruments';
import type { MarketSink, TradePrint } from './marketSource';
import { PriceProcess, processParams, type ProcessParams, type ProcessState } from './priceProcess';
import { Prng, hashSeed } from '../../core/prng';
import { hourSeriesKey, type PaperBarRecord, type PaperMarketRecord, type PaperVenueStore } from './store';
import { SyntheticBook, levelOffsets } from './syntheticBook';

/** A simulated trade: the aggressor's side, price in ticks, size in lots. */
export type SimTrade = TradePrint;

export interface SymbolMarketOptions {
  spec: PaperInstrumentSpec;
  math: InstrumentMath;
  seed: number;
  /** Start time of this run (epoch ms): seeds the live streams and ends the history. */
  now: number;
  /**
   * 1-minute bars generated when the market has no stored history; also the
   * most minutes of a gap (the host down) that are generated on restart.
   */
  historyMinutes: number;
  /** Closed 1-minute bars are kept this long (minutes, from a UTC day start), in memory and in the store. Default 30 days. */
  retentionMinutes?: number;
  /** Where the previous run left this market, to continue from. */
  persisted?: PaperMarketRecord;
  /** Where the closed bars of earlier runs are, read once here when there was an earlier run. */
  store?: Pick<PaperVenueStore, 'loadBars'>;
  /** Days of generated hourly past before the first 1-minute bar (see `deepHistory`); 0: none. Default about two years. */
  deepHistoryDays?: number;
}


const DAY_MS = 86_400_000;
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
  /** Closed 1m bars, oldest first. */
  private readonly bars: Bar[];
  /** Closed bars not written to the store yet, oldest first. */
  private unsaved: Bar[];
  /** The store drops bars older than this at the next `persist`. */
  private pruneBefore: number | null;
  private readonly retentionMs: number;
  /** Closed bars of the 24 hours before the live one, for the ticker. */
  private readonly day: DayWindow;
  private readonly tickSize: number;
  private readonly lotSize: number;
  private current: Bar;
  /** Volume of the live bar in whole lots (the bar carries it as an exact multiple of the lot). */
  private liveLots: number;
  private lastTradeTicks: number;
  /** Standardised move of the last step: order flow leans the way price went. */
  private lastMoveZ = 0;
  /** Index and funding rate; null for a spot instrument. */
  private readonly funding: FundingBasis | null;
  private readonly seed: number;
  private readonly deepDays: number;
  /** Where the first 1-minute bar opened; the generated past ends there. Null until there is a bar. */
  private deepAnchor: DeepAnchor | null;
  /** The generated past, made on first need. */
  private deep: Bar[] | null = null;
  /** Hourly roll-ups of the 1-minute bars that aged out of the retention, oldest first. */
  private readonly rolled: Bar[];
  /** Roll-ups not written to the store yet. */
  private unsavedRolled: Bar[] = [];
  /** `pastCandles` by timeframe, with the roll-ups they were made from. */
  private readonly pastByTimeframe = new Map<number, { rolled: number; last: Bar | undefined; bars: Bar[] }>();

  constructor(options: SymbolMarketOptions) {
    const { spec, math, seed, now } = options;
    this.spec = spec;
    this.math = math;
    this.symbol = spec.instrument.symbol;
    const params = processParams(spec.market.anchorPrice, spec.market.annualVolatility);
    const currentMinute = bucketStart(now, ONE_MINUTE_MS);
    const tickSize = stepsToNumber(1, math.tick);
    const lotSize = stepsToNumber(1, math.lot);
    this.tickSize = tickSize;
    this.lotSize = lotSize;
    this.retentionMs = Math.max(options.retentionMinutes ?? DEFAULT_RETENTION_MINUTES, options.historyMinutes) * ONE_MINUTE_MS;
    const keepFrom = this.keepFrom(currentMinute);
    const start = this.startingHistory(options, params, currentMinute, keepFrom);
    this.bars = start.bars;
    this.seed = seed;
    this.deepDays = options.deepHistoryDays ?? DEFAULT_DEEP_HISTORY_DAYS;
    this.rolled = persisted(options) ? options.store!.loadBars(hourSeriesKey(this.symbol), 0).map((r) => this.fromRecord(r)) : [];
    // 1-minute bars the store still holds from before the retention (the host was down a while) are rolled up, not lost.
    // Only a start on a later day than the last save can find such bars: the last run pruned what it no longer kept.
    const savedAt = options.persisted?.live?.time ?? options.persisted?.updatedAt;
    const prunedBefore = savedAt === undefined ? keepFrom : this.keepFrom(bucketStart(savedAt, ONE_MINUTE_MS));
    if (persisted(options) && prunedBefore < keepFrom) {
      const rolledUntil = this.rolled.length > 0 ? this.rolled[this.rolled.length - 1]!.time + HOUR_MS : 0;
      const aged = options.store!.loadBars(this.symbol, Math.max(rolledUntil, prunedBefore)).filter((r) => r.time < keepFrom);
      this.rollUp(aged.map((r) => this.fromRecord(r)));
    }
    const saved = options.persisted?.deepAnchor;
    const oldest = this.rolled[0] ?? this.bars[0];
    this.deepAnchor = saved ? { time: saved.time, open: stepsToNumber(saved.openTicks, math.tick) } : oldest ? { time: oldest.time, open: oldest.open } : null;
    // Everything but what was read back from the store is new to it.
    this.unsaved = start.bars.slice(start.stored);
    this.pruneBefore = keepFrom;
    this.process = new PriceProcess(params, start.state, new Prng(hashSeed(seed, this.symbol, 'process', now)));
    this.bookRng = new Prng(hashSeed(seed, this.symbol, 'book', now));
    this.tradeRng = new Prng(hashSeed(seed, this.symbol, 'trades', now));

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
    this.lastTradeTicks = start.lastTicks ?? Math.max(1, Math.round(midTicks));
    const lastClose = this.bars.length > 0 ? this.bars[this.bars.length - 1]!.close : stepsToNumber(this.lastTradeTicks, math.tick);
    this.current = start.live ? this.fromRecord(start.live) : flatCandle(currentMinute, lastClose);
    this.liveLots = start.live?.volume ?? 0;
    this.day = new DayWindow(lotSize);
    this.funding =
      spec.instrument.kind === 'linear_perpetual' ? new FundingBasis(options.persisted?.funding ?? FundingBasis.fresh(this.process.price, now)) : null;
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
    this.funding?.advance(after, dtMs);
    this.redraw();
    this.roll(now);
  }

  /** True when a perpetual's funding interval has ended by `now`. */
  fundingDue(now: number): boolean {
    return this.funding?.due(now) ?? false;
  }

  /** Settles the funding interval that ended (see `FundingBasis.settle`); only when `fundingDue`. */
  settleFunding(now: number): { rate: string; fundingTime: number } {
    if (!this.funding) throw new Error(`${this.symbol} is not a perpetual: it has no funding`);
    return this.funding.settle(now);
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
    const before = this.current;
    const after = foldTrade(before, { price: stepsToNumber(trade.ticks, this.math.tick), quantity: 0, timestamp });
    if (after === before) return;
    // Volume is counted in lots, so the bar holds the exact multiple of the lot a stored bar reads back as.
    this.liveLots += trade.lots;
    after.volume = stepsToNumber(this.liveLots, this.math.lot);
    this.current = after;
  }

  candles(timeframe: Timeframe, limit: number): Bar[] {
    const tfMs = timeframeMs(timeframe);
    // Only the newest bars the answer can need (see candlesFromOneMinute), without copying the whole history.
    const needed = (limit + 1) * (tfMs / ONE_MINUTE_MS);
    const recent = this.bars.slice(Math.max(0, this.bars.length - needed));
    recent.push(this.current);
    if (recent.length > needed || tfMs % HOUR_MS !== 0) return candlesFromOneMinute(recent, timeframe, limit).map((c) => ({ ...c }));
    // Longer than the 1-minute bars reach: the hours before them come first (hourly bars lie inside any bucket of an hour or more).
    const past = this.pastCandles(tfMs);
    const fromMinutes = aggregateCandles(recent, timeframe);
    const older = past.slice(Math.max(0, past.length - limit - 1)).map((c) => ({ ...c }));
    const joint = older[older.length - 1];
    const first = fromMinutes[0];
    // The bucket the 1-minute bars start in may have begun in the past: one candle of both.
    if (joint && first && joint.time === first.time) {
      joint.high = Math.max(joint.high, first.high);
      joint.low = Math.min(joint.low, first.low);
      joint.close = first.close;
      joint.volume += first.volume;
      fromMinutes.shift();
    }
    const all = older.concat(fromMinutes);
    return all.slice(Math.max(0, all.length - limit));
  }

  /**
   * The candles of `tfMs` made of the hourly bars before the first 1-minute
   * bar (the generated past, then the roll-ups); kept until a roll-up adds
   * to them, so long charts are cheap to serve again.
   */
  private pastCandles(tfMs: number): Bar[] {
    const cached = this.pastByTimeframe.get(tfMs);
    if (cached && cached.rolled === this.rolled.length && cached.last === this.rolled[this.rolled.length - 1]) return cached.bars;
    if (this.deep === null) {
      this.deep =
        this.deepAnchor && this.deepDays > 0
          ? generateDeepHistory({ seed: this.seed, symbol: this.symbol, market: this.spec.market, tick: this.math.tick, lot: this.math.lot, anchor: this.deepAnchor, days: this.deepDays })
          : [];
    }
    const bars = aggregateCandles(this.rolled.length === 0 ? this.deep : this.deep.concat(this.rolled), tfMs);
    this.pastByTimeframe.set(tfMs, { rolled: this.rolled.length, last: this.rolled[this.rolled.length - 1], bars });
    return bars;
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
      ...(this.funding
        ? {
            indexPrice: formatSteps(Math.max(1, Math.round(this.funding.index / this.tickSize)), tick),
            fundingRate: this.funding.rate(),
            nextFundingTime: this.funding.nextFundingTime,
          }
        : {}),
    };
  }

  snapshot(now: number): PaperMarketRecord {
    return {
      symbol: this.symbol,
      price: this.process.price,
      lastTicks: this.lastTradeTicks,
      process: this.process.state(),
      live: this.toRecord(this.current),
      ...(this.deepAnchor ? { deepAnchor: { time: this.deepAnchor.time, openTicks: Math.max(1, Math.round(this.deepAnchor.open / this.tickSize)) } } : {}),
      ...(this.funding ? { funding: this.funding.state() } : {}),
      updatedAt: now,
    };
  }

  /** Bars closed since the last `persist`, oldest first. */
  get unsavedBars(): number {
    return this.unsaved.length;
  }

  /**
   * Writes the bars closed since the last call, drops what aged out of the
   * retention, and saves the market state with its live bar. The caller runs
   * it inside one store transaction, so the stored bars and the stored live
   * bar always follow each other without a hole or an overlap.
   */
  persist(sink: MarketSink, now: number): void {
    if (this.unsaved.length > 0) {
      sink.saveBars(this.symbol, this.unsaved.map((bar) => this.toRecord(bar)));
      this.unsaved = [];
    }
    if (this.unsavedRolled.length > 0) {
      sink.saveBars(hourSeriesKey(this.symbol), this.unsavedRolled.map((bar) => this.toRecord(bar)));
      this.unsavedRolled = [];
    }
    if (this.pruneBefore !== null) {
      sink.pruneBars(this.symbol, this.pruneBefore);
      this.pruneBefore = null;
    }
    sink.saveMarket(this.snapshot(now));
  }

  private redraw(): void {
    this.book.regenerate(this.process.price / stepsToNumber(1, this.math.tick), this.bookRng);
  }

  /**
   * The closed bars this run starts with, and where the model and the live
   * bar stand: the stored bars, then the bar that was live at the stop
   * (still live if this is the same minute, else closed as far as it had
   * formed), then the minutes the host was down, generated from the model
   * state it stopped in. A market with no stored bars gets days of past,
   * ending at its persisted price if it has one.
   */
  private startingHistory(
    options: SymbolMarketOptions,
    params: ProcessParams,
    currentMinute: number,
    keepFrom: number,
  ): { bars: Bar[]; stored: number; live: PaperBarRecord | undefined; state: ProcessState; lastTicks: number | undefined } {
    const { persisted, historyMinutes } = options;
    const model = { symbol: this.symbol, seed: options.seed, params, market: this.spec.market, tick: this.math.tick, lot: this.math.lot };
    const bars = persisted && options.store ? options.store.loadBars(this.symbol, keepFrom).map((r) => this.fromRecord(r)) : [];
    const stored = bars.length;
    const wasLive = persisted?.live && persisted.live.time >= keepFrom ? persisted.live : undefined;
    if (persisted && wasLive && wasLive.time >= currentMinute) {
      return { bars, stored, live: wasLive, state: persisted.process, lastTicks: persisted.lastTicks };
    }
    if (wasLive && (bars.length === 0 || wasLive.time > bars[bars.length - 1]!.time)) bars.push(this.fromRecord(wasLive));
    if (!persisted || bars.length === 0) {
      const history = generateHistory({ ...model, endTime: currentMinute, minutes: historyMinutes, ...(persisted ? { endPrice: persisted.price } : {}) });
      append(bars, history.bars);
      return { bars, stored, live: undefined, state: persisted?.process ?? history.state, lastTicks: persisted?.lastTicks };
    }
    const last = bars[bars.length - 1]!;
    // A gap longer than a first start's history leaves a hole rather than making the start slow.
    const from = Math.max(last.time + ONE_MINUTE_MS, currentMinute - historyMinutes * ONE_MINUTE_MS);
    if (from >= currentMinute) return { bars, stored, live: undefined, state: persisted.process, lastTicks: persisted.lastTicks };
    const gap = generateGap({ ...model, state: persisted.process, from, minutes: (currentMinute - from) / ONE_MINUTE_MS, open: last.close });
    append(bars, gap.bars);
    return { bars, stored, live: undefined, state: gap.state, lastTicks: Math.round(bars[bars.length - 1]!.close / this.tickSize) };
  }

  /** Closes finished minutes (flat bars for minutes without trades) up to `now`. */
  private roll(now: number): void {
    const minute = bucketStart(now, ONE_MINUTE_MS);
    if (minute <= this.current.time) return;
    const keepFrom = this.keepFrom(minute);
    // After a long sleep, only the minutes we would retain anyway.
    const firstGap = Math.max(this.current.time + ONE_MINUTE_MS, keepFrom);
    const from = dayWindowStart(minute);
    const close = this.current.close;
    this.closeBar(this.current, from);
    for (let t = firstGap; t < minute; t += ONE_MINUTE_MS) this.closeBar(flatCandle(t, close), from);
    this.current = flatCandle(minute, close);
    this.liveLots = 0;
    this.day.evictBefore(from);
    // Whole days leave at once, so memory and the store (pruned at the next save) keep the same bars; the 24h window is far inside them.
    if (this.bars.length > 0 && this.bars[0]!.time < keepFrom) {
      let drop = 0;
      while (drop < this.bars.length && this.bars[drop]!.time < keepFrom) drop++;
      this.rollUp(this.bars.splice(0, drop));
      this.pruneBefore = keepFrom;
    }
  }

  /** Keeps 1-minute bars that leave the retention as hourly bars (an hour split by an earlier roll-up merges with it). */
  private rollUp(minutes: readonly Bar[]): void {
    if (minutes.length === 0) return;
    // Set in the constructor once the roll-ups are read; a market that had no bar then takes its first one.
    this.deepAnchor ??= { time: minutes[0]!.time, open: minutes[0]!.open };
    for (const hour of aggregateCandles(minutes, HOUR_MS)) {
      const last = this.rolled[this.rolled.length - 1];
      if (last && last.time === hour.time) {
        const merged = { time: last.time, open: last.open, high: Math.max(last.high, hour.high), low: Math.min(last.low, hour.low), close: hour.close, volume: last.volume + hour.volume };
        this.rolled[this.rolled.length - 1] = merged;
        this.unsavedRolled = this.unsavedRolled.filter((b) => b.time !== merged.time);
        this.unsavedRolled.push(merged);
      } else {
        this.rolled.push(hour);
        this.unsavedRolled.push(hour);
      }
    }
  }

  /** Appends a closed bar to the history and the write queue, and to the 24h window unless it is already too old for it. */
  private closeBar(bar: Bar, dayFrom: number): void {
    this.bars.push(bar);
    this.unsaved.push(bar);
    if (bar.time >= dayFrom) this.day.push(bar);
  }

  /** Oldest bar kept while `minute` is live: the retention, back to a UTC day start so the oldest 1d candle is whole. */
  private keepFrom(minute: number): number {
    return bucketStart(minute - this.retentionMs, DAY_MS);
  }

  private toRecord(bar: Bar): PaperBarRecord {
    const tick = this.tickSize;
    return {
      time: bar.time,
      open: Math.round(bar.open / tick),
      high: Math.round(bar.high / tick),
      low: Math.round(bar.low / tick),
      close: Math.round(bar.close / tick),
      volume: Math.round(bar.volume / this.lotSize),
    };
  }

  private fromRecord(record: PaperBarRecord): Bar {
    const { tick, lot } = this.math;
    return {
      time: record.time,
      open: stepsToNumber(record.open, tick),
      high: stepsToNumber(record.high, tick),
      low: stepsToNumber(record.low, tick),
      close: stepsToNumber(record.close, tick),
      volume: stepsToNumber(record.volume, lot),
    };
  }
}

/** True when this market continues an earlier run whose bars are in the store. */
function persisted(options: SymbolMarketOptions): boolean {
  return options.persisted !== undefined && options.store !== undefined;
}

/** Appends in place (spreading days of bars into `push` would overflow the call stack's argument limit). */
function append(to: Bar[], bars: readonly Bar[]): void {
  for (const bar of bars) to.push(bar);
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
