/**
 * The ccxt venue adapter on a demo (simulated-trading) OKX venue, against the
 * fake OKX v5 exchange on 127.0.0.1, with the real, unmodified ccxt pointed at
 * it by Keel's own createExchange (sandbox mode on, every host rewritten to
 * the loopback server): instruments and prices in base units though OKX
 * counts contracts, orders and fills from REST and the private socket (each
 * once), positions and balance, key permissions, and what it does when an
 * answer is lost, an order refused, a limit hit or a key refused. The fake
 * refuses private calls without the simulated-trading header and private
 * logins without the demo broker id, so every passing call proves demo mode
 * reached it; its request journal shows the exact calls.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { ExecutionEvent } from '../../src/main/engine/ports/venue';
import { VenueCallError, type CcxtVenueOptions } from '../../src/main/venues/ccxt/ccxtVenue';
import { createExchange } from '../../src/main/venues/ccxt/exchanges';
import { permissionWarnings, readKeyPermissions } from '../../src/main/venues/ccxt/keyPermissions';
import { DEFAULT_OKX_KEY, DEFAULT_OKX_SYMBOLS, OkxFaults, startFakeOkx, type OkxKeySpec } from '../support/fakeExchanges/okx';
import { ofOrder, orderMaker, rejection, restingBuyPrice, until, useVenueHarness } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const CREATE = 'POST /api/v5/trade/batch-orders';
const FILLS = 'GET /api/v5/trade/fills-history';
const credentials = { apiKey: DEFAULT_OKX_KEY.apiKey, secret: DEFAULT_OKX_KEY.secret, passphrase: DEFAULT_OKX_KEY.passphrase };
const harness = useVenueHarness(startFakeOkx, { id: 'okx-demo', exchange: 'okx', symbols: [BTC, ETH], credentials });
const theFake = harness.fake;
const startVenue = harness.startVenue;
/** OKX's clOrdId is letters and digits only, up to 32. */
const order = orderMaker('ko', BTC);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The venue's private socket is logged in and subscribed to orders (ccxt's order and fill watchers share the channel). */
const streamUp = () => until('the private stream', () => theFake().privateStream.connectionCount('orders') === 1);
const creates = () => theFake().journal.entries(CREATE);
const fillsOf = (events: ExecutionEvent[], clientOrderId: string) => ofOrder(events, clientOrderId).filter((e) => e.type === 'OrderFilled') as Array<Extract<ExecutionEvent, { type: 'OrderFilled' }>>;
/** The fake's fills of an order, newest first. */
const fakeFills = (clOrdId: string) => theFake().state.listFills((f) => f.clOrdId === clOrdId);

