import { describe, expect, it } from 'vitest';
import { DEFAULT_TICKET } from '../../../stores/ui';
import { chartOrderDraft, choiceLabel, orderChoicesAt } from './chartOrderMenu';

const labels = (price: string, last: string | null) => orderChoicesAt(price, last).map(choiceLabel);

describe('orders offered at a price on the chart', () => {
  it('offers the orders that wait there: below the last a buy limit and a sell stop, above it a sell limit and a buy stop', () => {
    expect(labels('99.5', '100.0')).toEqual(['Buy limit', 'Sell stop']);
    expect(labels('100.5', '100')).toEqual(['Sell limit', 'Buy stop']);
  });

  it('offers only the limits at the last price, and all four while the last price is unknown', () => {
    expect(labels('100.0', '100')).toEqual(['Buy limit', 'Sell limit']);
    expect(labels('100', null)).toEqual(['Buy limit', 'Sell limit', 'Buy stop', 'Sell stop']);
  });
});

describe('the order a menu item places', () => {
  const ticket = {
    ...DEFAULT_TICKET,
    side: 'sell' as const,
    type: 'market' as const,
    sizeMode: 'quote' as const,
    sizeAmount: '500',
    quantity: '0.5',
    timeInForce: 'IOC' as const,
    postOnly: true,
    reduceOnly: true,
    overridePriceBand: true,
    triggerNow: true,
    price: '1',
    stopPrice: '2',
    attach: { ...DEFAULT_TICKET.attach, takeProfit: '120', stopLoss: '80' },
  };

  it('is a resting limit at the price with the ticket’s size, reduce-only and post-only, and nothing typed for the ticket’s own order', () => {
    const d = chartOrderDraft(ticket, { side: 'buy', type: 'limit' }, '99.5');
    expect(d).toMatchObject({ side: 'buy', type: 'limit', price: '99.5', stopPrice: '', sizeMode: 'quote', sizeAmount: '500', quantity: '0.5' });
    expect(d).toMatchObject({ timeInForce: 'GTC', postOnly: true, reduceOnly: true, overridePriceBand: false, triggerNow: false });
    expect(d.attach.takeProfit).toBe('');
    expect(d.attach.stopLoss).toBe('');
  });

  it('is a stop-market triggering at the price, never post-only', () => {
    const d = chartOrderDraft(ticket, { side: 'sell', type: 'stop' }, '99.5');
    expect(d).toMatchObject({ side: 'sell', type: 'stop', price: '', stopPrice: '99.5', postOnly: false, timeInForce: 'GTC' });
  });
});
