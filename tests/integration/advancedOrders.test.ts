/**
 * Brackets, OCO pairs, trailing stops and amends through the whole engine on
 * the paper venue, which holds them itself: what the trader sees in Keel's
 * books (the orders, their links and histories, the position) as a scripted
 * price path plays out, an emergency stop, and a restart in the middle.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import type { PlaceOrderParams } from '../../src/shared/contract';
import { Engine } from '../../src/main/engine/engine';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { openJournalDatabase, type JournalDatabase } from '../../src/main/journal/database';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { PaperVenue } from '../../src/main/venues/paper/paperVenue';
import { InMemoryPaperVenueStore, type PaperVenueStore } from '../../src/main/venues/paper/store';

const BTC = 'BTC/USDT:USDT';
const START = Date.UTC(2025, 0, 6, 9, 30, 15);

interface World {
  engine: Engine;
  venue: PaperVenue;
  db: JournalDatabase;
  store: PaperVenueStore;
  clock: SimulatedClock;
}

async function world(from?: Pick<World, 'db' | 'store' | 'clock'>, faults: ConstructorParameters<typeof PaperVenue>[0]['faults'] = {}): Promise<World> {
  const clock = from?.clock ?? new SimulatedClock(START);
  const db = from?.db ?? openJournalDatabase(':memory:');
  const store = from?.store ?? new InMemoryPaperVenueStore();
  const venue = new PaperVenue({ clock, store, seed: 11, historyMinutes: 90, stepMs: 0, initialBalance: '1000000', faults });
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [venue], cadences: { staleOrderSweepMs: 0, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 } });
  await engine.start();
  return { engine, venue, db, store, clock };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** The market goes to `price`: book and last trade. */
async function to(w: World, price: string, side: 'buy' | 'sell' = 'buy'): Promise<void> {
  w.venue.setMarketPrice(BTC, Number(price));
  w.venue.injectTrade(BTC, side, price, '0.001');
  await settle();
}

const at = (base: string, delta: number): string => Dec.parse(base).add(Dec.parse(String(delta))).floorTo(Dec.parse('0.1')).toString();

function group(w: World, entry: Order): Order[] {
  return w.engine.listOrders('all', 100).orders.filter((o) => o.groupId === entry.id && o.id !== entry.id);
}

function byRole(orders: Order[], role: string): Order {
  return orders.find((o) => o.role === role)!;
}

function history(w: World, orderId: string): string[] {
  return w.engine.orderEvents(orderId).map((e) => e.type);
}

describe('a bracket on the paper venue, through the engine', () => {
  it('fills its entry and then its take-profit; the stop-loss is cancelled and the position is flat', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    const params: PlaceOrderParams = { venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.01', takeProfit: { triggerPrice: at(base, 200) }, stopLoss: { triggerPrice: at(base, -200) } };
    const entry = await w.engine.placeOrder(params);
    await settle();
    expect(w.engine.orders.get(entry.id)).toMatchObject({ status: 'filled', role: 'entry' });
    const children = group(w, entry);
    expect(children.map((c) => [c.role, c.side, c.type, c.status, c.reduceOnly, c.parentId])).toEqual(
      expect.arrayContaining([
        ['tp', 'sell', 'take_profit', 'open', true, entry.id],
        ['sl', 'sell', 'stop', 'open', true, entry.id],
      ]),
    );
    await to(w, at(base, 200));
    const [tp, sl] = [byRole(group(w, entry), 'tp'), byRole(group(w, entry), 'sl')];
    expect(tp).toMatchObject({ status: 'filled', filledQuantity: '0.01', triggered: true });
    expect(sl.status).toBe('canceled');
    expect(history(w, sl.id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderCanceled']);
    expect(w.engine.positions()).toEqual([]);
  });

  it('cancelling the entry before it fills cancels its take-profit and stop-loss', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    const entry = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.01', takeProfit: { triggerPrice: at(base, 300) }, stopLoss: { triggerPrice: at(base, -500) } });
    expect(group(w, entry).map((c) => c.status)).toEqual(['open', 'open']);
    await w.engine.cancelOrder(entry.id);
    await settle();
    expect(group(w, entry).map((c) => c.status)).toEqual(['canceled', 'canceled']);
  });

  it('a partial entry fill sizes the children: the stop-loss closes exactly what filled', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    const entry = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.02', takeProfit: { triggerPrice: at(base, 300) }, stopLoss: { triggerPrice: at(base, -600) } });
    w.venue.injectTrade(BTC, 'sell', at(base, -300.1), '0.007');
    await settle();
    await w.engine.cancelOrder(entry.id);
    await settle();
    const sl = byRole(group(w, entry), 'sl');
    expect(sl.quantity).toBe('0.007');
    expect(w.engine.orderEvents(sl.id).find((e) => e.type === 'OrderAmended')!.detail).toMatchObject({ quantity: '0.007', reason: expect.stringMatching(/sized to the 0.007 it filled/) });
    await to(w, at(base, -600), 'sell');
    expect(w.engine.orders.get(sl.id)).toMatchObject({ status: 'filled', filledQuantity: '0.007' });
    expect(w.engine.positions()).toEqual([]);
  });

  it('is cancelled whole by the emergency stop, the children still waiting for the entry included', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    const entry = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.01', takeProfit: { triggerPrice: at(base, 300) }, stopLoss: { trailing: { percent: '1' } } });
    const report = await w.engine.emergencyStop({ flatten: false, trigger: 'button' });
    expect(report.complete).toBe(true);
    expect(report.ordersCanceled).toBe(3);
    expect([w.engine.orders.get(entry.id)!, ...group(w, entry)].map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled']);
    expect(await w.venue.openOrderReports()).toEqual([]);
  });

  it('survives a restart with the children waiting: the entry fills after it and the stop-loss protects the position', async () => {
    const first = await world();
    const base = first.venue.ticker(BTC).last;
    const entry = await first.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.01', takeProfit: { triggerPrice: at(base, 300) }, stopLoss: { triggerPrice: at(base, -600) } });
    // Keel stops without a word (a crash): a new engine and venue on the same journal and store.
    const w = await world(first);
    expect(w.engine.venueStatuses()[0]!.state).toBe('ready');
    w.venue.injectTrade(BTC, 'sell', at(base, -300.1), '1');
    await settle();
    expect(w.engine.orders.get(entry.id)!.status).toBe('filled');
    await to(w, at(base, -600), 'sell');
    expect(byRole(group(w, entry), 'sl').status).toBe('filled');
    expect(byRole(group(w, entry), 'tp').status).toBe('canceled');
    expect(w.engine.positions()).toEqual([]);
  });
});

