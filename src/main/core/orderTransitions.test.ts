import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, TERMINAL_ORDER_STATUSES, type OrderStatus } from '../../shared/domain';
import { canTransition, checkTransition } from './orderTransitions';

// The full expected matrix, written out independently of the table under test.
const expected: Record<OrderStatus, OrderStatus[]> = {
  pending_new: ['open', 'partially_filled', 'filled', 'rejected', 'canceled', 'expired'],
  open: ['partially_filled', 'filled', 'pending_cancel', 'canceled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'pending_cancel', 'canceled', 'expired'],
  pending_cancel: ['open', 'partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  rejected: [],
  expired: [],
};

describe('order transitions', () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const allowed = expected[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
        const outcome = checkTransition(from, to);
        expect(outcome.ok).toBe(allowed);
        if (!outcome.ok) expect(outcome.reason).toContain(`${from} -> ${to}`);
      });
    }
  }

  it('terminal states go nowhere', () => {
    for (const from of TERMINAL_ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('a fill after a cancel request is accepted (real-world race)', () => {
    expect(canTransition('pending_cancel', 'filled')).toBe(true);
    expect(canTransition('pending_cancel', 'partially_filled')).toBe(true);
  });

  it('a refused cancel returns the order to the book', () => {
    expect(canTransition('pending_cancel', 'open')).toBe(true);
  });
});
