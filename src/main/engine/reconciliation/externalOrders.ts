/**
 * Open orders found on a venue that Keel did not place (placed on the
 * exchange's own site, or by another program) are taken into the books with
 * source `external`: from then on they are watched, shown and cancelled like
 * any other. Reconciliation finds them; this module adopts them.
 */
import type { Order } from '../../../shared/domain';
import type { OrderCache } from '../orders/orderCache';
import type { OrderHistory } from '../orders/orderHistory';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { VenueOrderReport } from '../ports/venue';

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
}
