/**
 * Counts orders in a sliding time window with a ring of timestamps: O(1) to
 * record, amortised O(1) to count, and exact (no bucketing error at the edge
 * of a second, where a fat-finger burst would slip through).
 */
export class RateWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** How many recorded events are newer than now − window. */
  count(now: number): number {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  record(now: number): void {
    this.times.push(now);
  }
}
