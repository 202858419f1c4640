/**
 * What the adapter has told the engine about each order, so that reports
 * arriving from several places (the REST answer, the user-data stream, a
 * poll, a reconciliation query) in any order turn into each execution event
 * exactly once: accepted once, every fill once (by trade id), one final
 * state. The engine also applies fills once by trade id; this keeps the
 * stream of events clean before it gets there.
 */
import { Dec } from '../../../shared/decimal';

export interface TrackedOrder {
  clientOrderId: string;
  symbol: string;
  venueOrderId: string | null;
  accepted: boolean;
  /** Base quantity of the fills already emitted. */
  filled: Dec;
  /** The final state emitted (canceled, expired, rejected), or null. Filled orders end by their fills. */
  final: 'canceled' | 'expired' | 'rejected' | null;
  /** Still working at the venue as far as the adapter knows. */
  open: boolean;
}

/** Trade ids remembered per venue: enough to cover any replay of a stream or a poll window. */
const SEEN_TRADES_KEPT = 50_000;

export class OrderTracker {
  private readonly byClientId = new Map<string, TrackedOrder>();
  private readonly clientIdByVenueId = new Map<string, string>();
  private readonly seenTrades = new Set<string>();

  track(clientOrderId: string, symbol: string): TrackedOrder {
    let order = this.byClientId.get(clientOrderId);
    if (!order) {
      order = { clientOrderId, symbol, venueOrderId: null, accepted: false, filled: Dec.ZERO, final: null, open: true };
      this.byClientId.set(clientOrderId, order);
    }
    return order;
  }

  get(clientOrderId: string): TrackedOrder | undefined {
    return this.byClientId.get(clientOrderId);
  }

  linkVenueId(order: TrackedOrder, venueOrderId: string): void {
    order.venueOrderId = venueOrderId;
    this.clientIdByVenueId.set(venueOrderId, order.clientOrderId);
  }

  clientIdForVenueId(venueOrderId: string): string | undefined {
    return this.clientIdByVenueId.get(venueOrderId);
  }

  /** Orders still working, as far as the adapter knows. */
  open(): TrackedOrder[] {
    return [...this.byClientId.values()].filter((o) => o.open);
  }

  openSymbols(): string[] {
    return [...new Set(this.open().map((o) => o.symbol))];
  }

  /** True the first time a trade id is seen. */
  firstSight(tradeId: string): boolean {
    if (this.seenTrades.has(tradeId)) return false;
    this.seenTrades.add(tradeId);
    if (this.seenTrades.size > SEEN_TRADES_KEPT) {
      // Sets iterate in insertion order: the oldest go first.
      const drop = this.seenTrades.size - SEEN_TRADES_KEPT;
      let i = 0;
      for (const id of this.seenTrades) {
        if (i++ >= drop) break;
        this.seenTrades.delete(id);
      }
    }
    return true;
  }

  /** Forgets finished orders (they stay in the engine's journal; the adapter only needs working ones and recent ids). */
  forgetFinished(): void {
    for (const [id, order] of this.byClientId) {
      if (order.open) continue;
      this.byClientId.delete(id);
      if (order.venueOrderId !== null) this.clientIdByVenueId.delete(order.venueOrderId);
    }
  }
}
