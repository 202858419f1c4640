/**
 * The fake Binance USD-M exchange against the real, unmodified ccxt 4.5.84
 * (`binanceusdm` and `ccxt.pro.binanceusdm`), changed only by its URLs: the
 * unified calls Keel will make, the user-data stream, and each injected fault
 * surfacing as the ccxt error class the research notes list.
 */
import { createRequire } from 'node:module';
import type * as CcxtModule from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  DEFAULT_API_KEY,
  type FakeBinanceUsdm,
  type FakeBinanceUsdmOptions,
  Faults,
  pointCcxtAtFake,
  startFakeBinanceUsdm,
} from '../support/fakeExchanges/binanceUsdm';

// Loaded once for the file: ccxt is large and slow to load.
const ccxt = createRequire(import.meta.url)('ccxt') as typeof CcxtModule;
type Usdm = InstanceType<typeof ccxt.binanceusdm>;
type UsdmPro = InstanceType<typeof ccxt.pro.binanceusdm>;

const BTC = 'BTC/USDT:USDT';
const fakes: FakeBinanceUsdm[] = [];
const clients: (Usdm | UsdmPro)[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(fakes.map((f) => f.close()));
});

async function startFake(options: FakeBinanceUsdmOptions = {}): Promise<FakeBinanceUsdm> {
  const fake = await startFakeBinanceUsdm(options);
  fakes.push(fake);
  return fake;
}

interface ClientOptions {
  apiKey?: string;
  secret?: string;
  timeout?: number;
}

async function restClient(fake: FakeBinanceUsdm, options: ClientOptions = {}): Promise<Usdm> {
  const exchange = new ccxt.binanceusdm({
    apiKey: options.apiKey ?? DEFAULT_API_KEY.apiKey,
    secret: options.secret ?? DEFAULT_API_KEY.secret,
    enableRateLimit: false,
    timeout: options.timeout ?? 1500,
  });
  await pointCcxtAtFake(exchange, fake.base);
  clients.push(exchange);
  return exchange;
}

async function proClient(fake: FakeBinanceUsdm): Promise<UsdmPro> {
  const exchange = new ccxt.pro.binanceusdm({
    apiKey: DEFAULT_API_KEY.apiKey,
    secret: DEFAULT_API_KEY.secret,
    enableRateLimit: false,
    timeout: 1500,
    // As Keel sets it (createExchange): left on, watchOrders fetches a positions snapshot nobody awaits, and a
    // stream dropped before it answers rejects it unhandled.
    options: { watchPositions: { fetchPositionsSnapshot: false } },
  });
  await pointCcxtAtFake(exchange, fake.base);
  clients.push(exchange);
  return exchange;
}

