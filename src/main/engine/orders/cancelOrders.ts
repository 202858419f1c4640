/**
 * Cancelling orders: one at a time (`cancel`), several one by one through a
 * filter (`cancelAll`, e.g. a strategy's own orders), or everything on a
 * venue in one request (`requestCancelAll`, the emergency path). The order
 * is marked pending_cancel before the venue is asked; the outcome arrives as
 * the venue's reports, and a cancel whose outcome is unknown is resolved by
 * asking the venue about the order.
 */
import type { Order, OrderSourceKind } from '../../../shared/domain';
import { isTerminalStatus } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ActivityLog } from '../activity';
import type { EngineJournal } from '../ports/journal';
import type { VenueRegistry } from '../venueRegistry';
import type { BulkCancelCount } from './bulkCancelCount';
import type { ExecutionReports } from './executionReports';
import type { OrderCache } from './orderCache';
import type { OrderHistory } from './orderHistory';
import { callVenue, errorText, type ResolveUnknown } from './venueCalls';

export interface CancelFilter {
  venue?: string;
  symbol?: string;
  source?: OrderSourceKind;
  sourceId?: string;
}

export interface CancelAllResult {
  canceled: Order[];
  failed: Array<{ orderId: string; reason: string }>;
}

export interface CancelPipelineDeps {
  journal: EngineJournal;
  venues: VenueRegistry;
  activity: ActivityLog;
  cache: OrderCache;
  history: OrderHistory;
  reports: ExecutionReports;
  resolveUnknown: ResolveUnknown;
  /** Shared with the execution reports, which count confirmed cancels into it during a cancel-all. */
  bulkCancels: BulkCancelCount;
}

export class CancelPipeline {
  constructor(private readonly deps: CancelPipelineDeps) {}

  async cancel(orderId: string): Promise<Order> {
    const { cache, history, reports } = this.deps;
    const order = cache.get(orderId) ?? this.deps.journal.getOrder(orderId);
    if (!order) throw new KeelError('NOT_FOUND', `Order ${orderId} was not found.`, { orderId });
    if (isTerminalStatus(order.status)) {
      throw new KeelError('INVALID_STATE', `Order ${orderId} is already ${order.status}; there is nothing to cancel.`, {
        orderId,
        status: order.status,
      });
    }
    if (order.status === 'pending_new') {
      throw new KeelError('INVALID_STATE', `Order ${orderId} has not been acknowledged by ${order.venue} yet; try again in a moment.`);
    }
    const port = this.deps.venues.port(order.venue);
    if (order.status !== 'pending_cancel') history.apply(order.id, { type: 'OrderCancelRequested' }, {}, {});
    try {
      await callVenue(() => port.cancel({ clientOrderId: order.clientOrderId, symbol: order.symbol }));
      reports.applyReceived();
    } catch (error) {
      reports.applyReceived();
      await this.deps.resolveUnknown(order.id, `cancel failed: ${errorText(error)}`);
      const after = cache.get(order.id)!;
      if (after.status === 'pending_cancel') {
        throw new KeelError('VENUE_UNAVAILABLE', `${order.venue} did not confirm the cancel of ${orderId}: ${errorText(error)}`, {
          order: after,
        });
      }
    }
    return cache.get(order.id)!;
  }

  /** Cancels open orders one by one; the filter narrows them by venue, symbol and who sent them (a strategy's own orders). */
  async cancelAll(filter: CancelFilter): Promise<CancelAllResult> {
    const targets = this.deps.cache.openOrders(filter.venue).filter(
      (o) =>
        (filter.symbol === undefined || o.symbol === filter.symbol) &&
        (filter.source === undefined || o.source === filter.source) &&
        (filter.sourceId === undefined || o.sourceId === filter.sourceId) &&
        o.status !== 'pending_new',
    );
    const result: CancelAllResult = { canceled: [], failed: [] };
    for (const order of targets) {
      try {
        const after = await this.cancel(order.id);
        if (after.status === 'canceled') result.canceled.push(after);
        else if (!isTerminalStatus(after.status)) result.failed.push({ orderId: order.id, reason: `still ${after.status}` });
      } catch (error) {
        result.failed.push({ orderId: order.id, reason: errorText(error) });
      }
    }
    return result;
  }

  /**
   * Asks a venue to cancel everything open there in one request (the
   * emergency path): every cancellable order is marked pending_cancel and the
   * venue's cancel-all sent, all in one commit. Outcomes arrive as events;
   * the cancels they confirm are counted into one activity line.
   */
  async requestCancelAll(venue: string): Promise<void> {
    const { journal, cache, history, reports, bulkCancels } = this.deps;
    const port = this.deps.venues.port(venue);
    const before = cache.openOrderCount(venue);
    bulkCancels.start(venue);
    try {
      journal.transaction(() => {
        for (const order of cache.openOrders(venue)) {
          // The emergency path: the request goes into each order's history, not its row (the venue's answer follows at once).
          if (order.status === 'open' || order.status === 'partially_filled') history.apply(order.id, { type: 'OrderCancelRequested' }, {}, {}, {}, false);
        }
      });
      try {
        await callVenue(() => port.cancelAll());
      } finally {
        reports.applyReceived();
      }
    } finally {
      const counted = bulkCancels.stop(venue);
      if (counted > 0) {
        this.deps.activity.record('info', 'order', `Canceled ${counted} of ${before} open order(s) on ${venue} at once.`, { venue });
      }
    }
  }
}
