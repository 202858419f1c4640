/**
 * Brackets and OCO pairs at the paper venue, held and worked by the venue
 * itself as exchanges with native attached orders do (Bybit's TP/SL on
 * create, OKX's attached algo orders):
 *
 * - A bracket is an entry with a take-profit and/or a stop-loss, sent
 *   together. The children are accepted with the entry but wait, on no
 *   ladder, until the entry fills; from its first fill they work
 *   (reduce-only, the other side), never closing more than the entry has
 *   filled less what the children have already closed. A child's quantity is
 *   the most it may still close: the entry's quantity, less what its sibling
 *   has filled; when the entry ends short of its quantity, the entry's fills.
 * - The children are one-cancels-other: a fill of one comes off the other
 *   (which is cancelled once nothing is left for it); a trigger of one
 *   cancels the other at once.
 * - An exit that fills or triggers ends the trade: what is left of the entry
 *   is cancelled (the children are then sized to what it filled).
 * - The entry cancelled (or expired) before any fill takes its children
 *   with it; after fills, they stay to protect what it filled.
 * - An OCO pair is two orders on the same side and quantity; the same
 *   one-cancels-other rules hold between its legs.
 *
 * A child's quantity changed by the venue is reported as `OrderAmended`
 * (not requested, with the reason). Activating a child works it as if just
 * accepted, which may take liquidity; that is deferred until the command or
 * market change that caused it has finished (`flush`), so it never runs
 * inside a fill model's walk.
 */
import type { AttachedSubmit, ExecutionEvent, SubmitOrder } from '../../engine/ports/venue';
import { OFF_STEP, formatSteps, toSteps } from './fixedPoint';
import type { TradedInstrument } from './fillModel';
import { priceTicksOf, rejection, type OrderRejection } from './orderRules';
import type { PaperOrder, PaperOrderStatus } from './paperOrder';

export class PaperGroup {
  constructor(
    readonly kind: 'bracket' | 'oco',
    /** The bracket's entry; null for an OCO pair. */
    readonly entry: PaperOrder | null,
    /** The one-cancels-other orders: a bracket's children, an OCO pair's legs. */
    readonly members: PaperOrder[],
  ) {}

  /** The order whose client order id names the group in the store: the entry, or the first leg. */
  get root(): PaperOrder {
    return this.entry ?? this.members[0]!;
  }
}

/** What the groups need from the exchange. */
export interface PaperGroupHost {
  emit(event: ExecutionEvent): void;
  changed(order: PaperOrder): void;
  finish(order: PaperOrder, status: PaperOrderStatus, now: number, reason?: string, event?: 'OrderCanceled' | 'OrderExpired'): void;
  /** Works an order as if just accepted: arm, rest, trigger or fill it. */
  execute(order: PaperOrder, now: number): void;
  traded(symbol: string): TradedInstrument;
}

const TP_TYPES = ['take_profit', 'take_profit_limit', 'limit'];
const SL_TYPES = ['stop', 'stop_limit', 'trailing_stop'];

function words(order: PaperOrder): string {
  return order.role === 'tp' ? 'take-profit' : order.role === 'sl' ? 'stop-loss' : 'other leg';
}

export class PaperGroups {
  /** Children whose entry has filled, to be worked once the current command or market change is over. */
  private readonly toActivate: PaperOrder[] = [];

  constructor(private readonly host: PaperGroupHost) {}

