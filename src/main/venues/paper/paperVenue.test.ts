import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { instrumentSchema, tickerSchema } from '../../../shared/domain';
import type { ExecutionEvent } from '../../engine/ports/venue';
import {
  BTC,
  D,
  ETH,
  SOL,
  eventsOf,
  feeOf,
  fillsOf,
  harness,
  levels,
  offset,
  order,
  sum,
  types,
} from './testSupport';

const RICH = { initialBalance: '1000000' };

describe('instruments and market data', () => {
  it('lists ten USDT-margined perpetuals with exchange-like specs', () => {
    const { venue } = harness();
    const instruments = venue.instruments();
    expect(instruments.map((i) => i.symbol)).toEqual([
      BTC,
      ETH,
      SOL,
      'BNB/USDT:USDT',
      'XRP/USDT:USDT',
      'DOT/USDT:USDT',
      'ADA/USDT:USDT',
      'AVAX/USDT:USDT',
      'LINK/USDT:USDT',
      'LTC/USDT:USDT',
    ]);
    for (const i of instruments) {
      expect(instrumentSchema.parse(i)).toEqual(i);
      expect(i).toMatchObject({ venue: 'paper', kind: 'linear_perpetual', settle: 'USDT', makerFee: '0.0002', takerFee: '0.0005', defaultLeverage: 10 });
    }
    expect(instruments[0]).toMatchObject({ tickSize: '0.1', lotSize: '0.001', minNotional: '5', maxLeverage: 100 });
    expect(instruments[1]).toMatchObject({ tickSize: '0.01', lotSize: '0.001', maxLeverage: 50 });
    expect(instruments[2]).toMatchObject({ tickSize: '0.01', lotSize: '0.1', maxLeverage: 50 });
  });

  it('quotes a tight, deep book around a believable price', () => {
    const { venue } = harness();
    for (const [symbol, low, high, tick] of [
      [BTC, 60_000, 100_000, '0.1'],
      [ETH, 2_000, 4_000, '0.01'],
      [SOL, 100, 250, '0.01'],
      ['XRP/USDT:USDT', 1.2, 4, '0.0001'],
      ['ADA/USDT:USDT', 0.35, 1.4, '0.0001'],
      ['LTC/USDT:USDT', 50, 160, '0.01'],
    ] as const) {
      const ticker = tickerSchema.parse(venue.ticker(symbol));
      expect(Number(ticker.last)).toBeGreaterThan(low);
      expect(Number(ticker.last)).toBeLessThan(high);
      const spread = D(ticker.ask).sub(D(ticker.bid));
      expect(spread.isPositive()).toBe(true);
      expect(spread.lte(D(tick).mul(D('3')))).toBe(true);
      const book = venue.orderBook(symbol, 100);
      expect(book.bids.length).toBeGreaterThanOrEqual(20);
      expect(book.asks.length).toBeGreaterThanOrEqual(20);
      expect(venue.orderBook(symbol, 5).asks).toEqual(book.asks.slice(0, 5));
      expect(book.bids[0]![0]).toBe(ticker.bid);
    }
    expect(() => venue.ticker('DOGE/USDT:USDT')).toThrow();
  });
});

