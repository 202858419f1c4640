import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderSide } from '../../../shared/domain';
import { CashAccount } from './cashAccount';
import type { Reservable } from './exchangeAccount';
import { toSteps } from './fixedPoint';
import { instrumentMath, type InstrumentMath } from './instruments';

const D = (text: string): Dec => Dec.parse(text);

const instrument: Instrument = {
  venue: 'paper',
  symbol: 'EUR/USD',
  base: 'EUR',
  quote: 'USD',
  settle: 'USD',
  kind: 'spot',
  tickSize: '0.00001',
  lotSize: '1',
  minQuantity: '1',
  minNotional: '0',
  makerFee: '0.0001',
  takerFee: '0.0002',
  maxLeverage: 1,
  defaultLeverage: 1,
};
const SYMBOL = instrument.symbol;
const math: InstrumentMath = instrumentMath(instrument, '100000000');

const ticks = (price: string): number => toSteps(price, math.tick);
/** Exact fee of `quantity` at `price` at `rate`. */
const feeOf = (price: string, quantity: string, rate: string): Dec => D(price).mul(D(quantity)).mul(D(rate));

function newAccount(balance = '10000', mark = '1.1'): { account: CashAccount; marks: Map<string, Dec> } {
  const marks = new Map([[SYMBOL, D(mark)]]);
  return { account: new CashAccount('USD', D(balance), [math], (symbol) => marks.get(symbol)!), marks };
}

function fill(account: CashAccount, side: OrderSide, quantity: string, price: string, rate = '0.0002'): Dec {
  const fee = feeOf(price, quantity, rate);
  account.applyFill(SYMBOL, side, Number(quantity), ticks(price), fee, 1);
  return fee;
}

function resting(side: OrderSide, lots: number): Reservable {
  return { symbol: SYMBOL, side, remainingLots: lots, reservedLots: 0, reservedTicks: 0 };
}

