/**
 * Orders in memory: the only writer of order state the engine holds. It
 * keeps every open order and a bounded window of recently finished ones,
 * indexed by id and by client order id, with open orders in their own index
 * so the hot path never scans history. Older finished orders live only in
 * the journal and are recalled from it when a late venue event names one.
 *
 * Every change goes through `update`, which writes the journal and publishes
 * `orders.updated` in the same step, so memory, journal and subscribers
 * never disagree.
 */
import type { Order } from '../../../shared/domain';
import { isTerminalStatus } from '../../../shared/domain';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { EngineJournal } from '../ports/journal';

/** How many finished orders to keep in memory beside the open ones. */
const RECENT_ORDERS_KEPT = 2_000;

export interface OrderCacheDeps {
  clock: Clock;
  journal: EngineJournal;
  bus: EventBus;
}

export class OrderCache {
  private readonly byId = new Map<string, Order>();
  private readonly idByClientId = new Map<string, string>();
  /** Orders not yet in a terminal state, so the hot path never scans history. */
  private readonly open = new Map<string, Order>();
  /** Finished orders in the order they finished, oldest first, so forgetting is O(1) with no sort. */
  private readonly finished: string[] = [];
  private finishedHead = 0;

  constructor(private readonly deps: OrderCacheDeps) {}

  /** Loads open and recent orders from the journal (start-up and crash recovery). */
  load(): void {
    for (const order of this.deps.journal.loadOrders(RECENT_ORDERS_KEPT)) {
      this.remember(order);
      if (isTerminalStatus(order.status)) this.forgetOldTerminal(order.id);
    }
  }

  get(orderId: string): Order | undefined {
    return this.byId.get(orderId);
  }

  getByClientId(clientOrderId: string): Order | undefined {
    const id = this.idByClientId.get(clientOrderId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Whether an order in memory uses this client order id (the journal knows older ones). */
  hasClientOrderId(clientOrderId: string): boolean {
    return this.idByClientId.has(clientOrderId);
  }

  /** Open orders, oldest first, optionally on one venue only. */
  openOrders(venue?: string): Order[] {
    const open: Order[] = [];
    for (const order of this.open.values()) {
      if (venue === undefined || order.venue === venue) open.push(order);
    }
    return open;
  }

  /** How many orders are open, optionally on one venue only (a count, without building the list). */
  openOrderCount(venue?: string): number {
    if (venue === undefined) return this.open.size;
    let count = 0;
    for (const order of this.open.values()) if (order.venue === venue) count += 1;
    return count;
  }

  /** Every order in memory: the open ones and the recent window of finished ones. */
  known(): Order[] {
    return [...this.byId.values()];
  }

  /** Takes in an order just journaled for the first time, and tells subscribers. */
  add(order: Order): void {
    this.remember(order);
    this.deps.bus.publish('orders.updated', order);
  }

  /** An order no longer in memory, read back from the journal (a late event names it); undefined if Keel never had it. */
  recall(clientOrderId: string): Order | undefined {
    const order = this.deps.journal.getOrderByClientId(clientOrderId);
    if (order) this.remember(order);
    return order;
  }

  /** Changes an order: journal, memory and `orders.updated`, stamped with the current time. */
  /**
   * `writeRow: false` keeps a passing state (a cancel requested in bulk) out
   * of the order's row: the order's history records it, the venue's answer
   * overwrites it moments later, and after a crash reconciliation asks the
   * venue anyway.
   */
  update(orderId: string, changes: Partial<Order>, writeRow = true): Order {
    const order = this.byId.get(orderId)!;
    const next: Order = { ...order, ...changes, updatedAt: this.deps.clock.now() };
    if (writeRow) this.deps.journal.updateOrder(next);
    this.byId.set(orderId, next);
    this.trackOpen(next);
    this.deps.bus.publish('orders.updated', next);
    if (isTerminalStatus(next.status) && !isTerminalStatus(order.status)) this.forgetOldTerminal(orderId);
    return next;
  }

  /**
   * Puts an order back as it was before a journal transaction that failed:
   * the journal rolled back and what was published inside it was dropped,
   * so memory must not keep the change either.
   */
  restore(order: Order): void {
    this.byId.set(order.id, order);
    this.trackOpen(order);
  }

  private remember(order: Order): void {
    this.byId.set(order.id, order);
    this.idByClientId.set(order.clientOrderId, order.id);
    this.trackOpen(order);
  }

  private trackOpen(order: Order): void {
    if (isTerminalStatus(order.status)) this.open.delete(order.id);
    else this.open.set(order.id, order);
  }

  /** Keeps memory bounded: finished orders beyond the recent window live only in the journal. */
  private forgetOldTerminal(orderId: string): void {
    this.finished.push(orderId);
    while (this.finished.length - this.finishedHead > RECENT_ORDERS_KEPT) {
      const id = this.finished[this.finishedHead]!;
      this.finishedHead += 1;
      const order = this.byId.get(id);
      if (order && isTerminalStatus(order.status)) {
        this.byId.delete(id);
        // The client id stays known to the journal; duplicates are still refused there, and late events recall it.
        this.idByClientId.delete(order.clientOrderId);
      }
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finished.length) {
      this.finished.splice(0, this.finishedHead);
      this.finishedHead = 0;
    }
  }
}
