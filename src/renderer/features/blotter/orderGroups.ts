/**
 * Open orders as the blotter lists them: each bracket's take-profit and
 * stop-loss, and an OCO pair's second leg, right under the order they hang
 * from; a bracket entry's take-profit and stop-loss that Keel has not placed
 * yet (it places them as the entry fills, on venues that do not hold
 * brackets) as planned rows, or as refused ones with the reason. Pure.
 */
import type { AttachedOrder, Order } from '../../../shared/domain';

export type BlotterRow =
  | { kind: 'order'; order: Order; child: boolean }
  | { kind: 'planned'; entry: Order; plan: AttachedOrder };

const ROLE_RANK: Record<string, number> = { tp: 0, sl: 1, oco: 2 };

export function groupRows(orders: readonly Order[]): BlotterRow[] {
  const ids = new Set(orders.map((o) => o.id));
  const children = new Map<string, Order[]>();
  for (const o of orders) {
    if (o.parentId && ids.has(o.parentId)) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o]);
  }
  const rows: BlotterRow[] = [];
  for (const o of orders) {
    if (o.parentId && ids.has(o.parentId)) continue;
    rows.push({ kind: 'order', order: o, child: o.parentId !== undefined && o.parentId !== null });
    const mine = [...(children.get(o.id) ?? [])].sort((a, b) => (ROLE_RANK[a.role ?? ''] ?? 3) - (ROLE_RANK[b.role ?? ''] ?? 3));
    for (const c of mine) rows.push({ kind: 'order', order: c, child: true });
    for (const plan of o.attached ?? []) {
      if (plan.orderId === null) rows.push({ kind: 'planned', entry: o, plan });
    }
  }
  return rows;
}

/** The short label of an order's place in its group. */
export function roleLabel(order: Pick<Order, 'role'>): string | null {
  switch (order.role) {
    case 'tp':
      return 'TP';
    case 'sl':
      return 'SL';
    case 'oco':
      return 'OCO';
    case 'entry':
      return 'Entry';
    default:
      return null;
  }
}