describe('market orders', () => {
  it('walk the book level by level with exact taker fees, synchronously inside submit', async () => {
    const { venue, events } = harness(RICH);
    const { asks } = levels(venue, BTC);
    const quantity = sum([asks[0]!.quantity, asks[1]!.quantity, '0.004']).toString();
    const cmd = order({ symbol: BTC, side: 'buy', type: 'market', quantity });
    const pending = venue.submit(cmd);
    // Emitted before the promise settles.
    expect(types(events)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderFilled']);
    await pending;
    expect(events[0]).toMatchObject({ type: 'OrderAccepted', clientOrderId: cmd.clientOrderId, venueOrderId: 'paper-o-1' });
    const fills = fillsOf(events);
    expect(fills.map((f) => [f.price, f.quantity])).toEqual([
      [asks[0]!.price, asks[0]!.quantity],
      [asks[1]!.price, asks[1]!.quantity],
      [asks[2]!.price, '0.004'],
    ]);
    expect(fills.map((f) => f.tradeId)).toEqual(['paper-t-1', 'paper-t-2', 'paper-t-3']);
    for (const f of fills) {
      expect(f).toMatchObject({ liquidity: 'taker', feeCurrency: 'USDT', side: 'buy', symbol: BTC, venueOrderId: 'paper-o-1' });
      expect(f.fee).toBe(feeOf(f.price, f.quantity, '0.0005'));
    }
    const fees = sum(fills.map((f) => f.fee));
    const cost = Dec.sum(fills.map((f) => D(f.price).mul(D(f.quantity))));
    expect(await venue.balanceReports()).toEqual([{ currency: 'USDT', total: D('1000000').sub(fees).toString() }]);
    expect(await venue.positionReports()).toEqual([
      { symbol: BTC, quantity, entryPrice: cost.div(D(quantity)).toString(), leverage: 10 },
    ]);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'filled', filledQuantity: quantity, venueOrderId: 'paper-o-1' });
    // What was taken is gone from the book.
    const after = levels(venue, BTC).asks;
    expect(after[0]).toEqual({ price: asks[2]!.price, quantity: D(asks[2]!.quantity).sub(D('0.004')).toString() });
  });

  it('fill partially when larger than all the liquidity, expire the rest, and leave the side empty until it refills', async () => {
    const { venue, events } = harness({ initialBalance: '100000000' });
    // At 2x the whole book is within SOL's position limit.
    await venue.setLeverage(SOL, 2);
    const { asks } = levels(venue, SOL);
    const depth = sum(asks.map((a) => a.quantity));
    const cmd = order({ symbol: SOL, side: 'buy', type: 'market', quantity: depth.add(D('5')).toString() });
    await venue.submit(cmd);
    const mine = eventsOf(events, cmd.clientOrderId);
    expect(types(mine)).toEqual(['OrderAccepted', ...asks.map(() => 'OrderFilled'), 'OrderExpired']);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'expired', filledQuantity: depth.toString() });
    expect(venue.orderBook(SOL, 100).asks).toEqual([]);

    const again = order({ symbol: SOL, side: 'buy', type: 'market', quantity: '1' });
    await venue.submit(again);
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'NO_LIQUIDITY', clientOrderId: again.clientOrderId });

    venue.stepMarket(200);
    const refilled = sum(venue.orderBook(SOL, 100).asks.map(([, q]) => q));
    expect(refilled.isPositive()).toBe(true);
    expect(refilled.lt(depth.mul(D('0.75')))).toBe(true);
  });
});

