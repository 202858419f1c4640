/**
 * Durations measured on a hot path (journal transactions), kept cheaply
 * until the monitor reads them: recording is an array store and a compare;
 * the sort happens once per read, off the path being measured. When more
 * than `capacity` durations arrive in one window, the newest are kept for
 * the percentiles while the count and the maximum stay exact.
 */
export interface DurationSummary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export class DurationWindow {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;
  private max = 0;

  constructor(private readonly capacity = 4096) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    this.values = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.values[this.next] = ms;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /** What was recorded since the previous read; starts a new window. */
  drain(): DurationSummary {
    const kept = Math.min(this.count, this.capacity);
    const summary: DurationSummary =
      kept === 0
        ? { count: 0, p50: null, p99: null, max: null }
        : (() => {
            const sorted = this.values.slice(0, kept).sort();
            return { count: this.count, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: this.max };
          })();
    this.next = 0;
    this.count = 0;
    this.max = 0;
    return summary;
  }
}

/** The nearest-rank quantile of sorted values (the value at or above which `1 - q` of them lie). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}