describe('an OCO pair on the paper venue, through the engine', () => {
  it('places both legs linked, and the stop triggering cancels the limit', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' });
    const first = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'sell', type: 'limit', price: at(base, 300), quantity: '0.01', reduceOnly: true, oco: { type: 'stop', stopPrice: at(base, -300) } });
    const leg = group(w, first)[0]!;
    expect(leg).toMatchObject({ role: 'oco', parentId: first.id, status: 'open', type: 'stop' });
    await to(w, at(base, -300), 'sell');
    expect(w.engine.orders.get(leg.id)!.status).toBe('filled');
    expect(w.engine.orders.get(first.id)!.status).toBe('canceled');
  });
});

describe('a trailing stop on the paper venue, through the engine', () => {
  it('shows its stop following the price in the order, and triggers on the retrace', async () => {
    const w = await world();
    await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' });
    const base = w.venue.ticker(BTC).last;
    const trailing = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.01', reduceOnly: true, trailing: { distance: '100' } });
    expect(trailing.stopPrice).toBe(at(base, -100));
    await to(w, at(base, 250));
    expect(w.engine.orders.get(trailing.id)!.stopPrice).toBe(at(base, 150));
    await to(w, at(base, 180), 'sell');
    expect(w.engine.orders.get(trailing.id)).toMatchObject({ stopPrice: at(base, 150), status: 'open' });
    await to(w, at(base, 150), 'sell');
    expect(w.engine.orders.get(trailing.id)).toMatchObject({ status: 'filled', triggered: true });
    // The moves are on the order, not in its history: that keeps what happened, once.
    expect(history(w, trailing.id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(w.engine.positions()).toEqual([]);
  });
});

describe('an amend on the paper venue, through the engine', () => {
  it('keeps the order’s id and history', async () => {
    const w = await world();
    const base = w.venue.ticker(BTC).last;
    const order = await w.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.01' });
    const amended = await w.engine.amendOrder({ orderId: order.id, price: at(base, -250), quantity: '0.02' });
    expect(amended).toMatchObject({ id: order.id, clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, price: at(base, -250), quantity: '0.02' });
    expect(history(w, order.id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderAmendRequested', 'OrderAmended']);
    expect(await w.venue.orderReport(order.clientOrderId)).toMatchObject({ price: at(base, -250), quantity: '0.02' });
  });

  it('in flight when Keel stops, is settled at start-up from what the venue holds', async () => {
    const first = await world(undefined);
    const base = first.venue.ticker(BTC).last;
    const order = await first.engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: at(base, -300), quantity: '0.01' });
    // The venue is slow: the amend is journaled and on its way when Keel stops.
    first.venue.setFaults({ latencyMs: 5_000 });
    void first.engine.amendOrder({ orderId: order.id, price: at(base, -250) }).catch(() => undefined);
    await settle();
    expect(first.engine.orders.get(order.id)!.amending).toMatchObject({ price: at(base, -250) });
    const w = await world(first);
    expect(w.engine.orders.get(order.id)).toMatchObject({ price: at(base, -300), amending: null, status: 'open' });
    expect(w.engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected', detail: { reason: expect.stringMatching(/as it was/) } });
  });
});
