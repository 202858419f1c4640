import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { RESTING_ORDER } from '../../../../tests/support/fixtures';
import { groupRows } from './orderGroups';

function order(id: string, patch: Partial<Order> = {}): Order {
  return { ...RESTING_ORDER, id, clientOrderId: `c-${id}`, price: '1', ...patch };
}

const rows = (orders: Order[]) => groupRows(orders).map((r) => (r.kind === 'order' ? `${r.child ? '  ' : ''}${r.order.id}` : `  planned ${r.plan.role} of ${r.entry.id}`));

describe('open orders grouped for the blotter', () => {
  it('puts a bracket’s take-profit and stop-loss under their entry, take-profit first, whatever order they came in', () => {
    const entry = order('e', { role: 'entry', groupId: 'e' });
    const sl = order('s', { role: 'sl', parentId: 'e', groupId: 'e' });
    const tp = order('t', { role: 'tp', parentId: 'e', groupId: 'e' });
    expect(rows([sl, order('x'), entry, tp])).toEqual(['x', 'e', '  t', '  s']);
  });

  it('shows the children of an entry that has ended as children of nobody, still marked as such', () => {
    expect(rows([order('t', { role: 'tp', parentId: 'gone' })])).toEqual(['  t']);
  });

  it('lists the take-profit and stop-loss Keel will place, or could not, under the entry', () => {
    const plan = { clientOrderId: 'p', type: 'stop' as const, price: null, stopPrice: '50', trailing: null, orderId: null, refused: null };
    const entry = order('e', { role: 'entry', groupId: 'e', attached: [{ ...plan, role: 'tp', type: 'take_profit' }, { ...plan, role: 'sl', orderId: 'placed' }] });
    expect(rows([entry])).toEqual(['e', '  planned tp of e']);
  });

  it('puts an OCO pair’s second leg under the first', () => {
    expect(rows([order('b', { role: 'oco', parentId: 'a', groupId: 'a' }), order('a', { role: 'oco', groupId: 'a' })])).toEqual(['a', '  b']);
  });
});
