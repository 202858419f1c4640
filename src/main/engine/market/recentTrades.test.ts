import { describe, expect, it } from 'vitest';
import type { MarketTrade } from '../ports/venue';
import { RecentTrades } from './recentTrades';

const trade = (n: number, symbol = 'BTC/USDT:USDT'): MarketTrade => ({
  symbol,
  price: `${100 + n}`,
  quantity: '0.5',
  side: n % 2 === 0 ? 'buy' : 'sell',
  timestamp: 1_000 + n,
});

describe('RecentTrades', () => {
  it('lists the newest trades first, numbered in arrival order per instrument', () => {
    const tape = new RecentTrades(10);
    for (let n = 1; n <= 4; n++) tape.record('paper', trade(n));
    tape.record('paper', trade(9, 'ETH/USDT:USDT'));
    expect(tape.list('paper', 'BTC/USDT:USDT', 3)).toEqual([
      { seq: 4, price: '104', quantity: '0.5', side: 'buy', timestamp: 1_004 },
      { seq: 3, price: '103', quantity: '0.5', side: 'sell', timestamp: 1_003 },
      { seq: 2, price: '102', quantity: '0.5', side: 'buy', timestamp: 1_002 },
    ]);
    expect(tape.list('paper', 'ETH/USDT:USDT', 10)).toEqual([expect.objectContaining({ seq: 1, price: '109' })]);
  });

  it('keeps only the last `capacity` trades, however many print', () => {
    const tape = new RecentTrades(5);
    for (let n = 1; n <= 23; n++) tape.record('paper', trade(n));
    const kept = tape.list('paper', 'BTC/USDT:USDT', 100);
    expect(kept.map((t) => t.seq)).toEqual([23, 22, 21, 20, 19]);
    expect(kept.map((t) => t.price)).toEqual(['123', '122', '121', '120', '119']);
  });

  it('answers nothing for an instrument, a venue or a limit with nothing to show', () => {
    const tape = new RecentTrades(5);
    tape.record('paper', trade(1));
    expect(tape.list('paper', 'SOL/USDT:USDT', 5)).toEqual([]);
    expect(tape.list('binance', 'BTC/USDT:USDT', 5)).toEqual([]);
    expect(tape.list('paper', 'BTC/USDT:USDT', 0)).toEqual([]);
    tape.forgetVenue('paper');
    expect(tape.list('paper', 'BTC/USDT:USDT', 5)).toEqual([]);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new RecentTrades(0)).toThrow(RangeError);
    expect(() => new RecentTrades(2.5)).toThrow(RangeError);
  });
});
