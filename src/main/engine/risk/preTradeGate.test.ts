import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { checkOrder, reducesExposure, type EffectiveLimits, type GateContext, type GateOrder } from './preTradeGate';

const d = Dec.parse;
const OFF: EffectiveLimits = {
  maxOrderQuantity: null,
  maxOrderNotional: null,
  maxPositionNotional: null,
  maxOpenOrders: null,
  maxOrdersPerSecond: null,
  maxOrdersPerMinute: null,
  priceBandPercent: null,
};
const order = (o: Partial<GateOrder> = {}): GateOrder => ({
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'limit',
  quantity: d('1'),
  price: d('100'),
  stopPrice: null,
  reduceOnly: false,
  source: 'manual',
  overridePriceBand: false,
  ...o,
});
const ctx = (c: Partial<GateContext> = {}): GateContext => ({
  state: 'ACTIVE',
  position: Dec.ZERO,
  pendingReduce: Dec.ZERO,
  pendingSameSide: Dec.ZERO,
  mark: d('100'),
  referencePrice: d('100'),
  openOrders: 0,
  ordersLastSecond: 0,
  ordersLastMinute: 0,
  quote: 'USDT',
  base: 'BTC',
  ...c,
});
const limit = (l: Partial<EffectiveLimits>) => ({ ...OFF, ...l });

/** The outcome at just under, exactly at, and just over a threshold. */
function around(run: (value: Dec) => ReturnType<typeof checkOrder>, threshold: Dec, step: Dec) {
  return [run(threshold.sub(step)), run(threshold), run(threshold.add(step))].map((r) => (r ? r.limit ?? r.code : 'ok'));
}

