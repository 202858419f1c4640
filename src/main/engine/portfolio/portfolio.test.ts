import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Order } from '../../../shared/domain';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Portfolio } from './portfolio';
import { RESTING_ORDER } from '../../../../tests/support/fixtures';

const d = Dec.parse;

function order(o: Partial<Order>): Order {
  return {
    ...RESTING_ORDER,
    id: `o${Math.random()}`,
    clientOrderId: 'c',
    side: 'sell',
    ...o,
  };
}

function portfolio(position: string): Portfolio {
  const p = new Portfolio(new SqliteJournal(openJournalDatabase(':memory:')), () => undefined);
  p.addVenue({ id: 'paper', currency: 'USDT', initialBalance: d('10000'), defaultLeverage: 10 });
  if (position !== '0') p.applyFill('paper', { symbol: 'BTC/USDT:USDT', side: 'buy', quantity: d(position), price: d('100'), fee: Dec.ZERO }, 0);
  return p;
}

describe('order margin', () => {
  it('orders that add to the position reserve in full', () => {
    expect(portfolio('0').orderMargin('paper', [order({ side: 'buy', quantity: '2', price: '100' })]).toString()).toBe('20');
  });

  it('reducing orders reserve only for their combined size beyond the position', () => {
    const p = portfolio('1');
    const sells = Array.from({ length: 50 }, () => order({ side: 'sell', quantity: '1', price: '100' }));
    // 50 sells against a long of 1: 49 of them add exposure, 49 × 100 / 10 = 490.
    expect(p.orderMargin('paper', sells).toString()).toBe('490');
    expect(p.orderMargin('paper', sells.slice(0, 1)).toString()).toBe('0');
    // Reduce-only orders are clipped by the venue and reserve nothing.
    expect(p.orderMargin('paper', sells.map((o) => ({ ...o, reduceOnly: true }))).toString()).toBe('0');
  });

  it('counts only what is left to fill', () => {
    expect(portfolio('0').orderMargin('paper', [order({ side: 'buy', quantity: '2', filledQuantity: '1.5', price: '100' })]).toString()).toBe('5');
  });
});
