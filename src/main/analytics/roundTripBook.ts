/**
 * Round trips, the trades of the trade journal, built from fills over FIFO
 * lots. A round trip is one position on one venue and symbol from the fill
 * that takes it off flat to the fill that brings it back to flat: adds and
 * partial closes stay inside it, and a fill that flips the position ends it
 * and opens the next with what is left (its fee shared by quantity), as the
 * strategy's own book counts round trips (engine/strategies/accounting.ts).
 * Its PnL is the sum of the FIFO lots it closed, so round trips, tax lots and
 * the account add up to the same money.
 *
 * Fills must arrive in time order per instrument; the book is incremental,
 * so a caller can feed it new fills as they are recorded.
 */
import { Dec } from '../../shared/decimal';
import { FifoLedger, sideOf, type ClosedLot, type LotFill, type PositionSide } from './fifoLots';

/** One fill's part in a round trip: all of it, or the closing or opening part of a flip. */
export interface TripLeg {
  tradeId: string;
  orderId: string;
  time: number;
  kind: 'entry' | 'exit';
  /** Signed like the fill: positive bought, negative sold. */
  signedQuantity: Dec;
  price: Dec;
  /** This part's share of the fill's fee. */
  fee: Dec;
}

export interface RoundTrip {
  /** `venue:tradeId` of the fill that opened it: stable as long as the fills are. */
  id: string;
  venue: string;
  symbol: string;
  side: PositionSide;
  openedAt: number;
  /** Null while the position is open. */
  closedAt: number | null;
  /** The order whose fill opened it: who traded, and the model behind it, are read from there. */
  openingOrderId: string;
  legs: TripLeg[];
  /** Closed FIFO lots, oldest first. */
  lots: ClosedLot[];
  entryQuantity: Dec;
  /** Σ quantity × price of the entries. */
  entryValue: Dec;
  exitQuantity: Dec;
  exitValue: Dec;
  /** Largest absolute position it reached. */
  peakQuantity: Dec;
  /** Realized so far, before fees: Σ of its closed lots. */
  grossPnl: Dec;
  /** Every fee its legs paid (entries' fees are paid whether closed yet or not). */
  fees: Dec;
  /** Signed open quantity now (zero once closed). */
  openQuantity: Dec;
}

export function tripId(venue: string, tradeId: string): string {
  return `${venue}:${tradeId}`;
}

export class RoundTripBook {
  private readonly lots = new FifoLedger();
  private readonly current = new Map<string, RoundTrip>();
  private readonly all: RoundTrip[] = [];
  private readonly lastTime = new Map<string, number>();

  /** Every round trip, in the order they were opened. */
  trips(): readonly RoundTrip[] {
    return this.all;
  }

  /** Applies one fill; throws RangeError when it is older than the instrument's last fill (the caller must rebuild). */
  apply(fill: LotFill): void {
    const key = `${fill.venue}\u0000${fill.symbol}`;
    const last = this.lastTime.get(key);
    if (last !== undefined && fill.timestamp < last) {
      throw new RangeError(`Fill ${fill.tradeId} (${fill.timestamp}) is older than the last one applied (${last})`);
    }
    this.lastTime.set(key, fill.timestamp);
    const change = this.lots.apply(fill);
    const sign = fill.side === 'buy' ? 1n : -1n;
    const signed = (q: Dec) => (sign === 1n ? q : q.neg());

    if (change.closed.length > 0) {
      const trip = this.current.get(key);
      if (!trip) throw new Error(`Fill ${fill.tradeId} closed lots of a round trip that is not open`);
      const quantity = Dec.sum(change.closed.map((l) => l.quantity));
      trip.legs.push({
        tradeId: fill.tradeId,
        orderId: fill.orderId,
        time: fill.timestamp,
        kind: 'exit',
        signedQuantity: signed(quantity),
        price: fill.price,
        fee: Dec.sum(change.closed.map((l) => l.closeFee)),
      });
      trip.lots.push(...change.closed);
      trip.exitQuantity = trip.exitQuantity.add(quantity);
      trip.exitValue = trip.exitValue.add(quantity.mul(fill.price));
      trip.grossPnl = trip.grossPnl.add(Dec.sum(change.closed.map((l) => l.grossPnl)));
      trip.fees = trip.fees.add(trip.legs[trip.legs.length - 1]!.fee);
      trip.openQuantity = trip.openQuantity.add(signed(quantity));
      if (trip.openQuantity.isZero()) {
        trip.closedAt = fill.timestamp;
        this.current.delete(key);
      }
    }

    if (change.opened) {
      const { quantity, fee } = change.opened;
      let trip = this.current.get(key);
      if (!trip) {
        trip = {
          id: tripId(fill.venue, fill.tradeId),
          venue: fill.venue,
          symbol: fill.symbol,
          side: sideOf(signed(quantity)),
          openedAt: fill.timestamp,
          closedAt: null,
          openingOrderId: fill.orderId,
          legs: [],
          lots: [],
          entryQuantity: Dec.ZERO,
          entryValue: Dec.ZERO,
          exitQuantity: Dec.ZERO,
          exitValue: Dec.ZERO,
          peakQuantity: Dec.ZERO,
          grossPnl: Dec.ZERO,
          fees: Dec.ZERO,
          openQuantity: Dec.ZERO,
        };
        this.current.set(key, trip);
        this.all.push(trip);
      }
      trip.legs.push({ tradeId: fill.tradeId, orderId: fill.orderId, time: fill.timestamp, kind: 'entry', signedQuantity: signed(quantity), price: fill.price, fee });
      trip.entryQuantity = trip.entryQuantity.add(quantity);
      trip.entryValue = trip.entryValue.add(quantity.mul(fill.price));
      trip.fees = trip.fees.add(fee);
      trip.openQuantity = trip.openQuantity.add(signed(quantity));
      trip.peakQuantity = Dec.max(trip.peakQuantity, trip.openQuantity.abs());
    }
  }
}

/** Average entry price (Σ quantity × price / Σ quantity). */
export function averageEntry(trip: RoundTrip): Dec {
  return trip.entryValue.div(trip.entryQuantity);
}

/** Average exit price, or null before anything was closed. */
export function averageExit(trip: RoundTrip): Dec | null {
  return trip.exitQuantity.isZero() ? null : trip.exitValue.div(trip.exitQuantity);
}
