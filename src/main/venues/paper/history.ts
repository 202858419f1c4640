/**
 * Deterministic 1-minute bars for a simulated instrument, from the same price
 * model the live market runs, one second at a time; bars are rounded to the
 * tick and volumes to whole lots, so a bar read back from the store (in ticks
 * and lots) is the very same number.
 *
 * Two uses: the days of believable past a market gets the first time it is
 * listed (`generateHistory`), and the minutes the host was down, continued
 * from the model state the previous run stopped in (`generateGap`). A gap
 * depends only on that state, the seed and the minute it starts at, so the
 * bars of a gap are the same whenever the host comes back.
 */
import type { Bar } from '../../core/candles';
import { ONE_MINUTE_MS } from '../../core/candles';
import { stepsToNumber, type Step } from './fixedPoint';
import type { MarketParams } from './instruments';
import { PriceProcess, initialProcessState, type ProcessParams, type ProcessState } from './priceProcess';
import { Prng, hashSeed } from '../../core/prng';

/** 1-minute bars generated for an instrument the first time it is listed. */
export const DEFAULT_HISTORY_MINUTES = 7 * 1440;
/** 1-minute bars kept, in memory and in the store; older ones are dropped. */
export const DEFAULT_RETENTION_MINUTES = 30 * 1440;

interface Model {
  symbol: string;
  seed: number;
  params: ProcessParams;
  market: MarketParams;
  tick: Step;
  lot: Step;
}

export interface HistoryRequest extends Model {
  /** Start of the current (live) minute: the last generated bar ends here. */
  endTime: number;
  minutes: number;
  /** Price the history must end at (a persisted mid); otherwise it ends wherever the seed takes it. */
  endPrice?: number;
}

export interface GapRequest extends Model {
  /** Model state the previous run stopped in. */
  state: ProcessState;
  /** Start of the first missing minute. */
  from: number;
  minutes: number;
  /** Close of the bar before the gap: the first bar opens there. */
  open: number;
}

export interface History {
  bars: Bar[];
  /** Model state after the last bar, for the live market to continue from. */
  state: ProcessState;
}

const TRADE_SIZE_SIGMA = 0.9;

/** Expected traded quantity per minute at normal activity (mean of the log-normal trade size). */
export function expectedMinuteVolume(market: MarketParams): number {
  return 60 * market.tradesPerSecond * market.medianTradeQuantity * Math.exp((TRADE_SIZE_SIGMA * TRADE_SIZE_SIGMA) / 2);
}

export function generateHistory(request: HistoryRequest): History {
  const rng = new Prng(hashSeed(request.seed, request.symbol, 'history', request.endTime));
  const startPrice = request.market.anchorPrice * Math.exp((rng.next() * 2 - 1) * 0.1);
  const process = new PriceProcess(request.params, initialProcessState(startPrice), rng);
  const raw = simulateMinutes(process, rng, request, request.endTime - request.minutes * ONE_MINUTE_MS, request.minutes, startPrice);
  const lastClose = raw.length > 0 ? raw[raw.length - 1]!.close : startPrice;
  const factor = request.endPrice !== undefined && raw.length > 0 ? request.endPrice / lastClose : 1;
  if (factor !== 1) process.rescale(factor);
  const state = process.state();
  if (request.endPrice !== undefined) state.logPrice = Math.log(request.endPrice);
  return { bars: onSteps(raw, factor, request), state };
}

export function generateGap(request: GapRequest): History {
  const rng = new Prng(hashSeed(request.seed, request.symbol, 'gap', request.from));
  const process = new PriceProcess(request.params, request.state, rng);
  const raw = simulateMinutes(process, rng, request, request.from, request.minutes, request.open);
  return { bars: onSteps(raw, 1, request), state: process.state() };
}

/** Runs the model `minutes` minutes from `firstTime`, one second at a time; the first bar opens at `open`. */
function simulateMinutes(process: PriceProcess, rng: Prng, model: Model, firstTime: number, minutes: number, open: number): Bar[] {
  const minuteVolume = expectedMinuteVolume(model.market);
  const raw: Bar[] = new Array<Bar>(Math.max(0, minutes));
  const minute = new Float64Array(3);
  let price = open;
  for (let m = 0; m < minutes; m++) {
    const barOpen = price;
    process.advanceMinute(minute);
    price = process.price;
    // exp is monotonic: the extremes of the prices are the prices of the extreme log-prices.
    const high = Math.max(barOpen, Math.exp(minute[0]!));
    const low = Math.min(barOpen, Math.exp(minute[1]!));
    // Busy minutes trade more: volume follows volatility, with noise of its own.
    const volume = minuteVolume * (0.4 + 0.6 * minute[2]!) * Math.exp(0.35 * rng.normal() - 0.06);
    raw[m] = { time: firstTime + m * ONE_MINUTE_MS, open: barOpen, high, low, close: price, volume };
  }
  return raw;
}

/** Scales freshly simulated bars by `factor` and puts them on the tick and whole lots, in place (they are nobody else's yet). */
function onSteps(raw: Bar[], factor: number, model: Model): Bar[] {
  const { tick, lot } = model;
  const tickSize = tick.mantissa / tick.pow10;
  const lotSize = lot.mantissa / lot.pow10;
  const toTick = (x: number): number => stepsToNumber(Math.max(1, Math.round((x * factor) / tickSize)), tick);
  for (const bar of raw) {
    bar.open = toTick(bar.open);
    bar.high = toTick(bar.high);
    bar.low = toTick(bar.low);
    bar.close = toTick(bar.close);
    bar.volume = stepsToNumber(Math.round(bar.volume / lotSize), lot);
  }
  return raw;
}
