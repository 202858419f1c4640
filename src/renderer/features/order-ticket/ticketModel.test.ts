import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Instrument, Order, Ticker } from '../../../shared/domain';
import { DEFAULT_TICKET, type TicketDraft } from '../../stores/ui';
import { BTC_PERP, BTC_TICKER, RESTING_ORDER } from '../../../../tests/support/fixtures';
import {
  LARGE_ORDER_FACTOR,
  checkTicket,
  crossedStop,
  feeKindFor,
  fieldErrors,
  largeOrderFactor,
  leverageChoices,
  parseUserDecimal,
  previewTicket,
  previousOrder,
  valueAboveThreshold,
} from './ticketModel';

const inst: Instrument = BTC_PERP;

const ticker: Ticker = BTC_TICKER;

const draft = (patch: Partial<TicketDraft>): TicketDraft => ({ ...DEFAULT_TICKET, ...patch });

describe('checkTicket', () => {
  it.each([
    [{ quantity: '' }, 'Enter a quantity.'],
    [{ quantity: 'abc' }, 'Quantity must be a number such as 0.001.'],
    [{ quantity: '-1' }, 'Quantity must be positive (no minus sign).'],
    [{ quantity: '+1' }, 'Quantity must be typed without a “+” sign.'],
    [{ quantity: '1e3' }, 'Quantity must be written out in full, without an exponent (1000, not 1e3).'],
    [{ quantity: '0,5' }, 'Quantity uses a comma: type a decimal point (0.5), or commas only between thousands (1,000).'],
    [{ quantity: '0' }, 'Quantity must be greater than zero.'],
    [{ quantity: '0.0015' }, 'Quantity must be a multiple of the lot size 0.001.'],
    [{ quantity: '0.01', price: '' }, 'Enter a limit price.'],
    [{ quantity: '0.01', price: '60000.05' }, 'Limit price must be a multiple of the tick size 0.1.'],
    [{ quantity: '0.01', price: '0' }, 'Limit price must be greater than zero.'],
    [{ quantity: '0.001', price: '1000' }, 'Notional 1.00 USDT is below the minimum notional of 5 USDT.'],
    [{ type: 'stop' as const, quantity: '0.01', stopPrice: 'x' }, 'Stop price must be a number such as 0.1.'],
  ])('rejects %o', (patch, message) => {
    const r = checkTicket(draft(patch), inst, ticker);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(message);
  });

  it('asks for a symbol when there is no instrument', () => {
    expect(checkTicket(draft({ quantity: '1' }), undefined, ticker)).toMatchObject({ ok: false, field: 'symbol' });
  });

  it('builds limit params with exact decimals and no stop price', () => {
    const r = checkTicket(draft({ quantity: '0.010', price: '60000.0' }), inst, ticker);
    expect(r).toMatchObject({
      ok: true,
      params: { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '60000', timeInForce: 'GTC' },
    });
    if (r.ok) expect(r.params).not.toHaveProperty('stopPrice');
  });

  it('sends neither price for a market order even if fields hold text, and checks min notional at the touch', () => {
    const r = checkTicket(draft({ type: 'market', quantity: '0.01', price: '1', stopPrice: '2' }), inst, ticker);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.params).not.toHaveProperty('price');
      expect(r.params).not.toHaveProperty('stopPrice');
    }
    expect(checkTicket(draft({ type: 'market', quantity: '0.0001' }), inst, ticker).ok).toBe(false);
  });

  it('sends stop and limit for a stop-limit, and forces GTC for post-only limits only', () => {
    const sl = checkTicket(draft({ type: 'stop_limit', quantity: '0.01', price: '59000', stopPrice: '59100', postOnly: true }), inst, ticker);
    expect(sl).toMatchObject({ ok: true, params: { price: '59000', stopPrice: '59100' } });
    if (sl.ok) expect(sl.params).not.toHaveProperty('postOnly');
    const po = checkTicket(draft({ quantity: '0.01', price: '59000', postOnly: true, timeInForce: 'IOC' }), inst, ticker);
    expect(po).toMatchObject({ ok: true, params: { postOnly: true, timeInForce: 'GTC' } });
  });

  it('reads what people type in the grammar the contract accepts', () => {
    const r = checkTicket(draft({ quantity: ' 007.50 ', price: '060,000.0' }), inst, ticker);
    expect(r).toMatchObject({ ok: true, params: { quantity: '7.5', price: '60000' } });
  });

  it('sends trigger-now only when ticked, and only for stops', () => {
    const stop = { type: 'stop' as const, quantity: '0.01', stopPrice: '59000' };
    expect(checkTicket(draft(stop), inst, ticker)).toMatchObject({ ok: true });
    const plain = checkTicket(draft(stop), inst, ticker);
    if (plain.ok) expect(plain.params).not.toHaveProperty('triggerNow');
    expect(checkTicket(draft({ ...stop, triggerNow: true }), inst, ticker)).toMatchObject({ ok: true, params: { triggerNow: true } });
    const limit = checkTicket(draft({ quantity: '0.01', price: '59000', triggerNow: true }), inst, ticker);
    if (limit.ok) expect(limit.params).not.toHaveProperty('triggerNow');
  });

  it('passes reduce-only through', () => {
    expect(checkTicket(draft({ quantity: '0.01', price: '59000', reduceOnly: true }), inst, ticker)).toMatchObject({
      ok: true,
      params: { reduceOnly: true },
    });
  });
});

