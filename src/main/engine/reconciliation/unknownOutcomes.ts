/**
 * Orders whose fate is unknown (a request the venue did not answer, a
 * submit or cancel that failed midway, an order found pending at start-up)
 * are resolved by asking the venue about them, never by sending again.
 * Shared by start-up reconciliation, the emergency stop, a failed submit or
 * cancel, and the session sweep that asks about orders that have waited too
 * long. A missing report means the venue never received the order, but
 * only once the venue's deadline for acting on a send has passed: a real
 * exchange may carry out a request it did not answer seconds later (a
 * delayed request is still processed), so until then the order stays
 * pending and is asked about again.
 */
import { Dec } from '../../../shared/decimal';
import type { Order } from '../../../shared/domain';
import { statusFromReport } from '../../core/orderLifecycle';
import type { ActivityLog } from '../activity';
import type { OrderCache } from '../orders/orderCache';
import type { OrderHistory } from '../orders/orderHistory';
import { errorText } from '../orders/venueCalls';
import { AmendPipeline } from '../orders/amendOrder';
import type { VenueOrderReport } from '../ports/venue';
import type { VenueRegistry } from '../venueRegistry';

export interface UnknownOutcomesDeps {
  cache: OrderCache;
  history: OrderHistory;
  venues: VenueRegistry;
  activity: ActivityLog;
  /** Whether a submit of this order is still on its way (its own answer will settle it; it is not stale). */
  isSending: (orderId: string) => boolean;
  now: () => number;
  /** Settles an amend waiting for its answer from the same report (see `AmendPipeline.settleFromReport`). */
  settleAmend: (orderId: string, report: VenueOrderReport | undefined, why: string) => void;
}

export class UnknownOutcomes {
  constructor(private readonly deps: UnknownOutcomesDeps) {}

  /**
   * Asks the venue about orders that have waited too long for an answer
   * (sent or being cancelled, nothing heard since `olderThan`) — during the
   * session, not only at the next start-up.
   */
  async resolveStale(olderThan: number): Promise<void> {
    for (const order of this.staleOrders(olderThan)) await this.resolveUnknown(order.id, 'no answer from the venue');
  }

  hasStale(olderThan: number): boolean {
    return this.staleOrders(olderThan).length > 0;
  }

  /**
   * Brings an order whose fate is unknown in line with the venue's own
   * report. Used after a failed request and during start-up reconciliation.
   */
  async resolveUnknown(orderId: string, why: string): Promise<void> {
    const order = this.deps.cache.get(orderId);
    if (!order) return;
    const port = this.deps.venues.port(order.venue);
    let report: VenueOrderReport | undefined;
    try {
      report = await port.orderReport(order.clientOrderId, order.symbol);
    } catch (error) {
      this.deps.activity.record(
        'error',
        'order',
        `Outcome of ${order.id} is unknown (${why}) and ${order.venue} could not be asked (${errorText(error)}); it stays ${order.status} until reconciled.`,
        { orderId },
      );
      return;
    }
    this.applyReport(order.id, report, why);
  }

  /** Sets an order's state from the venue's report of it (absent: the venue has no record of it), and settles an amend waiting for an answer. */
  applyReport(orderId: string, report: VenueOrderReport | undefined, why: string): void {
    this.applyStatusReport(orderId, report, why);
    this.deps.settleAmend(orderId, report, why);
  }

  private applyStatusReport(orderId: string, report: VenueOrderReport | undefined, why: string): void {
    const order = this.deps.cache.get(orderId)!;
    if (report) {
      const filled = Dec.parse(report.filledQuantity);
      if (filled.gt(Dec.parse(order.filledQuantity))) {
        // Fills we have not seen arrive through fill reports during reconciliation; here we only note it.
        this.deps.activity.record(
          'warning',
          'order',
          `${order.venue} reports ${report.filledQuantity} filled on ${order.id}, Keel has ${order.filledQuantity}; waiting for the fills.`,
          { orderId },
        );
      }
    }
    if (report === undefined && order.status === 'pending_new' && this.stillInDoubt(order)) {
      // Not known to the venue yet, but the venue may still act on the send: asked again later, never sent again.
      this.deps.activity.record('warning', 'order', `${order.venue} has no record of ${order.id} yet (${why}); asking again until its deadline.`, { orderId });
      return;
    }
    const anyFilled = report !== undefined && (!Dec.parse(report.filledQuantity).isZero() || !Dec.parse(order.filledQuantity).isZero());
    const outcome = statusFromReport(order.status, report ? { status: report.status, anyFilled } : undefined);
    if (outcome.kind === 'ignore' && report?.status === order.status) return; // the venue agrees: nothing to record
    const changes: Partial<Order> = report
      ? { venueOrderId: report.venueOrderId, triggered: report.triggered }
      : { rejectReason: `${order.venue} never received the order (${why})` };
    this.deps.history.record(order, 'OrderStatusReported', outcome, changes, { reported: report?.status ?? 'no record', reason: why });
  }

  /** Sent less than the venue's deadline ago: "no record" may still change. */
  private stillInDoubt(order: Order): boolean {
    const deadline = this.deps.venues.port(order.venue).unknownOutcomeDeadlineMs ?? 0;
    return deadline > 0 && this.deps.now() - order.createdAt < deadline;
  }

  private staleOrders(olderThan: number): Order[] {
    return this.deps.cache
      .openOrders()
      .filter(
        (o) =>
          (((o.status === 'pending_new' || o.status === 'pending_cancel') && o.updatedAt < olderThan) || AmendPipeline.isStale(o, olderThan)) &&
          !this.deps.isSending(o.id),
      );
  }
}
