/**
 * The ccxt venue adapter on a demo Bybit venue, against the fake Bybit v5
 * exchange on 127.0.0.1, with the real, unmodified ccxt pointed at it by
 * Keel's own createExchange (demo hosts rewritten to the loopback server):
 * instruments and prices, orders and fills from REST and the private stream
 * (each once), positions and balance, key permissions, and what it does when
 * an answer is lost, an order refused, a limit hit or a key refused. The
 * fake's request journal shows the exact calls.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { ExecutionEvent } from '../../src/main/engine/ports/venue';
import { VenueCallError } from '../../src/main/venues/ccxt/ccxtVenue';
import { createExchange } from '../../src/main/venues/ccxt/exchanges';
import { permissionWarnings, readKeyPermissions } from '../../src/main/venues/ccxt/keyPermissions';
import { BybitFaults, DEFAULT_BYBIT_KEY, DEFAULT_BYBIT_SYMBOLS, startFakeBybit, type BybitKeySpec } from '../support/fakeExchanges/bybit';
import { ofOrder, orderMaker, rejection, restingBuyPrice, until, useVenueHarness } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const CREATE = 'POST /v5/order/create';
const harness = useVenueHarness(startFakeBybit, {
  id: 'bybit-demo',
  exchange: 'bybit',
  symbols: [BTC, ETH],
  credentials: { apiKey: DEFAULT_BYBIT_KEY.apiKey, secret: DEFAULT_BYBIT_KEY.secret },
});
const theFake = harness.fake;
const startVenue = harness.startVenue;
const order = orderMaker('kb', BTC);

/** The venue's private stream is authenticated and subscribed to orders and executions. */
const streamUp = () => until('the private stream', () => theFake().privateStream.connectionCount('order') === 1 && theFake().privateStream.connectionCount('execution') === 1);
const creates = () => theFake().journal.entries(CREATE);

