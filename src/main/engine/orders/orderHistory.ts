/**
 * An order's history: every lifecycle event goes through the (status, event)
 * table in `core/orderLifecycle` and is appended to order_events in the same
 * journal transaction as the change it makes, so the history always explains
 * the status. An impossible event changes nothing and is recorded, and
 * flagged, as an anomaly.
 */
import type { Order, OrderEvent, OrderEventDetail, OrderEventType } from '../../../shared/domain';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { EngineJournal } from '../ports/journal';
import { applyOrderEvent, type OrderLifecycleEvent, type OrderLifecycleOutcome } from '../../core/orderLifecycle';
import type { OrderCache } from './orderCache';

export interface OrderHistoryDeps {
  clock: Clock;
  journal: EngineJournal;
  activity: ActivityLog;
  cache: OrderCache;
  bus: EventBus;
}

export class OrderHistory {
  constructor(private readonly deps: OrderHistoryDeps) {}

  /** Journals one history entry and announces it (after the commit, through the outbox): an ignored event changes no order but is news to anyone watching its history. */
  private append(entry: Omit<OrderEvent, 'id'>): void {
    this.deps.journal.appendOrderEvent(entry);
    this.deps.bus.publish('orders.history', entry);
  }

  /**
   * Journals a new order with the event it starts from, in one transaction,
   * stamped at the order's `updatedAt`. The caller hands it to the cache
   * afterwards.
   */
  begin(order: Order, type: OrderEventType, detail: OrderEventDetail): void {
    const { journal } = this.deps;
    journal.transaction(() => {
      journal.insertOrder(order);
      this.append({ orderId: order.id, timestamp: order.updatedAt, type, outcome: 'applied', status: order.status, detail });
    });
  }

  /**
   * Applies one lifecycle event through the (status, event) table and
   * appends it to the order's history, in one transaction. `changes` go in
   * with an applied event; `keep` (a venue order id learned late) goes in
   * whatever the table says, short of an impossible event, which changes
   * nothing and is flagged as an anomaly.
   */
  apply(
    orderId: string,
    event: OrderLifecycleEvent,
    changes: Partial<Order>,
    detail: OrderEventDetail,
    keep: Partial<Order> = {},
    writeRow = true,
  ): OrderLifecycleOutcome {
    const order = this.deps.cache.get(orderId)!;
    const outcome = applyOrderEvent(order.status, event);
    this.record(order, event.type, outcome, changes, detail, keep, writeRow);
    return outcome;
  }

  /** Records an outcome already decided (a venue's report of the order's status) the same way `apply` does. */
  record(
    order: Order,
    type: OrderEventType,
    outcome: OrderLifecycleOutcome,
    changes: Partial<Order>,
    detail: OrderEventDetail,
    keep: Partial<Order> = {},
    writeRow = true,
  ): void {
    const { journal, cache, clock, activity } = this.deps;
    journal.transaction(() => {
      let next = order;
      if (outcome.kind === 'apply') {
        next = cache.update(order.id, { ...keep, ...changes, status: outcome.status }, writeRow);
      } else if (outcome.kind === 'ignore' && Object.entries(keep).some(([k, v]) => order[k as keyof Order] !== v)) {
        next = cache.update(order.id, keep);
      }
      const why = outcome.kind === 'apply' ? (outcome.edge === null ? {} : { edge: outcome.edge }) : { reason: outcome.reason };
      this.append({
        orderId: order.id,
        timestamp: clock.now(),
        type,
        outcome: outcome.kind === 'apply' ? 'applied' : outcome.kind === 'ignore' ? 'ignored' : 'anomaly',
        status: next.status,
        detail: { ...detail, ...why },
      });
      if (outcome.kind === 'anomaly') {
        activity.record('error', 'anomaly', `Order ${order.id}: ${outcome.reason}; not applied.`, { orderId: order.id, status: order.status, event: type });
      }
    });
  }
}