  /** Why a bracket's children cannot be accepted, or null. */
  checkAttached(cmd: SubmitOrder, traded: TradedInstrument, markTicks: number): OrderRejection | null {
    const attached = cmd.attached ?? [];
    const roles = attached.map((a) => a.role);
    if (new Set(roles).size !== roles.length) return rejection('VENUE_REJECTED', 'a bracket takes at most one take-profit and one stop-loss');
    for (const child of attached) {
      const allowed = child.role === 'tp' ? TP_TYPES : SL_TYPES;
      if (!allowed.includes(child.type)) return rejection('VENUE_REJECTED', `a ${child.role === 'tp' ? 'take-profit' : 'stop-loss'} cannot be a ${child.type} order`);
      for (const [what, text] of [
        ['price', child.price],
        ['stop price', child.stopPrice],
      ] as const) {
        if (text === null) continue;
        const ticks = priceTicksOf(text, `${child.role} ${what}`, traded.math.tick, markTicks);
        if (typeof ticks !== 'number') return ticks;
      }
      const distance = child.trailing && 'distance' in child.trailing ? child.trailing.distance : null;
      if (distance !== null && toSteps(distance, traded.math.tick) === OFF_STEP) {
        return rejection('INVALID_PRECISION', `trail distance ${distance} is not a multiple of the tick size ${traded.math.tick.text}`);
      }
    }
    return null;
  }

  /** The children as the venue holds them: the entry's quantity, the other side, reduce-only, waiting for the entry. */
  childCommands(cmd: SubmitOrder, children: readonly AttachedSubmit[]): SubmitOrder[] {
    return children.map((child) => ({
      clientOrderId: child.clientOrderId,
      symbol: cmd.symbol,
      side: cmd.side === 'buy' ? 'sell' : 'buy',
      type: child.type,
      quantity: cmd.quantity,
      price: child.price,
      stopPrice: child.stopPrice,
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: true,
      trailing: child.trailing,
    }));
  }

  /** Binds a bracket: the children wait for the entry. */
  bracket(entry: PaperOrder, children: PaperOrder[], roles: ReadonlyArray<'tp' | 'sl'>): void {
    const group = new PaperGroup('bracket', entry, children);
    entry.group = group;
    entry.role = 'entry';
    children.forEach((child, i) => {
      child.group = group;
      child.role = roles[i]!;
      child.active = false;
    });
  }

  /** Binds an OCO pair. */
  oco(first: PaperOrder, second: PaperOrder): void {
    const group = new PaperGroup('oco', null, [first, second]);
    for (const leg of group.members) {
      leg.group = group;
      leg.role = 'oco';
    }
  }

  /** Rebuilds the groups of restored orders (open or recently ended) from their records' group names. */
  restore(orders: readonly PaperOrder[], groupOf: (order: PaperOrder) => string | undefined): void {
    const byRoot = new Map<string, PaperOrder[]>();
    for (const order of orders) {
      const root = groupOf(order);
      if (root === undefined) continue;
      byRoot.set(root, [...(byRoot.get(root) ?? []), order]);
    }
    for (const [root, members] of byRoot) {
      const entry = members.find((o) => o.role === 'entry') ?? null;
      const others = members.filter((o) => o !== entry).sort((a, b) => (a.clientOrderId === root ? -1 : b.clientOrderId === root ? 1 : a.seq - b.seq));
      const group = new PaperGroup(entry ? 'bracket' : 'oco', entry, others);
      for (const order of members) order.group = group;
      // Children still waiting for an entry that has filled start working now.
      if (entry && entry.filledLots > 0) for (const child of others) if (child.isOpen && !child.active) this.toActivate.push(child);
    }
  }

  /**
   * Lots a bracket's child may still close now: what its entry has filled,
   * less what the children have closed. Unbounded for anything else.
   */
  capacity(order: PaperOrder): number {
    const group = order.group;
    if (!group || group.kind !== 'bracket' || order === group.entry) return Number.POSITIVE_INFINITY;
    const closed = group.members.reduce((sum, m) => sum + m.filledLots, 0);
    return Math.max(0, group.entry!.filledLots - closed);
  }

