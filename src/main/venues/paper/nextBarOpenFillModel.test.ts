import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../shared/domain';
import { SimulatedClock } from '../../engine/ports/clock';
import type { ExecutionEvent, SubmitOrder } from '../../engine/ports/venue';
import { BarMarketSource } from './barMarketSource';
import { NextBarOpenFillModel } from './nextBarOpenFillModel';
import { PaperVenue } from './paperVenue';
import { D, type ExchangeHarness, eventsOf, exchangeHarness, feeOf, fillsOf, order, types } from './testSupport';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);

function spot(symbol: string, fields: Partial<Instrument> = {}): Instrument {
  const [base = 'X', quote = 'USD'] = symbol.split('/');
  return {
    venue: 'paper',
    symbol,
    base,
    quote,
    settle: quote,
    kind: 'spot',
    tickSize: '0.01',
    lotSize: '1',
    minQuantity: '1',
    minNotional: '0',
    makerFee: '0.001',
    takerFee: '0.002',
    maxLeverage: 1,
    defaultLeverage: 1,
    ...fields,
  };
}

const GOOG = 'GOOG/USD';
const PERP = 'BTC/USD:USD';
const perpetual = spot(PERP, { kind: 'linear_perpetual', base: 'BTC', quote: 'USD', settle: 'USD', maxLeverage: 10, defaultLeverage: 1 });

interface BarHarness extends ExchangeHarness<BarMarketSource> {
  /** Pushes the next daily bar (the clock moves to its time first, as a backtest's does). */
  bar(open: number, high: number, low: number, close: number, symbol?: string): void;
  submit(cmd: SubmitOrder): ExecutionEvent[];
}

function barHarness(options: { instrument?: Instrument; commission?: string; initialBalance?: string } = {}): BarHarness {
  const clock = new SimulatedClock(T0 - DAY);
  const instrument = options.instrument ?? spot(GOOG);
  const h = exchangeHarness(
    {
      initialBalance: options.initialBalance ?? '100000',
      market: () => new BarMarketSource({ instruments: [{ instrument }] }),
      fillModel: new NextBarOpenFillModel(options.commission === undefined ? {} : { commission: options.commission }),
    },
    clock,
  );
  let n = 0;
  return {
    ...h,
    bar(open, high, low, close, symbol) {
      const time = T0 + n++ * DAY;
      clock.advanceTo(time);
      h.market.pushBar({ time, open, high, low, close, volume: 1000 }, symbol);
    },
    submit(cmd) {
      const before = h.events.length;
      h.run(() => h.exchange.submit(cmd));
      return h.events.slice(before);
    },
  };
}

