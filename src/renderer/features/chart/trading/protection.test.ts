import { describe, expect, it } from 'vitest';
import type { Order, Position } from '../../../../shared/domain';
import { BTC_PERP, RESTING_ORDER } from '../../../../../tests/support/fixtures';
import { planProtection, protectiveOrder } from './protection';

const long: Position = {
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'long',
  quantity: '0.25',
  entryPrice: '100',
  markPrice: '101',
  notional: '25.25',
  unrealizedPnl: '0.25',
  realizedPnl: '0',
  realizedPnlGross: '0',
  feesPaid: '0',
  funding: '0',
  leverage: 10,
  marginMode: 'cross',
  margin: '2.5',
  roePercent: '10',
  liquidationPrice: null,
  marginRatio: null,
  updatedAt: 0,
};
const short: Position = { ...long, side: 'short' };
const order = (id: string, patch: Partial<Order>): Order => ({ ...RESTING_ORDER, id, side: 'sell', reduceOnly: true, ...patch });

describe('the exit already protecting a position', () => {
  const sellLimit = order('lim', { type: 'limit', price: '120' });
  const sellStop = order('stp', { type: 'stop', price: null, stopPrice: '90' });
  const bracketSl = order('bsl', { type: 'stop', price: null, stopPrice: '92', role: 'sl', parentId: 'e' });

  it('is a reduce-only limit for the take-profit and a reduce-only stop for the stop-loss, on the exit side', () => {
    expect(protectiveOrder(long, [sellStop, sellLimit], 'tp')?.id).toBe('lim');
    expect(protectiveOrder(long, [sellLimit, sellStop], 'sl')?.id).toBe('stp');
    expect(protectiveOrder(short, [sellLimit, sellStop], 'tp')).toBeNull();
  });

  it('prefers a bracket’s child, and takes no order that is not reduce-only, of another instrument, or a trailing stop', () => {
    expect(protectiveOrder(long, [sellStop, bracketSl], 'sl')?.id).toBe('bsl');
    expect(protectiveOrder(long, [order('x', { reduceOnly: false })], 'tp')).toBeNull();
    expect(protectiveOrder(long, [order('y', { symbol: 'ETH/USDT:USDT' })], 'tp')).toBeNull();
    expect(protectiveOrder(long, [order('t', { type: 'trailing_stop', price: null, stopPrice: '90' })], 'sl')).toBeNull();
  });
});

describe('what a drag of a position handle asks for', () => {
  it('places a reduce-only take-profit limit or stop-loss stop-market for the position’s size when none is working', () => {
    const tp = planProtection('tp', long, [], '110', '101', BTC_PERP);
    expect(tp).toMatchObject({ kind: 'place', draft: { side: 'sell', type: 'limit', price: '110', quantity: '0.25', sizeMode: 'base', reduceOnly: true } });
    const sl = planProtection('sl', short, [], '110', '101', BTC_PERP);
    expect(sl).toMatchObject({ kind: 'place', draft: { side: 'buy', type: 'stop', stopPrice: '110', price: '', quantity: '0.25', reduceOnly: true } });
  });

  it('amends the exit already working', () => {
    const sl = order('stp', { type: 'stop', price: null, stopPrice: '90' });
    expect(planProtection('sl', long, [sl], '95', '101', BTC_PERP)).toEqual({ kind: 'amend', order: sl, params: { orderId: 'stp', stopPrice: '95' } });
  });

  it('refuses a take-profit on the losing side of the last price and a stop-loss on the winning side', () => {
    expect(planProtection('tp', long, [], '100', '101', BTC_PERP)).toEqual({
      kind: 'refused',
      error: 'The take-profit of a long goes above the last price (101).',
    });
    expect(planProtection('sl', long, [], '101', '101', BTC_PERP)).toMatchObject({ kind: 'refused' });
    expect(planProtection('tp', short, [], '102', '101', BTC_PERP)).toMatchObject({ kind: 'refused' });
    expect(planProtection('sl', short, [], '102', '101', BTC_PERP)).toMatchObject({ kind: 'place' });
  });
});
