import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { PAPER_INSTRUMENTS } from '../../venues/paper/instruments';
import { increasingQuantity, validateOrder, type OrderIntent, type PreTradeContext } from './preTrade';
import { BTC_PERP } from '../../../../tests/support/fixtures';
import { keelErrorOf } from '../../../../tests/support/keelError';

const d = Dec.parse;
const btc: Instrument = BTC_PERP;

const ctx = (overrides: Partial<PreTradeContext> = {}): PreTradeContext => ({
  instrument: btc,
  bid: d('60000'),
  ask: d('60000.1'),
  last: d('60000'),
  position: Dec.ZERO,
  leverage: 10,
  available: d('10000'),
  ...overrides,
});
const intent = (overrides: Partial<OrderIntent> = {}): OrderIntent => ({
  side: 'buy',
  type: 'market',
  quantity: d('0.01'),
  price: null,
  stopPrice: null,
  reduceOnly: false,
  ...overrides,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof KeelError ? error.code : 'NOT_A_KEEL_ERROR';
  }
}

describe('stops whose trigger is already crossed', () => {
  it('refuses a buy stop at or below the last price and a sell stop at or above it, naming both prices', () => {
    for (const [side, stopPrice] of [['buy', '60000'], ['buy', '59500'], ['sell', '60000'], ['sell', '60500']] as const) {
      for (const type of ['stop', 'stop_limit'] as const) {
        const order = intent({ side, type, stopPrice: d(stopPrice), ...(type === 'stop_limit' ? { price: d(stopPrice) } : {}) });
        let error: unknown;
        try {
          validateOrder(order, ctx());
        } catch (e) {
          error = e;
        }
        expect(error, `${side} ${type} ${stopPrice}`).toBeInstanceOf(KeelError);
        expect((error as KeelError).code).toBe('WOULD_TRIGGER_IMMEDIATELY');
        expect((error as KeelError).message).toContain('would trigger immediately');
        expect((error as KeelError).message).toContain(stopPrice);
        expect((error as KeelError).message).toContain('last price 60000');
      }
    }
  });

  it('accepts stops on the right side, and a crossed one the trader confirmed with "trigger now"', () => {
    expect(codeOf(() => validateOrder(intent({ side: 'buy', type: 'stop', stopPrice: d('60000.1') }), ctx()))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ side: 'sell', type: 'stop', stopPrice: d('59999.9') }), ctx()))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ side: 'buy', type: 'stop', stopPrice: d('59000'), triggerNow: true }), ctx()))).toBeUndefined();
  });

  it('has nothing to compare with before the first trade', () => {
    expect(codeOf(() => validateOrder(intent({ side: 'buy', type: 'stop', stopPrice: d('59000') }), ctx({ last: Dec.ZERO })))).toBeUndefined();
  });
});

describe('validateOrder', () => {
  it('prices a market buy at the ask and computes margin and worst-case fee', () => {
    const result = validateOrder(intent(), ctx());
    expect(result.referencePrice.toString()).toBe('60000.1');
    expect(result.notional.toString()).toBe('600.001');
    expect(result.estimatedFee.toString()).toBe('0.3000005');
    expect(result.requiredMargin.toString()).toBe('60.3001005');
  });

  it('refuses quantities off the lot size and prices off the tick size', () => {
    expect(codeOf(() => validateOrder(intent({ quantity: d('0.0015') }), ctx()))).toBe('INVALID_PRECISION');
    expect(codeOf(() => validateOrder(intent({ type: 'limit', price: d('60000.05') }), ctx()))).toBe('INVALID_PRECISION');
    expect(codeOf(() => validateOrder(intent({ type: 'stop', stopPrice: d('1.25') }), ctx()))).toBe('INVALID_PRECISION');
  });

  it('enforces minimum notional at, under and over the threshold', () => {
    // 0.001 BTC at 5000 = 5 USDT exactly: allowed; at 4999.9 it is under.
    expect(codeOf(() => validateOrder(intent({ type: 'limit', quantity: d('0.001'), price: d('5000') }), ctx()))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ type: 'limit', quantity: d('0.001'), price: d('4999.9') }), ctx()))).toBe('MIN_NOTIONAL');
  });

  it('checks margin against what is available', () => {
    // 1 BTC at 60000.1, 10x: 6000.01 + fee 30.00005 = 6030.01005 needed.
    expect(codeOf(() => validateOrder(intent({ quantity: d('1') }), ctx({ available: d('6030.01005') })))).toBeUndefined();
    const code = codeOf(() => validateOrder(intent({ quantity: d('1') }), ctx({ available: d('6030.01004') })));
    expect(code).toBe('INSUFFICIENT_MARGIN');
  });

  it('explains a margin refusal with the numbers', () => {
    expect(() => validateOrder(intent({ quantity: d('10') }), ctx())).toThrow(/needs 60300\.10 USDT at 10x but only 10000\.00 USDT/);
  });

  it('reduce-only must reduce, and by no more than the position', () => {
    expect(codeOf(() => validateOrder(intent({ side: 'sell', reduceOnly: true }), ctx()))).toBe('REDUCE_ONLY_REJECTED');
    expect(codeOf(() => validateOrder(intent({ side: 'buy', reduceOnly: true }), ctx({ position: d('0.5') })))).toBe('REDUCE_ONLY_REJECTED');
    expect(codeOf(() => validateOrder(intent({ side: 'sell', reduceOnly: true, quantity: d('0.6') }), ctx({ position: d('0.5') })))).toBe(
      'REDUCE_ONLY_REJECTED',
    );
    const ok = validateOrder(intent({ side: 'sell', reduceOnly: true, quantity: d('0.5') }), ctx({ position: d('0.5'), available: Dec.ZERO }));
    expect(ok.requiredMargin.isZero()).toBe(true);
    expect(codeOf(() => validateOrder(intent({ side: 'buy', reduceOnly: true, quantity: d('0.5') }), ctx({ position: d('-0.5') })))).toBeUndefined();
  });

  it('lets a reduce-only order below the minimum value close a small remainder', () => {
    expect(codeOf(() => validateOrder(intent({ side: 'sell', reduceOnly: true, quantity: d('0.001'), type: 'limit', price: d('4000') }), ctx({ position: d('0.001') })))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ side: 'sell', quantity: d('0.001'), type: 'limit', price: d('4000') }), ctx({ position: d('0.001') })))).toBe('MIN_NOTIONAL');
  });

  it('charges margin for a "reducing" order once other open orders already claim the position', () => {
    const full = validateOrder(intent({ side: 'sell', quantity: d('0.5') }), ctx({ position: d('0.5'), pendingReduce: d('0.5') }));
    expect(full.requiredMargin.isPositive()).toBe(true);
    const none = validateOrder(intent({ side: 'sell', quantity: d('0.5') }), ctx({ position: d('0.5') }));
    expect(none.requiredMargin.isZero()).toBe(true);
    expect(increasingQuantity('sell', d('0.5'), d('0.5'), d('0.3')).toString()).toBe('0.3');
  });

  it('needs margin only for the part of an order that goes beyond the position', () => {
    expect(increasingQuantity('sell', d('0.3'), d('0.5')).toString()).toBe('0');
    expect(increasingQuantity('sell', d('0.8'), d('0.5')).toString()).toBe('0.3');
    expect(increasingQuantity('buy', d('0.8'), d('0.5')).toString()).toBe('0.8');
    expect(increasingQuantity('buy', d('0.2'), d('-0.5')).toString()).toBe('0');
  });
});

