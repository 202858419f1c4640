/**
 * Pure candle arithmetic: folding trades into the current 1-minute candle and
 * aggregating 1-minute candles into any larger timeframe. Venues keep only
 * 1-minute history and serve every timeframe through `aggregateCandles`, so
 * a 1h bar always agrees with the sixty 1m bars it is made of.
 */
import { Dec } from '../../shared/decimal';
import type { Bar, Candle, Timeframe } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';

export type { Bar };

/** Decimals of a price or quantity step ("0.1" -> 1, "0.001" -> 3). */
function stepDecimals(step: string): number {
  const [, fraction = ''] = step.split('.');
  return fraction.replace(/0+$/, '').length;
}

function exact(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  // toFixed switches to exponent notation past 1e21; no price or volume gets there, but never emit an invalid decimal.
  return (text.includes('e') ? Dec.fromNumber(value) : Dec.parse(text)).toString();
}

/**
 * The contract's candle: prices on the instrument's tick and volume in whole
 * lots, as exact decimal strings. Bars hold sums of tick and lot multiples,
 * so rounding to those decimals removes float noise without moving a value.
 */
export function toContractCandle(bar: Bar, spec: { tickSize: string; lotSize: string }): Candle {
  const priceDecimals = stepDecimals(spec.tickSize);
  const volumeDecimals = stepDecimals(spec.lotSize);
  return {
    time: bar.time,
    open: exact(bar.open, priceDecimals),
    high: exact(bar.high, priceDecimals),
    low: exact(bar.low, priceDecimals),
    close: exact(bar.close, priceDecimals),
    volume: exact(bar.volume, volumeDecimals),
  };
}

export const ONE_MINUTE_MS = 60_000;

/** Start of the bucket that `time` falls in: floor(time / tfMs) * tfMs. */
export function bucketStart(time: number, tfMs: number): number {
  return Math.floor(time / tfMs) * tfMs;
}

export function timeframeMs(timeframe: Timeframe | number): number {
  const ms = typeof timeframe === 'number' ? timeframe : TIMEFRAME_MS[timeframe];
  if (!Number.isInteger(ms) || ms < ONE_MINUTE_MS || ms % ONE_MINUTE_MS !== 0) {
    throw new RangeError(`A timeframe must be a whole number of minutes, got ${ms} ms`);
  }
  return ms;
}

/**
 * Aggregates candles sorted by time (oldest first) into `timeframe` buckets:
 * open of the first, close of the last, highest high, lowest low, summed
 * volume. A bucket exists only where at least one input candle does.
 */
export function aggregateCandles(candles: readonly Bar[], timeframe: Timeframe | number): Bar[] {
  const tfMs = timeframeMs(timeframe);
  const out: Bar[] = [];
  let current: Bar | undefined;
  for (const c of candles) {
    const time = bucketStart(c.time, tfMs);
    if (current && time < current.time) {
      throw new RangeError(`Candles must be sorted by time (${c.time} after ${current.time})`);
    }
    if (!current || time !== current.time) {
      current = { time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
      out.push(current);
    } else {
      if (c.high > current.high) current.high = c.high;
      if (c.low < current.low) current.low = c.low;
      current.close = c.close;
      current.volume += c.volume;
    }
  }
  return out;
}

/**
 * The last `limit` candles of `timeframe` built from 1-minute candles. Only
 * the newest 1m candles the answer needs are aggregated, so serving a chart
 * from a long history stays cheap.
 */
export function candlesFromOneMinute(oneMinute: readonly Bar[], timeframe: Timeframe, limit: number): Bar[] {
  if (!Number.isInteger(limit) || limit < 1) return [];
  const perBucket = timeframeMs(timeframe) / ONE_MINUTE_MS;
  // One extra bucket of input so the oldest returned bucket is complete.
  const needed = (limit + 1) * perBucket;
  const slice = oneMinute.length > needed ? oneMinute.slice(oneMinute.length - needed) : oneMinute;
  const aggregated = aggregateCandles(slice, timeframe);
  return aggregated.length > limit ? aggregated.slice(aggregated.length - limit) : aggregated;
}

export interface CandleTrade {
  price: number;
  quantity: number;
  timestamp: number;
}

/**
 * Folds a trade into the current candle of `tfMs` (1 minute by default) and
 * returns the candle it belongs to: a new one when the trade opens a new
 * bucket, an updated copy otherwise. A trade older than the current candle's
 * bucket cannot change it (that bar is already closed), so the current candle
 * is returned unchanged.
 */
export function foldTrade(current: Bar | undefined, trade: CandleTrade, tfMs = ONE_MINUTE_MS): Bar {
  const time = bucketStart(trade.timestamp, tfMs);
  if (!current || time > current.time) {
    return { time, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.quantity };
  }
  if (time < current.time) return current;
  return {
    time,
    open: current.open,
    high: trade.price > current.high ? trade.price : current.high,
    low: trade.price < current.low ? trade.price : current.low,
    close: trade.price,
    volume: current.volume + trade.quantity,
  };
}

/** A candle with no trades: flat at the previous close, zero volume (keeps charts free of holes). */
export function flatCandle(time: number, close: number): Bar {
  return { time, open: close, high: close, low: close, close, volume: 0 };
}
