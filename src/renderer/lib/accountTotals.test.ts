import { describe, expect, it } from 'vitest';
import type { AccountSummary } from '../../shared/domain';
import type { VenueScheme } from './venueScheme';
import { sameMoneyAccounts, sumAccounts, sumCurrencies } from './accountTotals';

function account(venue: string, currency: string, equity: string, extra: Partial<AccountSummary> = {}): AccountSummary {
  return {
    venue,
    currency,
    balance: equity,
    equity,
    unrealizedPnl: '0',
    realizedPnl: '0',
    realizedPnlGross: '0',
    feesPaid: '0',
    funding: '0',
    marginUsed: '0',
    orderMargin: '0',
    available: equity,
    balances: [],
    leverage: {},
    marginModes: {},
    updatedAt: 1,
    ...extra,
  };
}

describe('sumAccounts', () => {
  it('adds each figure exactly, without float drift', () => {
    const totals = sumAccounts(
      [
        account('a', 'USDT', '0.1', { unrealizedPnl: '-1.25', realizedPnl: '0.2', marginUsed: '10.005', available: '0.07' }),
        account('b', 'USDT', '0.2', { unrealizedPnl: '3.5', realizedPnl: '0.1', marginUsed: '0.995', available: '0.03' }),
      ],
      'USDT',
    );
    expect(totals).toMatchObject({ equity: '0.3', unrealizedPnl: '2.25', realizedPnl: '0.3', marginUsed: '11', available: '0.1', venues: ['a', 'b'] });
  });

  it('leaves out, and names, accounts kept in another currency', () => {
    const totals = sumAccounts([account('a', 'USDT', '100'), account('b', 'USDC', '50')], 'USDT');
    expect(totals?.equity).toBe('100');
    expect(totals?.otherCurrency).toEqual([{ venue: 'b', currency: 'USDC' }]);
  });

  it('answers null when no account is in the currency', () => {
    expect(sumAccounts([account('a', 'USDC', '1')], 'USDT')).toBeNull();
    expect(sumAccounts([], 'USDT')).toBeNull();
  });
});

describe('sameMoneyAccounts', () => {
  const accounts = { paper: account('paper', 'USDT', '10000'), demo: account('demo', 'USDT', '5000'), live: account('live', 'USDT', '300') };
  const schemes: Record<string, VenueScheme> = { paper: 'paper', demo: 'demo', live: 'live' };
  const schemeOf = (venue: string) => schemes[venue] ?? null;

  it('never adds practice money to a live venue', () => {
    expect(sameMoneyAccounts(accounts, schemeOf, 'live').map((a) => a.venue)).toEqual(['live']);
  });

  it('adds paper and demo together', () => {
    expect(sameMoneyAccounts(accounts, schemeOf, 'demo').map((a) => a.venue)).toEqual(['demo', 'paper']);
    expect(sameMoneyAccounts(accounts, schemeOf, 'paper').map((a) => a.venue)).toEqual(['demo', 'paper']);
  });
});

describe('sumCurrencies', () => {
  it('offers the default first, then the others found', () => {
    expect(sumCurrencies({ a: account('a', 'USDC', '1'), b: account('b', 'BTC', '1'), c: account('c', 'USDT', '1') })).toEqual(['USDT', 'BTC', 'USDC']);
    expect(sumCurrencies({})).toEqual(['USDT']);
  });
});
