import { describe, expect, it } from 'vitest';
import type { Order, Ticker } from '../../../shared/domain';
import { BTC_PERP, RESTING_ORDER } from '../../../../tests/support/fixtures';
import { DEFAULT_TICKET, type TicketDraft } from '../../stores/ui';
import { checkAmendDraft } from '../blotter/amendModel';
import { amendConfirmation, gateAmend, gateOrder, type GateContext } from './orderGate';

const ticker: Ticker = {
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  bid: '100.0',
  ask: '100.1',
  last: '100.0',
  mark: '100.0',
  open24h: '99',
  high24h: '101',
  low24h: '98',
  change24h: '1',
  changePercent24h: 1,
  volume24h: '1',
  timestamp: 1,
};
const ctx = (patch: Partial<GateContext> = {}): GateContext => ({
  inst: BTC_PERP,
  ticker,
  figures: { leverage: 10, available: '1000' },
  halted: false,
  orders: [],
  prefs: { confirmAbove: false, confirmAboveValue: '10000' },
  ...patch,
});
const draft = (patch: Partial<TicketDraft>): TicketDraft => ({ ...DEFAULT_TICKET, quantity: '1', price: '99', ...patch });

describe('the gate every hand-placed order passes', () => {
  it('lets a valid order through with its params and no question', () => {
    const r = gateOrder(draft({}), ctx());
    expect(r).toMatchObject({ ok: true, confirm: null, params: { side: 'buy', type: 'limit', price: '99', quantity: '1' } });
  });

  it('says which stage refused it: the size, the ticket’s fields, the attachments', () => {
    expect(gateOrder(draft({ sizeMode: 'quote', sizeAmount: '0.0001' }), ctx())).toMatchObject({ ok: false, stage: 'size', field: 'quantity' });
    expect(gateOrder(draft({ price: '99.05' }), ctx())).toMatchObject({ ok: false, stage: 'ticket', field: 'price' });
    const tpBelow = draft({ attach: { ...DEFAULT_TICKET.attach, takeProfit: '98' } });
    expect(gateOrder(tpBelow, ctx())).toMatchObject({ ok: false, stage: 'attachments', field: 'takeProfit' });
  });

  it('sizes a value into a quantity at the order’s price', () => {
    const r = gateOrder(draft({ sizeMode: 'quote', sizeAmount: '500', price: '100' }), ctx());
    expect(r).toMatchObject({ ok: true, params: { quantity: '5' } });
  });

  it('sends reduce-only while trading is halted', () => {
    expect(gateOrder(draft({}), ctx({ halted: true }))).toMatchObject({ ok: true, params: { reduceOnly: true } });
  });

  it('holds back an order worth more than the value set to confirm, and one far larger than the last in the instrument', () => {
    const above = gateOrder(draft({ quantity: '2' }), ctx({ prefs: { confirmAbove: true, confirmAboveValue: '150' } }));
    expect(above.ok && above.confirm?.threshold?.toString()).toBe('150');
    expect(above.ok && above.confirm?.value.toString()).toBe('198');
    const last: Order = { ...RESTING_ORDER, quantity: '0.1', price: '100' };
    const larger = gateOrder(draft({ quantity: '1' }), ctx({ orders: [last] }));
    expect(larger.ok && larger.confirm?.factor?.toString()).toBe('9.9');
    // Reduce-only cannot add exposure: its size against the last order is not asked about.
    expect(gateOrder(draft({ quantity: '1', reduceOnly: true }), ctx({ orders: [last] }))).toMatchObject({ ok: true, confirm: null });
  });
});

describe('the value confirmation of an amend', () => {
  const prefs = { confirmAbove: true, confirmAboveValue: '150' };
  it('asks when the order is worth more than the value at its new price', () => {
    const held = amendConfirmation({ ...RESTING_ORDER, quantity: '2', price: '70' }, { orderId: 'o-1', price: '80' }, prefs);
    expect(held?.value.toString()).toBe('160');
    expect(amendConfirmation({ ...RESTING_ORDER, quantity: '2', price: '80' }, { orderId: 'o-1', price: '70' }, prefs)).toBeNull();
  });

  it('values a stop at its trigger, and asks nothing while the check is off', () => {
    const stop = { ...RESTING_ORDER, type: 'stop' as const, quantity: '2', price: null, stopPrice: '70' };
    expect(amendConfirmation(stop, { orderId: 'o-1', stopPrice: '90' }, prefs)?.value.toString()).toBe('180');
    expect(amendConfirmation(stop, { orderId: 'o-1', stopPrice: '90' }, { ...prefs, confirmAbove: false })).toBeNull();
  });
});

describe('the gate every amend passes, from the blotter’s Edit or a drag on the chart', () => {
  const prefs = { confirmAbove: true, confirmAboveValue: '150' };
  const order = { ...RESTING_ORDER, quantity: '1', price: '100' };
  const edit = (patch: { price?: string; quantity?: string }) =>
    checkAmendDraft(order, { price: patch.price ?? '100', stopPrice: '', quantity: patch.quantity ?? '1' }, BTC_PERP);

  it('refuses what the amend check refuses, with its field and words, and asks nothing', () => {
    expect(gateAmend(order, edit({ price: '100.05' }), prefs)).toMatchObject({ ok: false, field: 'price' });
    expect(gateAmend(order, edit({}), prefs)).toEqual({ ok: false, field: null, error: 'Nothing has changed.' });
  });

  it('sends an amend worth no more than the value as it is', () => {
    expect(gateAmend(order, edit({ price: '120' }), prefs)).toEqual({ ok: true, params: { orderId: 'o-1', price: '120' }, confirm: null });
  });

  it('holds an amend worth more than the value for confirmation, a larger quantity as much as a higher price', () => {
    const bigger = gateAmend(order, edit({ quantity: '2' }), prefs);
    expect(bigger).toMatchObject({ ok: true, params: { orderId: 'o-1', quantity: '2' } });
    expect(bigger.ok && bigger.confirm?.value.toString()).toBe('200');
    expect(bigger.ok && bigger.confirm?.threshold?.toString()).toBe('150');
    const higher = gateAmend(order, edit({ price: '151' }), prefs);
    expect(higher.ok && higher.confirm?.order).toEqual({ venue: 'paper', side: 'buy', type: 'limit', quantity: '1', symbol: 'BTC/USDT:USDT' });
    // Off in Settings → Trading: nothing is asked.
    expect(gateAmend(order, edit({ quantity: '2' }), { ...prefs, confirmAbove: false })).toMatchObject({ ok: true, confirm: null });
  });
});
