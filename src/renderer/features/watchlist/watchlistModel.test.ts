import { describe, expect, it } from 'vitest';
import type { Instrument, Ticker } from '../../../shared/domain';
import { matchesSearch, nextSort, watchlistRows } from './watchlistModel';

function inst(base: string): Instrument {
  return {
    venue: 'paper',
    symbol: `${base}/USDT:USDT`,
    base,
    quote: 'USDT',
    settle: 'USDT',
    kind: 'linear_perpetual',
    tickSize: '0.01',
    lotSize: '0.01',
    minQuantity: '0.01',
    minNotional: '5',
    makerFee: '0.0002',
    takerFee: '0.0005',
    maxLeverage: 50,
    defaultLeverage: 10,
  };
}

function ticker(base: string, last: string, change: number): Ticker {
  return {
    venue: 'paper',
    symbol: `${base}/USDT:USDT`,
    bid: last,
    ask: last,
    last,
    mark: last,
    open24h: last,
    high24h: last,
    low24h: last,
    change24h: '0',
    changePercent24h: change,
    volume24h: '1',
    timestamp: 1,
  };
}

const LIST = ['BTC', 'ETH', 'SOL', 'XRP', 'LINK'].map(inst);
const TICKERS = Object.fromEntries(
  [ticker('BTC', '80000', -1.5), ticker('ETH', '3000', 2.25), ticker('SOL', '150', 0.5), ticker('XRP', '2.1', 2.25)].map((t) => [`paper|${t.symbol}`, t]),
);
const bases = (rows: Instrument[]) => rows.map((r) => r.base);

describe('watchlist search', () => {
  it('finds instruments by base, symbol or kind, ignoring case', () => {
    expect(bases(watchlistRows(LIST, TICKERS, 'sol', null))).toEqual(['SOL']);
    expect(bases(watchlistRows(LIST, TICKERS, 'btc/usdt', null))).toEqual(['BTC']);
    expect(bases(watchlistRows(LIST, TICKERS, 'ethusdt', null))).toEqual(['ETH']);
    expect(bases(watchlistRows(LIST, TICKERS, 'usdt perp', null))).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'LINK']);
    expect(bases(watchlistRows(LIST, TICKERS, '  ', null))).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'LINK']);
    expect(watchlistRows(LIST, TICKERS, 'doge', null)).toEqual([]);
    expect(matchesSearch(inst('LINK'), 'li spot')).toBe(false);
  });
});

describe('watchlist sort', () => {
  it('sorts by last price and by 24h change, ties in the venue’s order, unpriced last', () => {
    expect(bases(watchlistRows(LIST, TICKERS, '', { key: 'last', descending: true }))).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'LINK']);
    expect(bases(watchlistRows(LIST, TICKERS, '', { key: 'last', descending: false }))).toEqual(['XRP', 'SOL', 'ETH', 'BTC', 'LINK']);
    expect(bases(watchlistRows(LIST, TICKERS, '', { key: 'change', descending: true }))).toEqual(['ETH', 'XRP', 'SOL', 'BTC', 'LINK']);
    expect(bases(watchlistRows(LIST, TICKERS, '', { key: 'symbol', descending: false }))).toEqual(['BTC', 'ETH', 'LINK', 'SOL', 'XRP']);
  });

  it('sorts what the search found', () => {
    expect(bases(watchlistRows(LIST, TICKERS, 'usdt', { key: 'change', descending: false }).slice(0, 2))).toEqual(['BTC', 'SOL']);
  });

  it('cycles a column through its natural direction, the other, then the venue’s order', () => {
    expect(nextSort(null, 'change')).toEqual({ key: 'change', descending: true });
    expect(nextSort({ key: 'change', descending: true }, 'change')).toEqual({ key: 'change', descending: false });
    expect(nextSort({ key: 'change', descending: false }, 'change')).toBeNull();
    expect(nextSort(null, 'symbol')).toEqual({ key: 'symbol', descending: false });
    expect(nextSort({ key: 'last', descending: true }, 'symbol')).toEqual({ key: 'symbol', descending: false });
  });
});