describe('the position limit of the leverage\'s margin bracket', () => {
  // The paper venue's BTC perpetual: 100x up to 50,000 USDT, 75x up to 250,000.
  const tiered = PAPER_INSTRUMENTS.find((s) => s.instrument.symbol === 'BTC/USDT:USDT')!.instrument;
  const at100x = (overrides: Partial<PreTradeContext> = {}) => ctx({ instrument: tiered, leverage: 100, available: d('1000000'), ...overrides });

  it('refuses an order whose resulting position is above the notional the leverage allows, naming the bracket and the limit', () => {
    // 0.84 BTC at the ask 60000.1 is 50,400.084 USDT.
    const error = keelErrorOf(() => validateOrder(intent({ quantity: d('0.84') }), at100x()));
    expect(error.code).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect(error.message).toContain('at most 75x');
    expect(error.message).toContain('at 100x the position may be at most 50000.00 USDT');
    expect(error.data).toMatchObject({ leverage: 100, maxNotional: '50000', bracketMaxLeverage: 75 });
    expect(d((error.data as { notional: string }).notional).eq(d('0.84').mul(d('60000.1')))).toBe(true);
  });

  it('counts the position the order adds to, and a flip by what it leaves', () => {
    expect(codeOf(() => validateOrder(intent({ quantity: d('0.1') }), at100x({ position: d('0.8') })))).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect(codeOf(() => validateOrder(intent({ quantity: d('0.1') }), at100x({ position: d('0.7') })))).toBeUndefined();
    // Short 0.5, buy 1.4: long 0.9 at 60000.1 is 54,000.09.
    expect(codeOf(() => validateOrder(intent({ quantity: d('1.4') }), at100x({ position: d('-0.5') })))).toBe('LEVERAGE_BRACKET_EXCEEDED');
    // Short 0.5, buy 1.2: long 0.7 grows the exposure, but 42,000.07 is within the limit.
    expect(codeOf(() => validateOrder(intent({ quantity: d('1.2') }), at100x({ position: d('-0.5') })))).toBeUndefined();
  });

  it('lets an order that only reduces pass, even when the position is already beyond the limit', () => {
    expect(codeOf(() => validateOrder(intent({ side: 'sell', quantity: d('0.2') }), at100x({ position: d('1') })))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ side: 'sell', quantity: d('1'), reduceOnly: true }), at100x({ position: d('1') })))).toBeUndefined();
    // Long 1, sell 1.5: short 0.5 is smaller than the long it replaces.
    expect(codeOf(() => validateOrder(intent({ side: 'sell', quantity: d('1.5') }), at100x({ position: d('1') })))).toBeUndefined();
  });

  it('takes the same order at a leverage whose brackets reach it, values limit orders at their price, and leaves untiered instruments alone', () => {
    expect(codeOf(() => validateOrder(intent({ quantity: d('0.84') }), at100x({ leverage: 75 })))).toBeUndefined();
    // 0.84 at 59,000 is 49,560; with 0.01 already held, 0.85 × 59,000 is 50,150.
    expect(codeOf(() => validateOrder(intent({ type: 'limit', price: d('59000'), quantity: d('0.84') }), at100x()))).toBeUndefined();
    expect(codeOf(() => validateOrder(intent({ type: 'limit', price: d('59000'), quantity: d('0.84') }), at100x({ position: d('0.01') })))).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect(codeOf(() => validateOrder(intent({ quantity: d('0.84') }), ctx({ leverage: 100, available: d('1000000') })))).toBeUndefined();
  });
});
