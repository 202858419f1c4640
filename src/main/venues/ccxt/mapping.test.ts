import { describe, expect, it } from 'vitest';
import type { CcxtMarket } from './ccxtTypes';
import { createOrderArgs, editOrderArgs, fillReportOf, instrumentOf, marginReportOf, orderReportOf, orderTypeOf, positionReportOf, reportStatus, toBase, toContracts } from './mapping';

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

  it('take-profits, stops and trailing stops in each exchange’s words', () => {
    const base = { clientOrderId: 'k9', symbol: 'BTC/USDT:USDT', side: 'sell' as const, quantity: '0.05', price: null, stopPrice: '61000', timeInForce: 'GTC' as const, postOnly: false, reduceOnly: true };
    expect(createOrderArgs(btc, { ...base, type: 'take_profit' }, 'binanceusdm').params).toEqual({ clientOrderId: 'k9', reduceOnly: true, takeProfitPrice: 61000 });
    expect(createOrderArgs(btc, { ...base, type: 'stop', stopPrice: '59000' }, 'bybit').params).toEqual({ clientOrderId: 'k9', reduceOnly: true, triggerPrice: 59000, triggerDirection: 'descending' });
    expect(createOrderArgs(btc, { ...base, side: 'buy', type: 'stop', stopPrice: '61000', reduceOnly: false }, 'bybit').params).toMatchObject({ triggerDirection: 'ascending' });
    // OKX: conditional algo orders, read back as stops and take-profits by their trigger.
    expect(createOrderArgs(okxBtc, { ...base, type: 'stop', stopPrice: '59000' }, 'okx').params).toEqual({ clientOrderId: 'k9', reduceOnly: true, stopLossPrice: 59000, algoClOrdId: 'k9' });
    expect(createOrderArgs(okxBtc, { ...base, type: 'take_profit_limit', price: '61100' }, 'okx')).toMatchObject({ type: 'limit', price: 61100, params: { takeProfitPrice: 61000 } });
    const trailing = { ...base, type: 'trailing_stop' as const, stopPrice: null };
    expect(createOrderArgs(btc, { ...trailing, trailing: { percent: '1.5' } }, 'binanceusdm').params).toMatchObject({ trailingPercent: '1.5' });
    expect(createOrderArgs(okxBtc, { ...trailing, trailing: { distance: '300' } }, 'okx').params).toMatchObject({ callbackSpread: '300', algoClOrdId: 'k9' });
    expect(() => createOrderArgs(btc, { ...trailing, trailing: { distance: '300' } }, 'binanceusdm')).toThrow(/percentage only/);
    expect(orderTypeOf({ id: '1', symbol: 'x', side: 'sell', type: 'take_profit_market', triggerPrice: 61000 })).toBe('take_profit');
    expect(orderTypeOf({ id: '1', symbol: 'x', side: 'sell', type: 'trailing_stop_market' })).toBe('trailing_stop');
    expect(orderTypeOf({ id: '1', symbol: 'x', side: 'sell', type: 'conditional', stopLossPrice: 59000, info: { slOrdPx: '-1' } })).toBe('stop');
    expect(orderTypeOf({ id: '1', symbol: 'x', side: 'sell', type: 'conditional', takeProfitPrice: 61000, info: { tpTriggerPx: '61000' } })).toBe('take_profit');
    expect(orderTypeOf({ id: '1', symbol: 'x', side: 'sell', type: 'move_order_stop', info: { ordType: 'move_order_stop' } })).toBe('trailing_stop');
    // An order an OKX algo order placed when it triggered carries the algo's client id.
    expect(orderReportOf(okxBtc, { id: '5', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', info: { clOrdId: '', algoClOrdId: 'k9' } }).clientOrderId).toBe('k9');
  });

  it('an amend in each exchange’s words: Binance the whole order again, the others only what changes, OKX algo orders by their trigger', () => {
    const amend = { clientOrderId: 'k9', symbol: 'BTC/USDT:USDT', side: 'buy' as const, type: 'limit' as const, quantity: null, price: '59100', stopPrice: null, current: { quantity: '0.05', price: '59000', stopPrice: null } };
    expect(editOrderArgs(btc, amend, 'binanceusdm')).toEqual({ type: 'limit', amount: 0.05, price: 59100, params: { clientOrderId: 'k9' } });
    expect(editOrderArgs(btc, amend, 'bybit')).toEqual({ type: 'limit', amount: undefined, price: 59100, params: { orderLinkId: 'k9' } });
    expect(editOrderArgs(okxBtc, { ...amend, quantity: '0.07', price: null }, 'okx')).toEqual({ type: 'limit', amount: 7, price: undefined, params: { clientOrderId: 'k9' } });
    const stop = { ...amend, side: 'sell' as const, type: 'stop' as const, price: null, stopPrice: '58000', current: { quantity: '0.05', price: null, stopPrice: '59000' } };
    expect(editOrderArgs(btc, stop, 'bybit')).toEqual({ type: 'market', amount: undefined, price: undefined, params: { orderLinkId: 'k9', triggerPrice: 58000 } });
    expect(editOrderArgs(okxBtc, stop, 'okx')).toEqual({ type: 'conditional', amount: undefined, price: undefined, params: { clientOrderId: 'k9', stopLossPrice: 58000, newSlOrdPx: '-1' } });
  });
});

describe("the exchange's margin figures", () => {
  it('takes the liquidation price, maintenance margin and mark ccxt reports; 0 means none; a flat position has none', () => {
    expect(marginReportOf(btc, { symbol: 'BTC/USDT:USDT', contracts: 0.5, side: 'long', liquidationPrice: 52000.5, maintenanceMargin: 120, markPrice: 60000, timestamp: 5 }, 9)).toEqual({
      liquidationPrice: '52000.5',
      maintenanceMargin: '120',
      markPrice: '60000',
      timestamp: 5,
    });
    expect(marginReportOf(btc, { symbol: 'BTC/USDT:USDT', contracts: 0.5, side: 'long', liquidationPrice: 0, maintenanceMargin: null }, 9)).toEqual({ liquidationPrice: null, maintenanceMargin: null, markPrice: null, timestamp: 9 });
    expect(marginReportOf(btc, { symbol: 'BTC/USDT:USDT', contracts: 0, liquidationPrice: 52000 }, 9)).toBeNull();
  });

  it("prefers Bybit's own maintenance margin at the mark (positionMM) to the one ccxt works out at the liquidation price", () => {
    const report = marginReportOf(btc, { symbol: 'BTC/USDT:USDT', contracts: 0.5, side: 'short', liquidationPrice: 70000, maintenanceMargin: 175, markPrice: 60000, info: { positionMM: '150.00000000' } }, 9);
    expect(report?.maintenanceMargin).toBe('150');
  });
});
