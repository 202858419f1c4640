/**
 * Orders slice: every order we know, newest first. Updates are full orders
 * upserted by id; a stale copy (an older snapshot, or a place() answer that
 * lands after the fill event) never overwrites a newer one.
 */
import { Dec } from '../../shared/decimal';
import { isTerminalStatus, type Order } from '../../shared/domain';
import type { SliceCreator } from './store';

export interface OrdersSlice {
  /** Sorted by createdAt descending. */
  orders: Order[];
  upsertOrders(list: Order[]): void;
}

/** True when `a` is at least as recent as `b` for the same order. */
function isNewerOrSame(a: Order, b: Order): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  // Same millisecond: a terminal state and more filled quantity can only come later.
  const at = isTerminalStatus(a.status);
  const bt = isTerminalStatus(b.status);
  if (at !== bt) return at;
  try {
    return Dec.parse(a.filledQuantity).gte(Dec.parse(b.filledQuantity));
  } catch {
    return true;
  }
}

function byCreatedDesc(a: Order, b: Order): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function mergeOrders(current: Order[], incoming: readonly Order[]): Order[] {
  if (incoming.length === 0) return current;
  const latest = new Map<string, Order>();
  for (const o of incoming) {
    const seen = latest.get(o.id);
    if (!seen || isNewerOrSame(o, seen)) latest.set(o.id, o);
  }
  let changed = false;
  const next = current.map((o) => {
    const u = latest.get(o.id);
    if (!u) return o;
    latest.delete(o.id);
    if (u === o || !isNewerOrSame(u, o)) return o;
    changed = true;
    return u;
  });
  if (latest.size > 0) {
    next.push(...latest.values());
    next.sort(byCreatedDesc);
    changed = true;
  }
  return changed ? next : current;
}

export function isOpenOrder(o: Order): boolean {
  return !isTerminalStatus(o.status);
}

export const createOrdersSlice: SliceCreator<OrdersSlice> = (set) => ({
  orders: [],
  upsertOrders: (list) => set((s) => ({ orders: mergeOrders(s.orders, list) })),
});
