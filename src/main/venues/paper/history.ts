/**
 * Deterministic 1-minute history for a simulated instrument, generated at
 * start-up from the venue seed so charts have days of believable past the
 * moment the app opens. The same price model as the live market runs one
 * second at a time; bars are rounded to the tick. When the venue restarts
 * with a persisted price, the whole path is rescaled to end exactly there,
 * so a position's entry price stays meaningful against the chart.
 */
import type { Bar } from '../../core/candles';
import { ONE_MINUTE_MS } from '../../core/candles';
import { stepsToNumber, type Step } from './fixedPoint';
import type { MarketParams } from './instruments';
import { PriceProcess, initialProcessState, type ProcessParams, type ProcessState } from './priceProcess';
import { Prng, hashSeed } from './prng';

export interface HistoryRequest {
  symbol: string;
  seed: number;
  params: ProcessParams;
  market: MarketParams;
  tick: Step;
  lot: Step;
  /** Start of the current (live) minute: the last generated bar ends here. */
  endTime: number;
  minutes: number;
  /** Price the history must end at (a persisted mid); otherwise it ends wherever the seed takes it. */
  endPrice?: number;
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
  const { market, tick, lot, minutes } = request;
  const rng = new Prng(hashSeed(request.seed, request.symbol, 'history', request.endTime));
  const startPrice = market.anchorPrice * Math.exp((rng.next() * 2 - 1) * 0.1);
  const process = new PriceProcess(request.params, initialProcessState(startPrice), rng);
  const minuteVolume = expectedMinuteVolume(market);
  const raw: Bar[] = [];
  let price = startPrice;
  const firstTime = request.endTime - minutes * ONE_MINUTE_MS;
  for (let m = 0; m < minutes; m++) {
    const open = price;
    let high = open;
    let low = open;
    let activity = 0;
    for (let s = 0; s < 60; s++) {
      price = process.advance(1000);
      if (price > high) high = price;
      if (price < low) low = price;
      activity += process.activity;
    }
    activity /= 60;
    // Busy minutes trade more: volume follows volatility, with noise of its own.
    const volume = minuteVolume * (0.4 + 0.6 * activity) * Math.exp(0.35 * rng.normal() - 0.06);
    raw.push({ time: firstTime + m * ONE_MINUTE_MS, open, high, low, close: price, volume });
  }

  const factor = request.endPrice !== undefined && raw.length > 0 ? request.endPrice / price : 1;
  if (factor !== 1) process.rescale(factor);
  const tickSize = tick.mantissa / tick.pow10;
  const lotSize = lot.mantissa / lot.pow10;
  const toTick = (x: number): number => stepsToNumber(Math.max(1, Math.round((x * factor) / tickSize)), tick);
  const bars = raw.map((c) => ({
    time: c.time,
    open: toTick(c.open),
    high: toTick(c.high),
    low: toTick(c.low),
    close: toTick(c.close),
    volume: stepsToNumber(Math.round(c.volume / lotSize), lot),
  }));
  const state = process.state();
  if (request.endPrice !== undefined) state.logPrice = Math.log(request.endPrice);
  return { bars, state };
}
