/**
 * Brackets and OCO pairs on venues that do not hold them (see
 * `VenueOrderFeatures`): Keel keeps them by the same rules the paper venue
 * applies itself (see `paperGroups`), with the venue's own order types
 * (a stop-loss is a native stop, reduce-only):
 *
 * - A bracket's take-profit and stop-loss are planned on the entry, their
 *   client order ids chosen with it, and placed as the entry first fills,
 *   each sized to what the entry has filled less what they have closed; as
 *   the entry fills more, or one of them closes part, the others are resized
 *   (amended in place, or cancelled and replaced).
 * - An exit that fills or triggers ends what is left of the entry; the other
 *   exit is cancelled once nothing is left for it, at once if one triggered.
 * - An OCO pair's legs: what one fills comes off the other; one that
 *   triggers or completes cancels the other.
 *
 * The work is done as commands (one at a time, never inside the report that
 * caused it), each looking at the group as it is now and doing what is
 * missing, so a restart, a late report or a repeated update converge on the
 * same state. Nothing is done while any order of the group waits for an
 * answer (its reports will call again), nor on a venue that is not trading
 * (`onVenueReady` looks at every group then). A planned order is placed at
 * most once, under its planned client order id; one that cannot be placed
 * (the risk stage refused it, trading was halted) is recorded on the entry
 * and never retried, and the trader is told at once: the position it should
 * have protected is not protected.
 */
import { Dec } from '../../../shared/decimal';
import type { AttachedOrder, Order } from '../../../shared/domain';
import type { PlaceOrderParams } from '../../../shared/contract';
import { errorText } from '../../../shared/errors';
import type { ActivityLog } from '../activity';
import type { CommandQueue } from '../commandQueue';
import type { Logger } from '../ports/logger';
import type { VenueOrderFeatures } from '../ports/venue';
import { sourceOfOrder, type PlaceReplacement } from './amendOrder';
import type { OrderManager } from './orderManager';

export interface ManagedGroupsDeps {
  orders: OrderManager;
  commands: CommandQueue;
  activity: ActivityLog;
  log: Logger;
  /** The venue's order features (absent: plain orders only, so groups are Keel's). */
  features: (venue: string) => VenueOrderFeatures | undefined;
  isReady: (venue: string) => boolean;
  /** True while trading is HALTED: no new order is placed for a group then. */
  halted: () => boolean;
  /** Places an order through the risk stage. */
  place: PlaceReplacement;
  /** Sets a take-profit's, stop-loss's or OCO leg's whole quantity (in place, or cancel-replace). */
  resize: (orderId: string, quantity: string) => Promise<Order>;
  cancel: (orderId: string) => Promise<Order>;
}

const WORKING = new Set(['open', 'partially_filled']);

function filled(order: Order): Dec {
  return Dec.parse(order.filledQuantity);
}

function words(order: Order): string {
  return order.role === 'tp' ? 'take-profit' : order.role === 'sl' ? 'stop-loss' : 'other leg';
}

/** How often a cancel of one order is tried before Keel leaves it to the trader (a venue that keeps refusing). */
const CANCEL_ATTEMPTS = 3;

export class ManagedGroups {
  private readonly queued = new Set<string>();
  /**
   * What was already tried, so a venue that refuses does not make Keel ask
   * again at every update its refusal causes: a size once per order and
   * quantity, a cancel a few times per order.
   */
  private readonly attempts = new Map<string, number>();

  constructor(private readonly deps: ManagedGroupsDeps) {}

  /** An order changed: if it belongs to a group Keel manages, the group is looked at (once per burst of changes). */
  onOrder(order: Order): void {
    if (!order.groupId || !this.managed(order)) return;
    if (this.deps.isReady(order.venue)) this.queue(order.groupId);
  }

  /** A venue trades (again): every group there with work possibly left is looked at. */
  onVenueReady(venue: string): void {
    if (!this.managedOn(venue)) return;
    for (const groupId of this.deps.orders.groupsToLookAt(venue)) this.queue(groupId);
  }

  /** Brings one group in line with its orders. */
  async sync(groupId: string): Promise<void> {
    const orders = this.deps.orders.groupOrders(groupId);
    const root = orders[0];
    if (!root || !this.deps.isReady(root.venue) || !this.managed(root)) return;
    // Anything still waiting for the venue's answer will report, and call again.
    if (orders.some((o) => o.status === 'pending_new' || o.status === 'pending_cancel' || o.amending || this.deps.orders.isAmending(o.id))) return;
    if (root.role === 'entry') await this.syncBracket(root, orders.slice(1));
    else if (root.role === 'oco') await this.syncOco(orders);
  }

  private async syncBracket(entry: Order, members: Order[]): Promise<void> {
    const exits = members.filter((m) => m.role === 'tp' || m.role === 'sl');
    // An exit that fills or triggers ends the trade: what is left of the entry goes first.
    const exited = exits.find((m) => m.triggered || filled(m).isPositive());
    if (exited && WORKING.has(entry.status)) {
      await this.cancel(entry, `its ${words(exited)} ${exited.triggered ? 'triggered' : 'filled'}`);
      return;
    }
    const closed = Dec.sum(exits.map(filled));
    const capacity = filled(entry).sub(closed);
    for (const plan of entry.attached ?? []) {
      if (plan.orderId !== null || plan.refused !== null || exits.some((m) => m.role === plan.role)) continue;
      if (!capacity.isPositive()) continue;
      await this.placePlanned(entry, plan, capacity);
    }
    await this.oneCancelsOther(exits, capacity);
  }

