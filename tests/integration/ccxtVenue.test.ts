/**
 * The ccxt venue adapter against a fake Binance USD-M exchange on
 * 127.0.0.1, with the real, unmodified ccxt: instruments and prices,
 * orders and fills from the REST answers and the user-data stream (each
 * once), and what it does under the faults a real exchange produces. The
 * request journal of the fake shows the exact calls: after a lost answer the
 * adapter asks, it never sends again.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { ExecutionEvent } from '../../src/main/engine/ports/venue';
import { CcxtVenue, VenueCallError, type CcxtVenueOptions } from '../../src/main/venues/ccxt/ccxtVenue';
import type { CcxtExchange } from '../../src/main/venues/ccxt/ccxtTypes';
import { createExchange } from '../../src/main/venues/ccxt/exchanges';
import { DEFAULT_API_KEY, startFakeBinanceUsdm, type FakeBinanceUsdm, type FakeBinanceUsdmOptions } from '../support/fakeExchanges/binanceUsdm';
import { ofOrder, orderMaker, restingBuyPrice, TEST_TIMINGS, until, useVenueHarness } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
let fake: FakeBinanceUsdm;
const harness = useVenueHarness(startFakeBinanceUsdm, {
  id: 'binanceusdm-demo',
  exchange: 'binanceusdm',
  symbols: [BTC, 'ETH/USDT:USDT'],
  credentials: { apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret },
});

async function startVenue(options: Partial<CcxtVenueOptions> = {}, fakeOptions: FakeBinanceUsdmOptions = {}) {
  const started = await harness.startVenue(options, fakeOptions);
  fake = started.fake;
  return started;
}

const order = orderMaker('kt', BTC);

const posts = () => fake.journal.entries().filter((e) => e.method === 'POST' && e.path === '/fapi/v1/order');

describe('the ccxt venue on a fake Binance USD-M exchange', () => {
  it('loads the chosen instruments with the exchange tick, lot and minimum notional, and prices them', async () => {
    const { venue } = await startVenue();
    const btc = venue.instruments().find((i) => i.symbol === BTC)!;
    expect(btc).toMatchObject({ venue: 'binanceusdm-demo', base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'linear_perpetual' });
    expect(Dec.parse(btc.tickSize).eq(Dec.parse('0.1'))).toBe(true);
    expect(Dec.parse(btc.lotSize).eq(Dec.parse('0.001'))).toBe(true);
    expect(Dec.parse(btc.minNotional).eq(Dec.parse('100'))).toBe(true);
    const ticker = venue.ticker(BTC);
    expect(Dec.parse(ticker.mark).isPositive()).toBe(true);
    expect(Dec.parse(ticker.ask).gte(Dec.parse(ticker.bid))).toBe(true);
    const balances = await venue.balanceReports();
    expect(balances.find((b) => b.currency === 'USDT')?.total).toBe('10000');
  });

  it('answers the order book from its last fetch, asking the exchange at most once a second per symbol', async () => {
    const { venue } = await startVenue();
    fake.journal.clear();
    for (let i = 0; i < 20; i++) venue.orderBook(BTC, 10);
    await until('the first book', () => venue.orderBook(BTC, 10).bids.length > 1);
    const book = venue.orderBook(BTC, 5);
    expect(book.bids.length).toBeLessThanOrEqual(5);
    expect(Dec.parse(book.asks[0]![0]).gt(Dec.parse(book.bids[0]![0]))).toBe(true);
    expect(fake.journal.entries().filter((e) => e.path === '/fapi/v1/depth')).toHaveLength(1);
  });

  it('without a ticker stream, prices are read by REST at the ticker cadence, not the slower order poll', async () => {
    const { venue, connectivity } = await startVenue({
      // An exchange client with no ticker stream, as ccxt gives for some exchanges.
      createExchange: async (config) => Object.assign(await createExchange(config), { watchTickers: undefined }),
      timings: { ...TEST_TIMINGS, tickerPollMs: 200, safetyPollMs: 10_000 },
    });
    expect(connectivity).toContainEqual(['degraded', expect.stringMatching(/tickers by polling/)]);
    // Past the first poll after start: what follows is the steady cadence.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const before = Dec.parse(venue.ticker(BTC).mark);
    const moved = before.mul(Dec.parse('1.01')).toFixed(1);
    fake.setMark('BTCUSDT', moved);
    await until('the new mark by REST', () => Dec.parse(venue.ticker(BTC).mark).eq(Dec.parse(moved)), 2_000);
  });

  it('places and cancels a resting order: accepted once, cancelled once', async () => {
    const { venue, events } = await startVenue();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    await until('the stream to settle', () => ofOrder(events, limit.clientOrderId).length >= 1);
    expect((await venue.openOrderReports()).map((r) => r.clientOrderId)).toContain(limit.clientOrderId);
    await venue.cancel({ clientOrderId: limit.clientOrderId, symbol: BTC });
    await until('the cancel', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderCanceled'));
    await new Promise((resolve) => setTimeout(resolve, 300)); // late stream echoes would show up here
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('reports a market order filled with its trade id, price and fee, once, though the REST answer and the stream both tell of it', async () => {
    const { venue, events } = await startVenue();
    const market = order({ type: 'market' });
    await venue.submit(market);
    await until('the fill', () => ofOrder(events, market.clientOrderId).some((e) => e.type === 'OrderFilled'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fills = ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderFilled');
    expect(fills).toHaveLength(1);
    const fill = fills[0] as Extract<ExecutionEvent, { type: 'OrderFilled' }>;
    expect(fill.quantity).toBe('0.002');
    expect(Dec.parse(fill.fee).isPositive()).toBe(true);
    expect(fill.feeCurrency).toBe('USDT');
    expect(ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderAccepted')).toHaveLength(1);
    const positions = await venue.positionReports();
    expect(positions).toEqual([expect.objectContaining({ symbol: BTC, quantity: '0.002' })]);
    const recovered = await venue.fillReports(Date.now() - 60_000);
    expect(recovered.map((f) => f.tradeId)).toEqual([fill.tradeId]);
    expect(recovered[0]!.clientOrderId).toBe(market.clientOrderId);
  });

  it('a market order whose answer was lost: the submit says the outcome is unknown, the order is found by asking, and it is never sent again', async () => {
    const { venue } = await startVenue();
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'loseResponse' } });
    const market = order({ type: 'market' });
    const failure = await venue.submit(market).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(VenueCallError);
    expect((failure as VenueCallError).failure.kind).toBe('unknown');
    const report = await venue.orderReport(market.clientOrderId, BTC);
    expect(report).toMatchObject({ clientOrderId: market.clientOrderId, status: 'filled', filledQuantity: '0.002' });
    expect(posts()).toHaveLength(1);
    const positions = await venue.positionReports();
    expect(positions.find((p) => p.symbol === BTC)?.quantity).toBe('0.002');
  });

  it('a send the exchange carries out after the timeout is not found at first, and is found later by asking again', async () => {
    const { venue } = await startVenue();
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'delay', ms: 2_500 } });
    const limit = order({ price: restingBuyPrice(venue) });
    const failure = await venue.submit(limit).then(() => null, (error: unknown) => error);
    expect((failure as VenueCallError).failure.kind).toBe('unknown');
    expect(await venue.orderReport(limit.clientOrderId, BTC)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await venue.orderReport(limit.clientOrderId, BTC)).toMatchObject({ status: 'open' });
    expect(posts()).toHaveLength(1);
  });

  it('refused orders are rejected with the exchange reason and a code, and nothing is retried', async () => {
    const { venue, events } = await startVenue();
    const tooSmall = order({ type: 'market', quantity: '0.001' }); // about 60 USDT, under the 100 USDT minimum
    await venue.submit(tooSmall);
    const rejected = ofOrder(events, tooSmall.clientOrderId).find((e) => e.type === 'OrderRejected') as Extract<ExecutionEvent, { type: 'OrderRejected' }>;
    expect(rejected).toMatchObject({ code: 'MIN_NOTIONAL' });
    expect(rejected.reason).toMatch(/notional/i);
    const reduce = order({ type: 'market', side: 'sell', reduceOnly: true });
    await venue.submit(reduce);
    expect(ofOrder(events, reduce.clientOrderId).find((e) => e.type === 'OrderRejected')).toMatchObject({ code: 'REDUCE_ONLY_REJECTED' });
    expect(posts()).toHaveLength(2);
  });

  it('a 429 holds every request to the venue for its Retry-After and says so; the refused order is rejected, not retried', async () => {
    const { venue, events, connectivity } = await startVenue();
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { code: -1003, msg: 'Too many requests; current limit is 2400 request weight per 1 MINUTE.' } } });
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(connectivity, JSON.stringify(connectivity)).toContainEqual(['degraded', expect.stringMatching(/rate limited/)]);
    const before = Date.now();
    await venue.openOrderReports();
    // Held for the Retry-After (1 s), not longer.
    expect(Date.now() - before).toBeGreaterThanOrEqual(700);
    expect(Date.now() - before).toBeLessThan(2_500);
    expect(posts()).toHaveLength(1);
  });

  it('reports its requests, the weight budget in use and when it last heard the exchange; a refusal is an answer, a 5xx a failure', async () => {
    const { venue } = await startVenue();
    await venue.submit(order({ type: 'market', quantity: '0.001' })); // refused: under the minimum notional
    let stats = venue.stats();
    expect(stats.requests).toBeGreaterThanOrEqual(3);
    expect(stats.errors).toBe(0);
    expect(stats.latencyP50Ms).not.toBeNull();
    expect(stats.lastMessageAt).not.toBeNull();
    // The fake reports the weight it counted; the budget is Binance's 2,400 a minute.
    expect(stats.rateLimitUsage).toBeGreaterThan(0);
    expect(stats.rateLimitUsage).toBeLessThan(1);
    expect(stats.rateLimited).toBe(false);
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'status', status: 502, body: '<html>Bad Gateway</html>' } });
    await venue.submit(order({ price: restingBuyPrice(venue) })).catch(() => undefined);
    stats = venue.stats();
    expect(stats.errors).toBe(1);
  });

  it('a 418 ban holds the whole venue and says it is banned', async () => {
    const { venue, events, connectivity } = await startVenue();
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'status', status: 418, headers: { 'Retry-After': '1' }, body: { code: -1003, msg: 'Way too many requests; IP banned until 1700000000000.' } } });
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(connectivity).toContainEqual(['degraded', expect.stringMatching(/banned/)]);
    expect(posts()).toHaveLength(1);
  });

  it('an HTML 502 or a hang on a submit leaves its fate unknown; asking finds the hung one was never carried out', async () => {
    const { venue } = await startVenue();
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'status', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' } });
    const first = order({ price: restingBuyPrice(venue) });
    expect(((await venue.submit(first).catch((error: unknown) => error)) as VenueCallError).failure.kind).toBe('unknown');
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'hang' } });
    const second = order({ price: restingBuyPrice(venue) });
    expect(((await venue.submit(second).catch((error: unknown) => error)) as VenueCallError).failure.kind).toBe('unknown');
    expect(await venue.orderReport(second.clientOrderId, BTC)).toBeUndefined();
    expect(posts()).toHaveLength(2);
  });

  it('a fill the stream delivers twice, or out of order, is reported once', async () => {
    const { venue, events } = await startVenue();
    fake.injectStream({ action: 'duplicate', match: 'ORDER_TRADE_UPDATE', times: 5 });
    fake.injectStream({ action: 'reorder', match: 'ORDER_TRADE_UPDATE', times: 1 });
    const market = order({ type: 'market' });
    await venue.submit(market);
    await until('the fill', () => ofOrder(events, market.clientOrderId).some((e) => e.type === 'OrderFilled'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
    expect(ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderAccepted')).toHaveLength(1);
  });

  it('a clock the exchange refuses (-1021) is resynced and the request sent once more', async () => {
    const { venue, events } = await startVenue();
    fake.setClockSkew(15_000);
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId)[0]?.type).toBe('OrderAccepted');
    const sent = posts();
    expect(sent.map((e) => e.code ?? 'ok')).toEqual([-1021, 'ok']);
    expect(fake.journal.entries().some((e) => e.path === '/fapi/v1/time')).toBe(true);
  });

  it('a refused key stops the venue at start, saying the key must be entered again', async () => {
    await expect(startVenue({ credentials: { apiKey: DEFAULT_API_KEY.apiKey, secret: 'not-the-secret-0000' } })).rejects.toThrow(/refused the API key.*Settings → Exchanges/);
  });

  it('a key revoked while trading disconnects the venue with the reason and refuses further orders', async () => {
    const { venue, events, connectivity } = await startVenue();
    fake.revokeKey(DEFAULT_API_KEY.apiKey);
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(connectivity.at(-1)?.[0]).toBe('disconnected');
    expect(connectivity.at(-1)?.[1]).toMatch(/enter the key again/);
  });

  it('fills the stream dropped are found by the safety poll, once', async () => {
    const { venue, events } = await startVenue();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    const venueOrderId = (ofOrder(events, limit.clientOrderId).find((e) => e.type === 'OrderAccepted') as { venueOrderId: string }).venueOrderId;
    fake.injectStream({ action: 'skip', match: 'ORDER_TRADE_UPDATE', times: 10 });
    fake.fillOrder(Number(venueOrderId));
    await until('the poll to find the fill', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderFilled'), 4_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(ofOrder(events, limit.clientOrderId).filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
  });

  it('an order from an earlier session, learned by reconciliation, is watched like its own: a fill the stream skipped is polled, a cancel confirmed', async () => {
    const { venue: earlier } = await startVenue();
    const limit = order({ price: restingBuyPrice(earlier) });
    await earlier.submit(limit);
    await earlier.stop();
    // A new connection, as after a restart: it learns of the order by asking, as reconciliation does.
    const events: ExecutionEvent[] = [];
    const later = new CcxtVenue({ ...(earlier as unknown as { options: CcxtVenueOptions }).options });
    harness.track(later);
    later.onExecution((event) => events.push(event));
    await later.start();
    const open = await later.openOrderReports();
    const report = open.find((r) => r.clientOrderId === limit.clientOrderId)!;
    expect(report.status).toBe('open');
    fake.injectStream({ action: 'skip', match: 'ORDER_TRADE_UPDATE', times: 10 });
    fake.fillOrder(Number(report.venueOrderId), '0.001');
    await until('the poll to find the partial fill', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderFilled'), 4_000);
    await later.cancel({ clientOrderId: limit.clientOrderId, symbol: BTC });
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderFilled', 'OrderCanceled']);
  });

  it('once stopped, sends nothing signed: the listen-key keep-alive ccxt scheduled for itself finds no key to renew', async () => {
    let exchange: CcxtExchange | null = null;
    const { venue } = await startVenue({ createExchange: async (config) => (exchange = await createExchange(config)) });
    const listenKeyCalls = (method: string) => fake.journal.entries().filter((e) => e.method === method && e.path === '/fapi/v1/listenKey').length;
    await until('the user-data stream to take a listen key', () => listenKeyCalls('POST') > 0);
    // While it runs, the keep-alive renews the key, as ccxt's timer does every 20 minutes.
    const keepAlive = () => (exchange as unknown as { keepAliveListenKey(params: object): Promise<void> }).keepAliveListenKey({});
    await keepAlive();
    expect(listenKeyCalls('PUT')).toBe(1);
    await venue.stop();
    // The timer outlives the connection; when it fires, nothing leaves.
    await keepAlive();
    expect(listenKeyCalls('PUT')).toBe(1);
  });

  it('the user-data stream fetches no positions snapshot of its own, so a drop as it opens leaves no promise unanswered', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await startVenue({
        createExchange: async (config) => {
          // Slow positions answers: a snapshot ccxt fetched for itself would still be waiting when the stream drops.
          harness.fake().inject({ match: 'GET /fapi/v3/positionRisk', times: Infinity, action: { type: 'delay', ms: 600 } });
          return createExchange(config);
        },
      });
      await until('the user-data stream to open', () => fake.userStream.connectionCount() === 1);
      fake.userStream.dropConnections();
      await until('the user-data stream to open again', () => fake.userStream.connectionCount() === 1, 4_000);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('never lets the secret into an error it raises', async () => {
    const { venue } = await startVenue();
    fake.inject({ match: 'GET /fapi/v1/openOrders', times: Infinity, action: { type: 'status', status: 503, body: `upstream said ${DEFAULT_API_KEY.secret}` } });
    const failure = await venue.openOrderReports().then(() => null, (error: unknown) => error as Error);
    expect(failure).not.toBeNull();
    expect(failure!.message).not.toContain(DEFAULT_API_KEY.secret);
  });
});
