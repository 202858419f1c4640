/**
 * The lowest and highest price seen within the last `windowMs`, kept with
 * two monotonic queues so each price costs amortised O(1) however long the
 * window: what a "moved X % within N minutes" alert compares the last price
 * with.
 */
interface Sample {
  t: number;
  v: number;
}

class MonotonicQueue {
  private items: Sample[] = [];
  private head = 0;

  /** `keep(back, incoming)`: whether the sample at the back survives the incoming one. */
  constructor(private readonly keep: (back: number, incoming: number) => boolean) {}

  /** An older sample than any held: it matters only if it beats the front (else a newer sample dominates it). */
  unshift(s: Sample): void {
    const front = this.head < this.items.length ? this.items[this.head]! : null;
    if (front && (front.t < s.t || !this.keep(s.v, front.v))) return;
    if (this.head > 0) this.items[--this.head] = s;
    else this.items.unshift(s);
  }

  push(s: Sample): void {
    while (this.items.length > this.head && !this.keep(this.items[this.items.length - 1]!.v, s.v)) this.items.pop();
    this.items.push(s);
  }

  evictBefore(t: number): void {
    while (this.head < this.items.length && this.items[this.head]!.t < t) this.head++;
    // Compact now and then rather than shifting on every eviction.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  front(): number | null {
    return this.head < this.items.length ? this.items[this.head]!.v : null;
  }
}

export class RollingExtremes {
  private readonly lows = new MonotonicQueue((back, incoming) => back < incoming);
  private readonly highs = new MonotonicQueue((back, incoming) => back > incoming);

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`window must be positive, not ${windowMs}`);
  }

  /** A price seen at time `t` (times never go back). */
  push(t: number, price: number): void {
    if (!Number.isFinite(price)) return;
    this.lows.push({ t, v: price });
    this.highs.push({ t, v: price });
    this.evict(t);
  }

  /**
   * Prices from before everything pushed so far (a window seeded from bars
   * after live prices began to arrive), in any order.
   */
  addOlder(samples: ReadonlyArray<{ t: number; price: number }>): void {
    const newestFirst = samples.filter((s) => Number.isFinite(s.price)).sort((a, b) => b.t - a.t);
    for (const s of newestFirst) {
      this.lows.unshift({ t: s.t, v: s.price });
      this.highs.unshift({ t: s.t, v: s.price });
    }
  }

  /** Forgets what is older than the window before `now`. */
  evict(now: number): void {
    this.lows.evictBefore(now - this.windowMs);
    this.highs.evictBefore(now - this.windowMs);
  }

  min(): number | null {
    return this.lows.front();
  }

  max(): number | null {
    return this.highs.front();
  }
}
