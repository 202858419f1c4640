/**
 * Amends, brackets, trailing stops and the emergency stop through the
 * engine and the real ccxt on a fake OKX (simulated trading): limit orders
 * amended with amend-order, conditional algo orders with amend-algos, a
 * bracket's take-profit and stop-loss placed by Keel as conditional algo
 * orders (take-profit and stop-loss triggers) when the entry fills, a
 * trailing stop as move_order_stop by a price distance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import { fmt } from '../support/fakeExchanges/common/decimal';
import { DEFAULT_OKX_KEY, startFakeOkx, type FakeOkx } from '../support/fakeExchanges/okx';
import { engineOnFake, eventually, moved, type EngineOnFake } from '../support/engineOnFake';
import { useVenueHarness, type VenueOnFake } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
const INST = 'BTC-USDT-SWAP';
const SPEC: VenueOnFake = { id: 'okx-demo', exchange: 'okx', symbols: [BTC], credentials: { apiKey: DEFAULT_OKX_KEY.apiKey, secret: DEFAULT_OKX_KEY.secret, passphrase: DEFAULT_OKX_KEY.passphrase } };
const harness = useVenueHarness(startFakeOkx, SPEC);
let running: EngineOnFake<FakeOkx> | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(): Promise<EngineOnFake<FakeOkx>> {
  running = await engineOnFake(harness, SPEC);
  return running;
}

const tick = '0.1';
const requests = (w: EngineOnFake<FakeOkx>, key: string) => w.fake.journal.entries(key);
const mark = (w: EngineOnFake<FakeOkx>) => w.venue.ticker(BTC).mark;
const order = (w: EngineOnFake<FakeOkx>, id: string): Order => w.engine.orders.get(id) ?? w.engine.getOrder({ orderId: id });
const position = (w: EngineOnFake<FakeOkx>) => w.engine.positions().find((p) => p.symbol === BTC)?.quantity ?? '0';
const liveAlgos = (w: EngineOnFake<FakeOkx>) => w.fake.state.algos.list((a) => a.state === 'live');

async function long(w: EngineOnFake<FakeOkx>, quantity = '0.002'): Promise<void> {
  await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity });
  await eventually('the long', () => position(w) === quantity);
}

describe('amends on OKX', () => {
  it('a limit order is amended in place with amend-order: same order, new price and size', async () => {
    const w = await start();
    const placed = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price: moved(mark(w), '-0.05', tick) });
    const newPrice = moved(mark(w), '-0.04', tick);
    const amended = await w.engine.amendOrder({ orderId: placed.id, price: newPrice, quantity: '0.003' });
    expect(amended).toMatchObject({ id: placed.id, price: newPrice, quantity: '0.003', status: 'open' });
    expect(requests(w, 'POST /api/v5/trade/amend-order')).toHaveLength(1);
    const atExchange = w.fake.state.findOrder({ clOrdId: placed.clientOrderId }, true)!;
    // 0.003 BTC is 0.3 contracts of 0.01 BTC.
    expect([atExchange.ordId, fmt(atExchange.px), fmt(atExchange.sz)]).toEqual([placed.venueOrderId, Dec.parse(newPrice).toString(), '0.3']);
  });

  it('a stop (a conditional algo order) is amended in place with amend-algos', async () => {
    const w = await start();
    await long(w);
    const stop = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'stop', quantity: '0.002', stopPrice: moved(mark(w), '-0.05', tick), reduceOnly: true });
    expect(liveAlgos(w).map((a) => [a.algoClOrdId, a.ordType, fmt(a.slOrdPx), a.reduceOnly])).toEqual([[stop.clientOrderId, 'conditional', '-1', true]]);
    const newStop = moved(mark(w), '-0.03', tick);
    const amended = await w.engine.amendOrder({ orderId: stop.id, stopPrice: newStop });
    expect(amended).toMatchObject({ id: stop.id, stopPrice: newStop, status: 'open' });
    expect(requests(w, 'POST /api/v5/trade/amend-algos')).toHaveLength(1);
    expect(liveAlgos(w).map((a) => fmt(a.slTriggerPx))).toEqual([Dec.parse(newStop).toString()]);
  });
});

describe('a bracket on OKX, placed by Keel', () => {
  it('fills the entry, places take-profit and stop-loss conditional algo orders, then the stop-loss fills and the take-profit is cancelled', async () => {
    const w = await start();
    const at = mark(w);
    const entry = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity: '0.002', takeProfit: { triggerPrice: moved(at, '0.02', tick) }, stopLoss: { triggerPrice: moved(at, '-0.02', tick) } });
    await eventually('the take-profit and stop-loss at the exchange', () => liveAlgos(w).length === 2);
    const [tpPlan, slPlan] = order(w, entry.id).attached!;
    expect(liveAlgos(w).map((a) => [a.algoClOrdId, a.side, a.reduceOnly, fmt(a.sz), a.tpTriggerPx !== 0n, a.slTriggerPx !== 0n])).toEqual(
      expect.arrayContaining([
        [tpPlan!.clientOrderId, 'sell', true, '0.2', true, false],
        [slPlan!.clientOrderId, 'sell', true, '0.2', false, true],
      ]),
    );
    w.fake.setMark(INST, moved(at, '-0.021', tick));
    await eventually('the stop-loss filled and the take-profit cancelled', () => order(w, slPlan!.orderId!).status === 'filled' && order(w, tpPlan!.orderId!).status === 'canceled');
    expect(liveAlgos(w)).toEqual([]);
    await eventually('flat', () => position(w) === '0');
  });
});

describe('a trailing stop on OKX', () => {
  it('trails by a price distance (move_order_stop, callbackSpread) and triggers on the retrace', async () => {
    const w = await start();
    await long(w);
    const at = mark(w);
    const trailing = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', reduceOnly: true, trailing: { distance: '300' } });
    expect(liveAlgos(w).map((a) => [a.algoClOrdId, a.ordType, fmt(a.callbackSpread)])).toEqual([[trailing.clientOrderId, 'move_order_stop', '300']]);
    const high = moved(at, '0.02', tick);
    w.fake.setMark(INST, high);
    w.fake.setMark(INST, Dec.parse(high).sub(Dec.parse('250')).toString());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order(w, trailing.id).status).toBe('open');
    w.fake.setMark(INST, Dec.parse(high).sub(Dec.parse('300')).toString());
    await eventually('the trailing stop filled', () => order(w, trailing.id).status === 'filled');
    await eventually('flat', () => position(w) === '0');
  });
});

describe('the emergency stop on OKX', () => {
  it('cancels the algo orders too', async () => {
    const w = await start();
    await long(w, '0.004');
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'stop', quantity: '0.002', stopPrice: moved(mark(w), '-0.05', tick), reduceOnly: true });
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', reduceOnly: true, trailing: { percent: '2' } });
    expect(liveAlgos(w)).toHaveLength(2);
    const report = await w.engine.emergencyStop({ flatten: false, trigger: 'button' });
    expect(report.unconfirmed).toEqual([]);
    expect(liveAlgos(w)).toEqual([]);
    expect(w.engine.orders.openOrders(SPEC.id)).toEqual([]);
  });
});
