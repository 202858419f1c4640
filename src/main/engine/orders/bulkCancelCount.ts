/**
 * The count behind the one activity line a cancel-all gets. While a venue
 * answers a cancel-all, each confirmed cancel there is counted instead of
 * getting a line of its own; the cancel-all request starts and stops the
 * count, and the handling of `OrderCanceled` reports adds to it. Counts are
 * per venue: the emergency stop cancels on every venue at once.
 */
export class BulkCancelCount {
  private readonly counts = new Map<string, number>();

  /** Starts a count from zero for one venue. */
  start(venue: string): void {
    this.counts.set(venue, 0);
  }

  /** Counts one confirmed cancel on `venue` if a count runs there; false: the cancel is announced on its own. */
  add(venue: string): boolean {
    const count = this.counts.get(venue);
    if (count === undefined) return false;
    this.counts.set(venue, count + 1);
    return true;
  }

  /** Stops counting on `venue`; answers how many cancels were counted since `start`. */
  stop(venue: string): number {
    const count = this.counts.get(venue) ?? 0;
    this.counts.delete(venue);
    return count;
  }
}
