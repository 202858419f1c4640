/**
 * The work an order's change leaves for later, done as commands of their
 * own (queued, one at a time, never inside the command or venue report that
 * caused them):
 *
 * - a cancel-replace amend whose order has ended gets its replacement
 *   (`OrderManager.completeReplacement`): normally the amend command does
 *   this itself, but a cancel confirmed late (by the venue's stream, the
 *   stale sweep) or before a restart leaves it to here;
 * - an in-place amend whose order ended before its answer came (a fill or
 *   a cancel won the race, or the restart found the order ended) is settled
 *   from the venue's report of the order (`OrderManager.settleEndedAmend`):
 *   left waiting, it would hold its bracket or OCO group's work for good;
 * - either of those whose order ended while the amend's own call still held
 *   it (`afterAmend`): the order's updates came while that call was the one
 *   to finish it, and no later update may come to trigger the work;
 * - groups Keel manages on venues that do not hold them (a bracket's
 *   take-profit and stop-loss placed as the entry fills, OCO legs) are
 *   brought in line with their orders (`ManagedGroups`).
 *
 * Work for a venue that is not trading waits until it is (start-up
 * reconciliation ends with `onVenueReady`, which looks at everything).
 */
import { isTerminalStatus, type Order } from '../../../shared/domain';
import type { EventBus } from '../bus';
import type { CommandQueue } from '../commandQueue';
import type { Logger } from '../ports/logger';
import type { OrderManager, PlaceReplacement } from './orderManager';

export interface OrderFollowUpsDeps {
  bus: EventBus;
  commands: CommandQueue;
  orders: OrderManager;
  isReady: (venue: string) => boolean;
  placeReplacement: PlaceReplacement;
  log: Logger;
  /** Group work for a changed order (managed brackets and OCO pairs); none when absent. */
  groupWork?: { onOrder(order: Order): void; onVenueReady(venue: string): void };
}

export class OrderFollowUps {
  /** Work already queued (a replacement, a settlement), so a burst of updates queues it once. */
  private readonly queued = new Set<string>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: OrderFollowUpsDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.bus.subscribe((_topic, payload) => this.onOrder(payload as Order), ['orders.updated']);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** A venue is trading (again): whatever waited for it is done now. */
  onVenueReady(venue: string): void {
    for (const order of this.deps.orders.endedWithAmend(venue, 'cancel_replace')) this.queueReplacement(order.id);
    for (const order of this.deps.orders.endedWithAmend(venue, 'in_place')) this.queueSettlement(order.id);
    this.deps.groupWork?.onVenueReady(venue);
  }

  /** An amend's own call has returned, answered or not: what it left for later is queued now. */
  afterAmend(orderId: string): void {
    const order = this.deps.orders.get(orderId);
    if (order) this.queueAmendWork(order);
  }

  private onOrder(order: Order): void {
    this.queueAmendWork(order);
    this.deps.groupWork?.onOrder(order);
  }

  /** The second half of an amend whose order has ended, unless the amend's own call is still finishing it. */
  private queueAmendWork(order: Order): void {
    const ended = isTerminalStatus(order.status) && this.deps.isReady(order.venue) && !this.deps.orders.isAmending(order.id);
    if (ended && order.amending?.mode === 'cancel_replace') this.queueReplacement(order.id);
    if (ended && order.amending?.mode === 'in_place') this.queueSettlement(order.id);
  }

  private queueReplacement(orderId: string): void {
    this.queue(`replace ${orderId}`, () => this.deps.orders.completeReplacement(orderId, this.deps.placeReplacement), `completing the amend of ${orderId}`);
  }

  private queueSettlement(orderId: string): void {
    this.queue(`settle ${orderId}`, () => this.deps.orders.settleEndedAmend(orderId), `settling the amend of ${orderId}`);
  }

  private queue(key: string, work: () => Promise<unknown>, what: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    void this.deps.commands
      .run(async () => {
        this.queued.delete(key);
        await work();
      })
      .catch((error: unknown) => this.deps.log.warn(`[orders] ${what} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