  onFill(order: PaperOrder, lots: number, now: number): void {
    const group = order.group;
    if (!group) return;
    if (order === group.entry) {
      for (const child of group.members) if (child.isOpen && !child.active && !this.toActivate.includes(child)) this.toActivate.push(child);
      return;
    }
    // One exit's fill comes off the others; the trade is over for what is left of the entry.
    for (const sibling of group.members) {
      if (sibling !== order && sibling.isOpen) this.shrink(sibling, sibling.lots - lots, `the ${words(order)} filled ${this.lotsText(order, lots)}`, now);
    }
    this.endEntry(group, `its ${words(order)} filled`, now);
  }

  onTrigger(order: PaperOrder, now: number): void {
    const group = order.group;
    if (!group || order === group.entry) return;
    this.endEntry(group, `its ${words(order)} triggered`, now);
    for (const sibling of group.members) {
      if (sibling !== order && sibling.isOpen) this.host.finish(sibling, 'canceled', now, `one-cancels-other: the ${words(order)} triggered`, 'OrderCanceled');
    }
  }

  /** An order of a group ended (after its status is set). */
  onFinish(order: PaperOrder, now: number): void {
    const group = order.group;
    if (!group || order !== group.entry || order.status === 'filled') return;
    const closed = group.members.reduce((sum, m) => sum + m.filledLots, 0);
    for (const child of group.members) {
      if (!child.isOpen) continue;
      if (order.filledLots === 0) this.host.finish(child, 'canceled', now, `its entry was ${order.status} unfilled`, 'OrderCanceled');
      else this.shrink(child, order.filledLots - closed + child.filledLots, `its entry ended: sized to the ${this.lotsText(order, order.filledLots)} it filled`, now);
    }
  }

  /** The entry's quantity was amended: its children follow (the most each may still close). */
  onEntryResized(entry: PaperOrder, now: number): void {
    const group = entry.group;
    if (!group || entry !== group.entry) return;
    for (const child of group.members) {
      if (!child.isOpen) continue;
      const siblingsClosed = group.members.reduce((sum, m) => (m === child ? sum : sum + m.filledLots), 0);
      this.resize(child, entry.lots - siblingsClosed, 'its entry was amended', now);
    }
  }

  /** Works the children whose entry has filled. Runs until nothing is left to activate (an activation may fill more). */
  flush(now: number, activate: (child: PaperOrder) => void): void {
    for (let child = this.toActivate.shift(); child !== undefined; child = this.toActivate.shift()) {
      if (!child.isOpen || child.active) continue;
      child.active = true;
      child.updatedAt = now;
      this.host.changed(child);
      activate(child);
    }
  }

  private endEntry(group: PaperGroup, why: string, now: number): void {
    const entry = group.entry;
    if (entry && entry.isOpen) this.host.finish(entry, 'canceled', now, why, 'OrderCanceled');
  }

  /** Cuts an order to `lots`; one with nothing left ends (filled if it traded, else cancelled). */
  private shrink(order: PaperOrder, lots: number, reason: string, now: number): void {
    if (lots >= order.lots) return;
    if (lots <= order.filledLots) {
      if (order.filledLots === 0) {
        this.host.finish(order, 'canceled', now, `one-cancels-other: ${reason}`, 'OrderCanceled');
        return;
      }
      this.resize(order, order.filledLots, reason, now);
      this.host.finish(order, 'filled', now);
      return;
    }
    this.resize(order, lots, reason, now);
  }

  private resize(order: PaperOrder, lots: number, reason: string, now: number): void {
    if (lots === order.lots || lots <= 0) return;
    const { math } = this.host.traded(order.symbol);
    order.lots = lots;
    order.quantity = formatSteps(lots, math.lot);
    order.updatedAt = now;
    this.host.changed(order);
    this.host.emit({ type: 'OrderAmended', clientOrderId: order.clientOrderId, quantity: order.quantity, price: order.price, stopPrice: order.stopPrice, requested: false, reason, timestamp: now });
  }

  private lotsText(order: PaperOrder, lots: number): string {
    return formatSteps(lots, this.host.traded(order.symbol).math.lot);
  }
}
