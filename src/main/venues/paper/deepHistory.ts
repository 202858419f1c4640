/**
 * The long past of a simulated instrument, before its first 1-minute bar:
 * hourly bars (the 1h, 4h and 1d charts, and strategies that want years of
 * daily bars, read them), generated backward from the first 1-minute bar so
 * that the last one closes exactly where the 1-minute history opens.
 *
 * Generating years of past with the live model (one step a second) would
 * take minutes; an hourly walk takes milliseconds, and it is only made when
 * a chart or a strategy asks for more than the 1-minute bars cover. It is a
 * function of the venue seed, the symbol and where the 1-minute history
 * begins (its anchor), nothing else: the same bars every time it is made.
 *
 * The walk: log-price with the instrument's annual volatility, volatility
 * clustering (GARCH on hourly returns) and a weak pull to the instrument's
 * anchor price (a half-life of months, so years of history wander as
 * markets do instead of hugging one level). A stationary pull is the same
 * forwards and backwards, so walking back from the anchor draws paths the
 * forward model could have made. Highs and lows are the extremes of a
 * Brownian bridge between the open and the close; volume follows the
 * instrument's normal minute volume and the hour's volatility.
 */
import { bucketStart, type Bar } from '../../core/candles';
import { Prng, hashSeed } from '../../core/prng';
import { stepsToNumber, type Step } from './fixedPoint';
import { expectedMinuteVolume } from './history';
import type { MarketParams } from './instruments';

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Days of hourly bars before the first 1-minute bar. */
export const DEFAULT_DEEP_HISTORY_DAYS = 2 * 365 + 5;

const HOURS_PER_YEAR = 365 * 24;
/** Half-life of the pull to the anchor price, in hours (about half a year). */
const ANCHOR_HALF_LIFE_HOURS = 180 * 24;
const GARCH_ALPHA = 0.06;
const GARCH_BETA = 0.92;
const GARCH_MAX = 25;

/** Where the 1-minute history begins: the deep history ends here, at this price. */
export interface DeepAnchor {
  time: number;
  open: number;
}

export interface DeepHistoryRequest {
  seed: number;
  symbol: string;
  market: MarketParams;
  tick: Step;
  lot: Step;
  anchor: DeepAnchor;
  days?: number;
}

/**
 * Hourly bars from a UTC day start `days` days before the anchor up to the
 * anchor, oldest first. When the anchor is not on the hour, the last bar
 * starts on the hour before it and ends at it (a part hour), so every bar
 * lies inside one bucket of any timeframe of an hour or more.
 */
export function generateDeepHistory(request: DeepHistoryRequest): Bar[] {
  const { market, anchor } = request;
  const days = request.days ?? DEFAULT_DEEP_HISTORY_DAYS;
  const start = bucketStart(anchor.time, DAY_MS) - days * DAY_MS;
  const lastHour = bucketStart(anchor.time, HOUR_MS);
  if (!(anchor.open > 0) || lastHour < start) return [];
  const rng = new Prng(hashSeed(request.seed, request.symbol, 'deep-history', anchor.time));
  const sigmaHour = market.annualVolatility / Math.sqrt(HOURS_PER_YEAR);
  const kappa = Math.LN2 / ANCHOR_HALF_LIFE_HOURS;
  const anchorLog = Math.log(market.anchorPrice);
  const hourVolume = expectedMinuteVolume(market) * 60;
  const tickSize = stepsToNumber(1, request.tick);
  const lotSize = stepsToNumber(1, request.lot);
  const toTick = (price: number): number => stepsToNumber(Math.max(1, Math.round(price / tickSize)), request.tick);

  const partial = anchor.time > lastHour;
  const count = (lastHour - start) / HOUR_MS + (partial ? 1 : 0);
  const bars = new Array<Bar>(count);
  let closeLog = Math.log(anchor.open);
  let garch = 1;
  // Backward: each bar's close is the next bar's open; its open is drawn one step further back.
  for (let i = count - 1; i >= 0; i--) {
    const time = start + i * HOUR_MS;
    const fraction = partial && i === count - 1 ? (anchor.time - lastHour) / HOUR_MS : 1;
    const sigma = sigmaHour * Math.sqrt(garch * fraction);
    const z = rng.normal();
    const openLog = closeLog + kappa * fraction * (anchorLog - closeLog) + sigma * z;
    const move = closeLog - openLog;
    // Extremes of a Brownian bridge from 0 to `move` with variance sigma²: (x ± √(x² − 2σ² ln U)) / 2.
    const up = (move + Math.sqrt(move * move - 2 * sigma * sigma * Math.log(1 - rng.next()))) / 2;
    const down = (move - Math.sqrt(move * move - 2 * sigma * sigma * Math.log(1 - rng.next()))) / 2;
    const open = toTick(Math.exp(openLog));
    const close = toTick(Math.exp(closeLog));
    const high = Math.max(open, close, toTick(Math.exp(openLog + up)));
    const low = Math.min(open, close, toTick(Math.exp(openLog + down)));
    const volume = hourVolume * fraction * (0.4 + 0.6 * garch) * Math.exp(0.35 * rng.normal() - 0.06);
    bars[i] = { time, open, high, low, close, volume: stepsToNumber(Math.max(0, Math.round(volume / lotSize)), request.lot) };
    garch = Math.min(GARCH_MAX, 1 - GARCH_ALPHA - GARCH_BETA + GARCH_ALPHA * z * z + GARCH_BETA * garch);
    closeLog = openLog;
  }
  // The newest bar closes exactly where the 1-minute history opens.
  const last = bars[count - 1];
  if (last) {
    last.close = anchor.open;
    last.high = Math.max(last.high, anchor.open);
    last.low = Math.min(last.low, anchor.open);
  }
  return bars;
}