describe('NextBarOpenFillModel: market orders', () => {
  it('wait for the next bar and fill in full at its open, as taker, with the configured commission paid from cash', async () => {
    const h = barHarness({ commission: '0.002' });
    h.bar(100, 101, 99, 100.5);
    const buy = order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '30' });
    expect(types(h.submit(buy))).toEqual(['OrderAccepted']);
    // Funds are held for it at the touch (the last close) with the fee while it waits.
    expect(h.exchange.account.figures().orderMargin.eq(D('100.5').mul(D('30')).mul(D('1.002')))).toBe(true);
    h.bar(102.25, 104, 101, 103);
    expect(fillsOf(h.events)).toEqual([
      expect.objectContaining({ price: '102.25', quantity: '30', liquidity: 'taker', fee: feeOf('102.25', '30', '0.002'), feeCurrency: 'USD', timestamp: T0 + DAY }),
    ]);
    expect(h.exchange.orderReport(buy.clientOrderId)).toMatchObject({ status: 'filled' });
    const cash = D('100000').sub(D('102.25').mul(D('30'))).sub(D(feeOf('102.25', '30', '0.002')));
    expect(h.exchange.balanceReports()).toEqual([{ currency: 'USD', total: cash.toString() }]);
    expect(h.exchange.positionReports()).toEqual([{ symbol: GOOG, quantity: '30', entryPrice: '102.25', leverage: 1 }]);
    // Valued at the mark: the last close.
    const figures = h.exchange.account.figures();
    expect(figures.equity.eq(cash.add(D('103').mul(D('30'))))).toBe(true);
    expect(figures.orderMargin.isZero()).toBe(true);
  });

  it('charge the instrument’s taker fee when no commission is configured, and makers its maker fee', async () => {
    const h = barHarness();
    h.bar(50, 51, 49, 50);
    h.submit(order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '10' }));
    h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '48', quantity: '10' }));
    h.bar(50.5, 51, 47, 48.5);
    expect(fillsOf(h.events).map((f) => [f.price, f.liquidity, f.fee])).toEqual([
      ['50.5', 'taker', feeOf('50.5', '10', '0.002')],
      ['48', 'maker', feeOf('48', '10', '0.001')],
    ]);
  });

  it('reproduce a backtesting.py trade to the cent (BTCUSD monthly, SMA 3/6, commission 0.002: trade 1)', async () => {
    // BTCUSD monthly bars 20-27 of the reference data; the reference's trade 1 is a long of 8,175 entered on bar 21 and exited on bar 27.
    const h = barHarness({ instrument: spot('BTC/USD'), commission: '0.002', initialBalance: '2000000' });
    const bars: Array<[number, number, number, number]> = [
      [131.24, 134.95, 115.0, 126.24],
      [126.24, 206.6, 85.0, 203.74],
      [203.7, 1163.0, 200.23, 1110.09],
      [1110.09, 1153.27, 382.21, 734.33],
      [734.33, 995.0, 725.0, 801.46],
      [801.46, 827.38, 400.0, 575.5],
      [575.5, 710.0, 436.0, 454.0],
      [454.0, 548.0, 339.79, 447.56],
    ];
    bars.forEach(([o, hi, lo, c], i) => {
      h.bar(o, hi, lo, c);
      if (i === 0) h.submit(order({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '8175' }));
      if (i === 6) h.submit(order({ symbol: 'BTC/USD', side: 'sell', type: 'market', quantity: '8175' }));
    });
    const [entry, exit] = fillsOf(h.events);
    expect([entry!.price, exit!.price]).toEqual(['126.24', '454']);
    const commission = D(entry!.fee).add(D(exit!.fee));
    expect(commission.toString()).toBe('9486.924');
    // PnL = size × (exit − entry) − both commissions, as the reference reports it.
    const pnl = D('8175').mul(D('454').sub(D('126.24'))).sub(commission);
    expect(pnl.toString()).toBe('2669951.076');
    expect(h.exchange.balanceReports()).toEqual([{ currency: 'USD', total: D('2000000').add(pnl).toString() }]);
    expect(h.exchange.positionReports()).toEqual([]);
  });

  it('fill only what the cash pays for at the open when the market gapped up; the rest expires', async () => {
    const h = barHarness({ initialBalance: '1000', commission: '0' });
    h.bar(10, 10, 10, 10);
    const buy = order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '100' });
    expect(types(h.submit(buy))).toEqual(['OrderAccepted']);
    h.bar(12.5, 13, 12, 12);
    expect(types(eventsOf(h.events, buy.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled', 'OrderExpired']);
    expect(fillsOf(h.events)[0]).toMatchObject({ price: '12.5', quantity: '80' });
    expect(h.exchange.balanceReports()).toEqual([{ currency: 'USD', total: '0' }]);
  });

  it('are refused before the market has a price', async () => {
    const h = barHarness();
    expect(h.submit(order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '1' }))).toEqual([
      expect.objectContaining({ type: 'OrderRejected', code: 'NO_LIQUIDITY' }),
    ]);
    expect(h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '10', quantity: '1' }))).toEqual([
      expect.objectContaining({ type: 'OrderRejected', code: 'NO_LIQUIDITY' }),
    ]);
  });
});

