import { describe, expect, it } from 'vitest';
import { TIMEFRAME_MS } from '../../../shared/domain';
import { SimulatedClock } from '../../engine/ports/clock';
import { type Bar, aggregateCandles } from '../../core/candles';
import type { MarketEvent, MarketTrade } from '../../engine/ports/venue';
import { CONNECTION_DROPPED, INJECTED_FAILURE, VenueConnectionError } from './faults';
import { PaperVenue } from './paperVenue';
import { PAPER_INSTRUMENTS } from './instruments';
import { InMemoryPaperVenueStore } from './store';
import { BTC, D, ETH, SOL, START, fillsOf, harness, offset, order, types } from './testSupport';

function recordMarket(venue: PaperVenue): MarketEvent[] {
  const events: MarketEvent[] = [];
  venue.onMarket((e) => events.push(e));
  return events;
}

function lasts(events: MarketEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'ticker' ? [`${e.ticker.symbol}:${e.ticker.last}:${e.ticker.bid}:${e.ticker.ask}`] : []));
}

describe('live market', () => {
  it('steps on the clock: several trades a second per instrument and a ticker every step, until stopped', async () => {
    const { venue, clock } = harness();
    const events = recordMarket(venue);
    await venue.start();
    clock.advanceBy(10_000);
    const tickers = events.filter((e) => e.type === 'ticker');
    expect(tickers).toHaveLength(PAPER_INSTRUMENTS.length * 50);
    const trades = events.flatMap((e) => (e.type === 'trade' ? [e.trade] : []));
    for (const symbol of [BTC, ETH, SOL]) {
      const mine = trades.filter((t) => t.symbol === symbol);
      expect(mine.length).toBeGreaterThan(20);
      for (const t of mine) {
        expect(D(t.quantity).isPositive()).toBe(true);
        expect(t.timestamp).toBeGreaterThan(START);
      }
    }
    await venue.stop();
    const count = events.length;
    clock.advanceBy(10_000);
    expect(events).toHaveLength(count);
  });

  it('trades at the touch and moves the price', async () => {
    const { venue, clock } = harness();
    const events = recordMarket(venue);
    const before = venue.ticker(BTC).last;
    await venue.start();
    let checked = 0;
    venue.onMarket((e) => {
      if (e.type !== 'trade' || e.trade.symbol !== ETH) return;
      const t = venue.ticker(ETH);
      expect(e.trade.price).toBe(e.trade.side === 'buy' ? t.ask : t.bid);
      checked++;
    });
    clock.advanceBy(120_000);
    expect(checked).toBeGreaterThan(100);
    expect(venue.ticker(BTC).last).not.toBe(before);
    expect(events.length).toBeGreaterThan(0);
  });

  it('replays the same market for the same seed and start, and another for another seed', async () => {
    const run = async (seed: number): Promise<{ tickers: string[]; candles: Bar[] }> => {
      const clock = new SimulatedClock(START);
      const venue = new PaperVenue({ clock, seed });
      const events = recordMarket(venue);
      await venue.start();
      clock.advanceBy(30_000);
      return { tickers: lasts(events), candles: await venue.candles(SOL, '1m', 4320) };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(a.candles).toHaveLength(4320);
    expect(b.candles).toEqual(a.candles);
    expect(b.tickers).toEqual(a.tickers);
    expect(c.tickers).not.toEqual(a.tickers);
    expect(c.candles.map((x) => x.close)).not.toEqual(a.candles.map((x) => x.close));
  });

  it('builds live 1m candles from its trades and serves every timeframe from them', async () => {
    const { venue, clock } = harness({ historyMinutes: 600 });
    const trades: MarketTrade[] = [];
    venue.onMarket((e) => {
      if (e.type === 'trade' && e.trade.symbol === BTC) trades.push(e.trade);
    });
    await venue.start();
    clock.advanceBy(5 * 60_000);
    const oneMinute = await venue.candles(BTC, '1m', 700);
    // 600 generated bars, 5 closed live minutes, the live one.
    expect(oneMinute).toHaveLength(606);
    for (let i = 1; i < oneMinute.length; i++) expect(oneMinute[i]!.time - oneMinute[i - 1]!.time).toBe(60_000);
    // A live minute is exactly the trades printed in it.
    const minute = oneMinute[oneMinute.length - 3]!;
    const inside = trades.filter((t) => t.timestamp >= minute.time && t.timestamp < minute.time + 60_000).map((t) => Number(t.price));
    expect(inside.length).toBeGreaterThan(100);
    expect(minute.high).toBe(Math.max(...inside));
    expect(minute.low).toBe(Math.min(...inside));
    expect(minute.close).toBe(inside[inside.length - 1]);
    const volume = trades.filter((t) => t.timestamp >= minute.time && t.timestamp < minute.time + 60_000).reduce((s, t) => s + Number(t.quantity), 0);
    expect(minute.volume).toBeCloseTo(volume, 6);

    for (const tf of ['5m', '15m', '1h', '4h'] as const) {
      const served = await venue.candles(BTC, tf, 3);
      const expected = aggregateCandles(oneMinute, tf).slice(-3);
      expect(served).toEqual(expected);
      expect(served[served.length - 1]!.time % TIMEFRAME_MS[tf]).toBe(0);
    }
  });

  it('reports 24h statistics from the 1m history', async () => {
    const { venue } = harness({ historyMinutes: 3000 });
    const ticker = venue.ticker(ETH);
    const day = await venue.candles(ETH, '1m', 1440);
    expect(ticker.open24h).toBe(String(day[0]!.open));
    expect(Number(ticker.high24h)).toBe(Math.max(...day.map((c) => c.high)));
    expect(Number(ticker.low24h)).toBe(Math.min(...day.map((c) => c.low)));
    expect(Number(ticker.volume24h)).toBeCloseTo(day.reduce((s, c) => s + c.volume, 0), 3);
    expect(D(ticker.change24h).eq(D(ticker.last).sub(D(ticker.open24h)))).toBe(true);
    expect(ticker.changePercent24h).toBeCloseTo(((Number(ticker.last) - day[0]!.open) / day[0]!.open) * 100, 8);
  });

  it('fills resting orders from its own flow, as maker', async () => {
    const { venue, clock, events } = harness({ initialBalance: '1000000' });
    const buy = order({ symbol: SOL, side: 'buy', type: 'limit', price: venue.ticker(SOL).bid, quantity: '2' });
    const sell = order({ symbol: SOL, side: 'sell', type: 'limit', price: venue.ticker(SOL).ask, quantity: '2' });
    await venue.submit(buy);
    await venue.submit(sell);
    expect(fillsOf(events)).toEqual([]);
    await venue.start();
    // At the touch, both are reached as soon as the market ticks through them either way.
    clock.advanceBy(30 * 60_000);
    const fills = fillsOf(events);
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) expect(f.liquidity).toBe('maker');
    expect(new Set(fills.map((f) => f.clientOrderId))).toEqual(new Set([buy.clientOrderId, sell.clientOrderId]));
  });
});