describe('previewTicket', () => {
  it('prices a resting limit order at its limit with the maker fee', () => {
    const p = previewTicket(draft({ quantity: '0.5', price: '60000' }), inst, ticker);
    expect(p.notional?.toString()).toBe('30000');
    expect(p.fee?.toString()).toBe('6');
    expect(p.feeKind).toBe('maker');
    expect(p.margin?.toString()).toBe('3000');
  });

  it('prices a marketable limit order with the taker fee', () => {
    const p = previewTicket(draft({ quantity: '0.5', price: '60000.5' }), inst, ticker);
    expect(p.feeKind).toBe('taker');
    expect(p.fee?.toString()).toBe('15.000125');
  });

  it('uses the maker fee for post-only', () => {
    const p = previewTicket(draft({ quantity: '0.5', price: '60001', postOnly: true }), inst, ticker);
    expect(p.feeKind).toBe('maker');
  });

  it('prices a market buy at the ask and a sell at the bid', () => {
    expect(previewTicket(draft({ type: 'market', quantity: '2' }), inst, ticker).notional?.toString()).toBe('120001');
    expect(previewTicket(draft({ type: 'market', side: 'sell', quantity: '2' }), inst, ticker).notional?.toString()).toBe('120000');
  });

  it('prices a stop order at its stop', () => {
    expect(previewTicket(draft({ type: 'stop', quantity: '1', stopPrice: '50000' }), inst, ticker).notional?.toString()).toBe('50000');
  });
});

describe('feeKindFor', () => {
  it('is maker when a limit would rest and taker when it would take', () => {
    // bid 60000.0, ask 60000.5
    expect(feeKindFor(draft({ side: 'buy', price: '60000.4' }), ticker)).toBe('maker');
    expect(feeKindFor(draft({ side: 'buy', price: '60000.5' }), ticker)).toBe('taker');
    expect(feeKindFor(draft({ side: 'sell', price: '60000.1' }), ticker)).toBe('maker');
    expect(feeKindFor(draft({ side: 'sell', price: '60000.0' }), ticker)).toBe('taker');
    expect(feeKindFor(draft({ side: 'buy', price: '70000', postOnly: true }), ticker)).toBe('maker');
  });

  it('is taker for market and stop orders, and for a limit with no book to compare with', () => {
    expect(feeKindFor(draft({ type: 'market' }), ticker)).toBe('taker');
    expect(feeKindFor(draft({ type: 'stop', stopPrice: '1' }), ticker)).toBe('taker');
    expect(feeKindFor(draft({ type: 'stop_limit', price: '1', stopPrice: '1' }), ticker)).toBe('taker');
    expect(feeKindFor(draft({ price: '1' }), undefined)).toBe('taker');
    expect(feeKindFor(draft({ price: '1' }), { ...ticker, ask: '0' })).toBe('taker');
  });
});

describe('crossedStop', () => {
  // last 60000.2
  it('flags a buy stop at or below the last price and a sell stop at or above it', () => {
    expect(crossedStop(draft({ type: 'stop', side: 'buy', stopPrice: '60000.2' }), ticker)).toMatchObject({ side: 'buy' });
    expect(crossedStop(draft({ type: 'stop', side: 'buy', stopPrice: '59000' }), ticker)?.last.toString()).toBe('60000.2');
    expect(crossedStop(draft({ type: 'stop_limit', side: 'sell', stopPrice: '61000', price: '60900' }), ticker)).not.toBeNull();
  });

  it('leaves stops on the right side, other order types and unreadable input alone', () => {
    expect(crossedStop(draft({ type: 'stop', side: 'buy', stopPrice: '60000.3' }), ticker)).toBeNull();
    expect(crossedStop(draft({ type: 'stop', side: 'sell', stopPrice: '60000.1' }), ticker)).toBeNull();
    expect(crossedStop(draft({ type: 'limit', side: 'buy', stopPrice: '1' }), ticker)).toBeNull();
    expect(crossedStop(draft({ type: 'stop', side: 'buy', stopPrice: 'x' }), ticker)).toBeNull();
    expect(crossedStop(draft({ type: 'stop', side: 'buy', stopPrice: '1' }), undefined)).toBeNull();
  });
});

