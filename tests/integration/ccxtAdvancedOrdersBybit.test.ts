/**
 * Amends, brackets and the emergency stop through the engine and the real
 * ccxt on a fake Bybit (demo trading): limit and conditional orders amended
 * in place (/v5/order/amend), a bracket's take-profit and stop-loss placed
 * by Keel as conditional reduce-only orders triggering each its way when the
 * entry fills, trailing stops refused (Bybit's is a position setting Keel
 * cannot tell apart from one set elsewhere).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import { fmt } from '../support/fakeExchanges/common/decimal';
import { DEFAULT_BYBIT_KEY, startFakeBybit, type FakeBybit } from '../support/fakeExchanges/bybit';
import { engineOnFake, eventually, moved, type EngineOnFake } from '../support/engineOnFake';
import { useVenueHarness, type VenueOnFake } from '../support/venueHarness';

const BTC = 'BTC/USDT:USDT';
const SPEC: VenueOnFake = { id: 'bybit-demo', exchange: 'bybit', symbols: [BTC], credentials: { apiKey: DEFAULT_BYBIT_KEY.apiKey, secret: DEFAULT_BYBIT_KEY.secret } };
const harness = useVenueHarness(startFakeBybit, SPEC);
let running: EngineOnFake<FakeBybit> | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(): Promise<EngineOnFake<FakeBybit>> {
  running = await engineOnFake(harness, SPEC);
  return running;
}

const tick = '0.1';
const mark = (w: EngineOnFake<FakeBybit>) => w.venue.ticker(BTC).mark;
const order = (w: EngineOnFake<FakeBybit>, id: string): Order => w.engine.orders.get(id) ?? w.engine.getOrder({ orderId: id });
const position = (w: EngineOnFake<FakeBybit>) => w.engine.positions().find((p) => p.symbol === BTC)?.quantity ?? '0';
const conditional = (w: EngineOnFake<FakeBybit>) => w.fake.state.listOrders((o) => o.status === 'Untriggered');

async function long(w: EngineOnFake<FakeBybit>, quantity = '0.002'): Promise<void> {
  await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity });
  await eventually('the long', () => position(w) === quantity);
}

describe('amends on Bybit', () => {
  it('a limit order is amended in place: same order, new price and quantity', async () => {
    const w = await start();
    const placed = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price: moved(mark(w), '-0.05', tick) });
    const newPrice = moved(mark(w), '-0.04', tick);
    const amended = await w.engine.amendOrder({ orderId: placed.id, price: newPrice, quantity: '0.003' });
    expect(amended).toMatchObject({ id: placed.id, price: newPrice, quantity: '0.003', status: 'open' });
    expect(w.fake.journal.entries('POST /v5/order/amend')).toHaveLength(1);
    const atExchange = w.fake.state.findOrder({ orderLinkId: placed.clientOrderId }, true)!;
    expect([atExchange.orderId, fmt(atExchange.price), fmt(atExchange.qty)]).toEqual([placed.venueOrderId, Dec.parse(newPrice).toString(), '0.003']);
  });

  it('a stop (a conditional order) has its trigger amended in place', async () => {
    const w = await start();
    await long(w);
    const stop = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'stop', quantity: '0.002', stopPrice: moved(mark(w), '-0.05', tick), reduceOnly: true });
    expect(conditional(w).map((o) => [o.orderLinkId, o.triggerDirection, o.reduceOnly])).toEqual([[stop.clientOrderId, 2, true]]);
    const newStop = moved(mark(w), '-0.03', tick);
    const amended = await w.engine.amendOrder({ orderId: stop.id, stopPrice: newStop });
    expect(amended).toMatchObject({ id: stop.id, stopPrice: newStop });
    expect(conditional(w).map((o) => fmt(o.triggerPrice))).toEqual([Dec.parse(newStop).toString()]);
  });
});

describe('a bracket on Bybit, placed by Keel', () => {
  it('fills the entry, places conditional reduce-only take-profit (rising) and stop-loss (falling), then the take-profit fills and the stop-loss is cancelled', async () => {
    const w = await start();
    const at = mark(w);
    const entry = await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'buy', type: 'market', quantity: '0.002', takeProfit: { triggerPrice: moved(at, '0.02', tick) }, stopLoss: { triggerPrice: moved(at, '-0.02', tick) } });
    await eventually('the take-profit and stop-loss at the exchange', () => conditional(w).length === 2);
    const [tpPlan, slPlan] = order(w, entry.id).attached!;
    expect(conditional(w).map((o) => [o.orderLinkId, o.side, o.triggerDirection, o.reduceOnly, fmt(o.qty)])).toEqual(
      expect.arrayContaining([
        [tpPlan!.clientOrderId, 'Sell', 1, true, '0.002'],
        [slPlan!.clientOrderId, 'Sell', 2, true, '0.002'],
      ]),
    );
    w.fake.setMark('BTCUSDT', moved(at, '0.021', tick));
    await eventually('the take-profit filled and the stop-loss cancelled', () => order(w, tpPlan!.orderId!).status === 'filled' && order(w, slPlan!.orderId!).status === 'canceled');
    expect(conditional(w)).toEqual([]);
    await eventually('flat', () => position(w) === '0');
  });

  it('refuses a trailing stop before anything is sent', async () => {
    const w = await start();
    await expect(w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.002', trailing: { percent: '1' } })).rejects.toThrow(/does not take trailing stop orders/);
  });
});

describe('the emergency stop on Bybit', () => {
  it('cancels the conditional orders too', async () => {
    const w = await start();
    await long(w, '0.004');
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'stop', quantity: '0.002', stopPrice: moved(mark(w), '-0.05', tick), reduceOnly: true });
    await w.engine.placeOrder({ venue: SPEC.id, symbol: BTC, side: 'sell', type: 'take_profit', quantity: '0.002', stopPrice: moved(mark(w), '0.05', tick), reduceOnly: true });
    expect(conditional(w)).toHaveLength(2);
    const report = await w.engine.emergencyStop({ flatten: false, trigger: 'button' });
    expect(report.unconfirmed).toEqual([]);
    expect(conditional(w)).toEqual([]);
    expect(w.engine.orders.openOrders(SPEC.id)).toEqual([]);
  });
});
