/**
 * The last `capacity` values kept both in arrival order and sorted, so a
 * rolling percentile rank or median costs a binary search instead of a sort
 * per bar. Used to quantise realised volatility against its own recent past.
 */
import { RingBuffer } from './ringBuffer';

export class SortedWindow {
  private readonly arrival: RingBuffer;
  private readonly sorted: number[] = [];

  constructor(readonly capacity: number) {
    this.arrival = new RingBuffer(capacity);
  }

  get size(): number {
    return this.sorted.length;
  }

  push(value: number): void {
    if (Number.isNaN(value)) throw new RangeError('a sorted window cannot hold NaN');
    const dropped = this.arrival.push(value);
    if (!Number.isNaN(dropped)) this.sorted.splice(this.lowerBound(dropped), 1);
    this.sorted.splice(this.lowerBound(value), 0, value);
  }

  /**
   * Mid-rank percentile of `value` among the values held, in [0, 1]: the share
   * strictly below plus half the share equal. Ties therefore rank in the
   * middle, so a constant series sits at 0.5 rather than at an extreme.
   */
  percentileRank(value: number): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    const below = this.lowerBound(value);
    let upTo = below;
    while (upTo < n && this.sorted[upTo] === value) upTo++;
    return (below + (upTo - below) / 2) / n;
  }

  median(): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    const mid = n >> 1;
    return n % 2 === 1 ? (this.sorted[mid] as number) : ((this.sorted[mid - 1] as number) + (this.sorted[mid] as number)) / 2;
  }

  /** First index whose value is not below `value`. */
  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
