/**
 * Amends, brackets, trailing stops and the emergency stop through the
 * engine and the real ccxt on a fake Binance USD-M exchange: limit orders
 * amended in place (PUT /fapi/v1/order), conditional (algo) orders cancelled
 * and replaced, a bracket's take-profit and stop-loss placed by Keel as
 * TAKE_PROFIT_MARKET / STOP_MARKET reduce-only algo orders when the entry
 * fills, a trailing stop as TRAILING_STOP_MARKET with its callback rate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import { DEFAULT_API_KEY, startFakeBinanceUsdm, type FakeBinanceUsdm } from '../support/fakeExchanges/binanceUsdm';
import { fmt } from '../support/fakeExchanges/common/decimal';
import { engineOnFake, eventually, moved, type EngineOnFake } from '../support/engineOnFake';
import { useVenueHarness, type VenueOnFake } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
const SPEC: VenueOnFake = { id: 'binanceusdm-demo', exchange: 'binanceusdm', symbols: [BTC], credentials: { apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret } };
const harness = useVenueHarness(startFakeBinanceUsdm, SPEC);
let running: EngineOnFake<FakeBinanceUsdm> | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(): Promise<EngineOnFake<FakeBinanceUsdm>> {
  running = await engineOnFake(harness, SPEC);
  return running;
}

const requests = (fake: FakeBinanceUsdm, method: string, path: string) => fake.journal.entries().filter((e) => e.method === method && e.path === path);
const mark = (w: EngineOnFake<FakeBinanceUsdm>) => w.venue.ticker(BTC).mark;
const tick = '0.1';
const order = (w: EngineOnFake<FakeBinanceUsdm>, id: string): Order => w.engine.orders.get(id) ?? w.engine.getOrder({ orderId: id });
const position = (w: EngineOnFake<FakeBinanceUsdm>) => w.engine.positions().find((p) => p.symbol === BTC)?.quantity ?? '0';

describe('amends on Binance', () => {
  it('a limit order is amended in place: same order at the exchange, new price and quantity, history kept', async () => {
    const w = await start();
    const price = moved(mark(w), '-0.05', tick);
    const placed = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price });
    const newPrice = moved(mark(w), '-0.04', tick);
    const amended = await w.engine.amendOrder({ orderId: placed.id, price: newPrice, quantity: '0.003' });
    expect(amended).toMatchObject({ id: placed.id, venueOrderId: placed.venueOrderId, price: newPrice, quantity: '0.003', status: 'open' });
    const [put] = requests(w.fake, 'PUT', '/fapi/v1/order');
    expect(put?.params).toMatchObject({ origClientOrderId: placed.clientOrderId, quantity: '0.003', side: 'BUY' });
    expect(Dec.parse(String(put?.params.price)).eq(Dec.parse(newPrice))).toBe(true);
    expect(requests(w.fake, 'DELETE', '/fapi/v1/order')).toHaveLength(0);
    const atExchange = w.fake.state.openOrders('BTCUSDT');
    expect(atExchange.map((o) => [String(o.orderId), fmt(o.price), fmt(o.origQty)])).toEqual([[placed.venueOrderId, Dec.parse(newPrice).toString(), '0.003']]);
    expect(w.engine.orderEvents(placed.id).map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderAmendRequested', 'OrderAmended']);
  });

  it('a stop (an algo order, which Binance cannot amend) is cancelled and replaced, the replacement linked to it', async () => {
    const w = await start();
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity: '0.002' });
    await eventually('the long', () => position(w) === '0.002');
    const stop = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'stop', quantity: '0.002', stopPrice: moved(mark(w), '-0.05', tick), reduceOnly: true });
    const newStop = moved(mark(w), '-0.03', tick);
    const replacement = await w.engine.amendOrder({ orderId: stop.id, stopPrice: newStop });
    expect(replacement).toMatchObject({ replacesId: stop.id, stopPrice: newStop, status: 'open', type: 'stop' });
    expect(order(w, stop.id)).toMatchObject({ status: 'canceled', replacedById: replacement.id });
    const algos = w.fake.state.openAlgoOrders('BTCUSDT');
    expect(algos.map((a) => [a.clientAlgoId, a.orderType, a.reduceOnly])).toEqual([[replacement.clientOrderId, 'STOP_MARKET', true]]);
  });
});

describe('a bracket on Binance, placed by Keel', () => {
  it('fills the entry, places TAKE_PROFIT_MARKET and STOP_MARKET reduce-only, then the take-profit fills and the stop-loss is cancelled', async () => {
    const w = await start();
    const at = mark(w);
    const entry = await w.engine.placeOrder({
      venue: SPEC.id,
      symbol: BTC,
      side: 'buy',
      type: 'market',
      quantity: '0.002',
      takeProfit: { triggerPrice: moved(at, '0.02', tick) },
      stopLoss: { triggerPrice: moved(at, '-0.02', tick) },
    });
    await eventually('the take-profit and stop-loss at the exchange', () => w.fake.state.openAlgoOrders('BTCUSDT').length === 2);
    const algos = w.fake.state.openAlgoOrders('BTCUSDT');
    const [tpPlan, slPlan] = order(w, entry.id).attached!;
    expect(algos.map((a) => [a.clientAlgoId, a.orderType, a.side, a.reduceOnly, fmt(a.quantity)])).toEqual(
      expect.arrayContaining([
        [tpPlan!.clientOrderId, 'TAKE_PROFIT_MARKET', 'SELL', true, '0.002'],
        [slPlan!.clientOrderId, 'STOP_MARKET', 'SELL', true, '0.002'],
      ]),
    );
    w.fake.setMark('BTCUSDT', moved(at, '0.021', tick));
    await eventually('the take-profit filled and the stop-loss cancelled', () => order(w, tpPlan!.orderId!).status === 'filled' && order(w, slPlan!.orderId!).status === 'canceled');
    expect(w.fake.state.openAlgoOrders('BTCUSDT')).toEqual([]);
    await eventually('flat', () => position(w) === '0');
  });
});

describe('a trailing stop on Binance', () => {
  it('is a TRAILING_STOP_MARKET with its callback rate, and triggers on the retrace', async () => {
    const w = await start();
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity: '0.002' });
    await eventually('the long', () => position(w) === '0.002');
    const at = mark(w);
    const trailing = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', reduceOnly: true, trailing: { percent: '1' } });
    const [post] = requests(w.fake, 'POST', '/fapi/v1/algoOrder');
    expect(post?.params).toMatchObject({ type: 'TRAILING_STOP_MARKET', callbackRate: '1', reduceOnly: 'true' });
    expect(trailing.status).toBe('open');
    // Up 3 %, then back 0.5 % (not enough), then back 1 % from the high.
    const high = moved(at, '0.03', tick);
    w.fake.setMark('BTCUSDT', high);
    w.fake.setMark('BTCUSDT', moved(high, '-0.005', tick));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order(w, trailing.id).status).toBe('open');
    w.fake.setMark('BTCUSDT', moved(high, '-0.0101', tick));
    await eventually('the trailing stop filled', () => order(w, trailing.id).status === 'filled');
    await eventually('flat', () => position(w) === '0');
  });

  it('by a price distance is refused before anything is sent: Binance trails by a percentage only', async () => {
    const w = await start();
    await expect(w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', trailing: { distance: '100' } })).rejects.toThrow(/percentage only/);
    expect(requests(w.fake, 'POST', '/fapi/v1/algoOrder')).toHaveLength(0);
  });
});

describe('the emergency stop on Binance', () => {
  it('cancels the conditional orders too (a bracket’s children and a trailing stop)', async () => {
    const w = await start();
    const at = mark(w);
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity: '0.004', takeProfit: { triggerPrice: moved(at, '0.02', tick) }, stopLoss: { triggerPrice: moved(at, '-0.02', tick) } });
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', reduceOnly: true, trailing: { percent: '2' } });
    await eventually('three conditional orders', () => w.fake.state.openAlgoOrders('BTCUSDT').length === 3);
    const report = await w.engine.emergencyStop({ flatten: false, trigger: 'button' });
    expect(report.unconfirmed).toEqual([]);
    expect(w.fake.state.openAlgoOrders('BTCUSDT')).toEqual([]);
    expect(w.engine.orders.openOrders(SPEC.id)).toEqual([]);
  });
});
