import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../shared/domain';
import { SimulatedClock } from '../../engine/ports/clock';
import type { SubmitOrder } from '../../engine/ports/venue';
import { BarFillModel, type BarFillModelOptions } from './barFillModel';
import { BarMarketSource } from './barMarketSource';
import { exchangeHarness, fillsOf, order } from './testSupport';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);
const SYMBOL = 'X/USD:USD';
const PERP: Instrument = {
  venue: 'paper', symbol: SYMBOL, base: 'X', quote: 'USD', settle: 'USD', kind: 'linear_perpetual',
  tickSize: '0.0001', lotSize: '1', minQuantity: '1', minNotional: '0', makerFee: '0', takerFee: '0', maxLeverage: 1, defaultLeverage: 1,
};

function harness(options: BarFillModelOptions & { spread?: string } = {}) {
  const clock = new SimulatedClock(T0);
  const h = exchangeHarness(
    {
      initialBalance: '100000',
      market: () => new BarMarketSource({ instruments: [{ instrument: PERP }], ...(options.spread ? { spread: options.spread } : {}) }),
      fillModel: new BarFillModel(options),
    },
    clock,
  );
  h.market.pushBar({ time: T0, open: 100, high: 101, low: 99, close: 100.5, volume: 1000 });
  const submit = (cmd: SubmitOrder): void => h.run(() => h.exchange.submit(cmd));
  return { ...h, submit };
}

describe('BarFillModel', () => {
  it('fills a market order at once at the price set between bars (the next open)', () => {
    const h = harness();
    h.market.setPrice(100.25);
    h.submit(order({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: '10' }));
    expect(fillsOf(h.events)).toEqual([expect.objectContaining({ price: '100.25', quantity: '10' })]);
  });

  it('charges the spread on entries only: the entry pays the touch, the exit the price', () => {
    const h = harness({ spread: '0.0002' });
    h.market.setPrice(100);
    h.submit(order({ symbol: SYMBOL, side: 'sell', type: 'market', quantity: '10' }));
    h.submit(order({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: '10', reduceOnly: true }));
    expect(fillsOf(h.events).map((f) => f.price)).toEqual(['99.98', '100']);
  });

  it('moves every taker fill by the slippage, against the trader (the intrabar option)', () => {
    const h = harness({ slippageTicks: 3 });
    h.market.setPrice(100);
    h.submit(order({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: '1' }));
    h.submit(order({ symbol: SYMBOL, side: 'sell', type: 'market', quantity: '1' }));
    expect(fillsOf(h.events).map((f) => f.price)).toEqual(['100.0003', '99.9997']);
  });

  it('works a resting limit against the next bar as the next-bar-open model does, as maker without slippage', () => {
    const h = harness({ slippageTicks: 3 });
    h.submit(order({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '2', price: '99.5' }));
    expect(fillsOf(h.events)).toEqual([]);
    h.clock.advanceTo(T0 + DAY);
    h.market.pushBar({ time: T0 + DAY, open: 100, high: 100.2, low: 99.4, close: 99.9, volume: 1000 });
    expect(fillsOf(h.events)).toEqual([expect.objectContaining({ price: '99.5', quantity: '2', liquidity: 'maker' })]);
  });

  it('refuses a negative spread or fractional slippage', () => {
    expect(() => new BarFillModel({ spread: '-0.1' })).toThrow(RangeError);
    expect(() => new BarFillModel({ slippageTicks: 1.5 })).toThrow(RangeError);
  });
});