describe('pre-trade gate limits', () => {
  it('max order quantity: at the limit passes, over it is refused', () => {
    const l = limit({ maxOrderQuantity: d('2') });
    expect(around((q) => checkOrder(order({ quantity: q }), ctx(), l), d('2'), d('0.001'))).toEqual(['ok', 'ok', 'maxOrderQuantity']);
  });

  it('max order notional', () => {
    const l = limit({ maxOrderNotional: d('500') });
    expect(around((q) => checkOrder(order({ quantity: q }), ctx(), l), d('5'), d('0.01'))).toEqual(['ok', 'ok', 'maxOrderNotional']);
    expect(checkOrder(order({ quantity: d('6') }), ctx(), l)?.message).toBe('Order value 600.00 USDT is above the maximum of 500 USDT.');
  });

  it('writes large figures in a refusal with thousands separators', () => {
    const l = limit({ maxOrderNotional: d('250000') });
    expect(checkOrder(order({ quantity: d('770000') }), ctx(), l)?.message).toBe('Order value 77,000,000.00 USDT is above the maximum of 250,000 USDT.');
  });

  it('max position notional counts the position the order would leave', () => {
    const l = limit({ maxPositionNotional: d('1000') });
    // Long 8 at 100 = 800; buying 2 makes exactly 1000.
    expect(around((q) => checkOrder(order({ quantity: q }), ctx({ position: d('8') }), l), d('2'), d('0.1'))).toEqual([
      'ok',
      'ok',
      'maxPositionNotional',
    ]);
    // Selling 15 from long 8 leaves short 7 (700): allowed although the order itself is large.
    expect(checkOrder(order({ side: 'sell', quantity: d('15') }), ctx({ position: d('8') }), l)).toBeNull();
  });

  it('max position notional counts the open orders on the same side as filled', () => {
    const l = limit({ maxPositionNotional: d('1000') });
    // Long 3 with resting buys of 5: a buy of 2 more would make 10 (1000) if all filled; 2.1 would pass it.
    expect(around((q) => checkOrder(order({ quantity: q }), ctx({ position: d('3'), pendingSameSide: d('5') }), l), d('2'), d('0.1'))).toEqual([
      'ok',
      'ok',
      'maxPositionNotional',
    ]);
    expect(checkOrder(order({ quantity: d('3') }), ctx({ position: d('3'), pendingSameSide: d('5') }), l)?.message).toBe(
      'The position in BTC/USDT:USDT would be worth 1,100.00 USDT if it and the open buy orders of 5 BTC filled, above the maximum of 1,000 USDT.',
    );
    // Ten resting buys of 1 from flat: each alone is well under the limit, the eleventh is not.
    expect(checkOrder(order(), ctx({ pendingSameSide: d('9') }), l)).toBeNull();
    expect(checkOrder(order(), ctx({ pendingSameSide: d('10') }), l)?.limit).toBe('maxPositionNotional');
    // Resting sells against a short count the same way.
    expect(checkOrder(order({ side: 'sell' }), ctx({ position: d('-4'), pendingSameSide: d('6') }), l)?.limit).toBe('maxPositionNotional');
    // Open orders on the other side do not: they would shrink the long, not grow it.
    expect(checkOrder(order({ quantity: d('2') }), ctx({ position: d('8'), pendingReduce: d('5') }), l)).toBeNull();
  });

  it('max open orders', () => {
    const l = limit({ maxOpenOrders: 3 });
    expect([1, 2, 3].map((n) => checkOrder(order(), ctx({ openOrders: n }), l)?.limit ?? 'ok')).toEqual(['ok', 'ok', 'maxOpenOrders']);
  });

  it('order rate per second and per minute', () => {
    const l = limit({ maxOrdersPerSecond: 5, maxOrdersPerMinute: 30 });
    expect([4, 5, 6].map((n) => checkOrder(order(), ctx({ ordersLastSecond: n }), l)?.limit ?? 'ok')).toEqual([
      'ok',
      'maxOrdersPerSecond',
      'maxOrdersPerSecond',
    ]);
    expect([29, 30].map((n) => checkOrder(order(), ctx({ ordersLastMinute: n }), l)?.limit ?? 'ok')).toEqual(['ok', 'maxOrdersPerMinute']);
    // The emergency stop is never throttled.
    expect(checkOrder(order({ source: 'emergency', side: 'sell', reduceOnly: true }), ctx({ ordersLastSecond: 99, position: d('1') }), l)).toBeNull();
  });

  it('price band: at, under and over, for limit and stop prices, with an explicit override', () => {
    const l = limit({ priceBandPercent: d('5') });
    expect(around((p) => checkOrder(order({ price: p }), ctx(), l), d('105'), d('0.01'))).toEqual(['ok', 'ok', 'priceBandPercent']);
    expect(around((p) => checkOrder(order({ price: p }), ctx(), l), d('95'), d('-0.01'))).toEqual(['ok', 'ok', 'priceBandPercent']);
    expect(checkOrder(order({ type: 'stop', price: null, stopPrice: d('120') }), ctx(), l)?.message).toMatch(/^Stop price 120 is 20\.00% from the mark 100; the price band is 5%/);
    expect(checkOrder(order({ price: d('150'), overridePriceBand: true }), ctx(), l)).toBeNull();
  });

  it('orders that only reduce exposure pass size limits, so an exit is never trapped', () => {
    const l = limit({ maxOrderQuantity: d('1'), maxOrderNotional: d('10'), maxOpenOrders: 1 });
    expect(checkOrder(order({ side: 'sell', quantity: d('5') }), ctx({ position: d('5'), openOrders: 4 }), l)).toBeNull();
    expect(checkOrder(order({ side: 'sell', quantity: d('6') }), ctx({ position: d('5'), openOrders: 4 }), l)).not.toBeNull();
  });
});

