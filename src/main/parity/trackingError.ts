/**
 * The period's round trips on both sides and the tracking error between
 * them. A round trip is built from fills over FIFO lots, as the trade
 * journal builds it (analytics/roundTripBook.ts); its return is its net PnL
 * (after fees) over its entry value, in basis points.
 *
 * Tracking error: the root mean square, over the period's closed round
 * trips, of the live return minus the replay's return of the same trade (the
 * trip opened by the paired order). A trip only one side made counts
 * against zero (a trade missed or added is a full difference); a pair whose
 * other side is still open is left out until it closes. Root mean square
 * and not standard deviation, so a steady cost (every fill 5 bps worse) is
 * tracking error too. Returns, not money: a replay that sized from another
 * balance still compares. Null when no closed round trip counts.
 */
import { Dec } from '../../shared/decimal';
import type { Fill } from '../../shared/domain';
import { lotFillOf } from '../analytics/fifoLots';
import { RoundTripBook, type RoundTrip } from '../analytics/roundTripBook';

export interface TripComparison {
  liveTrades: number;
  replayTrades: number;
  /** Net PnL of the closed round trips. */
  livePnl: Dec;
  replayPnl: Dec;
  trackingErrorBps: number | null;
  /** The per-trade differences the tracking error is taken over, in basis points. */
  differencesBps: number[];
}

export function roundTrips(fills: readonly Fill[]): readonly RoundTrip[] {
  const book = new RoundTripBook();
  const ordered = [...fills].sort((a, b) => a.timestamp - b.timestamp || a.tradeId.localeCompare(b.tradeId));
  for (const fill of ordered) book.apply(lotFillOf(fill));
  return book.trips();
}

export function netPnl(trip: RoundTrip): Dec {
  return trip.grossPnl.sub(trip.fees);
}

/** Net return of a closed trip in basis points of what went in. */
export function tripReturnBps(trip: RoundTrip): number {
  return (netPnl(trip).toNumber() / trip.entryValue.toNumber()) * 10_000;
}

/**
 * Compares the two sides' trips; `pairs` maps a live order id to the
 * replay order it was paired with.
 */
export function compareTrips(liveFills: readonly Fill[], replayFills: readonly Fill[], pairs: ReadonlyMap<string, string>): TripComparison {
  const live = roundTrips(liveFills);
  const replay = roundTrips(replayFills);
  const closedLive = live.filter((t) => t.closedAt !== null);
  const closedReplay = replay.filter((t) => t.closedAt !== null);
  const replayByOpening = new Map(replay.map((t) => [t.openingOrderId, t]));
  const counterpartOfReplay = new Set<RoundTrip>();
  const differences: number[] = [];
  for (const trip of live) {
    const pairedOrder = pairs.get(trip.openingOrderId);
    const other = pairedOrder === undefined ? undefined : replayByOpening.get(pairedOrder);
    if (other) counterpartOfReplay.add(other);
    const liveClosed = trip.closedAt !== null;
    if (other === undefined) {
      if (liveClosed) differences.push(tripReturnBps(trip));
      continue;
    }
    if (liveClosed && other.closedAt !== null) differences.push(tripReturnBps(trip) - tripReturnBps(other));
  }
  for (const trip of closedReplay) if (!counterpartOfReplay.has(trip)) differences.push(-tripReturnBps(trip));
  const trackingErrorBps = differences.length === 0 ? null : Math.sqrt(differences.reduce((sum, d) => sum + d * d, 0) / differences.length);
  return {
    liveTrades: closedLive.length,
    replayTrades: closedReplay.length,
    livePnl: Dec.sum(closedLive.map(netPnl)),
    replayPnl: Dec.sum(closedReplay.map(netPnl)),
    trackingErrorBps: trackingErrorBps === null ? null : Math.round(trackingErrorBps * 100) / 100,
    differencesBps: differences,
  };
}
