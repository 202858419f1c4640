/**
 * Names the spacing of a run of bars: the most common gap between
 * consecutive bars, so the weekend gaps of daily stock bars or the odd
 * missing hour do not change the answer. Calendar months (28 to 31 days
 * apart, one month later) count as one spacing.
 */
import type { Timeframe } from '../../../shared/domain';
import { TIMEFRAMES, TIMEFRAME_MS } from '../../../shared/domain';

export type BarSpacingLabel = Timeframe | '1w' | '1M' | `${number}${'s' | 'm' | 'h' | 'd'}` | `${number}ms`;

export interface BarSpacing {
  /** '1m' ... '1d' as the engine names them, '1w', '1M' (calendar month), else the gap in its largest whole unit ('30m', '2h', '3d'). */
  label: BarSpacingLabel;
  /** The gap in milliseconds; for '1M' the mean Gregorian month (30.436875 days), as months vary. */
  ms: number;
  /** The engine timeframe this spacing is, or null (weekly, monthly and other spacings have none). */
  timeframe: Timeframe | null;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const MEAN_MONTH_MS = 2_629_746_000;
/** The key that stands for "one calendar month" among the gaps, which are all positive. */
const MONTH = -1;

/** The spacing of bars whose times are strictly increasing; null with fewer than two bars. */
export function detectBarSpacing(bars: readonly { readonly time: number }[]): BarSpacing | null {
  if (bars.length < 2) return null;
  const counts = new Map<number, number>();
  let previous = bars[0]!.time;
  for (let i = 1; i < bars.length; i++) {
    const time = bars[i]!.time;
    const gap = time - previous;
    const key = gap >= 28 * DAY_MS && gap <= 31 * DAY_MS && isNextMonth(previous, time) ? MONTH : gap;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    previous = time;
  }
  let best = 0;
  let bestCount = 0;
  for (const [key, count] of counts) {
    // On a tie the finer spacing wins: missing bars make gaps longer, never shorter.
    if (count > bestCount || (count === bestCount && sortKey(key) < sortKey(best))) {
      best = key;
      bestCount = count;
    }
  }
  return spacingOf(best);
}

function sortKey(key: number): number {
  return key === MONTH ? MEAN_MONTH_MS : key;
}

function isNextMonth(from: number, to: number): boolean {
  const a = new Date(from);
  const b = new Date(to);
  return b.getUTCFullYear() * 12 + b.getUTCMonth() - (a.getUTCFullYear() * 12 + a.getUTCMonth()) === 1;
}

function spacingOf(key: number): BarSpacing {
  if (key === MONTH) return { label: '1M', ms: MEAN_MONTH_MS, timeframe: null };
  for (const timeframe of TIMEFRAMES) {
    if (TIMEFRAME_MS[timeframe] === key) return { label: timeframe, ms: key, timeframe };
  }
  if (key === WEEK_MS) return { label: '1w', ms: key, timeframe: null };
  return { label: genericLabel(key), ms: key, timeframe: null };
}

function genericLabel(ms: number): BarSpacingLabel {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