describe('trading states in the gate', () => {
  it('HALTED refuses everything but reduce-only exits from the emergency stop and from a person', () => {
    const halted = ctx({ state: 'HALTED', position: d('2') });
    expect(checkOrder(order(), halted, OFF)?.code).toBe('HALTED');
    // A person is never trapped: a reduce-only exit (Close, Flatten all, a protective stop) passes.
    expect(checkOrder(order({ side: 'sell', reduceOnly: true }), halted, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'sell', type: 'stop', stopPrice: d('59000'), reduceOnly: true }), halted, OFF)).toBeNull();
    // ...but only reduce-only: an opposite order without the flag could flip the position once filled.
    expect(checkOrder(order({ side: 'sell', quantity: d('1') }), halted, OFF)?.code).toBe('HALTED');
    expect(checkOrder(order({ side: 'buy', reduceOnly: true }), halted, OFF)?.code).toBe('HALTED');
    // Strategies and the automation API stay stopped, whatever they send.
    for (const source of ['api', 'strategy'] as const) {
      const denial = checkOrder(order({ side: 'sell', reduceOnly: true, source }), halted, OFF);
      expect(denial?.code, source).toBe('HALTED');
    }
    expect(checkOrder(order({ side: 'sell', reduceOnly: true, source: 'api' }), halted, OFF)?.message).toContain('automation API');
    expect(checkOrder(order({ side: 'sell', reduceOnly: true, source: 'emergency' }), halted, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'buy', reduceOnly: true, source: 'emergency' }), halted, OFF)?.code).toBe('HALTED');
  });

  it('a person’s exit while HALTED still meets the rate limit and the price band', () => {
    const halted = ctx({ state: 'HALTED', position: d('2'), ordersLastSecond: 5 });
    const l = limit({ maxOrdersPerSecond: 5 });
    expect(checkOrder(order({ side: 'sell', reduceOnly: true }), halted, l)?.limit).toBe('maxOrdersPerSecond');
  });

  it('REDUCING lets a long be reduced and nothing else', () => {
    const long = ctx({ state: 'REDUCING', position: d('3') });
    expect(checkOrder(order({ side: 'sell', quantity: d('3') }), long, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'sell', quantity: d('1'), reduceOnly: true }), long, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'sell', quantity: d('3.001') }), long, OFF)?.code).toBe('REDUCING_ONLY');
    expect(checkOrder(order({ side: 'buy', quantity: d('0.1') }), long, OFF)?.code).toBe('REDUCING_ONLY');
  });

  it('REDUCING lets a short be reduced and nothing else', () => {
    const short = ctx({ state: 'REDUCING', position: d('-3') });
    expect(checkOrder(order({ side: 'buy', quantity: d('2') }), short, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'buy', quantity: d('4') }), short, OFF)?.code).toBe('REDUCING_ONLY');
    expect(checkOrder(order({ side: 'sell', quantity: d('1') }), short, OFF)?.message).toMatch(/short position is 3 BTC/);
    expect(checkOrder(order({ side: 'buy' }), ctx({ state: 'REDUCING' }), OFF)?.message).toMatch(/there is no position/);
  });

  it('counts what other open orders already reduce: fifty 1-lot sells against a 1-lot long are not fifty reductions', () => {
    const reducingLong = ctx({ state: 'REDUCING', position: d('1') });
    expect(checkOrder(order({ side: 'sell', quantity: d('1') }), reducingLong, OFF)).toBeNull();
    expect(checkOrder(order({ side: 'sell', quantity: d('1') }), { ...reducingLong, pendingReduce: d('1') }, OFF)?.code).toBe('REDUCING_ONLY');
    expect(checkOrder(order({ side: 'sell', quantity: d('0.4') }), { ...reducingLong, pendingReduce: d('0.6') }, OFF)).toBeNull();
    // In ACTIVE the size limits apply again once the order no longer reduces.
    const l = limit({ maxOpenOrders: 1 });
    expect(checkOrder(order({ side: 'sell' }), ctx({ position: d('1'), pendingReduce: d('1'), openOrders: 1 }), l)?.limit).toBe('maxOpenOrders');
    // Reduce-only orders are clipped by the venue, so they stay reductions.
    expect(checkOrder(order({ side: 'sell', reduceOnly: true }), { ...reducingLong, pendingReduce: d('1') }, OFF)).toBeNull();
  });

  it('reducesExposure', () => {
    expect(reducesExposure({ side: 'sell', quantity: d('1'), reduceOnly: false }, d('1'))).toBe(true);
    expect(reducesExposure({ side: 'sell', quantity: d('2'), reduceOnly: false }, d('1'))).toBe(false);
    expect(reducesExposure({ side: 'sell', quantity: d('2'), reduceOnly: true }, d('1'))).toBe(true);
    expect(reducesExposure({ side: 'buy', quantity: d('1'), reduceOnly: true }, d('1'))).toBe(false);
    expect(reducesExposure({ side: 'buy', quantity: d('1'), reduceOnly: false }, Dec.ZERO)).toBe(false);
  });
});