describe('the ccxt venue on a fake Bybit (demo trading)', () => {
  it('loads the chosen linear perpetuals with the exchange tick, lot and minimum notional, prices them, and opens the private stream', async () => {
    const { venue } = await startVenue();
    const btc = venue.instruments().find((i) => i.symbol === BTC)!;
    expect(btc).toMatchObject({ venue: 'bybit-demo', base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'linear_perpetual' });
    expect(Dec.parse(btc.tickSize).eq(Dec.parse('0.1'))).toBe(true);
    expect(Dec.parse(btc.lotSize).eq(Dec.parse('0.001'))).toBe(true);
    expect(Dec.parse(btc.minNotional).eq(Dec.parse('5'))).toBe(true);
    const eth = venue.instruments().find((i) => i.symbol === ETH)!;
    expect(Dec.parse(eth.tickSize).eq(Dec.parse('0.01'))).toBe(true);
    expect(Dec.parse(eth.lotSize).eq(Dec.parse('0.01'))).toBe(true);
    const ticker = venue.ticker(BTC);
    expect(Dec.parse(ticker.mark).isPositive()).toBe(true);
    expect(Dec.parse(ticker.ask).gt(Dec.parse(ticker.bid))).toBe(true);
    // Every REST call went to the loopback server, none elsewhere; the private stream authenticated there.
    const calls = theFake().journal.calls();
    expect(calls).toContain('GET /v5/market/time');
    expect(calls).toContain('GET /v5/account/wallet-balance');
    expect(calls).toContain('GET /v5/market/instruments-info');
    await streamUp();
  });

  it('places and cancels a resting order: accepted once, cancelled once, the cancel naming it by orderLinkId', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect((await venue.openOrderReports()).map((r) => r.clientOrderId)).toContain(limit.clientOrderId);
    await venue.cancel({ clientOrderId: limit.clientOrderId, symbol: BTC });
    await until('the cancel', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderCanceled'));
    await new Promise((resolve) => setTimeout(resolve, 300)); // late stream echoes would show up here
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
    expect(creates()).toHaveLength(1);
    const cancels = theFake().journal.entries('POST /v5/order/cancel');
    expect(cancels.map((e) => [e.params.orderLinkId, e.outcome])).toEqual([[limit.clientOrderId, 'ok']]);
    // The stream told of the order twice (new, cancelled): each reported once all the same.
    expect(theFake().privateStream.history().filter((r) => r.topic === 'order').map((r) => [r.data[0]?.orderStatus, r.delivery])).toEqual([
      ['New', 'sent'],
      ['Cancelled', 'sent'],
    ]);
  });

  it('reports a market order filled once, with the exchange trade id and fee, though the stream and REST both tell of it', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const market = order({ type: 'market' });
    await venue.submit(market);
    await until('the fill', () => ofOrder(events, market.clientOrderId).some((e) => e.type === 'OrderFilled'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fills = ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderFilled') as Array<Extract<ExecutionEvent, { type: 'OrderFilled' }>>;
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    const execution = theFake().state.listExecutions(() => true);
    expect(execution).toHaveLength(1);
    expect(fill.tradeId).toBe(execution[0]!.execId);
    expect(fill.quantity).toBe('0.002');
    expect(Dec.parse(fill.fee).isPositive()).toBe(true);
    expect(fill.feeCurrency).toBe('USDT');
    expect(fill.liquidity).toBe('taker');
    expect(ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderAccepted')).toHaveLength(1);
    const recovered = await venue.fillReports(Date.now() - 60_000);
    expect(recovered.map((f) => [f.tradeId, f.clientOrderId])).toEqual([[fill.tradeId, market.clientOrderId]]);
    expect(theFake().privateStream.history().filter((r) => r.topic === 'execution').map((r) => r.delivery)).toEqual(['sent']);
  });

  it('recovers every fill of a busy window, though Bybit pages executions newest first, 100 at a time', async () => {
    const { venue } = await startVenue();
    const count = 230;
    // Placed straight into the exchange's books (as another session's orders would be): fast, and all inside one window.
    for (let i = 0; i < count; i++) {
      theFake().state.placeOrder({ symbol: 'BTCUSDT', side: i % 2 === 0 ? 'Buy' : 'Sell', orderType: 'Market', qty: '0.002', orderLinkId: `busy-${i}` });
    }
    expect(theFake().state.listExecutions(() => true)).toHaveLength(count);
    const recovered = await venue.fillReports(Date.now() - 60_000);
    expect(new Set(recovered.map((f) => f.tradeId)).size).toBe(count);
    expect(recovered).toHaveLength(count);
    expect(recovered.map((f) => f.timestamp)).toEqual([...recovered.map((f) => f.timestamp)].sort((a, b) => a - b));
    expect(new Set(recovered.map((f) => f.clientOrderId))).toEqual(new Set(Array.from({ length: count }, (_, i) => `busy-${i}`)));
  });

  it('a market order whose answer was lost: the submit says the outcome is unknown, the order is found by asking, and it is never sent again', async () => {
    const { venue } = await startVenue();
    theFake().inject({ match: CREATE, action: BybitFaults.loseResponse() });
    const mark = theFake().journal.mark();
    const market = order({ type: 'market' });
    const failure = await venue.submit(market).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VenueCallError);
    expect((failure as VenueCallError).failure.kind).toBe('unknown');
    const report = await venue.orderReport(market.clientOrderId, BTC);
    expect(report).toMatchObject({ clientOrderId: market.clientOrderId, status: 'filled', filledQuantity: '0.002' });
    expect(creates().map((e) => e.outcome)).toEqual(['lost']);
    // Asked by orderLinkId (its open orders, then the history where a filled order lives), never sent again.
    const asked = theFake()
      .journal.entries()
      .filter((e) => e.seq > mark && e.params.orderLinkId === market.clientOrderId)
      .map((e) => `${e.method} ${e.path}`);
    expect(asked[0]).toBe(CREATE);
    expect(asked.slice(1, 3)).toEqual(['GET /v5/order/realtime', 'GET /v5/order/history']);
    expect(asked.filter((call) => call === CREATE)).toHaveLength(1);
    expect((await venue.positionReports()).find((p) => p.symbol === BTC)?.quantity).toBe('0.002');
    expect(creates()).toHaveLength(1);
  });

  it('refused orders are rejected with the exchange reason and its code mapped, and nothing is retried', async () => {
    const symbols = DEFAULT_BYBIT_SYMBOLS.map((s) => (s.symbol === 'BTCUSDT' ? { ...s, minNotionalValue: '100' } : s));
    const { venue, events } = await startVenue({}, { symbols });
    const tooSmall = order({ type: 'market', quantity: '0.001' }); // about 60 USDT, under the 100 USDT minimum
    await venue.submit(tooSmall);
    expect(rejection(events, tooSmall.clientOrderId)).toMatchObject({ code: 'MIN_NOTIONAL', reason: expect.stringMatching(/minimum order value/) });
    const reduce = order({ type: 'market', side: 'sell', reduceOnly: true });
    await venue.submit(reduce);
    expect(rejection(events, reduce.clientOrderId)).toMatchObject({ code: 'REDUCE_ONLY_REJECTED' });
    const tooBig = order({ type: 'market', quantity: '10' }); // 600,000 USDT at 10x on a 10,000 USDT wallet
    await venue.submit(tooBig);
    expect(rejection(events, tooBig.clientOrderId)).toMatchObject({ code: 'INSUFFICIENT_MARGIN' });
    expect(creates().map((e) => e.code)).toEqual([110094, 110017, 110007]);
  });

  it('reports positions and the unified wallet; a leverage change is applied, and asking for the same leverage again is not an error', async () => {
    const { venue, events } = await startVenue();
    await venue.setLeverage(BTC, 5);
    await venue.setLeverage(BTC, 5); // Bybit answers 110043 "leverage not modified"
    expect(theFake().journal.entries('POST /v5/position/set-leverage').map((e) => e.code)).toEqual([undefined, 110043]);
    const buy = order({ type: 'market' });
    const sell = order({ type: 'market', symbol: ETH, side: 'sell', quantity: '0.1' });
    await venue.submit(buy);
    await venue.submit(sell);
    await until('both fills', () => [buy, sell].every((o) => ofOrder(events, o.clientOrderId).some((e) => e.type === 'OrderFilled')));
    const positions = await venue.positionReports();
    expect(positions.find((p) => p.symbol === BTC)).toMatchObject({ quantity: '0.002', leverage: 5 });
    expect(Dec.parse(positions.find((p) => p.symbol === BTC)!.entryPrice).isPositive()).toBe(true);
    expect(positions.find((p) => p.symbol === ETH)).toMatchObject({ quantity: '-0.1', leverage: 10 });
    // The wallet is what the fills left it: the start less both fees.
    const fees = events.filter((e) => e.type === 'OrderFilled').reduce((sum, e) => sum.add(Dec.parse((e as Extract<ExecutionEvent, { type: 'OrderFilled' }>).fee)), Dec.parse('0'));
    const usdt = (await venue.balanceReports()).find((b) => b.currency === 'USDT');
    expect(Dec.parse(usdt!.total).eq(Dec.parse('10000').sub(fees))).toBe(true);
  });

  it('reads what a key may do through keyPermissions: trade, no withdrawals, any IP; and a key that can withdraw from an allow-listed IP', async () => {
    const withdrawing: BybitKeySpec = {
      apiKey: 'keelFakeBybitKey02',
      secret: 'keelFakeBybitSecret0000000000000002',
      permissions: { Wallet: ['AccountTransfer', 'Withdraw'] },
      ips: ['127.0.0.1'],
    };
    const readOnly: BybitKeySpec = { apiKey: 'keelFakeBybitKey03', secret: 'keelFakeBybitSecret0000000000000003', readOnly: true };
    await harness.startFake({ keys: [DEFAULT_BYBIT_KEY, withdrawing, readOnly] });
    const permissionsOf = async (key: BybitKeySpec) => {
      const exchange = await createExchange({ exchange: 'bybit', mode: 'demo', credentials: { apiKey: key.apiKey, secret: key.secret }, timeoutMs: 1_500, baseUrl: theFake().base, log: () => undefined });
      try {
        return await readKeyPermissions(exchange, 'bybit');
      } finally {
        await exchange.close();
      }
    };
    const plain = await permissionsOf(DEFAULT_BYBIT_KEY);
    expect(plain).toEqual({ read: true, trade: true, withdraw: false, ipRestricted: false });
    expect(permissionWarnings(plain)).toEqual([expect.stringMatching(/any IP address/)]);
    expect(await permissionsOf(withdrawing)).toEqual({ read: true, trade: true, withdraw: true, ipRestricted: true });
    expect(await permissionsOf(readOnly)).toMatchObject({ trade: false, withdraw: false });
    expect(theFake().journal.entries('GET /v5/user/query-api').map((e) => [e.apiKey, e.outcome])).toEqual([
      [DEFAULT_BYBIT_KEY.apiKey, 'ok'],
      [withdrawing.apiKey, 'ok'],
      [readOnly.apiKey, 'ok'],
    ]);
  });

  it('a refused key stops the venue at start, saying the key must be entered again', async () => {
    await expect(startVenue({ credentials: { apiKey: DEFAULT_BYBIT_KEY.apiKey, secret: 'not-the-secret-000000000000000000000' } })).rejects.toThrow(/refused the API key.*Settings → Exchanges/);
    expect(theFake().journal.entries('GET /v5/account/wallet-balance').map((e) => e.code)).toEqual([10004]);
    expect(creates()).toEqual([]);
  });

  it('a clock the exchange refuses (10002) is resynced and the order sent once more', async () => {
    const { venue, events } = await startVenue();
    theFake().setClockSkew(15_000);
    const mark = theFake().journal.mark();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId)[0]?.type).toBe('OrderAccepted');
    expect(creates().map((e) => e.code ?? 'ok')).toEqual([10002, 'ok']);
    expect(theFake().journal.calls(mark)).toContain('GET /v5/market/time');
  });

  it('a rate limit (10006, or a bare 403 from the gateway) rejects the order, holds the venue and says so; nothing is retried', async () => {
    const first = await startVenue();
    theFake().inject({ match: CREATE, action: BybitFaults.rateLimited() });
    const limited = order({ price: restingBuyPrice(first.venue) });
    await first.venue.submit(limited);
    expect(ofOrder(first.events, limited.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(first.connectivity).toContainEqual(['degraded', expect.stringMatching(/rate limited/)]);
    expect(creates().map((e) => e.code)).toEqual([10006]);
    await first.venue.stop();
    await theFake().close();

    const second = await startVenue();
    theFake().inject({ match: CREATE, action: BybitFaults.ipRateLimited() });
    const forbidden = order({ price: restingBuyPrice(second.venue) });
    await second.venue.submit(forbidden);
    expect(ofOrder(second.events, forbidden.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(second.connectivity).toContainEqual(['degraded', expect.stringMatching(/rate limited/)]);
    expect(creates().map((e) => e.status)).toEqual([403]);
  });

  it('a 5xx, a system error or a hang on a submit leaves its fate unknown; asking finds the hung one was never carried out', async () => {
    const { venue } = await startVenue();
    const fates: string[] = [];
    for (const action of [BybitFaults.badGateway(), BybitFaults.systemError(), BybitFaults.hang()]) {
      theFake().inject({ match: CREATE, action });
      const limit = order({ price: restingBuyPrice(venue) });
      const failure = (await venue.submit(limit).catch((error: unknown) => error)) as VenueCallError;
      fates.push(failure.failure.kind);
      if (action.type === 'hang') expect(await venue.orderReport(limit.clientOrderId, BTC)).toBeUndefined();
    }
    expect(fates).toEqual(['unknown', 'unknown', 'unknown']);
    expect(creates().map((e) => e.outcome)).toEqual(['error', 'error', 'hang']);
  });

  it('a fill the stream missed is found by the safety poll, once', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    const venueOrderId = (ofOrder(events, limit.clientOrderId).find((e) => e.type === 'OrderAccepted') as { venueOrderId: string }).venueOrderId;
    theFake().injectStream({ action: 'skip', times: 20 });
    theFake().fillOrder(venueOrderId);
    await until('the poll to find the fill', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderFilled'), 4_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const fills = ofOrder(events, limit.clientOrderId).filter((e) => e.type === 'OrderFilled');
    expect(fills).toEqual([expect.objectContaining({ quantity: '0.002', liquidity: 'maker' })]);
    expect(theFake().privateStream.history().filter((r) => r.topic === 'execution').map((r) => r.delivery)).toEqual(['skipped']);
  });
});
