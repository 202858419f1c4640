import { describe, expect, it } from 'vitest';
import type { CcxtMarket } from './ccxtTypes';
import { createOrderArgs, fillReportOf, instrumentOf, orderReportOf, positionReportOf, reportStatus, toBase, toContracts } from './mapping';

const btc: CcxtMarket = {
  id: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  swap: true,
  linear: true,
  active: true,
  contractSize: 1,
  maker: 0.0002,
  taker: 0.0005,
  precision: { price: 0.1, amount: 0.001 },
  limits: { amount: { min: 0.001 }, cost: { min: 100 }, leverage: { max: 125 } },
};
/** OKX counts contracts of 0.01 BTC. */
const okxBtc: CcxtMarket = { ...btc, id: 'BTC-USDT-SWAP', contractSize: 0.01, precision: { price: 0.1, amount: 1 }, limits: { amount: { min: 1 }, cost: {} } };

describe('ccxt shapes to Keel', () => {
  it('an instrument in base units, with the exchange tick, lot, minimum and fees, and no assumed leverage', () => {
    expect(instrumentOf('binanceusdm-demo', btc)).toEqual({
      venue: 'binanceusdm-demo',
      symbol: 'BTC/USDT:USDT',
      base: 'BTC',
      quote: 'USDT',
      settle: 'USDT',
      kind: 'linear_perpetual',
      tickSize: '0.1',
      lotSize: '0.001',
      minQuantity: '0.001',
      minNotional: '100',
      makerFee: '0.0002',
      takerFee: '0.0005',
      maxLeverage: 125,
      defaultLeverage: 1,
    });
    expect(instrumentOf('okx-demo', okxBtc)).toMatchObject({ lotSize: '0.01', minQuantity: '0.01', minNotional: '0' });
  });

  it('contracts and base units convert exactly both ways', () => {
    expect(toBase(okxBtc, 3).toString()).toBe('0.03');
    expect(toContracts(okxBtc, '0.07')).toBe(7);
    expect(toBase(btc, 0.003).toString()).toBe('0.003');
  });

  it('order statuses: closed is filled, open with a fill is partially filled', () => {
    expect(reportStatus({ id: '1', symbol: 'x', side: 'buy', status: 'closed' })).toBe('filled');
    expect(reportStatus({ id: '1', symbol: 'x', side: 'buy', status: 'open', filled: 0.001 })).toBe('partially_filled');
    expect(reportStatus({ id: '1', symbol: 'x', side: 'buy', status: 'canceled' })).toBe('canceled');
    expect(reportStatus({ id: '1', symbol: 'x', side: 'buy', status: 'expired' })).toBe('expired');
  });

  it('an order report keeps the client id, in base units, with the stop price of a conditional order', () => {
    const report = orderReportOf(okxBtc, { id: '77', clientOrderId: 'k1', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', amount: 5, filled: 2, triggerPrice: 59000, status: 'open', timestamp: 5 });
    expect(report).toMatchObject({ clientOrderId: 'k1', venueOrderId: '77', type: 'stop', quantity: '0.05', filledQuantity: '0.02', price: null, stopPrice: '59000', status: 'partially_filled' });
    // Client ids some exchanges only keep in the raw answer.
    expect(orderReportOf(btc, { id: '9', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', price: 1, info: { c: 'from-stream' } }).clientOrderId).toBe('from-stream');
  });

  it('a fill and a position in base units, short positions negative', () => {
    expect(fillReportOf(btc, { id: 't1', order: '9', symbol: 'BTC/USDT:USDT', side: 'buy', amount: 0.002, price: 60000.1, timestamp: 7, takerOrMaker: 'maker', fee: { cost: 0.024, currency: 'USDT' } }, 'k1')).toEqual({
      clientOrderId: 'k1',
      venueOrderId: '9',
      tradeId: 't1',
      side: 'buy',
      symbol: 'BTC/USDT:USDT',
      quantity: '0.002',
      price: '60000.1',
      fee: '0.024',
      feeCurrency: 'USDT',
      liquidity: 'maker',
      timestamp: 7,
    });
    // OKX's stream fill: ccxt leaves its fee as OKX writes it (negative for a charge); reported as the same cost as its REST twin.
    const okxFill = { id: 't2', order: '8', symbol: 'BTC/USDT:USDT', side: 'sell', amount: 20, price: 60000, timestamp: 8, takerOrMaker: 'taker', fee: { cost: -0.06, currency: 'USDT' }, info: { fillFee: '-0.06', fillFeeCcy: 'USDT' } };
    expect(fillReportOf(okxBtc, okxFill, 'k2')).toMatchObject({ quantity: '0.2', fee: '0.06', feeCurrency: 'USDT' });
    expect(fillReportOf(okxBtc, { ...okxFill, fee: { cost: 0.06, currency: 'USDT' }, info: { fee: '-0.06', feeCcy: 'USDT' } }, 'k2').fee).toBe('0.06');
    // A maker rebate (positive fillFee) is a negative cost.
    expect(fillReportOf(okxBtc, { ...okxFill, info: { fillFee: '0.012' } }, 'k2').fee).toBe('-0.012');
    expect(positionReportOf(okxBtc, { symbol: 'BTC/USDT:USDT', contracts: 4, side: 'short', entryPrice: 61000, leverage: 5 })).toEqual({ symbol: 'BTC/USDT:USDT', quantity: '-0.04', entryPrice: '61000', leverage: 5 });
    expect(positionReportOf(btc, { symbol: 'BTC/USDT:USDT', contracts: 0 })).toBeNull();
  });

  it("Keel's order to createOrder arguments: its own client id always, stops as trigger prices, contracts counted", () => {
    const base = { clientOrderId: 'k9', symbol: 'BTC/USDT:USDT', side: 'buy' as const, quantity: '0.05', price: null, stopPrice: null, timeInForce: 'GTC' as const, postOnly: false, reduceOnly: false };
    expect(createOrderArgs(okxBtc, { ...base, type: 'market' })).toEqual({ type: 'market', amount: 5, price: undefined, params: { clientOrderId: 'k9' } });
    expect(createOrderArgs(btc, { ...base, type: 'limit', price: '59000.5', postOnly: true, timeInForce: 'GTC' })).toEqual({ type: 'limit', amount: 0.05, price: 59000.5, params: { clientOrderId: 'k9', postOnly: true } });
    expect(createOrderArgs(btc, { ...base, type: 'stop_limit', price: '59000', stopPrice: '59100', reduceOnly: true, timeInForce: 'IOC' }).params).toEqual({ clientOrderId: 'k9', reduceOnly: true, timeInForce: 'IOC', triggerPrice: 59100 });
    expect(() => createOrderArgs(btc, { ...base, type: 'stop' })).toThrow(/stop price/);
  });
});
