import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { RESTING_ORDER } from '../../../../tests/support/fixtures';
import { cancelAllTarget } from './cancelAllScope';

const order = (patch: Partial<Order>): Order => ({ ...RESTING_ORDER, ...patch });
const open = [
  order({ id: '1', venue: 'paper', symbol: 'BTC/USDT:USDT' }),
  order({ id: '2', venue: 'paper', symbol: 'ETH/USDT:USDT' }),
  order({ id: '3', venue: 'binance', symbol: 'BTC/USDT:USDT' }),
];

describe('what Cancel all cancels', () => {
  it('cancels every order the blotter shows, on every venue or the filtered one', () => {
    const all = cancelAllTarget('all', null, { venue: 'paper', symbol: 'BTC/USDT:USDT' }, open);
    expect(all).toMatchObject({ params: {}, scope: 'every venue', label: 'Cancel all' });
    expect(all.orders.map((o) => o.id)).toEqual(['1', '2', '3']);
    const paper = cancelAllTarget('all', 'paper', { venue: 'paper', symbol: 'BTC/USDT:USDT' }, open);
    expect(paper.params).toEqual({ venue: 'paper' });
    expect(paper.orders.map((o) => o.id)).toEqual(['1', '2']);
  });

  it('cancels only the instrument on screen when scoped to it', () => {
    const btc = cancelAllTarget('symbol', null, { venue: 'paper', symbol: 'BTC/USDT:USDT' }, open);
    expect(btc).toMatchObject({ params: { venue: 'paper', symbol: 'BTC/USDT:USDT' }, scope: 'BTC/USDT:USDT on paper', label: 'Cancel all BTC' });
    expect(btc.orders.map((o) => o.id)).toEqual(['1']);
  });

  it('falls back to everything shown while no instrument is selected', () => {
    expect(cancelAllTarget('symbol', null, { venue: null, symbol: null }, open).params).toEqual({});
  });
});
