import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { SimulatedClock } from '../../engine/ports/clock';
import type { SubmitOrder } from '../../engine/ports/venue';
import { PAPER_INSTRUMENTS } from './instruments';
import type { MarginAccount } from './marginAccount';
import { InMemoryPaperVenueStore } from './store';
import { SyntheticMarketSource } from './syntheticMarketSource';
import { BTC, D, ETH, type ExchangeHarness, START, eventsOf, exchangeHarness, fillsOf, offset, order, sum, types } from './testSupport';

const RICH = { initialBalance: '1000000' };

type Harness = ExchangeHarness<SyntheticMarketSource>;

function submit(h: Harness, cmd: SubmitOrder): void {
  h.run(() => h.exchange.submit(cmd));
}

function book(h: Harness, symbol: string): { bid: string; ask: string; last: string; asks: Array<[string, string]> } {
  const ticker = h.market.ticker(symbol, h.clock.now());
  return { bid: ticker.bid, ask: ticker.ask, last: ticker.last, asks: h.market.orderBook(symbol, 100, h.clock.now()).asks };
}

const figures = (h: Harness) => h.exchange.account.figures();

describe('what orders hold on the margin account', () => {
  it('a resting limit holds notional / leverage for its remainder, and less as it fills, none once filled', () => {
    const h = exchangeHarness(RICH);
    const { asks } = book(h, BTC);
    const limit = asks[1]![0];
    const quantity = sum([asks[0]![1], asks[1]![1], '0.005']).toString();
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity });
    submit(h, cmd);
    expect(types(h.events)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(figures(h).orderMargin.eq(D(limit).mul(D('0.005')).div(D('10')))).toBe(true);

    const { bid } = book(h, BTC);
    h.market.printTrade(BTC, 'sell', bid, '0.002');
    expect(figures(h).orderMargin.eq(D(limit).mul(D('0.003')).div(D('10')))).toBe(true);
    h.market.printTrade(BTC, 'sell', bid, '1');
    expect(h.exchange.orderReport(cmd.clientOrderId)).toMatchObject({ status: 'filled' });
    expect(figures(h).orderMargin.isZero()).toBe(true);
  });

  it('holds exactly notional / leverage, and available is equity less what is held', () => {
    const h = exchangeHarness();
    const limit = offset(book(h, BTC).bid, '-50');
    submit(h, order({ symbol: BTC, side: 'buy', type: 'limit', price: limit, quantity: '1' }));
    expect(h.events.at(-1)).toMatchObject({ type: 'OrderAccepted' });
    const held = D(limit).div(D('10'));
    expect(figures(h).orderMargin.eq(held)).toBe(true);
    expect(figures(h).available.eq(D('10000').sub(held))).toBe(true);
    h.run(() => h.exchange.setLeverage(BTC, 50));
    expect(figures(h).orderMargin.eq(D(limit).div(D('50')))).toBe(true);
  });

  it('reduce-only orders and orders that only offset the position hold none', () => {
    const h = exchangeHarness({ initialBalance: '2000' });
    h.run(() => h.exchange.setLeverage(BTC, 75));
    submit(h, order({ symbol: BTC, side: 'buy', type: 'market', quantity: '1' }));
    const { ask, bid } = book(h, BTC);
    submit(h, order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(ask, '100'), quantity: '1' }));
    submit(h, order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(ask, '500'), quantity: '1', reduceOnly: true }));
    submit(h, order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(bid, '-500'), quantity: '1', reduceOnly: true }));
    expect(types(h.events).filter((t) => t === 'OrderAccepted')).toHaveLength(4);
    expect(figures(h).orderMargin.isZero()).toBe(true);
  });

  it('cancels release everything', () => {
    const h = exchangeHarness(RICH);
    for (const [symbol, quantity] of [
      [BTC, '0.01'],
      [ETH, '0.5'],
    ] as const) {
      submit(h, order({ symbol, side: 'buy', type: 'limit', price: offset(book(h, symbol).bid, '-1'), quantity }));
      submit(h, order({ symbol, side: 'buy', type: 'stop', stopPrice: offset(book(h, symbol).last, '30'), quantity }));
    }
    expect(figures(h).orderMargin.isPositive()).toBe(true);
    h.run(() => h.exchange.cancelAll(BTC));
    const eth = figures(h).orderMargin;
    expect(eth.isPositive()).toBe(true);
    h.run(() => h.exchange.cancelAll());
    expect(figures(h).orderMargin.isZero()).toBe(true);
    expect(figures(h).available.eq(D('1000000'))).toBe(true);
  });

  it('books a round trip exactly: realized PnL, fees and balance', () => {
    const h = exchangeHarness(RICH);
    submit(h, order({ symbol: ETH, side: 'buy', type: 'market', quantity: '1.5' }));
    submit(h, order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1.5' }));
    const fills = fillsOf(h.events);
    const fees = sum(fills.map((f) => f.fee));
    const signed = Dec.sum(fills.map((f) => D(f.price).mul(D(f.quantity)).mul(f.side === 'sell' ? Dec.ONE : Dec.ONE.neg())));
    const ledger = (h.exchange.account as MarginAccount).ledger;
    expect(ledger.feesPaid.eq(fees)).toBe(true);
    expect(ledger.realizedPnl.eq(signed)).toBe(true);
    expect(figures(h).balance.eq(D('1000000').add(signed).sub(fees))).toBe(true);
    expect(figures(h).equity.eq(figures(h).balance)).toBe(true);
    expect(h.exchange.positionReports()).toEqual([]);
  });

  it('holds the same again after a restart from its store', () => {
    const store = new InMemoryPaperVenueStore();
    const first = exchangeHarness({ store, initialBalance: '50000' });
    first.run(() => first.exchange.setLeverage(ETH, 20));
    submit(first, order({ symbol: ETH, side: 'buy', type: 'market', quantity: '2' }));
    submit(first, order({ symbol: ETH, side: 'sell', type: 'limit', price: offset(book(first, ETH).ask, '3'), quantity: '3.5' }));
    submit(first, order({ symbol: BTC, side: 'buy', type: 'stop', stopPrice: offset(book(first, BTC).last, '200'), quantity: '0.01' }));
    submit(first, order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(book(first, BTC).bid, '-100'), quantity: '0.02' }));
    const before = figures(first);
    expect(before.orderMargin.isPositive()).toBe(true);
    first.run(() => first.market.saveAll());

    const second = exchangeHarness({ store, initialBalance: '50000' }, new SimulatedClock(first.clock.now() + 60_000));
    expect(second.exchange.openOrderReports()).toEqual(first.exchange.openOrderReports());
    expect(figures(second).orderMargin.eq(before.orderMargin)).toBe(true);
    expect(figures(second).balance.eq(before.balance)).toBe(true);
    expect(second.exchange.account.leverage(ETH)).toBe(20);
  });
});

