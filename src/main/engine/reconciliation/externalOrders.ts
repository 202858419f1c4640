/**
 * Open orders found on a venue that Keel did not place (placed on the
 * exchange's own site, or by another program) are taken into the books with
 * source `external`: from then on they are watched, shown and cancelled like
 * any other. Reconciliation finds them; this module adopts them. So is the
 * order a venue closes a position with when it liquidates it (source
 * `liquidation`), taken in from its fill.
 */
import type { Order } from '../../../shared/domain';
import type { OrderCache } from '../orders/orderCache';
import type { OrderHistory } from '../orders/orderHistory';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { ExecutionEvent, VenueOrderReport } from '../ports/venue';

export interface ExternalOrdersDeps {
  clock: Clock;
  ids: IdGenerator;
  cache: OrderCache;
  history: OrderHistory;
}

export class ExternalOrders {
  constructor(private readonly deps: ExternalOrdersDeps) {}

  /**
   * Adopts one order the venue reports as open. Its earlier fills are the
   * venue's history, not Keel's: the order starts from the venue's filled
   * quantity without re-booking them.
   */
  adopt(venue: string, report: VenueOrderReport): Order {
    const now = this.deps.clock.now();
    const order: Order = {
      id: this.deps.ids.orderId(),
      clientOrderId: report.clientOrderId,
      venueOrderId: report.venueOrderId,
      venue,
      symbol: report.symbol,
      side: report.side,
      type: report.type,
      quantity: report.quantity,
      price: report.price,
      stopPrice: report.stopPrice,
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: false,
      status: report.status,
      filledQuantity: report.filledQuantity,
      averagePrice: null,
      triggered: report.triggered,
      source: 'external',
      sourceId: null,
      // Adopted now: its fills before this moment are the venue's history, already in its filled quantity.
      createdAt: now,
      updatedAt: now,
      rejectReason: null,
    };
    this.deps.history.begin(order, 'OrderStatusReported', {
      reported: report.status,
      venueOrderId: report.venueOrderId,
      reason: 'found on the venue; not placed by Keel',
    });
    this.deps.cache.add(order);
    return order;
  }

  /**
   * Takes in the venue's own order behind a liquidation fill, as it was when
   * the venue sent it: a reduce-only market order for the whole position,
   * open until its fill (applied next) fills it.
   */
  adoptLiquidation(venue: string, fill: Extract<ExecutionEvent, { type: 'OrderFilled' }>): Order {
    const order: Order = {
      id: this.deps.ids.orderId(),
      clientOrderId: fill.clientOrderId,
      venueOrderId: fill.venueOrderId,
      venue,
      symbol: fill.symbol,
      side: fill.side,
      type: 'market',
      quantity: fill.quantity,
      price: null,
      stopPrice: null,
      timeInForce: 'IOC',
      postOnly: false,
      reduceOnly: true,
      status: 'open',
      filledQuantity: '0',
      averagePrice: null,
      triggered: false,
      source: 'liquidation',
      sourceId: null,
      createdAt: fill.timestamp,
      updatedAt: fill.timestamp,
      rejectReason: null,
    };
    this.deps.history.begin(order, 'OrderAccepted', {
      venueOrderId: fill.venueOrderId,
      reason: 'liquidation: the venue closed the position, its margin ran out',
    });
    this.deps.cache.add(order);
    return order;
  }
}