describe('the ccxt venue on a fake OKX (simulated trading)', () => {
  it('loads the chosen swaps with tick and lot in base units (contract value applied), prices them, and opens both sockets on the loopback server', async () => {
    const { venue } = await startVenue();
    const btc = venue.instruments().find((i) => i.symbol === BTC)!;
    expect(btc).toMatchObject({ venue: 'okx-demo', base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'linear_perpetual', maxLeverage: 100 });
    expect(Dec.parse(btc.tickSize).eq(Dec.parse('0.1'))).toBe(true);
    // lotSz 0.01 and minSz 0.01 contracts of ctVal 0.01 BTC: 0.0001 BTC.
    expect(Dec.parse(btc.lotSize).eq(Dec.parse('0.0001'))).toBe(true);
    expect(Dec.parse(btc.minQuantity).eq(Dec.parse('0.0001'))).toBe(true);
    expect(Dec.parse(btc.minNotional).isZero()).toBe(true);
    const eth = venue.instruments().find((i) => i.symbol === ETH)!;
    expect(Dec.parse(eth.tickSize).eq(Dec.parse('0.01'))).toBe(true);
    // lotSz 0.01 contracts of ctVal 0.1 ETH.
    expect(Dec.parse(eth.lotSize).eq(Dec.parse('0.001'))).toBe(true);
    const ticker = venue.ticker(BTC);
    expect(Dec.parse(ticker.mark).isPositive()).toBe(true);
    expect(Dec.parse(ticker.ask).gt(Dec.parse(ticker.bid))).toBe(true);
    // Every REST call went to the loopback server; markets of every type asked for (OKX's options by underlying), swaps listed.
    const calls = theFake().journal.calls();
    expect(calls).toContain('GET /api/v5/public/time');
    expect(calls).toContain('GET /api/v5/account/balance');
    expect(theFake().journal.entries('GET /api/v5/public/instruments').map((e) => e.params.instType).sort()).toEqual(['FUTURES', 'OPTION', 'OPTION', 'SPOT', 'SWAP']);
    expect(theFake().journal.entries().filter((e) => e.status === 404)).toEqual([]);
    // The private socket logged in through the demo path (/ws/v5/private?brokerId=9999), the public one took the tickers.
    await streamUp();
    await until('the tickers socket', () => theFake().publicStream.connectionCount('BTC-USDT-SWAP') === 1 && theFake().publicStream.connectionCount('ETH-USDT-SWAP') === 1);
  });

  it('places and cancels a resting order: accepted once, cancelled once, the cancel naming it by clOrdId', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(creates().map((e) => [e.params.clOrdId, e.params.sz, e.params.tdMode, e.params.ordType])).toEqual([[limit.clientOrderId, '0.2', 'cross', 'limit']]);
    expect((await venue.openOrderReports()).map((r) => [r.clientOrderId, r.quantity])).toEqual([[limit.clientOrderId, '0.002']]);
    await venue.cancel({ clientOrderId: limit.clientOrderId, symbol: BTC });
    await until('the cancel', () => ofOrder(events, limit.clientOrderId).some((e) => e.type === 'OrderCanceled'));
    await pause(300); // late stream echoes would show up here
    expect(ofOrder(events, limit.clientOrderId).map((e) => e.type)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
    expect(creates()).toHaveLength(1);
    const cancels = theFake().journal.entries('POST /api/v5/trade/cancel-order');
    expect(cancels.map((e) => [e.params.clOrdId, e.params.instId, e.outcome])).toEqual([[limit.clientOrderId, 'BTC-USDT-SWAP', 'ok']]);
    // The socket told of the order twice (live, canceled): each reported once all the same.
    expect(theFake().privateStream.history().filter((r) => r.channel === 'orders').map((r) => [r.data[0]?.state, r.delivery])).toEqual([
      ['live', 'sent'],
      ['canceled', 'sent'],
    ]);
  });

  it('reports a market order filled once, with the exchange trade id, its fee as a cost and the quantity in base units, though the socket and REST both tell of it', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const market = order({ type: 'market' });
    await venue.submit(market);
    await until('the fill', () => fillsOf(events, market.clientOrderId).length > 0);
    await pause(400);
    const fills = fillsOf(events, market.clientOrderId);
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    const [exchangeFill] = fakeFills(market.clientOrderId);
    expect(fakeFills(market.clientOrderId)).toHaveLength(1);
    expect(fill.tradeId).toBe(exchangeFill!.tradeId);
    // 0.2 contracts of 0.01 BTC; 120 USDT at the 0.05% taker rate.
    expect(fill.quantity).toBe('0.002');
    expect(Dec.parse(fill.fee).eq(Dec.parse('0.06'))).toBe(true);
    expect(fill.feeCurrency).toBe('USDT');
    expect(fill.liquidity).toBe('taker');
    expect(ofOrder(events, market.clientOrderId).filter((e) => e.type === 'OrderAccepted')).toHaveLength(1);
    const recovered = await venue.fillReports(Date.now() - 60_000);
    expect(recovered.map((f) => [f.tradeId, f.clientOrderId, f.quantity, f.fee])).toEqual([[fill.tradeId, market.clientOrderId, '0.002', fill.fee]]);
    expect(theFake().privateStream.history().filter((r) => r.channel === 'orders').map((r) => [r.data[0]?.state, r.data[0]?.tradeId, r.delivery])).toEqual([['filled', fill.tradeId, 'sent']]);
  });

  it('a fill told only by the socket carries its fee as a cost too (OKX writes a charge negative; ccxt passes the socket figure on as written)', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    // REST cannot tell of fills for a while: whatever is reported comes from the socket.
    theFake().inject({ match: FILLS, times: Infinity, action: OkxFaults.systemBusy() });
    const market = order({ type: 'market', quantity: '0.004' });
    await venue.submit(market);
    await until('the fill', () => fillsOf(events, market.clientOrderId).length > 0);
    const [fill] = fillsOf(events, market.clientOrderId);
    expect(theFake().journal.entries(FILLS).every((e) => e.outcome === 'error')).toBe(true);
    // 0.4 contracts: 240 USDT at 0.05%.
    expect(fill).toMatchObject({ quantity: '0.004', feeCurrency: 'USDT', liquidity: 'taker' });
    expect(Dec.parse(fill!.fee).eq(Dec.parse('0.12'))).toBe(true);
    expect(fakeFills(market.clientOrderId).map((f) => f.tradeId)).toEqual([fill!.tradeId]);
  });

  it('recovers every fill of a busy window, though OKX pages fills newest first, 100 at a time', async () => {
    const { venue } = await startVenue();
    const count = 230;
    // Placed straight into the exchange's books (as another session's orders would be), at most 20 in any millisecond:
    // fast, all inside one window, and never more fills in one millisecond than a page holds.
    for (let i = 0; i < count; i++) {
      if (i % 20 === 0) await pause(2);
      theFake().state.placeOrder({ instId: 'BTC-USDT-SWAP', tdMode: 'cross', side: i % 2 === 0 ? 'buy' : 'sell', ordType: 'market', sz: '0.2', clOrdId: `busy${i}` });
    }
    expect(theFake().state.listFills(() => true)).toHaveLength(count);
    const mark = theFake().journal.mark();
    const recovered = await venue.fillReports(Date.now() - 60_000);
    expect(new Set(recovered.map((f) => f.tradeId)).size).toBe(count);
    expect(recovered).toHaveLength(count);
    expect(recovered.map((f) => f.timestamp)).toEqual([...recovered.map((f) => f.timestamp)].sort((a, b) => a - b));
    expect(new Set(recovered.map((f) => f.clientOrderId))).toEqual(new Set(Array.from({ length: count }, (_, i) => `busy${i}`)));
    // Paged backward: the first page by `begin` alone, the next ones down to the oldest fill seen (`end`).
    const pages = theFake()
      .journal.entries(FILLS)
      .filter((e) => e.seq > mark && e.params.instId === 'BTC-USDT-SWAP');
    expect(pages.length).toBe(3);
    expect(pages[0]!.params.end).toBeUndefined();
    expect(pages.slice(1).every((e) => e.params.end !== undefined && e.params.begin === pages[0]!.params.begin)).toBe(true);
  });

  it('a market order whose answer was lost: the submit says the outcome is unknown, the order is found by asking by clOrdId, and it is never sent again', async () => {
    const { venue } = await startVenue();
    theFake().inject({ match: CREATE, action: OkxFaults.loseResponse() });
    const mark = theFake().journal.mark();
    const market = order({ type: 'market' });
    const failure = await venue.submit(market).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VenueCallError);
    expect((failure as VenueCallError).failure.kind).toBe('unknown');
    const report = await venue.orderReport(market.clientOrderId, BTC);
    expect(report).toMatchObject({ clientOrderId: market.clientOrderId, status: 'filled', filledQuantity: '0.002', quantity: '0.002' });
    expect(creates().map((e) => e.outcome)).toEqual(['lost']);
    // Asked by clOrdId (OKX's order details answer filled orders too), never sent again.
    const asked = theFake()
      .journal.entries()
      .filter((e) => e.seq > mark && e.params.clOrdId === market.clientOrderId)
      .map((e) => `${e.method} ${e.path}`);
    expect(asked).toEqual([CREATE, 'GET /api/v5/trade/order']);
    expect((await venue.positionReports()).find((p) => p.symbol === BTC)?.quantity).toBe('0.002');
    expect(creates()).toHaveLength(1);
  });

  it("refused orders are rejected with OKX's own words and its code mapped, and nothing is retried", async () => {
    // A minimum of one whole contract (0.01 BTC) for BTC.
    const symbols = DEFAULT_OKX_SYMBOLS.map((s) => (s.instId === 'BTC-USDT-SWAP' ? { ...s, minSz: '1' } : s));
    const { venue, events } = await startVenue({}, { symbols });
    const tooSmall = order({ type: 'market', quantity: '0.002' }); // 0.2 contracts: a whole number of lots, under the minimum
    await venue.submit(tooSmall);
    expect(rejection(events, tooSmall.clientOrderId)).toMatchObject({ code: 'INVALID_PRECISION', reason: expect.stringMatching(/minimum order amount/) });
    const reduce = order({ type: 'market', side: 'sell', quantity: '0.01', reduceOnly: true });
    await venue.submit(reduce);
    expect(rejection(events, reduce.clientOrderId)).toMatchObject({ code: 'REDUCE_ONLY_REJECTED', reason: expect.stringMatching(/don't have any positions/) });
    const tooBig = order({ type: 'market', quantity: '10' }); // 600,000 USDT at 10x on a 10,000 USDT account
    await venue.submit(tooBig);
    expect(rejection(events, tooBig.clientOrderId)).toMatchObject({ code: 'INSUFFICIENT_MARGIN', reason: 'Order failed. Insufficient USDT margin in account' });
    const opened = order({ type: 'market', quantity: '0.01' });
    await venue.submit(opened);
    const sameSide = order({ type: 'market', quantity: '0.01', reduceOnly: true });
    await venue.submit(sameSide);
    expect(rejection(events, sameSide.clientOrderId)).toMatchObject({ code: 'REDUCE_ONLY_REJECTED' });
    expect(creates().map((e) => e.code)).toEqual([51020, 51169, 51008, undefined, 51170]);
  });

  it('reports positions signed in base units and the trading account; a leverage change is applied, and asking for the same leverage again is fine', async () => {
    const { venue, events } = await startVenue();
    await venue.setLeverage(BTC, 5);
    await venue.setLeverage(BTC, 5); // OKX sets the same leverage again without complaint
    expect(theFake().journal.entries('POST /api/v5/account/set-leverage').map((e) => [e.params.lever, e.params.mgnMode, e.code])).toEqual([
      ['5', 'cross', undefined],
      ['5', 'cross', undefined],
    ]);
    const buy = order({ type: 'market' });
    const sell = order({ type: 'market', symbol: ETH, side: 'sell', quantity: '0.1' }); // one contract of 0.1 ETH
    await venue.submit(buy);
    await venue.submit(sell);
    await until('both fills', () => [buy, sell].every((o) => fillsOf(events, o.clientOrderId).length > 0));
    expect(theFake().state.position('ETH-USDT-SWAP')?.pos).toBe(-(10n ** 18n));
    const positions = await venue.positionReports();
    expect(positions.find((p) => p.symbol === BTC)).toMatchObject({ quantity: '0.002', leverage: 5 });
    expect(Dec.parse(positions.find((p) => p.symbol === BTC)!.entryPrice).isPositive()).toBe(true);
    expect(positions.find((p) => p.symbol === ETH)).toMatchObject({ quantity: '-0.1', leverage: 10 });
    // The account is what the fills left it: the start less both fees.
    const fees = events.filter((e) => e.type === 'OrderFilled').reduce((sum, e) => sum.add(Dec.parse((e as Extract<ExecutionEvent, { type: 'OrderFilled' }>).fee)), Dec.parse('0'));
    expect(fees.eq(Dec.parse('0.21'))).toBe(true); // 120 and 300 USDT at 0.05%
    const usdt = (await venue.balanceReports()).find((b) => b.currency === 'USDT');
    expect(Dec.parse(usdt!.total).eq(Dec.parse('10000').sub(fees))).toBe(true);
  });

  it('reads what a key may do through keyPermissions (account/config perm and ip): trade, no withdrawals, any IP; a key that can withdraw from an allow-listed IP; a read-only key', async () => {
    const withdrawing: OkxKeySpec = { apiKey: 'keel-fake-okx-key-0002', secret: 'KEELFAKEOKXSECRET00000000000000002', passphrase: 'keel-fake-passphrase-2', perm: ['read_only', 'withdraw', 'trade'], ips: ['127.0.0.1', '10.0.0.7'] };
    const readOnly: OkxKeySpec = { apiKey: 'keel-fake-okx-key-0003', secret: 'KEELFAKEOKXSECRET00000000000000003', passphrase: 'keel-fake-passphrase-3', perm: ['read_only'] };
    await harness.startFake({ keys: [DEFAULT_OKX_KEY, withdrawing, readOnly] });
    const permissionsOf = async (key: OkxKeySpec) => {
      const exchange = await createExchange({ exchange: 'okx', mode: 'demo', credentials: { apiKey: key.apiKey, secret: key.secret, passphrase: key.passphrase }, timeoutMs: 1_500, baseUrl: theFake().base, log: () => undefined });
      try {
        return await readKeyPermissions(exchange, 'okx');
      } finally {
        await exchange.close();
      }
    };
    const plain = await permissionsOf(DEFAULT_OKX_KEY);
    expect(plain).toEqual({ read: true, trade: true, withdraw: false, ipRestricted: false });
    expect(permissionWarnings(plain)).toEqual([expect.stringMatching(/any IP address/)]);
    expect(await permissionsOf(withdrawing)).toEqual({ read: true, trade: true, withdraw: true, ipRestricted: true });
    expect(await permissionsOf(readOnly)).toEqual({ read: true, trade: false, withdraw: false, ipRestricted: false });
    expect(theFake().journal.entries('GET /api/v5/account/config').map((e) => [e.apiKey, e.outcome])).toEqual([
      [DEFAULT_OKX_KEY.apiKey, 'ok'],
      [withdrawing.apiKey, 'ok'],
      [readOnly.apiKey, 'ok'],
    ]);
  });

  it('a refused key stops the venue at start, saying the key must be entered again: a wrong secret, a wrong passphrase, a demo key used live', async () => {
    /** The signed requests the fake received, with OKX's code for each. */
    const refusedBy = async (options: Partial<CcxtVenueOptions>) => {
      await expect(startVenue(options)).rejects.toThrow(/refused the API key.*Settings → Exchanges/);
      const codes = theFake()
        .journal.entries()
        .filter((e) => e.apiKey !== undefined)
        .map((e) => `${e.method} ${e.path} ${e.code}`);
      expect(creates()).toEqual([]);
      await harness.cleanUp();
      return codes;
    };
    expect(await refusedBy({ credentials: { ...credentials, secret: 'NOT-THE-SECRET-0000000000000000000' } })).toEqual(['GET /api/v5/account/balance 50113']);
    expect(await refusedBy({ credentials: { ...credentials, passphrase: 'not-the-passphrase' } })).toEqual(['GET /api/v5/account/balance 50105']);
    // Live sends no simulated-trading header, and OKX answers a demo key so. (Live, ccxt's loadMarkets asks for the
    // funding currencies first, whatever Keel's fetchCurrencies option says: okx.js fetchCurrencies skips only in sandbox.)
    expect(await refusedBy({ mode: 'live' })).toEqual(['GET /api/v5/asset/currencies 50101']);
  });

  it('a clock the exchange refuses (50102) is resynced and the order sent once more', async () => {
    const { venue, events } = await startVenue();
    theFake().setClockSkew(40_000);
    const mark = theFake().journal.mark();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    expect(ofOrder(events, limit.clientOrderId)[0]?.type).toBe('OrderAccepted');
    expect(creates().map((e) => e.code ?? 'ok')).toEqual([50102, 'ok']);
    expect(theFake().journal.calls(mark)).toContain('GET /api/v5/public/time');
  });

  it('a rate limit (50011 on HTTP 429) rejects the order, holds the venue and says so; nothing is retried', async () => {
    const { venue, events, connectivity } = await startVenue();
    theFake().inject({ match: CREATE, action: OkxFaults.rateLimited() });
    const limited = order({ price: restingBuyPrice(venue) });
    await venue.submit(limited);
    expect(ofOrder(events, limited.clientOrderId).map((e) => e.type)).toEqual(['OrderRejected']);
    expect(connectivity).toContainEqual(['degraded', expect.stringMatching(/rate limited/)]);
    expect(creates().map((e) => [e.status, e.code])).toEqual([[429, 50011]]);
  });

  it('a 5xx, "systems are busy" or a hang on a submit leaves its fate unknown; asking finds the hung one was never carried out', async () => {
    const { venue } = await startVenue();
    const fates: string[] = [];
    for (const action of [OkxFaults.badGateway(), OkxFaults.systemBusy(), OkxFaults.hang()]) {
      theFake().inject({ match: CREATE, action });
      const limit = order({ price: restingBuyPrice(venue) });
      const failure = (await venue.submit(limit).catch((error: unknown) => error)) as VenueCallError;
      fates.push(failure.failure.kind);
      if (action.type === 'hang') expect(await venue.orderReport(limit.clientOrderId, BTC)).toBeUndefined();
    }
    expect(fates).toEqual(['unknown', 'unknown', 'unknown']);
    expect(creates().map((e) => e.outcome)).toEqual(['error', 'error', 'hang']);
  });

  it('a fill the socket missed is found by the safety poll, once', async () => {
    const { venue, events } = await startVenue();
    await streamUp();
    const limit = order({ price: restingBuyPrice(venue) });
    await venue.submit(limit);
    const venueOrderId = (ofOrder(events, limit.clientOrderId).find((e) => e.type === 'OrderAccepted') as { venueOrderId: string }).venueOrderId;
    theFake().injectStream({ action: 'skip', times: 20 });
    theFake().fillOrder(venueOrderId);
    await until('the poll to find the fill', () => fillsOf(events, limit.clientOrderId).length > 0, 4_000);
    await pause(1_200);
    expect(fillsOf(events, limit.clientOrderId)).toEqual([expect.objectContaining({ quantity: '0.002', liquidity: 'maker', tradeId: fakeFills(limit.clientOrderId)[0]!.tradeId })]);
    expect(theFake().privateStream.history().filter((r) => r.channel === 'orders').map((r) => [r.data[0]?.state, r.delivery])).toEqual([
      ['live', 'sent'],
      ['filled', 'skipped'],
    ]);
  });

  it('cancel all on a symbol: OKX has no cancel-all for swaps, so its open orders are cancelled by id in one batch, each reported once', async () => {
    const { venue, events } = await startVenue();
    const price = restingBuyPrice(venue);
    const first = order({ price });
    const second = order({ price });
    await venue.submit(first);
    await venue.submit(second);
    await venue.cancelAll(BTC);
    const batches = theFake().journal.entries('POST /api/v5/trade/cancel-batch-orders');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.params.ordId!.split(',').sort()).toEqual(theFake().state.listOrders(() => true).map((o) => o.ordId).sort());
    expect(batches[0]!.outcome).toBe('ok');
    await until('both cancels', () => [first, second].every((o) => ofOrder(events, o.clientOrderId).some((e) => e.type === 'OrderCanceled')));
    await pause(300);
    for (const o of [first, second]) expect(ofOrder(events, o.clientOrderId).map((e) => e.type)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await venue.openOrderReports()).toEqual([]);
    expect(theFake().journal.entries().filter((e) => e.status === 404)).toEqual([]);
  });
});