  private async syncOco(legs: Order[]): Promise<void> {
    const total = Dec.parse(legs[0]!.groupQuantity ?? legs[0]!.quantity);
    await this.oneCancelsOther(legs, total.sub(Dec.sum(legs.map(filled))));
  }

  /**
   * Among one-cancels-other orders with `capacity` left to close between
   * them: one that triggered cancels the others; each other working one is
   * sized to what it has filled plus the capacity, and cancelled when that
   * leaves it nothing.
   */
  private async oneCancelsOther(members: Order[], capacity: Dec): Promise<void> {
    const triggered = members.find((m) => m.triggered);
    for (const m of members) {
      if (!WORKING.has(m.status)) continue;
      if (triggered && m !== triggered && !m.triggered) {
        await this.cancel(m, `one-cancels-other: the ${words(triggered)} triggered`);
        continue;
      }
      const desired = filled(m).add(Dec.max(capacity, Dec.ZERO));
      if (desired.lte(filled(m))) {
        await this.cancel(m, 'one-cancels-other: nothing is left for it to close');
      } else if (!desired.eq(Dec.parse(m.quantity))) {
        if (!this.attempt(`${m.id}|size|${desired.toString()}`, 1)) continue;
        try {
          await this.deps.resize(m.id, desired.toString());
        } catch (error) {
          this.deps.activity.record('warning', 'order', `Could not size ${m.id} to ${desired.toString()}: ${errorText(error)}.`, { orderId: m.id });
        }
      }
    }
  }

  private async placePlanned(entry: Order, plan: AttachedOrder, quantity: Dec): Promise<void> {
    const { orders, activity } = this.deps;
    const what = plan.role === 'tp' ? 'take-profit' : 'stop-loss';
    if (this.deps.halted()) {
      const refused = 'trading was halted when its entry filled';
      orders.notePlanned(entry.id, plan.clientOrderId, { refused });
      activity.record('error', 'order', `The ${what} of ${entry.id} was not placed: ${refused}. The position it should protect is not protected.`, { orderId: entry.id });
      return;
    }
    const params: PlaceOrderParams = {
      venue: entry.venue,
      symbol: entry.symbol,
      side: entry.side === 'buy' ? 'sell' : 'buy',
      type: plan.type,
      quantity: quantity.toString(),
      ...(plan.price !== null ? { price: plan.price } : {}),
      ...(plan.stopPrice !== null ? { stopPrice: plan.stopPrice } : {}),
      ...(plan.trailing !== null ? { trailing: plan.trailing } : {}),
      reduceOnly: true,
      // A stop-loss the market has already passed must still go out: it is the trader's protection, placed for them.
      ...(plan.stopPrice !== null ? { triggerNow: true } : {}),
      clientOrderId: plan.clientOrderId,
    };
    const placed = await this.deps.place(params, sourceOfOrder(entry), { role: plan.role, parentId: entry.id, groupId: entry.id });
    if ('order' in placed) {
      orders.notePlanned(entry.id, plan.clientOrderId, { orderId: placed.order.id });
      activity.record('info', 'order', `The ${what} of ${entry.id} is placed as ${placed.order.id} (${quantity.toString()}).`, { orderId: placed.order.id });
      return;
    }
    orders.notePlanned(entry.id, plan.clientOrderId, { refused: placed.refused });
    activity.record('error', 'order', `The ${what} of ${entry.id} could not be placed (${placed.refused}). The position it should protect is not protected.`, { orderId: entry.id });
  }

  private async cancel(order: Order, why: string): Promise<void> {
    if (!this.attempt(`${order.id}|cancel`, CANCEL_ATTEMPTS)) return;
    try {
      await this.deps.cancel(order.id);
      this.deps.activity.record('info', 'order', `Canceled ${order.id}: ${why}.`, { orderId: order.id });
    } catch (error) {
      this.deps.activity.record('warning', 'order', `Could not cancel ${order.id} (${why}): ${errorText(error)}.`, { orderId: order.id });
    }
  }

  /** Counts an attempt; false once `limit` attempts have been made. */
  private attempt(key: string, limit: number): boolean {
    const made = this.attempts.get(key) ?? 0;
    if (made >= limit) return false;
    this.attempts.set(key, made + 1);
    return true;
  }

  /** True when the venue leaves this order's kind of group to Keel. */
  private managed(order: Order): boolean {
    const features = this.deps.features(order.venue);
    const bracket = order.role === 'entry' || order.role === 'tp' || order.role === 'sl';
    return bracket ? !features?.brackets : order.role === 'oco' ? !features?.oco : false;
  }

  private managedOn(venue: string): boolean {
    const features = this.deps.features(venue);
    return !features?.brackets || !features.oco;
  }

  private queue(groupId: string): void {
    if (this.queued.has(groupId)) return;
    this.queued.add(groupId);
    void this.deps.commands
      .run(async () => {
        this.queued.delete(groupId);
        await this.sync(groupId);
      })
      .catch((error: unknown) => this.deps.log.warn(`[orders] keeping group ${groupId} in line failed: ${errorText(error)}`));
  }
}
