/**
 * The tape: the last trades the venues printed, per instrument, for the time
 * and sales panel (`market.trades`). A fixed ring per instrument, so a busy
 * market costs the same memory as a quiet one; each trade gets the next
 * sequence number of its instrument, which a client keys its rows by.
 */
import { MAX_RECENT_TRADES, type MarketTradeView } from '../../../shared/contract';
import { InstrumentMap } from '../../core/instrumentMap';
import type { MarketTrade } from '../ports/venue';

class TradeRing {
  private readonly slots: Array<MarketTradeView | undefined>;
  private seq = 0;

  constructor(private readonly capacity: number) {
    this.slots = new Array<MarketTradeView | undefined>(capacity);
  }

  push(trade: MarketTrade): void {
    this.seq += 1;
    this.slots[this.seq % this.capacity] = {
      seq: this.seq,
      price: trade.price,
      quantity: trade.quantity,
      side: trade.side,
      timestamp: trade.timestamp,
    };
  }

  /** The newest `limit` trades, newest first. */
  newest(limit: number): MarketTradeView[] {
    const count = Math.min(limit, this.capacity, this.seq);
    const out: MarketTradeView[] = [];
    for (let s = this.seq; s > this.seq - count; s--) out.push(this.slots[s % this.capacity]!);
    return out;
  }
}

export class RecentTrades {
  private readonly rings = new InstrumentMap<TradeRing>();

  constructor(private readonly capacity = MAX_RECENT_TRADES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive whole number, not ${capacity}`);
  }

  record(venue: string, trade: MarketTrade): void {
    let ring = this.rings.get(venue, trade.symbol);
    if (!ring) {
      ring = new TradeRing(this.capacity);
      this.rings.set(venue, trade.symbol, ring);
    }
    ring.push(trade);
  }

  /** Newest first; empty for an instrument nothing has printed on yet. */
  list(venue: string, symbol: string, limit: number): MarketTradeView[] {
    return this.rings.get(venue, symbol)?.newest(Math.max(0, Math.floor(limit))) ?? [];
  }

  forgetVenue(venue: string): void {
    this.rings.deleteVenue(venue);
  }
}