/** A fake and a client with markets loaded, the journal cleared so a test sees only its own calls. */
async function ready(options: FakeBinanceUsdmOptions = {}, client: ClientOptions = {}): Promise<{ fake: FakeBinanceUsdm; ex: Usdm }> {
  const fake = await startFake(options);
  const ex = await restClient(fake, client);
  await ex.loadMarkets();
  fake.journal.clear();
  return { fake, ex };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function rawListenKey(fake: FakeBinanceUsdm): Promise<string> {
  return fetch(`${fake.base}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': DEFAULT_API_KEY.apiKey } })
    .then((r) => r.json() as Promise<{ listenKey: string }>)
    .then((b) => b.listenKey);
}

/** A raw user-stream socket that collects every message as JSON. */
async function rawUserStream(fake: FakeBinanceUsdm): Promise<{ socket: WebSocket; messages: Record<string, unknown>[]; closed: Promise<void> }> {
  const key = await rawListenKey(fake);
  const socket = new WebSocket(`${fake.base.replace('http', 'ws')}/private/ws?listenKey=${key}`);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as Record<string, unknown>));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

function orderEvents(messages: Record<string, unknown>[]): string[] {
  return messages
    .filter((m) => m.e === 'ORDER_TRADE_UPDATE')
    .map((m) => {
      const o = m.o as { c: string; x: string };
      return `${o.c}:${o.x}`;
    });
}

describe('markets and time', () => {
  it('loads BTC/USDT:USDT with the tick, lot and notional limits of exchangeInfo, without any spot call', async () => {
    const fake = await startFake();
    const ex = await restClient(fake);
    const markets = await ex.loadMarkets();
    const btc = markets[BTC]!;
    expect(btc).toMatchObject({ id: 'BTCUSDT', type: 'swap', swap: true, linear: true, settle: 'USDT', contractSize: 1, active: true });
    expect(btc.precision).toMatchObject({ price: 0.1, amount: 0.001 });
    expect(btc.limits.amount).toEqual({ min: 0.001, max: 1000 });
    expect(btc.limits.price).toEqual({ min: 261.1, max: 809484 });
    expect(btc.limits.cost?.min).toBe(100);
    expect((btc.limits as unknown as { market: unknown }).market).toEqual({ min: 0.001, max: 120 });
    expect(markets['ETH/USDT:USDT']?.precision.price).toBe(0.01);
    expect(fake.journal.calls()).toEqual(['GET /fapi/v1/exchangeInfo']);
  });

  it('answers fetchTime from its injected clock', async () => {
    const fake = await startFake({ now: () => 1_700_000_000_000 });
    const ex = await restClient(fake);
    expect(await ex.fetchTime()).toBe(1_700_000_000_000);
    fake.setClockSkew(2500);
    expect(await ex.fetchTime()).toBe(1_700_000_002_500);
  });

  it('serves the public market data derived from the mark', async () => {
    const { fake, ex } = await ready();
    fake.setMark('BTCUSDT', '60100.00');
    const ticker = await ex.fetchTicker(BTC);
    expect(ticker.last).toBe(60100);
    const book = await ex.fetchOrderBook(BTC, 5);
    expect(book.bids[0]).toEqual([60099.9, 10]);
    expect(book.asks[0]).toEqual([60100.1, 10]);
    const bidsAsks = await ex.fetchBidsAsks([BTC]);
    expect(bidsAsks[BTC]).toMatchObject({ bid: 60099.9, ask: 60100.1 });
    const mark = await ex.fetchMarkPrice(BTC);
    expect(mark.markPrice).toBe(60100);
    const candles = await ex.fetchOHLCV(BTC, '1m', undefined, 5);
    expect(candles.length).toBeGreaterThan(0);
    expect(candles[candles.length - 1]![4]).toBe(60100);
    expect(fake.journal.calls()).toEqual([
      'GET /fapi/v1/ticker/24hr',
      'GET /fapi/v1/depth',
      'GET /fapi/v1/ticker/bookTicker',
      'GET /fapi/v1/premiumIndex',
      'GET /fapi/v1/klines',
    ]);
  });
});

describe('orders through ccxt', () => {
  it('places a resting limit order signed as Binance expects and lists it as open', async () => {
    const { fake, ex } = await ready();
    const order = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-1' });
    expect(order).toMatchObject({ status: 'open', clientOrderId: 'keel-1', price: 59000, amount: 0.01, filled: 0, timeInForce: 'GTC' });
    const sent = fake.journal.last('POST /fapi/v1/order')!;
    expect(sent.apiKey).toBe(DEFAULT_API_KEY.apiKey);
    expect(sent.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '59000',
      timeInForce: 'GTC',
      newClientOrderId: 'keel-1',
      newOrderRespType: 'RESULT',
      recvWindow: '10000',
    });
    expect(sent.params.signature).toBeUndefined();
    expect(sent.processed).toBe(true);
    const open = await ex.fetchOpenOrders(BTC);
    expect(open.map((o) => o.id)).toEqual([order.id]);
    expect((await ex.fetchOpenOrders()).map((o) => o.id)).toEqual([order.id]);
  });

  it('fills a market order at the mark as taker, with the trade, position and balance to match', async () => {
    const { fake, ex } = await ready();
    const order = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'keel-m1' });
    expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 60000 });
    const [trade] = await ex.fetchMyTrades(BTC);
    expect(trade).toMatchObject({ order: order.id, side: 'buy', price: 60000, amount: 0.01, cost: 600, takerOrMaker: 'taker' });
    expect(trade!.fee).toMatchObject({ cost: 0.3, currency: 'USDT' });
    fake.setMark('BTCUSDT', '61000.00');
    const positions = await ex.fetchPositions();
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 60000, markPrice: 61000, unrealizedPnl: 10 });
    const balance = await ex.fetchBalance();
    // wallet 10000 - 0.3 fee; margin balance adds 10 unrealized; 610 notional at 20x holds 30.5.
    expect(balance.USDT).toMatchObject({ total: 10009.7, free: 9979.2, used: 30.5 });
    expect(fake.journal.calls()).toEqual([
      'POST /fapi/v1/order',
      'GET /fapi/v1/userTrades',
      'GET /fapi/v1/leverageBracket',
      'GET /fapi/v3/positionRisk',
      'GET /fapi/v3/account',
    ]);
  });

  it('answers the v2 account and position endpoints when ccxt is told to use them', async () => {
    const { fake, ex } = await ready();
    await ex.createOrder(BTC, 'market', 'sell', 0.01);
    const [position] = await ex.fetchPositions(undefined, { useV2: true });
    expect(position).toMatchObject({ symbol: BTC, side: 'short', contracts: 0.01, entryPrice: 60000, leverage: 20, marginMode: 'cross' });
    expect((await ex.fetchBalance({ useV2: true })).USDT?.total).toBe(9999.7);
    expect(fake.journal.calls().slice(-2)).toEqual(['GET /fapi/v2/positionRisk', 'GET /fapi/v2/account']);
  });

  it('closes with a reduceOnly market order and refuses one when flat (-2022 as InvalidOrder)', async () => {
    const { fake, ex } = await ready();
    await ex.createOrder(BTC, 'market', 'buy', 0.02);
    const close = await ex.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true });
    expect(close).toMatchObject({ status: 'closed', filled: 0.02, reduceOnly: true });
    expect(fake.journal.last('POST /fapi/v1/order')!.params.reduceOnly).toBe('true');
    expect(await ex.fetchPositions()).toEqual([]);
    const refused = await failure(ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true }));
    expect(refused).toBeInstanceOf(ccxt.InvalidOrder);
    expect(refused.message).toContain('-2022');
  });

  it('accepts a post-only order that rests and refuses one that would cross (-5022 as OrderNotFillable)', async () => {
    const { fake, ex } = await ready();
    const resting = await ex.createOrder(BTC, 'limit', 'sell', 0.01, 60500, { postOnly: true });
    expect(resting).toMatchObject({ status: 'open', postOnly: true, timeInForce: 'PO' });
    expect(fake.journal.last('POST /fapi/v1/order')!.params.timeInForce).toBe('GTX');
    const crossing = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 60100, { postOnly: true }));
    expect(crossing).toBeInstanceOf(ccxt.OrderNotFillable);
    expect(crossing.message).toContain('-5022');
    expect(fake.state.openOrders()).toHaveLength(1);
  });

  it('fills a resting limit order as maker at its own price when the mark reaches it', async () => {
    const { fake, ex } = await ready();
    const order = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000);
    fake.setMark('BTCUSDT', '59500.00');
    expect((await ex.fetchOrder(order.id!, BTC)).status).toBe('open');
    fake.setMark('BTCUSDT', '58950.00');
    expect(await ex.fetchOrder(order.id!, BTC)).toMatchObject({ status: 'closed', filled: 0.01, average: 59000 });
    const [trade] = await ex.fetchMyTrades(BTC);
    expect(trade).toMatchObject({ price: 59000, takerOrMaker: 'maker' });
    expect(trade!.fee?.cost).toBe(0.118);
  });

  it('takes a crossing limit order at the mark', async () => {
    const { ex } = await ready();
    const order = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 60200);
    expect(order).toMatchObject({ status: 'closed', average: 60000 });
  });

  it('cancels by id and by clientOrderId; an unknown order is OrderNotFound (-2011)', async () => {
    const { fake, ex } = await ready();
    const a = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-a' });
    await ex.createOrder(BTC, 'limit', 'buy', 0.01, 58000, { clientOrderId: 'keel-b' });
    expect(await ex.cancelOrder(a.id!, BTC)).toMatchObject({ id: a.id, status: 'canceled' });
    const b = await ex.cancelOrder('', BTC, { clientOrderId: 'keel-b' });
    expect(b).toMatchObject({ clientOrderId: 'keel-b', status: 'canceled' });
    expect(fake.journal.entries('DELETE /fapi/v1/order').map((e) => e.params.orderId ?? e.params.origClientOrderId)).toEqual([a.id, 'keel-b']);
    const unknown = await failure(ex.cancelOrder(a.id!, BTC));
    expect(unknown).toBeInstanceOf(ccxt.OrderNotFound);
    expect(unknown.message).toContain('-2011');
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);
    expect((await ex.fetchOrders(BTC)).map((o) => `${o.clientOrderId}:${o.status}`)).toEqual(['keel-a:canceled', 'keel-b:canceled']);
  });

  it('cancels all open orders of a symbol, and the open-order list confirms it', async () => {
    const { fake, ex } = await ready();
    await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000);
    await ex.createOrder(BTC, 'limit', 'sell', 0.01, 61000);
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.1, 2900);
    await ex.cancelAllOrders(BTC);
    expect(fake.journal.last('DELETE /fapi/v1/allOpenOrders')!.params.symbol).toBe('BTCUSDT');
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);
    expect((await ex.fetchOpenOrders()).map((o) => o.symbol)).toEqual(['ETH/USDT:USDT']);
  });

  it('finds an order by clientOrderId, and an unknown one is OrderNotFound (-2013)', async () => {
    const { fake, ex } = await ready();
    const placed = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-find' });
    const found = await ex.fetchOrder('', BTC, { clientOrderId: 'keel-find' });
    expect(found).toMatchObject({ id: placed.id, clientOrderId: 'keel-find', status: 'open' });
    expect(fake.journal.last('GET /fapi/v1/order')!.params.origClientOrderId).toBe('keel-find');
    const missing = await failure(ex.fetchOrder('', BTC, { clientOrderId: 'keel-never' }));
    expect(missing).toBeInstanceOf(ccxt.OrderNotFound);
    expect(missing.message).toContain('-2013');
  });

  it('refuses an order below the minimum notional (-4164) and a duplicate open clientOrderId (-4116) as InvalidOrder', async () => {
    const { ex } = await ready();
    const small = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.001, 59000));
    expect(small).toBeInstanceOf(ccxt.InvalidOrder);
    expect(small.message).toContain('-4164');
    await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-dup' });
    const duplicate = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-dup' }));
    expect(duplicate).toBeInstanceOf(ccxt.InvalidOrder);
    expect(duplicate.message).toContain('-4116');
  });

  it('sets leverage, which changes the margin an order holds', async () => {
    const { fake, ex } = await ready();
    const answer = await ex.setLeverage(10, BTC);
    expect(answer).toMatchObject({ leverage: 10, symbol: 'BTCUSDT' });
    expect(fake.journal.last('POST /fapi/v1/leverage')!.params).toMatchObject({ symbol: 'BTCUSDT', leverage: '10' });
    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    expect((await ex.fetchBalance()).USDT?.used).toBe(60);
  });

  it('sends conditional orders to the algo API, lists and cancels them there, and triggers them on the mark', async () => {
    const { fake, ex } = await ready();
    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 59000, reduceOnly: true, clientOrderId: 'keel-sl' });
    expect(stop).toMatchObject({ clientOrderId: 'keel-sl', status: 'open', triggerPrice: 59000 });
    expect(fake.journal.last('POST /fapi/v1/algoOrder')!.params).toMatchObject({
      algoType: 'CONDITIONAL',
      type: 'STOP_MARKET',
      triggerPrice: '59000',
      clientAlgoId: 'keel-sl',
      reduceOnly: 'true',
    });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { takeProfitPrice: 65000, reduceOnly: true, clientOrderId: 'keel-tp' });
    const conditional = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(conditional.map((o) => o.clientOrderId).sort()).toEqual(['keel-sl', 'keel-tp']);
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);

    fake.setMark('BTCUSDT', '58900.00');
    expect(await ex.fetchPositions()).toEqual([]);
    expect((await ex.fetchMyTrades(BTC)).map((t) => t.side)).toEqual(['buy', 'sell']);
    await ex.cancelAllOrders(BTC, { trigger: true });
    expect(fake.journal.calls().slice(-1)).toEqual(['DELETE /fapi/v1/algoOpenOrders']);
    expect(await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toEqual([]);
  });
});

describe('keys and permissions', () => {
  it("reports a key's permissions from apiRestrictions, and a read-only key cannot trade (-2015)", async () => {
    const { ex } = await ready({
      keys: [
        { ...DEFAULT_API_KEY, permissions: { enableWithdrawals: true, ipRestrict: true } },
        { apiKey: 'read-only-key', secret: 'read-only-secret', permissions: { enableFutures: false } },
      ],
    });
    const restrictions = await ex.sapiGetAccountApiRestrictions();
    expect(restrictions).toMatchObject({ enableReading: true, enableFutures: true, enableWithdrawals: true, ipRestrict: true });
    const fake = fakes[fakes.length - 1]!;
    const readOnly = await restClient(fake, { apiKey: 'read-only-key', secret: 'read-only-secret' });
    expect(await readOnly.sapiGetAccountApiRestrictions()).toMatchObject({ enableFutures: false, enableWithdrawals: false });
    expect((await readOnly.fetchBalance()).USDT?.total).toBe(10000);
    const refused = await failure(readOnly.createOrder(BTC, 'limit', 'buy', 0.01, 59000));
    expect(refused).toBeInstanceOf(ccxt.AuthenticationError);
    expect(refused.message).toContain('-2015');
  });

  it('answers a wrong secret with -1022 and an unknown or revoked key with -2015, both AuthenticationError', async () => {
    const fake = await startFake();
    const wrongSecret = await restClient(fake, { secret: 'not-the-secret' });
    const badSignature = await failure(wrongSecret.fetchBalance());
    expect(badSignature).toBeInstanceOf(ccxt.AuthenticationError);
    expect(badSignature.message).toContain('-1022');
    const unknownKey = await restClient(fake, { apiKey: 'nobody' });
    const unknown = await failure(unknownKey.fetchBalance());
    expect(unknown).toBeInstanceOf(ccxt.AuthenticationError);
    expect(unknown.message).toContain('-2015');
    const good = await restClient(fake);
    await good.fetchBalance();
    fake.revokeKey(DEFAULT_API_KEY.apiKey);
    expect(await failure(good.fetchBalance())).toBeInstanceOf(ccxt.AuthenticationError);
  });

  it('reports request weight and order counts in the X-MBX headers', async () => {
    // The server clock starts on a minute boundary so the fixed one-minute window cannot roll over mid-test;
    // ccxt follows it through loadTimeDifference, as it would follow a skewed exchange.
    const started = Date.now();
    const { ex } = await ready({ now: () => 1_700_000_040_000 + (Date.now() - started) });
    await ex.loadTimeDifference();
    await ex.fetchBalance();
    const afterBalance = Number(ex.last_response_headers?.['X-Mbx-Used-Weight-1m']);
    await ex.fetchPositions();
    // leverageBracket (1) and positionRisk (5) since the balance call.
    expect(Number(ex.last_response_headers?.['X-Mbx-Used-Weight-1m'])).toBe(afterBalance + 6);
    await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000);
    await ex.createOrder(BTC, 'limit', 'buy', 0.01, 58000);
    expect(ex.last_response_headers?.['X-Mbx-Order-Count-1m']).toBe('2');
  });
});

describe('public streams', () => {
  it('pushes the mini ticker to ccxt.pro watchTicker when the mark moves', async () => {
    const fake = await startFake();
    const pro = await proClient(fake);
    await pro.loadMarkets();
    const watching = pro.watchTicker(BTC);
    await until(() => fake.marketStream.subscribed().includes('btcusdt@miniTicker'));
    fake.setMark('BTCUSDT', '60250.00');
    expect(await watching).toMatchObject({ symbol: BTC, last: 60250, open: 60000 });
  });
});

describe('user-data stream', () => {
  it('delivers ORDER_TRADE_UPDATE to ccxt.pro watchOrders, from NEW to the fill', async () => {
    const fake = await startFake();
    const pro = await proClient(fake);
    await pro.loadMarkets();
    const first = pro.watchOrders(BTC);
    await until(() => fake.userStream.connectionCount() === 1);
    const rest = await restClient(fake);
    const placed = await rest.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-ws' });
    const seen = await first;
    expect(seen[seen.length - 1]).toMatchObject({ id: placed.id, clientOrderId: 'keel-ws', status: 'open', symbol: BTC });
    const filled = pro.watchOrders(BTC);
    fake.setMark('BTCUSDT', '58990.00');
    const after = await filled;
    expect(after[after.length - 1]).toMatchObject({ id: placed.id, status: 'closed', filled: 0.01 });
    expect(fake.journal.calls()).toContain('POST /fapi/v1/listenKey');
  });

  it('rejects a pending watchOrders with NetworkError when the stream drops', async () => {
    const fake = await startFake();
    const pro = await proClient(fake);
    await pro.loadMarkets();
    const watching = pro.watchOrders(BTC);
    await until(() => fake.userStream.connectionCount() === 1);
    fake.userStream.dropConnections();
    expect(await failure(watching)).toBeInstanceOf(ccxt.NetworkError);
  });

  it('duplicates, reorders and skips events, and drops the connection, on request', async () => {
    const fake = await startFake();
    const { messages, closed } = await rawUserStream(fake);
    const place = (id: string) => fake.externalOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '59000', timeInForce: 'GTC', clientOrderId: id });

    fake.injectStream({ action: 'duplicate', match: 'ORDER_TRADE_UPDATE' });
    place('dup');
    fake.injectStream({ action: 'reorder', match: 'ORDER_TRADE_UPDATE' });
    place('first');
    place('second');
    fake.injectStream({ action: 'skip', match: 'ORDER_TRADE_UPDATE' });
    place('skipped');
    place('after-skip');
    await until(() => messages.length >= 5);
    expect(orderEvents(messages)).toEqual(['dup:NEW', 'dup:NEW', 'second:NEW', 'first:NEW', 'after-skip:NEW']);
    expect(fake.userStream.history().map((r) => r.delivery)).toEqual(['duplicated', 'sent-late', 'sent', 'skipped', 'sent']);

    fake.injectStream({ action: 'drop' });
    place('lost');
    await closed;
    expect(fake.userStream.connectionCount()).toBe(0);
    expect(fake.state.openOrders().map((o) => o.clientOrderId)).toContain('lost');
  });

  it('sends ACCOUNT_UPDATE with balance and position after a fill', async () => {
    const fake = await startFake();
    const { messages } = await rawUserStream(fake);
    fake.externalOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.010' });
    await until(() => messages.some((m) => m.e === 'ACCOUNT_UPDATE'));
    expect(orderEvents(messages).map((e) => e.split(':')[1])).toEqual(['NEW', 'TRADE']);
    const account = messages.find((m) => m.e === 'ACCOUNT_UPDATE') as { a: { m: string; B: unknown[]; P: unknown[] } };
    expect(account.a.m).toBe('ORDER');
    expect(account.a.B).toEqual([{ a: 'USDT', wb: '9999.70000000', cw: '9999.70000000', bc: '0.00000000' }]);
    expect(account.a.P).toEqual([
      { s: 'BTCUSDT', pa: '-0.010', ep: '60000.0', bep: '60000.0', cr: '0.00000000', up: '0.00000000', mt: 'cross', iw: '0', ps: 'BOTH', ma: 'USDT' },
    ]);
  });

  it('publishes CANCELED for a cancel and EXPIRED for an IOC order that does not cross', async () => {
    const fake = await startFake();
    const { messages } = await rawUserStream(fake);
    const ex = await restClient(fake);
    const resting = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-c' });
    await ex.cancelOrder(resting.id!, BTC);
    const ioc = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-ioc', timeInForce: 'IOC' });
    expect(ioc.status).toBe('expired');
    await until(() => orderEvents(messages).length >= 4);
    expect(orderEvents(messages)).toEqual(['keel-c:NEW', 'keel-c:CANCELED', 'keel-ioc:NEW', 'keel-ioc:EXPIRED']);
  });

  it('keeps a listen key alive and forgets it once deleted (-1125)', async () => {
    const fake = await startFake();
    const key = await rawListenKey(fake);
    const headers = { 'X-MBX-APIKEY': DEFAULT_API_KEY.apiKey };
    expect(await rawListenKey(fake)).toBe(key);
    const kept = await fetch(`${fake.base}/fapi/v1/listenKey`, { method: 'PUT', headers });
    expect(await kept.json()).toEqual({ listenKey: key });
    await fetch(`${fake.base}/fapi/v1/listenKey`, { method: 'DELETE', headers });
    const gone = await fetch(`${fake.base}/fapi/v1/listenKey`, { method: 'PUT', headers });
    expect(await gone.json()).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
  });
});

describe('faults as ccxt sees them', () => {
  it('429 with Retry-After and 418 are DDoSProtection', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'GET /fapi/v3/account', action: Faults.rateLimited(2) });
    const limited = await failure(ex.fetchBalance());
    expect(limited).toBeInstanceOf(ccxt.DDoSProtection);
    expect(ex.last_response_headers?.['Retry-After']).toBe('2');
    fake.inject({ match: 'GET /fapi/v3/account', action: Faults.ipBanned() });
    expect(await failure(ex.fetchBalance())).toBeInstanceOf(ccxt.DDoSProtection);
    expect((await ex.fetchBalance()).USDT?.total).toBe(10000);
  });

  it('503 with -1001 or -1008 is OperationFailed (not an ExchangeError), an HTML 502 is ExchangeNotAvailable', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.internalError() });
    const internal = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000));
    expect(internal).toBeInstanceOf(ccxt.OperationFailed);
    expect(internal).not.toBeInstanceOf(ccxt.ExchangeError);
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.serverBusy(true) });
    const busy = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-busy' }));
    expect(busy).toBeInstanceOf(ccxt.OperationFailed);
    // processed anyway: the order exists although the answer was an error.
    expect((await ex.fetchOrder('', BTC, { clientOrderId: 'keel-busy' })).status).toBe('open');
    fake.inject({ match: /^GET \/fapi\/v3\//, action: Faults.htmlBadGateway() });
    expect(await failure(ex.fetchBalance())).toBeInstanceOf(ccxt.ExchangeNotAvailable);
  });

  it('a delay beyond the timeout is RequestTimeout, and the order still appears afterwards', async () => {
    const { fake, ex } = await ready({}, { timeout: 300 });
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.delay(1200) });
    const timedOut = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-late' }));
    expect(timedOut).toBeInstanceOf(ccxt.RequestTimeout);
    expect(await failure(ex.fetchOrder('', BTC, { clientOrderId: 'keel-late' }))).toBeInstanceOf(ccxt.OrderNotFound);
    await until(() => fake.journal.entries('POST /fapi/v1/order')[0]?.processed === true);
    expect((await ex.fetchOrder('', BTC, { clientOrderId: 'keel-late' })).status).toBe('open');
    expect(fake.journal.calls()).toEqual(['POST /fapi/v1/order', 'GET /fapi/v1/order', 'GET /fapi/v1/order']);
  });

  it('a hung request is RequestTimeout and never processed', async () => {
    const { fake, ex } = await ready({}, { timeout: 300 });
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.hang() });
    expect(await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-hang' }))).toBeInstanceOf(ccxt.RequestTimeout);
    expect(await failure(ex.fetchOrder('', BTC, { clientOrderId: 'keel-hang' }))).toBeInstanceOf(ccxt.OrderNotFound);
    expect(fake.journal.entries('POST /fapi/v1/order')[0]).toMatchObject({ outcome: 'hang', processed: false });
  });

  it('a reset before processing is NetworkError and leaves no order', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.reset() });
    const reset = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000));
    expect(reset).toBeInstanceOf(ccxt.NetworkError);
    expect(reset).not.toBeInstanceOf(ccxt.RequestTimeout);
    expect(fake.state.orderCount()).toBe(0);
    expect(fake.journal.entries()[0]).toMatchObject({ outcome: 'reset', processed: false });
  });

  it('a lost answer to a LIMIT order is NetworkError; resending the id is -4116, and asking by id finds it', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.loseResponse() });
    expect(await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-lost' }))).toBeInstanceOf(ccxt.NetworkError);
    const again = await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000, { clientOrderId: 'keel-lost' }));
    expect(again).toBeInstanceOf(ccxt.InvalidOrder);
    expect(again.message).toContain('-4116');
    expect((await ex.fetchOrder('', BTC, { clientOrderId: 'keel-lost' })).status).toBe('open');
    expect(fake.journal.entries().map((e) => `${e.method} ${e.path} ${e.outcome}`)).toEqual([
      'POST /fapi/v1/order lost',
      'POST /fapi/v1/order error',
      'GET /fapi/v1/order ok',
    ]);
  });

  it('a lost answer to a MARKET order, resent with the same id, fills twice (Binance checks ids among open orders only)', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.loseResponse() });
    expect(await failure(ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'keel-twice' }))).toBeInstanceOf(ccxt.NetworkError);
    const second = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'keel-twice' });
    expect(second.status).toBe('closed');
    const [position] = await ex.fetchPositions();
    expect(position?.contracts).toBe(0.02);
    expect((await ex.fetchMyTrades(BTC)).length).toBe(2);
  });

  it('clock skew is InvalidNonce (-1021) until ccxt loads the time difference', async () => {
    const { fake, ex } = await ready();
    fake.setClockSkew(15_000);
    const behind = await failure(ex.fetchBalance());
    expect(behind).toBeInstanceOf(ccxt.InvalidNonce);
    expect(behind.message).toContain('outside of the recvWindow');
    fake.setClockSkew(-5_000);
    const ahead = await failure(ex.fetchBalance());
    expect(ahead).toBeInstanceOf(ccxt.InvalidNonce);
    expect(ahead.message).toContain('ahead of the server');
    await ex.loadTimeDifference();
    expect((await ex.fetchBalance()).USDT?.total).toBe(10000);
  });

  it('a rejection injected as {code, msg} maps like the real one (-2019 as InsufficientFunds)', async () => {
    const { fake, ex } = await ready();
    fake.inject({ match: 'POST /fapi/v1/order', action: Faults.reject(-2019, 'Margin is insufficient.') });
    expect(await failure(ex.createOrder(BTC, 'limit', 'buy', 0.01, 59000))).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(fake.state.orderCount()).toBe(0);
  });

  it('fails a seeded share of order requests with unknown outcomes, and the journal says which took effect', async () => {
    const { fake, ex } = await ready({ failRate: { rate: 0.3, match: ['POST /fapi/v1/order', 'DELETE /fapi/v1/allOpenOrders'], seed: 42 } });
    let failures = 0;
    for (let i = 0; i < 20; i += 1) {
      try {
        await ex.createOrder(BTC, 'limit', 'buy', 0.01, 58000 + i * 10, { clientOrderId: `keel-rate-${i}` });
      } catch (error) {
        expect(error).toBeInstanceOf(ccxt.OperationFailed);
        failures += 1;
      }
    }
    const posts = fake.journal.entries('POST /fapi/v1/order');
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(20);
    expect(posts.filter((e) => e.fault !== undefined)).toHaveLength(failures);
    // Placed orders are exactly those the exchange processed, lost answers included.
    expect(fake.state.openOrders()).toHaveLength(posts.filter((e) => e.processed).length);
    expect(posts.some((e) => e.outcome === 'lost')).toBe(true);
    fake.setFailRate(null);
    await ex.cancelAllOrders(BTC);
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);
  });
});

describe('control surface', () => {
  it('lets another process move the mark, place an external order, arm a fault and read the state', async () => {
    const { fake, ex } = await ready();
    const post = (path: string, body: unknown) => fetch(`${fake.base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/__fake/mark', { symbol: 'BTCUSDT', price: '60500.00' })).status).toBe(200);
    const external = (await (
      await post('/__fake/external-order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.010', price: '61000.00' })
    ).json()) as { orderId: number; clientOrderId: string };
    expect(external.clientOrderId).toMatch(/^web_/);
    const open = await ex.fetchOpenOrders(BTC);
    expect(open.map((o) => Number(o.id))).toEqual([external.orderId]);
    await post('/__fake/faults', { match: 'GET /fapi/v1/openOrders', action: { type: 'status', status: 429, body: { code: -1003, msg: 'Too many requests' } } });
    expect(await failure(ex.fetchOpenOrders(BTC))).toBeInstanceOf(ccxt.DDoSProtection);
    const state = (await (await fetch(`${fake.base}/__fake/state`)).json()) as { marks: Record<string, string>; openOrders: unknown[] };
    expect(state.marks.BTCUSDT).toBe('60500');
    expect(state.openOrders).toHaveLength(1);
    const refused = await post('/__fake/external-order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.0001', price: '61000.00' });
    expect(refused.status).toBe(400);
  });
});
