/**
 * The closed 1-minute bars of one instrument's last 24 hours, kept so the
 * 24h ticker is O(1): bars enter when they close and leave, oldest first,
 * when the live minute moves on. The traded volume (in whole lots, an exact
 * integer sum) is a running total; the highest high and the lowest low come
 * from monotonic deques, whose fronts are the extremes of the window.
 *
 * Bars must be pushed in time order and are never mutated after they close
 * (the market replaces its live candle rather than changing it).
 */
import type { Bar } from '../../core/candles';

/** A FIFO of bars with amortised O(1) push, pop at either end, and no shifting. */
class BarDeque {
  private items: Bar[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  get front(): Bar | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  get back(): Bar | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  push(bar: Bar): void {
    this.items.push(bar);
  }

  /** Removes the newest bar; call only when not empty. */
  popBack(): void {
    this.items.pop();
  }

  popFront(): Bar | undefined {
    if (this.head >= this.items.length) return undefined;
    const bar = this.items[this.head++]!;
    // Drop the consumed prefix now and then, so the array does not grow without bound.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return bar;
  }
}

export class DayWindow {
  /** Every bar in the window, oldest first. */
  private readonly bars = new BarDeque();
  /** Bars whose high no newer bar reaches: highs strictly decreasing, so the front is the window's high. */
  private readonly highs = new BarDeque();
  /** Bars whose low no newer bar undercuts: lows strictly increasing, so the front is the window's low. */
  private readonly lows = new BarDeque();
  private lots = 0;

  /** `lotSize`: one lot as a float; a bar's volume counts as `Math.round(volume / lotSize)` lots. */
  constructor(private readonly lotSize: number) {}

  /** Number of bars in the window. */
  get size(): number {
    return this.bars.size;
  }

  /** The oldest bar in the window (its open is the 24h open), if any. */
  get first(): Bar | undefined {
    return this.bars.front;
  }

  /** Highest high in the window; -Infinity when empty. */
  get high(): number {
    return this.highs.front?.high ?? Number.NEGATIVE_INFINITY;
  }

  /** Lowest low in the window; +Infinity when empty. */
  get low(): number {
    return this.lows.front?.low ?? Number.POSITIVE_INFINITY;
  }

  /** Volume of the window in whole lots (exact: a sum of integers below 2^53). */
  get volumeLots(): number {
    return this.lots;
  }

  /** Adds a bar that has just closed; it must not be older than the newest bar in the window. */
  push(bar: Bar): void {
    const newest = this.bars.back;
    if (newest && bar.time < newest.time) throw new RangeError(`Bars must enter the 24h window in time order (${bar.time} after ${newest.time})`);
    this.bars.push(bar);
    this.lots += this.lotsOf(bar);
    while (this.highs.size > 0 && this.highs.back!.high <= bar.high) this.highs.popBack();
    this.highs.push(bar);
    while (this.lows.size > 0 && this.lows.back!.low >= bar.low) this.lows.popBack();
    this.lows.push(bar);
  }

  /** Drops every bar that started before `time`. */
  evictBefore(time: number): void {
    for (let bar = this.bars.front; bar && bar.time < time; bar = this.bars.front) {
      this.bars.popFront();
      this.lots -= this.lotsOf(bar);
    }
    // Both deques hold bars in time order, so what fell out of the window sits at their fronts.
    while (this.highs.size > 0 && this.highs.front!.time < time) this.highs.popFront();
    while (this.lows.size > 0 && this.lows.front!.time < time) this.lows.popFront();
  }

  private lotsOf(bar: Bar): number {
    return Math.round(bar.volume / this.lotSize);
  }
}
