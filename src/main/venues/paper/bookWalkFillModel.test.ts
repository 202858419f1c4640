import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/domain';
import { SimulatedClock } from '../../engine/ports/clock';
import type { ExecutionEvent, MarketEvent, SubmitOrder } from '../../engine/ports/venue';
import { BarMarketSource } from './barMarketSource';
import { PAPER_INSTRUMENTS, type PaperInstrumentSpec } from './instruments';
import { SyntheticMarketSource } from './syntheticMarketSource';
import { BTC, D, ETH, SOL, START, eventsOf, exchangeHarness, fillsOf, harness, offset, order, sum, types } from './testSupport';

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('BookWalkFillModel (the default)', () => {
  it('fills the same seed the same way, to the trade id: every order type, maker and taker, triggers and reduce-only (pinned)', async () => {
    // Pinned: a change to what fills, when, at what price or fee, in what order, or to the market itself, changes these digests.
    const { venue, clock, events } = harness({ initialBalance: '1000000' });
    const market: MarketEvent[] = [];
    venue.onMarket((e) => market.push(e));
    let n = 0;
    const cmd = (f: Partial<SubmitOrder> & Pick<SubmitOrder, 'symbol' | 'side' | 'type' | 'quantity'>): SubmitOrder => ({
      clientOrderId: `pin-${++n}`,
      price: null,
      stopPrice: null,
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: false,
      ...f,
    });
    await venue.submit(cmd({ symbol: BTC, side: 'buy', type: 'market', quantity: '1.3' }));
    await venue.submit(cmd({ symbol: ETH, side: 'sell', type: 'market', quantity: '12' }));
    await venue.submit(cmd({ symbol: SOL, side: 'buy', type: 'limit', price: venue.ticker(SOL).bid, quantity: '40' }));
    await venue.submit(cmd({ symbol: SOL, side: 'sell', type: 'limit', price: venue.ticker(SOL).ask, quantity: '25' }));
    await venue.submit(cmd({ symbol: BTC, side: 'sell', type: 'limit', price: offset(venue.ticker(BTC).ask, '30'), quantity: '0.7', reduceOnly: true }));
    await venue.submit(cmd({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(venue.ticker(BTC).bid, '-40'), quantity: '1.3', reduceOnly: true }));
    await venue.submit(cmd({ symbol: ETH, side: 'buy', type: 'stop_limit', stopPrice: offset(venue.ticker(ETH).ask, '2'), price: offset(venue.ticker(ETH).ask, '3'), quantity: '5' }));
    await venue.submit(cmd({ symbol: ETH, side: 'buy', type: 'limit', timeInForce: 'IOC', price: offset(venue.ticker(ETH).ask, '1'), quantity: '30' }));
    await venue.submit(cmd({ symbol: BTC, side: 'buy', type: 'limit', timeInForce: 'FOK', price: offset(venue.ticker(BTC).ask, '2'), quantity: '3' }));
    await venue.start();
    for (let i = 0; i < 40; i++) {
      clock.advanceBy(15_000);
      if (i % 5 === 0) await venue.submit(cmd({ symbol: SOL, side: i % 2 ? 'buy' : 'sell', type: 'market', quantity: '3' }));
      if (i % 7 === 0) await venue.submit(cmd({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-3'), quantity: '0.05' }));
    }
    venue.injectTrade(BTC, 'sell', offset(venue.ticker(BTC).bid, '-2000'), '0.5');
    venue.setMarketPrice(SOL, Number(venue.ticker(SOL).bid) - 1);
    await venue.submit(cmd({ symbol: BTC, side: 'sell', type: 'market', quantity: '3.85', reduceOnly: true }));
    await venue.stop();

    const kinds = new Set(events.map((e) => (e.type === 'OrderFilled' ? `${e.type}:${e.liquidity}` : e.type)));
    expect(kinds).toEqual(new Set(['OrderAccepted', 'OrderFilled:taker', 'OrderFilled:maker', 'OrderTriggered', 'OrderCanceled']));
    expect(events).toHaveLength(64);
    expect(fillsOf(events)).toHaveLength(37);
    expect(digest(events)).toBe('8269f8639a62422af2cd40643ed8f2d90dda389f7008005d2c61b59dda33a3c6');
    // The three instruments the orders trade: each instrument's market is its own seeded stream, so listing more changes none of these.
    const traded = new Set<string>([BTC, ETH, SOL]);
    const tradedMarket = market.filter((e) => traded.has(e.type === 'ticker' ? e.ticker.symbol : e.trade.symbol));
    expect(digest(tradedMarket)).toBe('bbd5daf0e394bcd80186cf3916c14d204daedf86493d6a14f7af055d702bb008');
    expect(await venue.positionReports()).toEqual([
      { symbol: ETH, quantity: '23', entryPrice: '2891.608150434782608696', leverage: 10 },
      { symbol: SOL, quantity: '15', entryPrice: '188.423568', leverage: 10 },
    ]);
    expect(await venue.balanceReports()).toEqual([{ currency: 'USDT', total: '1000496.250306585' }]);
  });
});

/** SOL as a spot instrument on the synthetic market: a cash account backs it. */
const SOL_SPOT = 'SOL/USDT';
const spotSol: PaperInstrumentSpec = {
  instrument: { ...PAPER_INSTRUMENTS[2]!.instrument, symbol: SOL_SPOT, kind: 'spot', maxLeverage: 1, defaultLeverage: 1 },
  market: PAPER_INSTRUMENTS[2]!.market,
};

describe('BookWalkFillModel with a cash account', () => {
  it('walks the book one level at a time and stops when the cash runs out; the rest of the market buy expires', () => {
    const clock = new SimulatedClock(START);
    const probe = new SyntheticMarketSource({ venue: 'paper', clock, seed: 11, historyMinutes: 90, instruments: [spotSol] });
    const [[ask0, size0]] = probe.orderBook(SOL_SPOT, 1, START).asks as [[string, string]];
    // Just enough cash for size0 + 20 at the best ask with the taker fee: the order passes, but the second level costs more.
    const quantity = D(size0).add(D('20'));
    const cash = quantity.mul(D(ask0)).mul(D('1.0005'));
    const h = exchangeHarness(
      { initialBalance: cash.toString(), market: () => new SyntheticMarketSource({ venue: 'paper', clock, seed: 11, historyMinutes: 90, instruments: [spotSol] }) },
      clock,
    );
    expect(h.exchange.account.kind).toBe('cash');
    const buy = order({ symbol: SOL_SPOT, side: 'buy', type: 'market', quantity: quantity.toString() });
    h.run(() => h.exchange.submit(buy));
    expect(types(eventsOf(h.events, buy.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderExpired']);
    const [first, second] = fillsOf(h.events);
    expect([first!.price, first!.quantity]).toEqual([ask0, size0]);
    expect(D(second!.price).gt(D(ask0))).toBe(true);
    const spent = sum(fillsOf(h.events).map((f) => D(f.price).mul(D(f.quantity)).add(D(f.fee)).toString()));
    const left = cash.sub(spent);
    expect(h.exchange.balanceReports()).toEqual([{ currency: 'USDT', total: left.toString() }]);
    // Not one more lot (0.1 SOL) was affordable at the second level.
    expect(left.isNegative()).toBe(false);
    expect(left.lt(D(second!.price).mul(D('0.1')).mul(D('1.0005')))).toBe(true);
    expect(h.exchange.positionReports()).toEqual([expect.objectContaining({ symbol: SOL_SPOT, quantity: D(first!.quantity).add(D(second!.quantity)).toString(), leverage: 1 })]);
  });

  it('sells only what it holds, and a resting sell offers units the others cannot sell again', () => {
    const h = exchangeHarness({
      initialBalance: '100000',
      market: (clock, store) => new SyntheticMarketSource({ venue: 'paper', clock, seed: 11, historyMinutes: 90, instruments: [spotSol], store }),
    });
    const submit = (cmd: SubmitOrder): ExecutionEvent | undefined => {
      h.run(() => h.exchange.submit(cmd));
      return h.events.at(-1);
    };
    expect(submit(order({ symbol: SOL_SPOT, side: 'sell', type: 'market', quantity: '1' }))).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });
    submit(order({ symbol: SOL_SPOT, side: 'buy', type: 'market', quantity: '10' }));
    const ask = h.market.ticker(SOL_SPOT, h.clock.now()).ask;
    expect(submit(order({ symbol: SOL_SPOT, side: 'sell', type: 'limit', price: offset(ask, '5'), quantity: '6' }))).toMatchObject({ type: 'OrderAccepted' });
    expect(submit(order({ symbol: SOL_SPOT, side: 'sell', type: 'market', quantity: '4.1' }))).toMatchObject({ type: 'OrderRejected', code: 'INSUFFICIENT_MARGIN' });
    submit(order({ symbol: SOL_SPOT, side: 'sell', type: 'market', quantity: '4' }));
    expect(h.exchange.positionReports()).toEqual([expect.objectContaining({ quantity: '6' })]);
    // The market rallies through the resting sell: the rest of the holdings go.
    h.market.setPrice(SOL_SPOT, Number(offset(ask, '10')));
    expect(h.exchange.positionReports()).toEqual([]);
    expect(h.exchange.account.figures().balance.isPositive()).toBe(true);
  });
});

describe('BookWalkFillModel with a bar market', () => {
  const spot: Instrument = { ...spotSol.instrument, symbol: 'GOOG/USD', base: 'GOOG', quote: 'USD', settle: 'USD', tickSize: '0.01', lotSize: '1', minQuantity: '1', minNotional: '0' };

  it('trades at the close: takers fill there at once, resting orders when a close goes through them, stops against the close', () => {
    const clock = new SimulatedClock(START);
    const h = exchangeHarness({ initialBalance: '100000', market: () => new BarMarketSource({ instruments: [{ instrument: spot }] }) }, clock);
    const push = (close: number): void => {
      clock.advanceBy(60_000);
      h.market.pushBar({ time: clock.now(), open: close, high: close, low: close, close, volume: 0 });
    };
    push(100);
    h.run(() => h.exchange.submit(order({ symbol: 'GOOG/USD', side: 'buy', type: 'market', quantity: '10' })));
    expect(fillsOf(h.events)).toEqual([expect.objectContaining({ price: '100', quantity: '10', liquidity: 'taker' })]);
    const limit = order({ symbol: 'GOOG/USD', side: 'buy', type: 'limit', price: '98', quantity: '5' });
    const stop = order({ symbol: 'GOOG/USD', side: 'sell', type: 'stop', stopPrice: '97', quantity: '10', reduceOnly: true });
    h.run(() => h.exchange.submit(limit));
    h.run(() => h.exchange.submit(stop));
    push(98.5);
    expect(fillsOf(h.events)).toHaveLength(1);
    push(98);
    expect(fillsOf(h.events, limit.clientOrderId)).toEqual([expect.objectContaining({ price: '98', liquidity: 'maker' })]);
    push(96.5);
    expect(types(eventsOf(h.events, stop.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(fillsOf(h.events, stop.clientOrderId)[0]).toMatchObject({ price: '96.5', quantity: '10' });
    expect(h.exchange.positionReports()).toEqual([expect.objectContaining({ quantity: '5' })]);
    expect(Dec.parse(h.exchange.balanceReports()[0]!.total).isPositive()).toBe(true);
  });
});
