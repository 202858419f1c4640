/**
 * Folds live 1-minute bars into the current bar of a higher timeframe. The
 * engine streams only 1m bars; a 5m/1h/... chart's last bar is the fold of
 * the 1m bars in its bucket (bucket = floor(time / tfMs) × tfMs), so we keep
 * those 1m bars, seeded from history, and refold on each update: exact,
 * and immune to the same minute arriving several times.
 */
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import type { Bar } from '../../stores/candleFeed';

export function bucketOf(timeMs: number, tf: Timeframe): number {
  const size = TIMEFRAME_MS[tf];
  return Math.floor(timeMs / size) * size;
}

/** How many 1m bars make one bar of `tf`. */
export function minutesIn(tf: Timeframe): number {
  return TIMEFRAME_MS[tf] / TIMEFRAME_MS['1m'];
}

/** One bar from 1m bars sorted by time (non-empty), stamped with the bucket's start. */
export function foldBars(bars: readonly Bar[], time: number): Bar {
  const first = bars[0]!;
  let high = first.high;
  let low = first.low;
  let volume = 0;
  for (const b of bars) {
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
    volume += b.volume;
  }
  return { time, open: first.open, high, low, close: bars[bars.length - 1]!.close, volume };
}

export class LiveBucket {
  private readonly minutes = new Map<number, Bar>();
  private bucket: number | null = null;

  constructor(private readonly tf: Timeframe) {}

  /** Seeds from recent 1m history: keeps the bars of the latest bucket present. */
  seed(minuteBars: readonly Bar[]): void {
    this.minutes.clear();
    this.bucket = null;
    for (const b of minuteBars) this.add(b);
  }

  /** Applies one 1m bar; returns the current bar of `tf`, or null for a bar from an already-closed bucket. */
  apply(minute: Bar): Bar | null {
    if (this.tf === '1m') return minute;
    if (!this.add(minute)) return null;
    const sorted = [...this.minutes.values()].sort((a, b) => a.time - b.time);
    return foldBars(sorted, this.bucket!);
  }

  private add(minute: Bar): boolean {
    const b = bucketOf(minute.time, this.tf);
    if (this.bucket !== null && b < this.bucket) return false;
    if (this.bucket === null || b > this.bucket) {
      this.bucket = b;
      this.minutes.clear();
    }
    this.minutes.set(minute.time, minute);
    return true;
  }
}