describe('fieldErrors', () => {
  it('says what is wrong with each typed field the order type uses, and nothing about empty ones', () => {
    expect(fieldErrors(draft({ quantity: '', price: '' }), inst)).toEqual({});
    expect(fieldErrors(draft({ quantity: '0.0015', price: '1e5', stopPrice: 'x' }), inst)).toEqual({
      quantity: 'Quantity must be a multiple of the lot size 0.001.',
      price: 'Limit price must be written out in full, without an exponent (1000, not 1e3).',
    });
    expect(fieldErrors(draft({ type: 'stop', stopPrice: '-5' }), inst)).toEqual({ stopPrice: 'Stop price must be positive (no minus sign).' });
  });
});

describe('the large-order check', () => {
  const order = (patch: Partial<Order>): Order => ({
    ...RESTING_ORDER,
    id: 'o',
    clientOrderId: 'c',
    quantity: '0.1',
    price: '60000',
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  });

  it('compares with the newest manual order the venue took in the same instrument', () => {
    const orders = [
      order({ id: 'rejected', quantity: '9', status: 'rejected' }),
      order({ id: 'bot', quantity: '8', source: 'api', sourceId: 'bot' }),
      order({ id: 'eth', symbol: 'ETH/USDT:USDT', quantity: '7' }),
      order({ id: 'market', type: 'market', price: null, quantity: '0.2', status: 'filled', averagePrice: '50000' }),
      order({ id: 'older' }),
    ];
    const prev = previousOrder(orders, 'paper', 'BTC/USDT:USDT');
    expect(prev?.order.id).toBe('market');
    expect(prev?.value.toString()).toBe('10000');
    expect(previousOrder(orders, 'paper', 'SOL/USDT:USDT')).toBeNull();
  });

  it(`asks only above ${LARGE_ORDER_FACTOR}× the previous value, and never without one`, () => {
    const prev = { order: order({}), value: Dec.parse('6000') };
    expect(largeOrderFactor(Dec.parse('30000'), prev)).toBeNull();
    expect(largeOrderFactor(Dec.parse('30000.1'), prev)?.gt(Dec.parse('5'))).toBe(true);
    expect(largeOrderFactor(Dec.parse('1000000'), null)).toBeNull();
    expect(largeOrderFactor(null, prev)).toBeNull();
  });
});

describe('parseUserDecimal', () => {
  it('accepts what people type and rejects the rest', () => {
    expect(parseUserDecimal(' .5 ')?.toString()).toBe('0.5');
    expect(parseUserDecimal('2.')?.toString()).toBe('2');
    expect(parseUserDecimal('1,000.5')?.toString()).toBe('1000.5');
    expect(parseUserDecimal('007')?.toString()).toBe('7');
    expect(parseUserDecimal('+1')).toBeNull();
    expect(parseUserDecimal('1,5')).toBeNull();
    expect(parseUserDecimal('NaN')).toBeNull();
    expect(parseUserDecimal('')).toBeNull();
  });
});

describe('leverage in the ticket', () => {
  it('offers common steps up to the instrument maximum, plus the one in force', () => {
    expect(leverageChoices({ maxLeverage: 50 } as Instrument, 10)).toEqual([1, 2, 3, 5, 10, 20, 25, 50]);
    expect(leverageChoices({ maxLeverage: 20 } as Instrument, 7)).toEqual([1, 2, 3, 5, 7, 10, 20]);
  });

  it('prices the initial margin at the leverage in force, not the default', () => {
    const at10 = previewTicket(draft({ quantity: '1', price: '60000' }), inst, ticker);
    const at3 = previewTicket(draft({ quantity: '1', price: '60000' }), inst, ticker, 3);
    expect(at10.margin?.toString()).toBe('6000');
    expect(at3.margin?.toString()).toBe('20000');
    expect(at3.leverage).toBe(3);
  });
});

describe('orders above the value the trader asked to confirm', () => {
  const prefs = { confirmAbove: true, confirmAboveValue: '10000' };
  it('asks above the value, not at or below it, and never while the check is off', () => {
    expect(valueAboveThreshold(Dec.parse('10000.01'), prefs)?.toString()).toBe('10000');
    expect(valueAboveThreshold(Dec.parse('10000'), prefs)).toBeNull();
    expect(valueAboveThreshold(Dec.parse('50000'), { ...prefs, confirmAbove: false })).toBeNull();
    expect(valueAboveThreshold(null, prefs)).toBeNull();
  });
});
