import { describe, expect, it } from 'vitest';
import { aggregateCandles } from '../../core/candles';
import { Prng } from '../../core/prng';
import type { Bar, Instrument } from '../../../shared/domain';
import { BarMarketSource } from './barMarketSource';
import type { MarketObserver } from './marketSource';

const INSTRUMENT: Instrument = {
  venue: 'backtest', symbol: 'X', base: 'X', quote: 'USD', settle: 'USD', kind: 'linear_perpetual',
  tickSize: '0.01', lotSize: '1', minQuantity: '1', minNotional: '0', makerFee: '0', takerFee: '0', maxLeverage: 1, defaultLeverage: 1,
};
const MINUTE = 60_000;
const DAY = 86_400_000;

function source(spread?: string): BarMarketSource {
  const market = new BarMarketSource({ venue: 'backtest', instruments: [{ instrument: INSTRUMENT }], ...(spread ? { spread } : {}) });
  const observer: MarketObserver = { wantsMarketData: false, batch: (run: () => void) => run(), changed: () => {}, publish: () => {} } as unknown as MarketObserver;
  market.attach(observer);
  return market;
}

describe('the bar market', () => {
  it('keeps the ticker\'s 24-hour high, low, open and volume as a scan of the last day would find them', () => {
    const market = source();
    const rng = new Prng(11);
    const bars: Bar[] = [];
    let price = 100;
    // Irregular spacing, gaps longer than a day included, so the window's edge moves by several bars at once.
    for (let i = 0, t = 0; i < 4_000; i++) {
      t += rng.next() < 0.01 ? 2 * DAY : MINUTE * (1 + Math.floor(rng.next() * 30));
      const open = price;
      price = Math.max(1, Math.round((price + (rng.next() - 0.5) * 2) * 100) / 100);
      const high = Math.round((Math.max(open, price) + rng.next()) * 100) / 100;
      const low = Math.round(Math.max(0.01, Math.min(open, price) - rng.next()) * 100) / 100;
      const bar = { time: t, open, high, low, close: price, volume: Math.floor(rng.next() * 100) };
      bars.push(bar);
      market.pushBar(bar);
      const day = bars.filter((b) => b.time > t - DAY);
      const ticker = market.ticker('X', t);
      expect(Number(ticker.high24h)).toBe(Math.max(...day.map((b) => b.high)));
      expect(Number(ticker.low24h)).toBe(Math.min(...day.map((b) => b.low)));
      expect(Number(ticker.open24h)).toBe(day[0]!.open);
      expect(Number(ticker.volume24h)).toBe(day.reduce((sum, b) => sum + b.volume, 0));
    }
  });

  it('hands back every bar pushed, thousands of them, as candles of its own timeframe and coarser', () => {
    const market = source();
    const rng = new Prng(5);
    const bars: Bar[] = [];
    let price = 50;
    for (let i = 0; i < 5_000; i++) {
      const open = price;
      price = Math.max(1, Math.round((price + (rng.next() - 0.5)) * 100) / 100);
      const bar = { time: i * MINUTE, open, high: Math.round((Math.max(open, price) + 0.01) * 100) / 100, low: Math.min(open, price), close: price, volume: i % 7 };
      bars.push(bar);
      market.pushBar(bar);
    }
    expect(market.candles('X', '1m', 10_000)).toEqual(bars);
    expect(market.candles('X', '1h', 20)).toEqual(aggregateCandles(bars, '1h').slice(-20));
    expect(() => market.pushBar({ ...bars[4_999]!, time: 4_999 * MINUTE })).toThrow(RangeError);
  });

  it('puts the spread on the touch only: bid and ask move, last and mark stay at the price', () => {
    const market = source('0.0002');
    market.pushBar({ time: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 1 });
    expect(market.ticker('X', 0)).toMatchObject({ last: '100.5', mark: '100.5', bid: '100.47', ask: '100.53' });
    // Between ticks the touch is rounded against the taker: 100.01 × 1.0002 = 100.030002 → 100.04.
    market.setPrice(100.01);
    expect(market.quoteTicks('X')).toEqual({ bid: 9998, ask: 10004, last: 10001 });
  });
});
