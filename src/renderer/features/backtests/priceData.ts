/**
 * The prices a run traded on, shaped for the result's price chart: the date
 * range the run played, a venue's candles as numbers within it, bars on the
 * chart's one-second grid, and a marker for each entry and exit placed on
 * the bar (or folded bucket of bars) that holds it. A trade outside the bars
 * (older than a venue's kept history) is counted, not drawn on a wrong bar.
 */
import type { BacktestData, BacktestSettings, BacktestTrade, DatasetBar } from '../../../shared/contract';
import type { Candle } from '../../../shared/domain';
import { toSeconds, type TradeMarker } from './equityData';

/** A bar in chart time (seconds since the epoch). */
export interface PriceBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface PriceMarker extends TradeMarker {
  /** The fill price: exits are drawn at it. */
  price: number;
}

export interface PriceMarkers {
  markers: PriceMarker[];
  /** Trades whose entry or exit falls outside the bars, so are not (fully) drawn. */
  unplaced: number;
  /** Trades left out because there were more than the chart draws. */
  omitted: number;
}

/** The most trades marked on the price chart (the most recent); more make it unreadable and slow. */
export const PRICE_MARKER_TRADES = 1_000;

/** The range the run played: the data's own bounds (a venue run) within the settings' (either may be open). */
export function runRange(data: BacktestData, settings: Pick<BacktestSettings, 'from' | 'to'>): { from?: number; to?: number } {
  const froms = [settings.from, 'dataset' in data ? undefined : data.from].filter((t): t is number => t !== undefined);
  const tos = [settings.to, 'dataset' in data ? undefined : data.to].filter((t): t is number => t !== undefined);
  return {
    ...(froms.length > 0 ? { from: Math.max(...froms) } : {}),
    ...(tos.length > 0 ? { to: Math.min(...tos) } : {}),
  };
}

/** A venue's candles as numbers, ascending, within [from, to); a candle that does not parse is skipped. */
export function candleBars(candles: readonly Candle[], range: { from?: number; to?: number }): DatasetBar[] {
  const out: DatasetBar[] = [];
  for (const c of candles) {
    if ((range.from !== undefined && c.time < range.from) || (range.to !== undefined && c.time >= range.to)) continue;
    const bar = { time: c.time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) };
    if ([bar.open, bar.high, bar.low, bar.close].every(Number.isFinite)) out.push({ ...bar, volume: Number.isFinite(bar.volume) ? bar.volume : 0 });
  }
  return out.sort((a, b) => a.time - b.time);
}

/**
 * Bars (ascending, times in ms) on the chart's grid of whole seconds. Bars
 * that share a second (sub-second data) are folded into one, since the chart
 * takes one bar a time.
 */
export function chartBars(bars: readonly DatasetBar[]): PriceBar[] {
  const out: PriceBar[] = [];
  for (const b of bars) {
    const time = toSeconds(b.time);
    const last = out[out.length - 1];
    if (last && last.time === time) {
      last.high = Math.max(last.high, b.high);
      last.low = Math.min(last.low, b.low);
      last.close = b.close;
      last.volume += b.volume;
    } else {
      out.push({ time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
    }
  }
  return out;
}

/**
 * The time of the bar whose bucket holds `t`: the last of `times` (ascending,
 * ms) at or before it. Null before the first bar, and at or after `end`
 * (default: the last bar's time plus one bucket), where no bar holds it.
 */
export function snapToBucket(times: readonly number[], t: number, bucketMs: number, end?: number): number | null {
  if (times.length === 0 || t < times[0]!) return null;
  const last = times[times.length - 1]!;
  if (t >= (end ?? last + bucketMs)) return null;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return times[lo]!;
}

/**
 * An entry marker and an exit marker for each trade (the most recent
 * `limit`), on the bars of `times` (ascending, ms), in chart time and in
 * time order; at one time, exits before entries (a reversal closes first).
 */
export function priceMarkers(
  trades: readonly BacktestTrade[],
  times: readonly number[],
  bucketMs: number,
  options: { end?: number; limit?: number } = {},
): PriceMarkers {
  const limit = options.limit ?? PRICE_MARKER_TRADES;
  const recent = trades.length > limit ? trades.slice(trades.length - limit) : trades;
  const markers: PriceMarker[] = [];
  let unplaced = 0;
  for (const t of recent) {
    const side = t.size >= 0 ? 'long' : 'short';
    const entry = snapToBucket(times, t.entryTime, bucketMs, options.end);
    const exit = snapToBucket(times, t.exitTime, bucketMs, options.end);
    if (entry === null || exit === null) unplaced++;
    if (entry !== null) markers.push({ time: toSeconds(entry), kind: 'entry', side, text: side === 'long' ? 'L' : 'S', pnl: null, price: t.entryPrice });
    if (exit !== null) markers.push({ time: toSeconds(exit), kind: 'exit', side, text: '', pnl: t.pnl, price: t.exitPrice });
  }
  markers.sort((a, b) => a.time - b.time || (a.kind === b.kind ? 0 : a.kind === 'exit' ? -1 : 1));
  return { markers, unplaced, omitted: trades.length - recent.length };
}

/** Decimals that show these prices without rounding them (at most 8): 2 for a stock, 5 for a currency pair. */
export function priceDecimals(bars: readonly PriceBar[]): number {
  let decimals = 0;
  // A sample is enough: the decimals of a price series do not change from one stretch to the next.
  const step = Math.max(1, Math.floor(bars.length / 500));
  for (let i = 0; i < bars.length && decimals < 8; i += step) {
    const b = bars[i]!;
    for (const v of [b.open, b.high, b.low, b.close]) {
      while (decimals < 8 && Math.abs(Math.round(v * 10 ** decimals) / 10 ** decimals - v) > Math.abs(v) * 1e-12) decimals++;
    }
  }
  return decimals;
}

const SPANS: ReadonlyArray<readonly [number, string]> = [
  [7 * 86_400_000, 'W'],
  [86_400_000, 'D'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1_000, 's'],
];

/** A bar's span as traders write a timeframe: "1m", "4h", "1D", "3D", "2W"; "90m" rather than "1.5h". */
export function bucketLabel(ms: number): string {
  for (const [unit, suffix] of SPANS) {
    if (ms >= unit && ms % unit === 0) return `${ms / unit}${suffix}`;
  }
  return ms >= 1_000 ? `${Math.round(ms / 1_000)}s` : `${ms}ms`;
}