describe('CashAccount', () => {
  it('buys whole units with cash, the commission paid from cash too, and values the holdings at the mark', () => {
    const { account, marks } = newAccount();
    const fee = fill(account, 'buy', '9000', '1.07156');
    const cash = D('10000').sub(D('1.07156').mul(D('9000'))).sub(fee);
    expect(account.cash.eq(cash)).toBe(true);
    expect(account.balanceReports()).toEqual([{ currency: 'USD', total: cash.toString() }]);
    expect(account.positionReports()).toEqual([{ symbol: SYMBOL, quantity: '9000', entryPrice: '1.07156', leverage: 1 }]);
    marks.set(SYMBOL, D('1.08'));
    const f = account.figures();
    expect(f.balance.eq(cash)).toBe(true);
    expect(f.equity.eq(cash.add(D('9000').mul(D('1.08'))))).toBe(true);
    expect(f.unrealizedPnl.eq(D('9000').mul(D('1.08').sub(D('1.07156'))))).toBe(true);
    expect(f.positionMargin.isZero()).toBe(true);
    expect(f.available.eq(cash)).toBe(true);
  });

  it('sells what it holds: cash comes back less the fee, exactly, and the realized PnL is booked', () => {
    const { account } = newAccount();
    const buyFee = fill(account, 'buy', '9000', '1.07156');
    const sellFee = fill(account, 'sell', '4000', '1.08977');
    const rest = fill(account, 'sell', '5000', '1.06');
    const cash = D('10000')
      .sub(D('1.07156').mul(D('9000')))
      .sub(buyFee)
      .add(D('1.08977').mul(D('4000')))
      .sub(sellFee)
      .add(D('1.06').mul(D('5000')))
      .sub(rest);
    expect(account.cash.eq(cash)).toBe(true);
    expect(account.positionReports()).toEqual([]);
    expect(account.ledger.realizedPnl.eq(D('4000').mul(D('1.08977').sub(D('1.07156'))).add(D('5000').mul(D('1.06').sub(D('1.07156')))))).toBe(true);
    expect(account.ledger.feesPaid.eq(buyFee.add(sellFee).add(rest))).toBe(true);
    expect(account.figures().equity.eq(cash)).toBe(true);
  });

  it('refuses a buy beyond its cash (price × quantity + taker fee) and a sell beyond its holdings: no leverage, no shorting', () => {
    const { account } = newAccount('1000.2');
    // 1,000 units at 1 cost 1,000 + 0.2 of fee: exactly the cash.
    expect(account.checkFunds(SYMBOL, 'buy', 1000, ticks('1'))).toEqual({ ok: true });
    expect(account.checkFunds(SYMBOL, 'buy', 1001, ticks('1'))).toEqual({ ok: false, reason: 'order needs 1001.20 USD of cash, 1000.20 available' });
    expect(account.checkFunds(SYMBOL, 'sell', 1, ticks('1'))).toMatchObject({ ok: false, reason: expect.stringMatching(/sells only what it holds/) });
    expect(account.reducibleLots(SYMBOL, 'buy')).toBe(0);
    fill(account, 'buy', '500', '1');
    expect(account.checkFunds(SYMBOL, 'sell', 500, ticks('1'))).toEqual({ ok: true });
    expect(account.checkFunds(SYMBOL, 'sell', 501, ticks('1'))).toMatchObject({ ok: false });
    expect(account.reducibleLots(SYMBOL, 'sell')).toBe(500);
    expect(account.leverage()).toBe(1);
    expect(() => account.setLeverage(SYMBOL, 2)).toThrow(RangeError);
    expect(() => account.setLeverage(SYMBOL, 1)).not.toThrow();
  });

  it('holds cash for resting buys and units for resting sells, and releases them', () => {
    const { account } = newAccount('1000');
    fill(account, 'buy', '300', '1', '0');
    const buy = resting('buy', 200);
    account.reserve(buy, ticks('2'));
    // 200 × 2 × (1 + taker fee) is held.
    const held = D('400').add(feeOf('2', '200', '0.0002'));
    expect(account.figures().orderMargin.eq(held)).toBe(true);
    expect(account.available().eq(D('700').sub(held))).toBe(true);
    expect(account.checkFunds(SYMBOL, 'buy', 300, ticks('1'))).toMatchObject({ ok: false });
    const sell = resting('sell', 250);
    account.reserve(sell, ticks('3'));
    expect(account.checkFunds(SYMBOL, 'sell', 51, ticks('1'))).toMatchObject({ ok: false });
    expect(account.checkFunds(SYMBOL, 'sell', 50, ticks('1'))).toEqual({ ok: true });
    account.release(buy);
    account.release(sell);
    expect(account.figures().orderMargin.isZero()).toBe(true);
    expect(account.checkFunds(SYMBOL, 'sell', 300, ticks('1'))).toEqual({ ok: true });
  });

  it('says how much of an order it can settle at a price: what the cash pays for, what it holds', () => {
    const { account } = newAccount('1000');
    const feeK = math.takerFeeK;
    const buy = resting('buy', 2000);
    // 1000 / (0.6 × 1.0002) = 1666.3...
    expect(account.fillableLots(buy, ticks('0.6'), feeK)).toBe(1666);
    expect(account.fillableLots(buy, ticks('0.4'), feeK)).toBe(2000);
    expect(account.fillableLots(buy)).toBe(2000);
    // Its own hold counts as its own; another order's does not.
    const other = resting('buy', 500);
    account.reserve(other, ticks('1'));
    // (1000 − 500 × 1.0002) / 1.0002 = 499.8...
    expect(account.fillableLots(buy, ticks('1'), feeK)).toBe(499);
    expect(account.fillableLots(other, ticks('1'), feeK)).toBe(500);
    fill(account, 'buy', '100', '1', '0');
    const sell = resting('sell', 150);
    expect(account.fillableLots(sell, ticks('1'), feeK)).toBe(100);
  });

  it('never lets a fill take the cash or the holdings below zero', () => {
    const { account } = newAccount('100');
    expect(() => fill(account, 'buy', '100', '1')).toThrow(/costs more than the cash/);
    expect(() => fill(account, 'sell', '1', '1')).toThrow(/cannot sell/);
    expect(account.cash.eq(D('100'))).toBe(true);
  });

  it('round-trips through its snapshot, and starts over on reset', () => {
    const { account } = newAccount();
    fill(account, 'buy', '1234', '1.2');
    fill(account, 'sell', '234', '1.3');
    const restored = newAccount('0').account;
    restored.restore(account.snapshot());
    expect(restored.cash.eq(account.cash)).toBe(true);
    expect(restored.positionLots(SYMBOL)).toBe(1000);
    expect(restored.positionReports()).toEqual(account.positionReports());
    restored.reset(D('500'));
    expect(restored.balanceReports()).toEqual([{ currency: 'USD', total: '500' }]);
    expect(restored.positionLots(SYMBOL)).toBe(0);
  });
});