describe('limit orders', () => {
  it('take liquidity up to their price, rest the remainder as maker, and fill as trades print through', async () => {
    const { venue, events } = harness(RICH);
    const { asks } = levels(venue, BTC);
    const limit = asks[1]!.price;
    const quantity = sum([asks[0]!.quantity, asks[1]!.quantity, '0.005']).toString();
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity });
    await venue.submit(cmd);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(fillsOf(events).map((f) => f.liquidity)).toEqual(['taker', 'taker']);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'partially_filled', filledQuantity: sum([asks[0]!.quantity, asks[1]!.quantity]).toString() });
    expect((await venue.openOrderReports()).map((o) => o.clientOrderId)).toEqual([cmd.clientOrderId]);

    events.length = 0;
    const bid = venue.ticker(BTC).bid;
    venue.injectTrade(BTC, 'sell', bid, '0.002');
    expect(fillsOf(events)).toEqual([
      expect.objectContaining({ price: limit, quantity: '0.002', liquidity: 'maker', fee: feeOf(limit, '0.002', '0.0002'), tradeId: 'paper-t-3' }),
    ]);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'partially_filled' });

    venue.injectTrade(BTC, 'sell', bid, '1');
    expect(fillsOf(events).map((f) => f.quantity)).toEqual(['0.002', '0.003']);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'filled', filledQuantity: quantity });
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('do not fill on a print at their own price (queue ahead), only through it', async () => {
    const { venue, events } = harness(RICH);
    const bid = venue.ticker(BTC).bid;
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', price: bid, quantity: '0.01' });
    await venue.submit(cmd);
    venue.injectTrade(BTC, 'sell', bid, '5');
    expect(fillsOf(events)).toEqual([]);
    venue.injectTrade(BTC, 'sell', offset(bid, '-0.1'), '5');
    expect(fillsOf(events).map((f) => [f.price, f.quantity, f.liquidity])).toEqual([[bid, '0.01', 'maker']]);
  });

  it('fill as maker at their own price when the market moves through them', async () => {
    const { venue, events } = harness(RICH);
    const ask = venue.ticker(ETH).ask;
    const price = offset(ask, '1.5');
    const cmd = order({ symbol: ETH, side: 'sell', type: 'limit', price, quantity: '0.5' });
    await venue.submit(cmd);
    expect(types(events)).toEqual(['OrderAccepted']);
    venue.setMarketPrice(ETH, Number(price) + 3);
    expect(fillsOf(events)).toEqual([
      expect.objectContaining({ price, quantity: '0.5', liquidity: 'maker', side: 'sell', fee: feeOf(price, '0.5', '0.0002') }),
    ]);
    expect(await venue.positionReports()).toEqual([{ symbol: ETH, quantity: '-0.5', entryPrice: price, leverage: 10 }]);
  });

  it('IOC takes what it can and expires the remainder', async () => {
    const { venue, events } = harness(RICH);
    const { asks } = levels(venue, BTC);
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', timeInForce: 'IOC', price: asks[1]!.price, quantity: sum([asks[0]!.quantity, asks[1]!.quantity, '0.005']).toString() });
    await venue.submit(cmd);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderExpired']);
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'expired', filledQuantity: sum([asks[0]!.quantity, asks[1]!.quantity]).toString() });
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('FOK fills in full or not at all', async () => {
    const { venue, events } = harness(RICH);
    const { asks } = levels(venue, BTC);
    const tooBig = order({ symbol: BTC, side: 'buy', type: 'limit', timeInForce: 'FOK', price: asks[1]!.price, quantity: sum([asks[0]!.quantity, asks[1]!.quantity, '0.001']).toString() });
    await venue.submit(tooBig);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderExpired']);
    expect(levels(venue, BTC).asks).toEqual(asks);
    expect(await venue.orderReport(tooBig.clientOrderId)).toMatchObject({ status: 'expired', filledQuantity: '0' });

    const fits = order({ symbol: BTC, side: 'buy', type: 'limit', timeInForce: 'FOK', price: asks[1]!.price, quantity: sum([asks[0]!.quantity, '0.001']).toString() });
    await venue.submit(fits);
    expect(types(eventsOf(events, fits.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(await venue.orderReport(fits.clientOrderId)).toMatchObject({ status: 'filled' });
  });

  it('post-only rests when passive and is rejected when it would take', async () => {
    const { venue, events } = harness(RICH);
    const { bid, ask } = venue.ticker(BTC);
    const crossing = order({ symbol: BTC, side: 'buy', type: 'limit', postOnly: true, price: ask, quantity: '0.01' });
    await venue.submit(crossing);
    expect(events).toEqual([expect.objectContaining({ type: 'OrderRejected', code: 'POST_ONLY_REJECTED', clientOrderId: crossing.clientOrderId })]);
    expect(await venue.orderReport(crossing.clientOrderId)).toMatchObject({ status: 'rejected', venueOrderId: '' });

    const passive = order({ symbol: BTC, side: 'buy', type: 'limit', postOnly: true, price: bid, quantity: '0.01' });
    await venue.submit(passive);
    expect(types(eventsOf(events, passive.clientOrderId))).toEqual(['OrderAccepted']);
    expect(await venue.orderReport(passive.clientOrderId)).toMatchObject({ status: 'open' });

    const ioc = order({ symbol: BTC, side: 'buy', type: 'limit', postOnly: true, timeInForce: 'IOC', price: bid, quantity: '0.01' });
    await venue.submit(ioc);
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'VENUE_REJECTED' });
  });
});

