/**
 * FIFO lots of one instrument, in exact decimals: every fill that opens or
 * adds to a position opens a lot of its own; a fill on the other side closes
 * the oldest lots first, splitting a lot when it closes only part of it, and
 * whatever it has left over opens a lot on its own side (a flip). Each
 * (opening fill, closing fill) pair is one closed lot: the tax lot a FIFO
 * disposal report lists, and the trade the backtest's statistics count
 * (backtest/roundTrips.ts books the same matches in floating point).
 *
 * Fees are shared by quantity and never lost to rounding: a lot keeps the
 * part of its opening fee not yet closed, and the last piece of a fill (or a
 * lot) takes whatever its earlier pieces left, so the pieces of a fee always
 * add up to the fee exactly.
 */
import { Dec } from '../../shared/decimal';
import type { Fill, OrderSide } from '../../shared/domain';

export type PositionSide = 'long' | 'short';

/** A fill as lots need it. */
export interface LotFill {
  /** The venue's trade id: unique per venue. */
  tradeId: string;
  orderId: string;
  venue: string;
  symbol: string;
  side: OrderSide;
  quantity: Dec;
  price: Dec;
  /** In the settlement currency; negative for a rebate. */
  fee: Dec;
  timestamp: number;
}

/** A journal fill read into exact decimals. */
export function lotFillOf(fill: Fill): LotFill {
  return {
    tradeId: fill.tradeId,
    orderId: fill.orderId,
    venue: fill.venue,
    symbol: fill.symbol,
    side: fill.side,
    quantity: Dec.parse(fill.quantity),
    price: Dec.parse(fill.price),
    fee: Dec.parse(fill.fee),
    timestamp: fill.timestamp,
  };
}

export interface OpenLot {
  side: PositionSide;
  /** The fill that opened it. */
  fill: LotFill;
  /** Still open. */
  quantity: Dec;
  /** The part of the opening fee that belongs to the quantity still open. */
  fee: Dec;
}

export interface ClosedLot {
  venue: string;
  symbol: string;
  side: PositionSide;
  quantity: Dec;
  openTradeId: string;
  openOrderId: string;
  openedAt: number;
  openPrice: Dec;
  closeTradeId: string;
  closeOrderId: string;
  closedAt: number;
  closePrice: Dec;
  /** The opening fill's fee, for this lot's share of it. */
  openFee: Dec;
  /** The closing fill's fee, for this lot's share of it. */
  closeFee: Dec;
  /** (close − open) × quantity for a long, (open − close) × quantity for a short; before fees. */
  grossPnl: Dec;
  /** grossPnl − openFee − closeFee. */
  netPnl: Dec;
}

/** What one fill did to an instrument's lots. */
export interface LotChange {
  /** The lots it closed, oldest first. */
  closed: ClosedLot[];
  /** The lot it opened with what was left after closing (the whole fill when it closed nothing). */
  opened: OpenLot | null;
}

export function sideOf(signed: Dec): PositionSide {
  return signed.isNegative() ? 'short' : 'long';
}

/** The lots of one instrument on one venue. */
export class FifoLots {
  private readonly queue: OpenLot[] = [];

  /** Signed open quantity: positive long, negative short. */
  get position(): Dec {
    let total = Dec.ZERO;
    for (const lot of this.queue) total = lot.side === 'long' ? total.add(lot.quantity) : total.sub(lot.quantity);
    return total;
  }

  /** Open lots, oldest first. */
  openLots(): readonly OpenLot[] {
    return this.queue;
  }

  apply(fill: LotFill): LotChange {
    if (!fill.quantity.isPositive()) throw new RangeError(`Fill ${fill.tradeId} has a quantity that is not positive`);
    if (!fill.price.isPositive()) throw new RangeError(`Fill ${fill.tradeId} has a price that is not positive`);
    const fillSide: PositionSide = fill.side === 'buy' ? 'long' : 'short';
    const closed: ClosedLot[] = [];
    let remaining = fill.quantity;
    let feeLeft = fill.fee;
    while (remaining.isPositive() && this.queue.length > 0 && this.queue[0]!.side !== fillSide) {
      const lot = this.queue[0]!;
      const closing = Dec.min(lot.quantity, remaining);
      const lotDone = closing.eq(lot.quantity);
      const fillDone = closing.eq(remaining);
      const openFee = lotDone ? lot.fee : lot.fee.mul(closing).div(lot.quantity);
      const closeFee = fillDone ? feeLeft : fill.fee.mul(closing).div(fill.quantity);
      const move = fill.price.sub(lot.fill.price).mul(closing);
      const grossPnl = lot.side === 'long' ? move : move.neg();
      closed.push({
        venue: fill.venue,
        symbol: fill.symbol,
        side: lot.side,
        quantity: closing,
        openTradeId: lot.fill.tradeId,
        openOrderId: lot.fill.orderId,
        openedAt: lot.fill.timestamp,
        openPrice: lot.fill.price,
        closeTradeId: fill.tradeId,
        closeOrderId: fill.orderId,
        closedAt: fill.timestamp,
        closePrice: fill.price,
        openFee,
        closeFee,
        grossPnl,
        netPnl: grossPnl.sub(openFee).sub(closeFee),
      });
      feeLeft = feeLeft.sub(closeFee);
      remaining = remaining.sub(closing);
      if (lotDone) this.queue.shift();
      else {
        lot.quantity = lot.quantity.sub(closing);
        lot.fee = lot.fee.sub(openFee);
      }
    }
    let opened: OpenLot | null = null;
    if (remaining.isPositive()) {
      opened = { side: fillSide, fill, quantity: remaining, fee: feeLeft };
      this.queue.push(opened);
    }
    return { closed, opened };
  }
}

/** FIFO lots of every instrument on every venue, keyed by venue and symbol. */
export class FifoLedger {
  private readonly books = new Map<string, FifoLots>();

  apply(fill: LotFill): LotChange {
    return this.book(fill.venue, fill.symbol).apply(fill);
  }

  book(venue: string, symbol: string): FifoLots {
    const key = `${venue}\u0000${symbol}`;
    let book = this.books.get(key);
    if (!book) {
      book = new FifoLots();
      this.books.set(key, book);
    }
    return book;
  }
}