describe('the exchange core', () => {
  it('fills a market order at the touch it takes, with ids from its own counters, written through the unit of work', () => {
    const h = exchangeHarness(RICH);
    const [touch] = book(h, BTC).asks;
    const cmd = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' });
    submit(h, cmd);
    expect(types(eventsOf(h.events, cmd.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(fillsOf(h.events)[0]).toMatchObject({ venueOrderId: 'paper-o-1', tradeId: 'paper-t-1', price: touch![0], quantity: '0.001' });
    expect(h.store.loadFills(0)).toEqual([expect.objectContaining({ tradeId: 'paper-t-1' })]);
    expect(h.store.loadOrders()).toEqual([expect.objectContaining({ clientOrderId: cmd.clientOrderId, status: 'filled' })]);
    expect(h.exchange.changes.isEmpty).toBe(true);
  });

  it('refuses to list spot instruments and perpetuals together (one account backs them all)', () => {
    const clock = new SimulatedClock(START);
    const mixed = [PAPER_INSTRUMENTS[0]!, { ...PAPER_INSTRUMENTS[1]!, instrument: { ...PAPER_INSTRUMENTS[1]!.instrument, symbol: 'ETH/USDT', kind: 'spot' as const } }];
    expect(() =>
      exchangeHarness({ market: () => new SyntheticMarketSource({ venue: 'paper', clock, seed: 1, historyMinutes: 10, instruments: mixed }) }, clock),
    ).toThrow(/either spot instruments .* or linear perpetuals/);
  });

  it('rejects leverage out of the instrument’s range without changing anything', () => {
    const h = exchangeHarness();
    expect(() => h.exchange.setLeverage(BTC, 101)).toThrow(RangeError);
    expect(() => h.exchange.setLeverage(BTC, 2.5)).toThrow(RangeError);
    expect(() => h.exchange.setLeverage('DOGE/USDT:USDT', 2)).toThrow(/not listed/);
    expect(h.exchange.account.leverage(BTC)).toBe(10);
    expect(h.exchange.changes.isEmpty).toBe(true);
  });
});
