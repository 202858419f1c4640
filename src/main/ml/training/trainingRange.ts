/**
 * The date range a training is asked for: bars whose open time is at or
 * after `from` and before `to`, whatever the data source. An empty range is
 * refused before anything is loaded; a range holding too few bars for the
 * walk-forward folds is refused once the bars are known, naming the range
 * and how many bars it holds, so the trader can widen it.
 */
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { FEATURES_WARMUP } from '../features/featureSet';
import { DEFAULT_FOLDS, minimumTrainingBars } from './trainModel';

export interface TrainingRange {
  /** Open time (ms) of the first bar used, inclusive. */
  from?: number | undefined;
  /** Open times (ms) before this are used. */
  to?: number | undefined;
}

/** Refuses a range that cannot hold a bar. */
export function checkTrainingRange(range: TrainingRange): void {
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw new KeelError('VALIDATION_FAILED', `The training range is empty: from ${fmtTime(range.from)} is not before to ${fmtTime(range.to)}.`, { from: range.from, to: range.to });
  }
}

/** The bars (oldest first) within the range. */
export function barsInRange(bars: readonly Bar[], range: TrainingRange): readonly Bar[] {
  if (range.from === undefined && range.to === undefined) return bars;
  const first = range.from === undefined ? 0 : lowerBound(bars, range.from);
  const end = range.to === undefined ? bars.length : lowerBound(bars, range.to);
  return bars.slice(first, Math.max(first, end));
}

/** Refuses too few bars for the folds over the target's horizon. */
export function requireTrainingBars(count: number, range: TrainingRange, horizon: number, folds: number = DEFAULT_FOLDS): void {
  const needed = minimumTrainingBars(horizon, folds);
  if (count >= needed) return;
  const where = range.from === undefined && range.to === undefined ? 'The data' : `The range ${fmtRange(range)}`;
  throw new KeelError(
    'VALIDATION_FAILED',
    `${where} holds ${count.toLocaleString('en-US')} bar${count === 1 ? '' : 's'}; training ${folds} walk-forward folds over ${horizon} bar${horizon === 1 ? '' : 's'} needs at least ${needed.toLocaleString('en-US')} (${FEATURES_WARMUP - 1} of them warm up the features). Choose a longer range.`,
    { ...range, bars: count, needed },
  );
}

/** "2024-01-01 00:00 UTC → 2024-01-02 00:00 UTC", "from 2024-01-01 00:00 UTC", "before 2024-01-02 00:00 UTC". */
export function fmtRange(range: TrainingRange): string {
  if (range.from !== undefined && range.to !== undefined) return `${fmtTime(range.from)} → ${fmtTime(range.to)}`;
  if (range.from !== undefined) return `from ${fmtTime(range.from)}`;
  if (range.to !== undefined) return `before ${fmtTime(range.to)}`;
  return 'of all the bars';
}

function fmtTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith(':00.000Z') ? 16 : 19)} UTC`;
}

/** The first index whose bar opens at or after `time`. */
function lowerBound(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