describe('stop orders', () => {
  it('a stop-market triggers when the last trade reaches the stop, then takes liquidity', async () => {
    const { venue, events } = harness(RICH);
    const last = venue.ticker(BTC).last;
    const buyStop = order({ symbol: BTC, side: 'buy', type: 'stop', stopPrice: offset(last, '10'), quantity: '0.01' });
    const sellStop = order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(last, '-10'), quantity: '0.02' });
    await venue.submit(buyStop);
    await venue.submit(sellStop);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderAccepted']);
    expect(await venue.orderReport(buyStop.clientOrderId)).toMatchObject({ status: 'open', triggered: false, stopPrice: offset(last, '10') });

    venue.injectTrade(BTC, 'buy', offset(last, '9.9'), '0.1');
    expect(types(events)).toEqual(['OrderAccepted', 'OrderAccepted']);
    const askBefore = venue.ticker(BTC).ask;
    venue.injectTrade(BTC, 'buy', offset(last, '10'), '0.1');
    expect(types(eventsOf(events, buyStop.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(fillsOf(events, buyStop.clientOrderId)[0]).toMatchObject({ price: askBefore, quantity: '0.01', liquidity: 'taker' });
    expect(await venue.orderReport(buyStop.clientOrderId)).toMatchObject({ status: 'filled', triggered: true });
    expect(await venue.orderReport(sellStop.clientOrderId)).toMatchObject({ status: 'open', triggered: false });

    venue.injectTrade(BTC, 'sell', offset(last, '-10.5'), '0.1');
    expect(types(eventsOf(events, sellStop.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(await venue.positionReports()).toEqual([expect.objectContaining({ symbol: BTC, quantity: '-0.01' })]);
  });

  it('a stop whose condition already holds triggers at once', async () => {
    const { venue, events } = harness(RICH);
    const last = venue.ticker(ETH).last;
    const cmd = order({ symbol: ETH, side: 'buy', type: 'stop', stopPrice: offset(last, '-1'), quantity: '0.1' });
    await venue.submit(cmd);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
  });

  it('a stop-limit becomes a limit order: marketable ones fill, others rest until the market reaches them', async () => {
    const { venue, events } = harness(RICH);
    const { last, bid } = venue.ticker(BTC);
    const sell = order({ symbol: BTC, side: 'sell', type: 'stop_limit', stopPrice: offset(last, '-5'), price: offset(last, '-20'), quantity: '0.01' });
    const buy = order({ symbol: BTC, side: 'buy', type: 'stop_limit', stopPrice: offset(last, '5'), price: offset(bid, '-30'), quantity: '0.01' });
    await venue.submit(sell);
    await venue.submit(buy);

    venue.injectTrade(BTC, 'sell', offset(last, '-5'), '0.1');
    expect(types(eventsOf(events, sell.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(fillsOf(events, sell.clientOrderId)[0]!.liquidity).toBe('taker');

    venue.injectTrade(BTC, 'buy', offset(last, '5'), '0.1');
    expect(types(eventsOf(events, buy.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered']);
    expect(await venue.orderReport(buy.clientOrderId)).toMatchObject({ status: 'open', triggered: true });
    expect((await venue.openOrderReports()).map((o) => o.clientOrderId)).toEqual([buy.clientOrderId]);

    venue.setMarketPrice(BTC, Number(offset(bid, '-35')));
    expect(fillsOf(events, buy.clientOrderId)).toEqual([expect.objectContaining({ price: offset(bid, '-30'), liquidity: 'maker' })]);
  });
});

describe('reduce-only', () => {
  it('is rejected when flat or when it would increase the position', async () => {
    const { venue, events } = harness(RICH);
    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.01', reduceOnly: true }));
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'REDUCE_ONLY_REJECTED' });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' }));
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: venue.ticker(BTC).bid, quantity: '0.01', reduceOnly: true }));
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'REDUCE_ONLY_REJECTED' });
  });

  it('is clipped to the position: it fills the position and the remainder is canceled', async () => {
    const { venue, events } = harness(RICH);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' }));
    const close = order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.03', reduceOnly: true });
    await venue.submit(close);
    const mine = eventsOf(events, close.clientOrderId);
    expect(types(mine)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(fillsOf(mine)[0]!.quantity).toBe('0.01');
    expect(await venue.orderReport(close.clientOrderId)).toMatchObject({ status: 'canceled', filledQuantity: '0.01', quantity: '0.03' });
    expect(await venue.positionReports()).toEqual([]);
  });

  it('resting reduce-only orders are canceled when the position they reduce is closed', async () => {
    const { venue, events } = harness(RICH);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.02' }));
    const takeProfit = order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(venue.ticker(BTC).ask, '500'), quantity: '0.02', reduceOnly: true });
    const stopLoss = order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(venue.ticker(BTC).bid, '-500'), quantity: '0.02', reduceOnly: true });
    await venue.submit(takeProfit);
    await venue.submit(stopLoss);
    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.02' }));
    expect(types(eventsOf(events, takeProfit.clientOrderId))).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(types(eventsOf(events, stopLoss.clientOrderId))).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('needs no margin and is exempt from the minimum notional', async () => {
    const { venue, events } = harness({ initialBalance: '100' });
    await venue.submit(order({ symbol: ETH, side: 'buy', type: 'market', quantity: '0.002' }));
    expect(await venue.positionReports()).toHaveLength(1);
    // 0.001 ETH is below the 5 USDT minimum notional, allowed because it only reduces.
    const tiny = order({ symbol: ETH, side: 'sell', type: 'market', quantity: '0.001', reduceOnly: true });
    await venue.submit(tiny);
    expect(types(eventsOf(events, tiny.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled']);
  });
});

describe('exchange rules', () => {
  const rejection = (events: ExecutionEvent[]): unknown => events.at(-1);

  it('rejects quantities and prices off the lot and tick, and orders below the minimum notional', async () => {
    const { venue, events } = harness(RICH);
    const bid = venue.ticker(BTC).bid;
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: bid, quantity: '0.0015' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderRejected', code: 'INVALID_PRECISION' });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(bid, '0.05'), quantity: '0.001' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderRejected', code: 'INVALID_PRECISION' });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'stop', stopPrice: offset(bid, '100.01'), quantity: '0.001' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderRejected', code: 'INVALID_PRECISION' });
    await venue.submit(order({ symbol: SOL, side: 'buy', type: 'limit', price: '40', quantity: '0.1' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderRejected', code: 'MIN_NOTIONAL' });
    await venue.submit(order({ symbol: ETH, side: 'buy', type: 'market', quantity: '0.001' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderRejected', code: 'MIN_NOTIONAL' });
    // 0.001 BTC is far above 5 USDT.
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: bid, quantity: '0.001' }));
    expect(rejection(events)).toMatchObject({ type: 'OrderAccepted' });
  });

  it('rejects malformed requests', async () => {
    const { venue, events } = harness(RICH);
    const bid = venue.ticker(BTC).bid;
    const bad = [
      order({ symbol: BTC, side: 'buy', type: 'limit', price: bid, quantity: '0' }),
      order({ symbol: BTC, side: 'buy', type: 'limit', quantity: '0.01' }),
      order({ symbol: BTC, side: 'buy', type: 'market', price: bid, quantity: '0.01' }),
      order({ symbol: BTC, side: 'buy', type: 'stop', quantity: '0.01' }),
      order({ symbol: 'DOGE/USDT:USDT', side: 'buy', type: 'market', quantity: '1' }),
      order({ symbol: BTC, side: 'buy', type: 'limit', price: '10000000', quantity: '0.01' }),
      order({ symbol: BTC, side: 'buy', type: 'market', quantity: '5000' }),
    ];
    for (const cmd of bad) await venue.submit(cmd);
    expect(events.map((e) => (e.type === 'OrderRejected' ? e.code : e.type))).toEqual(bad.map(() => 'VENUE_REJECTED'));
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('rejects a duplicate client order id and keeps the original', async () => {
    const { venue, events } = harness(RICH);
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', price: venue.ticker(BTC).bid, quantity: '0.01' });
    await venue.submit(cmd);
    await venue.submit({ ...cmd, quantity: '0.02' });
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'DUPLICATE_CLIENT_ORDER_ID', clientOrderId: cmd.clientOrderId });
    expect(await venue.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'open', quantity: '0.01' });
    // A rejected id is known too.
    const rejected = order({ symbol: BTC, side: 'buy', type: 'limit', price: venue.ticker(BTC).bid, quantity: '0.0001' });
    await venue.submit(rejected);
    await venue.submit(rejected);
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'DUPLICATE_CLIENT_ORDER_ID' });
  });
});

describe('margin', () => {
  it('checks initial margin against what is available, counting resting orders and leverage', async () => {
    const { venue, events } = harness();
    expect(await venue.balanceReports()).toEqual([{ currency: 'USDT', total: '10000' }]);
    const bid = venue.ticker(BTC).bid;
    const limit = offset(bid, '-50');
    // Notional far beyond 10 × 10,000.
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '2' }));
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });

    const big = order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '1' });
    await venue.submit(big);
    expect(events.at(-1)).toMatchObject({ type: 'OrderAccepted', clientOrderId: big.clientOrderId });

    const more = order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '0.3' });
    await venue.submit(more);
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });
    // A sell on a flat book opens a short: it needs margin too.
    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(venue.ticker(BTC).ask, '50'), quantity: '0.3' }));
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });

    await venue.setLeverage(BTC, 50);
    await venue.submit({ ...more, clientOrderId: `${more.clientOrderId}-again` });
    expect(events.at(-1)).toMatchObject({ type: 'OrderAccepted' });
    await expect(venue.setLeverage(BTC, 101)).rejects.toThrow(RangeError);
    await expect(venue.setLeverage(ETH, 0)).rejects.toThrow(RangeError);
  });

  it('is exact at the boundary: required = notional / leverage + taker fee', async () => {
    const probe = harness();
    const limit = offset(probe.venue.ticker(BTC).bid, '-20');
    const required = D(limit).mul(D('0.1')).div(D('10')).add(D(feeOf(limit, '0.1', '0.0005')));

    const enough = harness({ initialBalance: required.toString() });
    await enough.venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '0.1' }));
    expect(enough.events.at(-1)).toMatchObject({ type: 'OrderAccepted' });

    const short = harness({ initialBalance: required.sub(Dec.fromUnits(1n)).toString() });
    await short.venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '0.1' }));
    expect(short.events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });
  });

  it('lets an order that reduces the position through without new margin', async () => {
    const { venue, events } = harness({ initialBalance: '2000' });
    // 75x: a BTC position (60,000-100,000 notional) is within the 75x bracket's limit.
    await venue.setLeverage(BTC, 75);
    // At 60,000-100,000 a BTC ties up 800-1,334 of margin plus a 30-50 fee: what is left cannot back 3 BTC more.
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '1' }));
    expect(await venue.positionReports()).toHaveLength(1);
    const close = order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(venue.ticker(BTC).ask, '100'), quantity: '1' });
    await venue.submit(close);
    expect(events.at(-1)).toMatchObject({ type: 'OrderAccepted', clientOrderId: close.clientOrderId });
    // Selling beyond the position needs margin for the part that would open a short.
    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(venue.ticker(BTC).ask, '100'), quantity: '3' }));
    expect(events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });
  });
});

