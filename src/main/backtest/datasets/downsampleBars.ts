/**
 * A dataset's bars cut to a date range and thinned for drawing: a chart a
 * thousand pixels wide gains nothing from a year of minute bars, and the
 * renderer should not receive half a million of them. Thinning folds equal
 * runs of consecutive bars into one (as a higher timeframe would), so the
 * high and low of every stretch survive and every trade still falls on a bar.
 */
import type { Bar } from '../../../shared/domain';

export interface DownsampledBars {
  bars: Bar[];
  /** The time one answered bar spans: `periodMs`, or that times the bars folded into each. */
  bucketMs: number;
}

/** The bars (ascending by time) at or after `from` and before `to`; either bound may be absent. */
export function barsBetween(bars: readonly Bar[], from: number | undefined, to: number | undefined): Bar[] {
  const start = from === undefined ? 0 : firstAtOrAfter(bars, from);
  const end = to === undefined ? bars.length : firstAtOrAfter(bars, to);
  return bars.slice(start, Math.max(start, end));
}

/**
 * At most `maxBars` bars from `bars` (ascending by time). More are folded in
 * buckets of `ceil(n / maxBars)` consecutive bars: the first bar's time and
 * open, the highest high, the lowest low, the last bar's close and the summed
 * volume. Fewer are answered as they are (copies), with `bucketMs` the data's
 * period.
 */
export function downsampleBars(bars: readonly Bar[], maxBars: number, periodMs: number): DownsampledBars {
  if (!Number.isInteger(maxBars) || maxBars < 1) throw new RangeError(`maxBars must be a positive integer, not ${maxBars}`);
  const period = Math.max(1, Math.round(periodMs));
  if (bars.length <= maxBars) return { bars: bars.map((b) => ({ ...b })), bucketMs: period };
  const size = Math.ceil(bars.length / maxBars);
  const out: Bar[] = [];
  for (let start = 0; start < bars.length; start += size) out.push(fold(bars, start, Math.min(bars.length, start + size)));
  return { bars: out, bucketMs: size * period };
}

/** One bar from `bars[start..end)` (non-empty), stamped with its first bar's time. */
function fold(bars: readonly Bar[], start: number, end: number): Bar {
  const first = bars[start]!;
  let high = first.high;
  let low = first.low;
  let volume = 0;
  for (let i = start; i < end; i++) {
    const b = bars[i]!;
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
    volume += b.volume;
  }
  return { time: first.time, open: first.open, high, low, close: bars[end - 1]!.close, volume };
}

/** Index of the first bar at or after `time` (`bars.length` when none is). */
function firstAtOrAfter(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
