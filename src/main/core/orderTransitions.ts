/**
 * The one table through which an order's status may change. Anything not in
 * the table is an anomaly: it is reported, never applied blindly.
 *
 * Real venues deliver events out of the order one would like: a fill can
 * arrive after we asked to cancel (pending_cancel -> partially_filled/filled),
 * a cancel request can be refused (pending_cancel -> open/partially_filled),
 * and a venue can accept and fill in one breath (pending_new -> filled).
 */
import type { OrderStatus } from '../../shared/domain';

const TABLE: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_new: ['open', 'partially_filled', 'filled', 'rejected', 'canceled', 'expired'],
  open: ['partially_filled', 'filled', 'pending_cancel', 'canceled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'pending_cancel', 'canceled', 'expired'],
  pending_cancel: ['open', 'partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  rejected: [],
  expired: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TABLE[from].includes(to);
}

export type TransitionOutcome = { ok: true; to: OrderStatus } | { ok: false; reason: string };

export function checkTransition(from: OrderStatus, to: OrderStatus): TransitionOutcome {
  return canTransition(from, to)
    ? { ok: true, to }
    : { ok: false, reason: `impossible order transition ${from} -> ${to}` };
}