describe('cancels and reports', () => {
  it('cancels open orders, refuses unknown or finished ones, and cancels all per symbol', async () => {
    const { venue, events } = harness(RICH);
    const place = async (symbol: string, offsetBy: string): Promise<string> => {
      const cmd = order({ symbol, side: 'buy', type: 'limit', price: offset(venue.ticker(symbol).bid, offsetBy), quantity: symbol === SOL ? '1' : '0.01' });
      await venue.submit(cmd);
      return cmd.clientOrderId;
    };
    const a = await place(BTC, '-1');
    const b = await place(BTC, '-2');
    const c = await place(ETH, '-1');
    const d = await place(SOL, '-0.1');

    await venue.cancel({ clientOrderId: a, symbol: BTC });
    expect(events.at(-1)).toMatchObject({ type: 'OrderCanceled', clientOrderId: a });
    expect(await venue.orderReport(a)).toMatchObject({ status: 'canceled' });
    await venue.cancel({ clientOrderId: a, symbol: BTC });
    expect(events.at(-1)).toMatchObject({ type: 'OrderCancelRejected', clientOrderId: a });
    await venue.cancel({ clientOrderId: 'nope', symbol: BTC });
    expect(events.at(-1)).toMatchObject({ type: 'OrderCancelRejected', clientOrderId: 'nope' });
    await venue.cancel({ clientOrderId: c, symbol: BTC });
    expect(events.at(-1)).toMatchObject({ type: 'OrderCancelRejected', clientOrderId: c });

    events.length = 0;
    await venue.cancelAll(BTC);
    expect(events).toEqual([expect.objectContaining({ type: 'OrderCanceled', clientOrderId: b })]);
    expect((await venue.openOrderReports()).map((o) => o.clientOrderId)).toEqual([c, d]);
    await venue.cancelAll();
    expect(types(events)).toEqual(['OrderCanceled', 'OrderCanceled', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('keeps a bounded history of finished orders', async () => {
    const { venue } = harness({ ...RICH, terminalOrderLimit: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cmd = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' });
      ids.push(cmd.clientOrderId);
      await venue.submit(cmd);
    }
    expect(await venue.orderReport(ids[0]!)).toBeUndefined();
    expect(await venue.orderReport(ids[1]!)).toBeUndefined();
    for (const id of ids.slice(2)) expect(await venue.orderReport(id)).toMatchObject({ status: 'filled' });
  });

  it('reports the account: realized PnL, fees and balance stay exact through a round trip', async () => {
    const { venue, events } = harness(RICH);
    await venue.submit(order({ symbol: ETH, side: 'buy', type: 'market', quantity: '1.5' }));
    await venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1.5' }));
    const fills = fillsOf(events);
    const fees = sum(fills.map((f) => f.fee));
    const signed = Dec.sum(fills.map((f) => D(f.price).mul(D(f.quantity)).mul(f.side === 'sell' ? Dec.ONE : Dec.ONE.neg())));
    // Balance = initial + realized PnL (Σ signed value of the fills) − fees (Σ of the fills' fees), to the last unit.
    expect(await venue.balanceReports()).toEqual([{ currency: 'USDT', total: D('1000000').add(signed).sub(fees).toString() }]);
    expect(await venue.positionReports()).toEqual([]);
  });

  it('resetAccount cancels open orders and starts over', async () => {
    const { venue, events } = harness(RICH);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' }));
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-10'), quantity: '0.01' });
    await venue.submit(resting);
    await venue.resetAccount('2500');
    expect(events.at(-1)).toMatchObject({ type: 'OrderCanceled', clientOrderId: resting.clientOrderId });
    expect(await venue.balanceReports()).toEqual([{ currency: 'USDT', total: '2500' }]);
    expect(await venue.positionReports()).toEqual([]);
    expect(await venue.openOrderReports()).toEqual([]);
  });
});

describe('events', () => {
  it('deliver a listener’s own follow-up commands after the events that caused them', async () => {
    const { venue, events } = harness(RICH);
    const hedge = order({ symbol: ETH, side: 'sell', type: 'market', quantity: '0.1' });
    const first = order({ symbol: ETH, side: 'buy', type: 'market', quantity: '0.1' });
    venue.onExecution((e) => {
      if (e.type === 'OrderAccepted' && e.clientOrderId === first.clientOrderId) void venue.submit(hedge);
    });
    await venue.submit(first);
    expect(events.map((e) => `${e.type}:${e.clientOrderId}`)).toEqual([
      `OrderAccepted:${first.clientOrderId}`,
      `OrderFilled:${first.clientOrderId}`,
      `OrderAccepted:${hedge.clientOrderId}`,
      `OrderFilled:${hedge.clientOrderId}`,
    ]);
    expect(await venue.positionReports()).toEqual([]);
  });

  it('keep going when a listener throws', async () => {
    const errors: unknown[] = [];
    const { venue, events } = harness({ ...RICH, onError: (e) => errors.push(e) });
    const unsubscribe = venue.onExecution(() => {
      throw new Error('listener bug');
    });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' }));
    expect(types(events)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(errors).toHaveLength(2);
    unsubscribe();
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' }));
    expect(errors).toHaveLength(2);
  });
});