describe('NextBarOpenFillModel: limit orders', () => {
  it('fill when the bar trades through the limit, at the limit, as maker; a bar that only touches it does not reach them', async () => {
    const h = barHarness({ commission: '0' });
    h.bar(100, 101, 99, 100);
    const buy = order({ symbol: GOOG, side: 'buy', type: 'limit', price: '97', quantity: '5' });
    h.submit(buy);
    h.bar(99, 99.5, 97, 98); // low = limit: queued at it, not reached
    expect(fillsOf(h.events)).toEqual([]);
    h.bar(98, 98.5, 96.99, 97.5);
    expect(fillsOf(h.events)).toEqual([expect.objectContaining({ price: '97', quantity: '5', liquidity: 'maker' })]);

    const sell = order({ symbol: GOOG, side: 'sell', type: 'limit', price: '99', quantity: '5' });
    h.submit(sell);
    h.bar(97.5, 99, 97, 98.5); // high = limit
    expect(fillsOf(h.events, sell.clientOrderId)).toEqual([]);
    h.bar(98.5, 99.01, 98, 98);
    expect(fillsOf(h.events, sell.clientOrderId)).toEqual([expect.objectContaining({ price: '99', quantity: '5', liquidity: 'maker' })]);
    expect(h.exchange.openOrderReports()).toEqual([]);
  });

  it('fill at the open when the bar gapped through the limit', async () => {
    const h = barHarness({ commission: '0' });
    h.bar(100, 101, 99, 100);
    h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '97', quantity: '5' }));
    h.bar(95, 96, 94, 95.5);
    expect(fillsOf(h.events)[0]).toMatchObject({ price: '95' });
    h.submit(order({ symbol: GOOG, side: 'sell', type: 'limit', price: '99', quantity: '5' }));
    h.bar(101, 102, 100.5, 101);
    expect(fillsOf(h.events)[1]).toMatchObject({ price: '101', side: 'sell' });
  });

  it('marketable on arrival still wait for the next bar', async () => {
    const h = barHarness({ commission: '0' });
    h.bar(100, 101, 99, 100);
    expect(types(h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '105', quantity: '1' })))).toEqual(['OrderAccepted']);
    h.bar(100.5, 101, 100, 100.5);
    expect(fillsOf(h.events)[0]).toMatchObject({ price: '100.5' });
  });

  it('IOC and FOK get one bar: unfilled, they expire', async () => {
    const h = barHarness({ commission: '0' });
    h.bar(100, 101, 99, 100);
    const ioc = order({ symbol: GOOG, side: 'buy', type: 'limit', timeInForce: 'IOC', price: '95', quantity: '1' });
    const fok = order({ symbol: GOOG, side: 'buy', type: 'limit', timeInForce: 'FOK', price: '99.5', quantity: '1' });
    h.submit(ioc);
    h.submit(fok);
    h.bar(100, 100.5, 99, 99.5);
    expect(types(eventsOf(h.events, ioc.clientOrderId))).toEqual(['OrderAccepted', 'OrderExpired']);
    expect(types(eventsOf(h.events, fok.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled']);
  });
});

describe('NextBarOpenFillModel: stop orders', () => {
  it('trigger on the bar that reaches the stop and fill at the stop, or at the open when it gapped through', async () => {
    const h = barHarness({ instrument: perpetual, commission: '0', initialBalance: '1000000' });
    h.bar(100, 101, 99, 100);
    const buyStop = order({ symbol: PERP, side: 'buy', type: 'stop', stopPrice: '103', quantity: '2' });
    const sellStop = order({ symbol: PERP, side: 'sell', type: 'stop', stopPrice: '95', quantity: '3' });
    h.submit(buyStop);
    h.submit(sellStop);
    h.bar(100, 102.99, 99, 102);
    expect(fillsOf(h.events)).toEqual([]);
    h.bar(102, 104, 101, 103.5);
    expect(types(eventsOf(h.events, buyStop.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(fillsOf(h.events, buyStop.clientOrderId)[0]).toMatchObject({ price: '103', quantity: '2', liquidity: 'taker' });
    h.bar(90, 92, 88, 91); // gapped down through 95
    expect(fillsOf(h.events, sellStop.clientOrderId)[0]).toMatchObject({ price: '90', quantity: '3', liquidity: 'taker' });
    expect(h.exchange.positionReports()).toEqual([expect.objectContaining({ symbol: PERP, quantity: '-1' })]);
  });

  it('a stop already reached when placed is judged on the next bar, at its open', async () => {
    const h = barHarness({ instrument: perpetual, commission: '0', initialBalance: '1000000' });
    h.bar(100, 101, 99, 100);
    const stop = order({ symbol: PERP, side: 'buy', type: 'stop', stopPrice: '99', quantity: '1' });
    expect(types(h.submit(stop))).toEqual(['OrderAccepted']);
    h.bar(100.5, 101, 100, 100.5);
    expect(fillsOf(h.events)[0]).toMatchObject({ price: '100.5' });
  });

  it('a stop-limit fills at the trigger price when its limit allows it, else rests as a limit from the next bar on', async () => {
    const h = barHarness({ instrument: perpetual, commission: '0', initialBalance: '1000000' });
    h.bar(100, 101, 99, 100);
    const through = order({ symbol: PERP, side: 'buy', type: 'stop_limit', stopPrice: '102', price: '103', quantity: '1' });
    const behind = order({ symbol: PERP, side: 'buy', type: 'stop_limit', stopPrice: '102', price: '101', quantity: '1' });
    h.submit(through);
    h.submit(behind);
    // Both trigger at 102. The low also went under 101, but whether before or after the trigger the bar does not say.
    h.bar(101, 104, 100.5, 103);
    expect(fillsOf(h.events, through.clientOrderId)).toEqual([expect.objectContaining({ price: '102', liquidity: 'taker' })]);
    expect(types(eventsOf(h.events, behind.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered']);
    expect(h.exchange.orderReport(behind.clientOrderId)).toMatchObject({ status: 'open', triggered: true });
    h.bar(102, 102.5, 100.5, 101);
    expect(fillsOf(h.events, behind.clientOrderId)).toEqual([expect.objectContaining({ price: '101', liquidity: 'maker' })]);
  });
});

describe('NextBarOpenFillModel: reduce-only and the cash account', () => {
  it('a reduce-only order fills at most the position; its remainder is canceled', async () => {
    const h = barHarness({ commission: '0' });
    h.bar(10, 10, 10, 10);
    h.submit(order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '4' }));
    h.bar(10, 10, 10, 10);
    const close = order({ symbol: GOOG, side: 'sell', type: 'market', quantity: '10', reduceOnly: true });
    h.submit(close);
    h.bar(11, 11, 11, 11);
    expect(types(eventsOf(h.events, close.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(fillsOf(h.events, close.clientOrderId)[0]).toMatchObject({ quantity: '4', price: '11' });
    expect(h.exchange.positionReports()).toEqual([]);
  });

  it('a cash account refuses to sell what it does not hold, and to buy beyond its cash', async () => {
    const h = barHarness({ initialBalance: '1000', commission: '0' });
    h.bar(10, 10, 10, 10);
    expect(h.submit(order({ symbol: GOOG, side: 'sell', type: 'market', quantity: '1' })).at(-1)).toMatchObject({
      type: 'OrderRejected',
      code: 'INSUFFICIENT_MARGIN',
    });
    expect(h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '10', quantity: '101' })).at(-1)).toMatchObject({
      type: 'OrderRejected',
      code: 'INSUFFICIENT_MARGIN',
    });
    expect(h.submit(order({ symbol: GOOG, side: 'buy', type: 'limit', price: '10', quantity: '100' })).at(-1)).toMatchObject({ type: 'OrderAccepted' });
  });
});

describe('BarMarketSource', () => {
  it('checks its bars: time order, prices on the tick, a range that holds the open and close', () => {
    const h = barHarness();
    h.bar(10, 11, 9, 10.5);
    expect(() => h.market.pushBar({ time: T0, open: 10, high: 11, low: 9, close: 10, volume: 0 })).toThrow(RangeError);
    expect(() => h.market.pushBar({ time: T0 + 5 * DAY, open: 10.001, high: 11, low: 9, close: 10, volume: 0 })).toThrow(RangeError);
    expect(() => h.market.pushBar({ time: T0 + 5 * DAY, open: 10, high: 11, low: 10.5, close: 10.8, volume: 0 })).toThrow(RangeError);
    expect(() => h.market.pushBar({ time: T0 + 5 * DAY, open: 10, high: 11, low: 9, close: 10, volume: 0 }, 'NOPE/USD')).toThrow();
  });

  it('drives a paper venue through the port: fills at the next open, market data from the bars', async () => {
    const clock = new SimulatedClock(T0);
    const market = new BarMarketSource({ venue: 'backtest', instruments: [{ instrument: spot(GOOG) }] });
    const venue = new PaperVenue({ clock, market, fillModel: new NextBarOpenFillModel({ commission: '0.001' }), initialBalance: '10000' });
    expect(venue.id).toBe('backtest');
    expect(venue.instruments()).toEqual([expect.objectContaining({ symbol: GOOG, venue: 'backtest', kind: 'spot' })]);
    const events: ExecutionEvent[] = [];
    venue.onExecution((e) => events.push(e));
    market.pushBar({ time: T0, open: 100, high: 102, low: 99, close: 101, volume: 500 });
    await venue.submit(order({ symbol: GOOG, side: 'buy', type: 'market', quantity: '10' }));
    expect(types(events)).toEqual(['OrderAccepted']);
    const FOUR_HOURS = DAY / 6;
    clock.advanceTo(T0 + FOUR_HOURS);
    market.pushBar({ time: T0 + FOUR_HOURS, open: 101.5, high: 103, low: 101, close: 102, volume: 700 });
    expect(fillsOf(events)).toEqual([expect.objectContaining({ price: '101.5', quantity: '10', fee: feeOf('101.5', '10', '0.001'), timestamp: T0 + FOUR_HOURS })]);
    expect(await venue.fillReports(0)).toHaveLength(1);
    expect(await venue.balanceReports()).toEqual([{ currency: 'USD', total: D('10000').sub(D('1015')).sub(D('1.015')).toString() }]);
    expect(venue.ticker(GOOG)).toMatchObject({ venue: 'backtest', last: '102', bid: '102', ask: '102', mark: '102', open24h: '100', high24h: '103', low24h: '99', change24h: '2', volume24h: '1200' });
    expect(await venue.candles(GOOG, '4h', 10)).toEqual([
      { time: T0, open: 100, high: 102, low: 99, close: 101, volume: 500 },
      { time: T0 + FOUR_HOURS, open: 101.5, high: 103, low: 101, close: 102, volume: 700 },
    ]);
    expect(await venue.candles(GOOG, '1d', 10)).toEqual([{ time: T0, open: 100, high: 103, low: 99, close: 102, volume: 1200 }]);
    expect(venue.orderBook(GOOG, 5)).toMatchObject({ bids: [], asks: [] });
    expect(() => venue.setMarketPrice(GOOG, 50)).toThrow(/no scenario hooks/);
  });
});
