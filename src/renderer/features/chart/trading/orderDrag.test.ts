import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain';
import { BTC_PERP, RESTING_ORDER } from '../../../../../tests/support/fixtures';
import { amendForDrag, canDragOrder, linePrice } from './orderDrag';

const order = (patch: Partial<Order>): Order => ({ ...RESTING_ORDER, ...patch });

describe('an order’s line', () => {
  it('stands at a limit’s price, at a stop’s trigger, and at a stop-limit’s limit once it has triggered', () => {
    expect(linePrice(order({ type: 'limit', price: '100' }))).toBe('100');
    expect(linePrice(order({ type: 'stop', price: null, stopPrice: '90' }))).toBe('90');
    expect(linePrice(order({ type: 'stop_limit', price: '89', stopPrice: '90' }))).toBe('90');
    expect(linePrice(order({ type: 'stop_limit', price: '89', stopPrice: '90', triggered: true }))).toBe('89');
    expect(linePrice(order({ type: 'market', price: null }))).toBeNull();
  });

  it('can be dragged for a working order, not for a trailing stop, a market order, or an order still pending or being amended', () => {
    expect(canDragOrder(order({}))).toBe(true);
    expect(canDragOrder(order({ type: 'trailing_stop', price: null, stopPrice: '90' }))).toBe(false);
    expect(canDragOrder(order({ type: 'market', price: null }))).toBe(false);
    expect(canDragOrder(order({ status: 'pending_new' }))).toBe(false);
    expect(canDragOrder(order({ amending: { price: '101' } as Order['amending'] }))).toBe(false);
  });
});

describe('the amend a drag asks for', () => {
  it('moves a limit’s price, keeping its id and nothing else', () => {
    expect(amendForDrag(order({ price: '100' }), '98.5', BTC_PERP)).toEqual({ ok: true, params: { orderId: 'o-1', price: '98.5' } });
  });

  it('moves a stop’s trigger, and a bracket’s take-profit or stop-loss by its price only', () => {
    expect(amendForDrag(order({ type: 'stop', price: null, stopPrice: '90' }), '91', BTC_PERP)).toEqual({ ok: true, params: { orderId: 'o-1', stopPrice: '91' } });
    const tp = order({ id: 'tp-1', type: 'limit', side: 'sell', reduceOnly: true, role: 'tp', parentId: 'e-1', price: '120' });
    expect(amendForDrag(tp, '125', BTC_PERP)).toEqual({ ok: true, params: { orderId: 'tp-1', price: '125' } });
    const sl = order({ id: 'sl-1', type: 'stop', side: 'sell', reduceOnly: true, role: 'sl', parentId: 'e-1', price: null, stopPrice: '80' });
    expect(amendForDrag(sl, '82.5', BTC_PERP)).toEqual({ ok: true, params: { orderId: 'sl-1', stopPrice: '82.5' } });
  });

  it('moves a stop-limit’s limit with its trigger, keeping the gap', () => {
    expect(amendForDrag(order({ type: 'stop_limit', price: '89.5', stopPrice: '90' }), '95', BTC_PERP)).toEqual({
      ok: true,
      params: { orderId: 'o-1', price: '94.5', stopPrice: '95' },
    });
    expect(amendForDrag(order({ type: 'stop_limit', price: '5', stopPrice: '10' }), '4', BTC_PERP)).toMatchObject({ ok: false, field: 'price' });
  });

  it('refuses a price off the tick, a drag put back where it was, and an order whose line cannot move', () => {
    expect(amendForDrag(order({ price: '100' }), '98.55', BTC_PERP)).toMatchObject({ ok: false, field: 'price' });
    expect(amendForDrag(order({ price: '100' }), '100.0', BTC_PERP)).toEqual({ ok: false, field: null, error: 'Nothing has changed.' });
    expect(amendForDrag(order({ type: 'trailing_stop', price: null, stopPrice: '90' }), '91', BTC_PERP)).toMatchObject({ ok: false });
  });
});
