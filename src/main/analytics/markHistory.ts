/**
 * The prices Keel knew for an instrument over time: its fills, and the
 * closes of the venue's stored bars, each known at its bar's last
 * millisecond. `markAt` answers the newest price known at a time, which is
 * what the equity curve values an open position at.
 */
import { Dec } from '../../shared/decimal';

export interface PriceObservation {
  time: number;
  price: Dec;
}

export class MarkHistory {
  private readonly series = new Map<string, PriceObservation[]>();

  private static key(venue: string, symbol: string): string {
    return `${venue}\u0000${symbol}`;
  }

  /** Adds prices for an instrument; any order. */
  add(venue: string, symbol: string, observations: Iterable<PriceObservation>): void {
    const key = MarkHistory.key(venue, symbol);
    const list = this.series.get(key) ?? [];
    for (const o of observations) list.push(o);
    list.sort((a, b) => a.time - b.time);
    this.series.set(key, list);
  }

  /** The newest price known at or before `time`, or null. */
  markAt(venue: string, symbol: string, time: number): Dec | null {
    const list = this.series.get(MarkHistory.key(venue, symbol));
    if (!list || list.length === 0 || list[0]!.time > time) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.time <= time) lo = mid;
      else hi = mid - 1;
    }
    return list[lo]!.price;
  }
}
