import { describe, expect, it } from 'vitest';
import {
  ALL_IN_FRACTION,
  allInQuantity,
  entryPrice,
  equityFractionQuantity,
  floorDivide,
  floorToLot,
  riskQuantity,
  valueQuantity,
  type SizingInputs,
} from './sizing';

const BASE: SizingInputs = {
  side: 'buy',
  available: 10_000,
  equity: 10_000,
  leverage: 1,
  price: 100,
  touch: 100,
  entrySpread: 0,
  feeRate: 0,
  lot: 1,
  reserve: 0,
};

const inputs = (over: Partial<SizingInputs>): SizingInputs => ({ ...BASE, ...over });

describe('floorDivide', () => {
  it('answers ⌊a ÷ b⌋ as Python\'s a // b does, one below where a ÷ b rounds up to a whole number', () => {
    // 0.1 is a hair above a tenth, so 1 holds it only 9 whole times; the float quotient rounds to 10.
    expect(1 / 0.1).toBe(10);
    expect(Math.floor(1 / 0.1)).toBe(10);
    expect(floorDivide(1, 0.1)).toBe(9);
  });

  it('is exact on whole and exactly representable numbers', () => {
    expect(floorDivide(10, 2)).toBe(5);
    expect(floorDivide(7, 2)).toBe(3);
    expect(floorDivide(0.75, 0.25)).toBe(3);
    expect(floorDivide(1, 3)).toBe(0);
  });
});

describe('allInQuantity', () => {
  it('spends available × (1 − 2.2e-16): an exact fit buys one lot less, as the reference does', () => {
    expect(ALL_IN_FRACTION).toBe(1 - 2.2e-16);
    // 10,000 / 100 is 100 exactly; the sliver kept back makes it 99.
    expect(allInQuantity(BASE)).toBe(99);
    expect(allInQuantity(BASE)).toBe(floorDivide(10_000 * ALL_IN_FRACTION, 100));
    expect(allInQuantity(inputs({ available: 10_050 }))).toBe(100);
  });

  it('spends a share of that budget when asked, and exactly the whole of it at share 1', () => {
    // 10,000 × 0.25 / 100 = 25 exactly; the sliver kept back makes it 24.
    expect(allInQuantity(BASE, 0.25)).toBe(24);
    expect(allInQuantity(inputs({ available: 10_050 }), 0.5)).toBe(50);
    expect(allInQuantity(BASE, 1)).toBe(allInQuantity(BASE));
    expect(allInQuantity(inputs({ available: 10_050 }), 1)).toBe(100);
  });

  it('counts the entry spread on the touch and the fee on the price', () => {
    // Per unit 100 × 1.001 + 100 × 0.002 = 100.3; 10,000 / 100.3 = 99.7…
    const sized = inputs({ entrySpread: 0.001, feeRate: 0.002 });
    expect(allInQuantity(sized)).toBe(99);
    expect(allInQuantity({ ...sized, lot: 0.01 })).toBeCloseTo(99.7, 10);
    expect(allInQuantity({ ...sized, lot: 0.01 }) / 0.01).toBeCloseTo(9970, 6);
  });

  it('multiplies by the leverage and rounds to the lot', () => {
    expect(allInQuantity(inputs({ leverage: 10 }))).toBe(999);
    expect(allInQuantity(inputs({ price: 30_000, touch: 30_000, lot: 0.001 }))).toBeCloseTo(0.333, 12);
  });

  it('prices a short entry below the touch', () => {
    expect(entryPrice(inputs({ side: 'sell', entrySpread: 0.01 }))).toBeCloseTo(99, 12);
    expect(entryPrice(inputs({ side: 'buy', entrySpread: 0.01 }))).toBeCloseTo(101, 12);
    // 10,000 / 99 = 101.01…
    expect(allInQuantity(inputs({ side: 'sell', entrySpread: 0.01 }))).toBe(101);
  });

  it('answers 0 with nothing available, no price, or less than a lot', () => {
    expect(allInQuantity(inputs({ available: 0 }))).toBe(0);
    expect(allInQuantity(inputs({ available: -5 }))).toBe(0);
    expect(allInQuantity(inputs({ price: 0, touch: 0 }))).toBe(0);
    expect(allInQuantity(inputs({ available: 50 }))).toBe(0);
  });
});

describe('floorToLot', () => {
  it('rounds down to whole lots', () => {
    expect(floorToLot(7.9, 1)).toBe(7);
    expect(floorToLot(0.35, 0.1)).toBeCloseTo(0.3, 12);
    expect(floorToLot(0.12345, 0.001)).toBeCloseTo(0.123, 12);
  });

  it('keeps a quantity that is a whole number of lots but for float dust', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floats: still three lots.
    expect(0.3 / 0.1).toBeLessThan(3);
    expect(floorToLot(0.3, 0.1) / 0.1).toBeCloseTo(3, 12);
  });

  it('answers 0 for nothing, negatives, non-numbers and a bad lot', () => {
    expect(floorToLot(0, 1)).toBe(0);
    expect(floorToLot(-3, 1)).toBe(0);
    expect(floorToLot(Number.NaN, 1)).toBe(0);
    expect(floorToLot(Number.POSITIVE_INFINITY, 1)).toBe(0);
    expect(floorToLot(5, 0)).toBe(0);
    expect(floorToLot(0.5, 1)).toBe(0);
  });
});

describe('value, equity fraction and risk', () => {
  it('valueQuantity buys the value at the entry price', () => {
    expect(valueQuantity(1_000, BASE)).toBe(10);
    expect(valueQuantity(1_000, inputs({ lot: 0.001, price: 3, touch: 3 }))).toBeCloseTo(333.333, 9);
    expect(valueQuantity(1_000, inputs({ price: 0, touch: 0 }))).toBe(0);
    expect(valueQuantity(0, BASE)).toBe(0);
  });

  it('equityFractionQuantity is worth the fraction of equity times the leverage', () => {
    expect(equityFractionQuantity(0.5, BASE)).toBe(50);
    expect(equityFractionQuantity(0.5, inputs({ leverage: 2 }))).toBe(100);
    expect(equityFractionQuantity(0, BASE)).toBe(0);
    expect(equityFractionQuantity(-0.5, BASE)).toBe(0);
  });

  it('riskQuantity loses the risk fraction of equity over the stop distance', () => {
    expect(riskQuantity(0.01, 2.5, BASE)).toBe(40);
    expect(riskQuantity(0.01, 3, { equity: 10_000, lot: 0.1 })).toBeCloseTo(33.3, 10);
    expect(riskQuantity(0, 2.5, BASE)).toBe(0);
    expect(riskQuantity(0.01, 0, BASE)).toBe(0);
    expect(riskQuantity(0.01, -1, BASE)).toBe(0);
  });
});
