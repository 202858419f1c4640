import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { BTC_PERP } from '../../../../tests/support/fixtures';
import { amendableFields, checkAmendDraft } from './amendModel';

const limit = { id: 'o-1', type: 'limit', price: '60000', stopPrice: null, quantity: '0.01', filledQuantity: '0.004', triggered: false, role: undefined } as unknown as Order;

describe('an amend from the blotter', () => {
  it('offers the fields the order has: a stop price only before it triggers, no quantity for a take-profit or stop-loss', () => {
    expect(amendableFields(limit)).toEqual({ price: true, stopPrice: false, quantity: true });
    expect(amendableFields({ ...limit, type: 'stop_limit', stopPrice: '1', triggered: true })).toEqual({ price: true, stopPrice: false, quantity: true });
    expect(amendableFields({ ...limit, type: 'stop', price: null, stopPrice: '1', role: 'sl' })).toEqual({ price: false, stopPrice: true, quantity: false });
    expect(amendableFields({ ...limit, type: 'trailing_stop', price: null })).toEqual({ price: false, stopPrice: false, quantity: true });
  });

  it('sends only what changed', () => {
    expect(checkAmendDraft(limit, { price: '60,010', stopPrice: '', quantity: '0.01' }, BTC_PERP)).toEqual({ ok: true, params: { orderId: 'o-1', price: '60010' } });
    expect(checkAmendDraft(limit, { price: '60000', stopPrice: '', quantity: '0.020' }, BTC_PERP)).toEqual({ ok: true, params: { orderId: 'o-1', quantity: '0.02' } });
  });

  it('refuses nothing changed, off-step terms and a quantity not above what filled', () => {
    expect(checkAmendDraft(limit, { price: '60000', stopPrice: '', quantity: '0.01' }, BTC_PERP)).toEqual({ ok: false, field: null, error: 'Nothing has changed.' });
    expect(checkAmendDraft(limit, { price: '60000.05', stopPrice: '', quantity: '0.01' }, BTC_PERP)).toMatchObject({ ok: false, field: 'price' });
    expect(checkAmendDraft(limit, { price: '60000', stopPrice: '', quantity: '0.004' }, BTC_PERP)).toEqual({ ok: false, field: 'quantity', error: 'Quantity must be more than the 0.004 already filled.' });
  });
});