describe('fault injection', () => {
  it('fails submits and cancels before anything is applied', async () => {
    const { venue, events } = harness({ initialBalance: '1000000' });
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-5'), quantity: '0.01' });
    await venue.submit(resting);
    venue.setFaults({ orderFailureRate: 1, cancelFailureRate: 1 });
    const lost = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' });
    await expect(venue.submit(lost)).rejects.toThrow(INJECTED_FAILURE);
    await expect(venue.cancel({ clientOrderId: resting.clientOrderId, symbol: BTC })).rejects.toThrow(INJECTED_FAILURE);
    await expect(venue.cancelAll()).rejects.toThrow(INJECTED_FAILURE);
    expect(types(events)).toEqual(['OrderAccepted']);
    expect(await venue.orderReport(lost.clientOrderId)).toBeUndefined();
    expect(await venue.orderReport(resting.clientOrderId)).toMatchObject({ status: 'open' });
    venue.setFaults({ orderFailureRate: 0, cancelFailureRate: 0 });
    // Nothing was applied, so the same id is still free.
    await venue.submit(lost);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderAccepted', 'OrderFilled']);
    expect(() => venue.setFaults({ orderFailureRate: 2 })).toThrow(RangeError);
  });

  it('drops the connection: reports it, refuses commands with a network error, and reports it back when switched off', async () => {
    const { venue, events } = harness({ initialBalance: '1000000' });
    const seen: Array<[string, string | null]> = [];
    venue.onConnectivity((state, reason) => seen.push([state, reason]));
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-5'), quantity: '0.01' });
    await venue.submit(resting);

    venue.setFaults({ disconnected: true });
    expect(seen).toEqual([['disconnected', CONNECTION_DROPPED]]);
    const lost = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' });
    const refused = venue.submit(lost);
    await expect(refused).rejects.toThrow(CONNECTION_DROPPED);
    await expect(refused).rejects.toBeInstanceOf(VenueConnectionError);
    await expect(refused).rejects.toMatchObject({ name: 'NetworkError' });
    await expect(venue.cancel({ clientOrderId: resting.clientOrderId, symbol: BTC })).rejects.toThrow(CONNECTION_DROPPED);
    await expect(venue.cancelAll()).rejects.toThrow(CONNECTION_DROPPED);
    await expect(venue.setLeverage(BTC, 20)).rejects.toThrow(CONNECTION_DROPPED);
    // Nothing reached the venue.
    expect(types(events)).toEqual(['OrderAccepted']);
    expect(await venue.orderReport(lost.clientOrderId)).toBeUndefined();
    expect(await venue.orderReport(resting.clientOrderId)).toMatchObject({ status: 'open' });
    // Setting it again changes nothing, so nothing is reported again.
    venue.setFaults({ disconnected: true, latencyMs: 0 });
    expect(seen).toHaveLength(1);

    venue.setFaults({ disconnected: false });
    expect(seen).toEqual([
      ['disconnected', CONNECTION_DROPPED],
      ['connected', null],
    ]);
    await venue.submit(lost);
    await venue.cancel({ clientOrderId: resting.clientOrderId, symbol: BTC });
    expect(types(events)).toEqual(['OrderAccepted', 'OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(() => venue.setFaults({ disconnected: 'yes' as unknown as boolean })).toThrow(RangeError);
  });

  it('fails a share of requests at a partial rate', async () => {
    const { venue } = harness({ initialBalance: '1000000', faults: { orderFailureRate: 0.5 } });
    let failed = 0;
    for (let i = 0; i < 200; i++) {
      await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-5'), quantity: '0.001' })).catch(() => failed++);
    }
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect((await venue.openOrderReports()).length).toBe(200 - failed);
  });

  it('delays requests by the configured latency on the venue clock', async () => {
    const { venue, clock, events } = harness({ initialBalance: '1000000', faults: { latencyMs: 500 } });
    let settled = false;
    const pending = venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' })).then(() => (settled = true));
    clock.advanceBy(499);
    await Promise.resolve();
    expect(events).toEqual([]);
    expect(settled).toBe(false);
    clock.advanceBy(1);
    expect(types(events)).toEqual(['OrderAccepted', 'OrderFilled']);
    await pending;
    expect(settled).toBe(true);
  });
});

describe('restart', () => {
  it('restores orders, account, ids and the market from the store', async () => {
    const store = new InMemoryPaperVenueStore();
    const first = harness({ store, initialBalance: '50000' });
    await first.venue.setLeverage(ETH, 20);
    await first.venue.submit(order({ symbol: ETH, side: 'buy', type: 'market', quantity: '2' }));
    const resting = order({ symbol: ETH, side: 'sell', type: 'limit', price: offset(first.venue.ticker(ETH).ask, '3'), quantity: '1.5' });
    await first.venue.submit(resting);
    const stop = order({ symbol: BTC, side: 'buy', type: 'stop', stopPrice: offset(first.venue.ticker(BTC).last, '200'), quantity: '0.01' });
    await first.venue.submit(stop);
    await first.venue.start();
    first.clock.advanceBy(3_000);
    await first.venue.stop();
    const before = {
      balances: await first.venue.balanceReports(),
      positions: await first.venue.positionReports(),
      open: await first.venue.openOrderReports(),
      ethMid: first.venue.ticker(ETH).mark,
      lastTradeId: fillsOf(first.events).at(-1)!.tradeId,
    };
    expect(store.writes).toBeGreaterThan(0);

    const clock = new SimulatedClock(first.clock.now() + 60_000);
    const second = harness({ store, initialBalance: '50000' }, clock);
    expect(await second.venue.balanceReports()).toEqual(before.balances);
    expect(await second.venue.positionReports()).toEqual(before.positions);
    expect(await second.venue.openOrderReports()).toEqual(before.open);
    // The market continues where it left off.
    expect(Math.abs(Number(second.venue.ticker(ETH).mark) / Number(before.ethMid) - 1)).toBeLessThan(0.001);
    // The resting order still works, and ids continue.
    second.venue.setMarketPrice(ETH, Number(offset(resting.price!, '5')));
    const fill = fillsOf(second.events, resting.clientOrderId)[0]!;
    expect(fill).toMatchObject({ price: resting.price, quantity: '1.5', liquidity: 'maker' });
    expect(Number(fill.tradeId.slice('paper-t-'.length))).toBeGreaterThan(Number(before.lastTradeId.slice('paper-t-'.length)));
    const next = order({ symbol: SOL, side: 'buy', type: 'market', quantity: '1' });
    await second.venue.submit(next);
    expect(second.events.at(-2)).toMatchObject({ type: 'OrderAccepted', venueOrderId: 'paper-o-4' });
    // Known ids stay known.
    await second.venue.submit(resting);
    expect(second.events.at(-1)).toMatchObject({ type: 'OrderRejected', code: 'DUPLICATE_CLIENT_ORDER_ID' });
    // The armed stop still triggers.
    second.venue.injectTrade(BTC, 'buy', stop.stopPrice!, '0.1');
    expect(types(second.events.filter((e) => e.clientOrderId === stop.clientOrderId))).toEqual(['OrderTriggered', 'OrderFilled']);
  });

  it('never reuses an order id, even when the newest order has been evicted from the history', async () => {
    const store = new InMemoryPaperVenueStore();
    const first = harness({ store, initialBalance: '1000000', terminalOrderLimit: 1 });
    const bid = first.venue.ticker(BTC).bid;
    const older = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(bid, '-10'), quantity: '0.001' });
    const newer = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(bid, '-20'), quantity: '0.001' });
    await first.venue.submit(older);
    await first.venue.submit(newer);
    await first.venue.cancel({ clientOrderId: newer.clientOrderId, symbol: BTC });
    await first.venue.cancel({ clientOrderId: older.clientOrderId, symbol: BTC });
    // Only the older order is still stored: the id counter must not be derived from it alone.
    expect(store.loadOrders().map((o) => o.venueOrderId)).toEqual(['paper-o-1']);
    const second = harness({ store, initialBalance: '1000000', terminalOrderLimit: 1 }, new SimulatedClock(first.clock.now() + 1_000));
    await second.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' }));
    expect(second.events[0]).toMatchObject({ type: 'OrderAccepted', venueOrderId: 'paper-o-3' });
  });
});

describe('statistics for the system monitor', () => {
  it('counts commands and their injected failures, times them on the clock, and hears the market move', async () => {
    const { venue, clock } = harness({ initialBalance: '1000000' });
    expect(venue.stats()).toMatchObject({ requests: 0, errors: 0, lastMessageAt: null, rateLimitUsage: null, rateLimited: false });
    recordMarket(venue);
    await venue.start();
    clock.advanceBy(1_000);
    expect(venue.stats().lastMessageAt).toBe(clock.now());

    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-5'), quantity: '0.01' });
    await venue.submit(resting);
    venue.setFaults({ cancelFailureRate: 1 });
    await expect(venue.cancel({ clientOrderId: resting.clientOrderId, symbol: BTC })).rejects.toThrow(INJECTED_FAILURE);
    venue.setFaults({ cancelFailureRate: 0, latencyMs: 250 });
    const cancel = venue.cancel({ clientOrderId: resting.clientOrderId, symbol: BTC });
    clock.advanceBy(250);
    await cancel;
    const stats = venue.stats();
    expect(stats).toMatchObject({ requests: 3, errors: 1, latencyP50Ms: 0, latencyP95Ms: 250 });
    await venue.stop();
  });
});
