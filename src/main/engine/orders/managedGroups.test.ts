import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { FakeVenue, openOrderReport } from '../../../../tests/support/fakeVenue';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { SimulatedClock } from '../ports/clock';
import { Engine } from '../engine';
import { keelRejectionOf } from '../../../../tests/support/keelError';

async function setup(venue = new FakeVenue(), db: JournalDatabase = openJournalDatabase(':memory:')) {
  const engine = new Engine({
    clock: new SimulatedClock(1_700_000_000_000),
    journal: new SqliteJournal(db),
    venues: [venue],
    cadences: { staleOrderSweepMs: 0, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 },
  });
  await engine.start();
  return { engine, venue, db };
}

/** Lets reports and the follow-up commands they queue run. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const SYMBOL = 'BTC/USDT:USDT';
const bracketBuy = {
  venue: 'fake',
  symbol: SYMBOL,
  side: 'buy',
  type: 'limit',
  quantity: '0.02',
  price: '59000',
  takeProfit: { triggerPrice: '61000' },
  stopLoss: { triggerPrice: '58000' },
} as const;

function children(engine: Engine, entry: Order): Order[] {
  return engine.orders.openOrders('fake').filter((o) => o.parentId === entry.id);
}

describe('a bracket Keel manages (the venue does not hold brackets)', () => {
  it('plans the take-profit and stop-loss on the entry and sends only the entry', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    expect(venue.submitted.map((s) => s.clientOrderId)).toEqual([entry.clientOrderId]);
    expect(venue.submitted[0]).not.toHaveProperty('attached');
    expect(entry).toMatchObject({ role: 'entry', groupId: entry.id });
    expect(entry.attached).toEqual([
      expect.objectContaining({ role: 'tp', type: 'take_profit', stopPrice: '61000', price: null, orderId: null, refused: null }),
      expect.objectContaining({ role: 'sl', type: 'stop', stopPrice: '58000', price: null, orderId: null, refused: null }),
    ]);
  });

  it('places them reduce-only at the entry’s first fill, sized to it, grows them as it fills, and cancels the stop-loss when the take-profit completes', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    const [tpPlan, slPlan] = entry.attached!;
    venue.fill(entry.clientOrderId, 't1', '0.005', '59000');
    await settle();
    expect(venue.submitted.map((s) => s.clientOrderId)).toEqual([entry.clientOrderId, tpPlan!.clientOrderId, slPlan!.clientOrderId]);
    expect(venue.submitted[1]).toMatchObject({ side: 'sell', type: 'take_profit', stopPrice: '61000', quantity: '0.005', reduceOnly: true });
    expect(venue.submitted[2]).toMatchObject({ side: 'sell', type: 'stop', stopPrice: '58000', quantity: '0.005', reduceOnly: true });
    const [tp, sl] = children(engine, entry);
    expect(tp).toMatchObject({ role: 'tp', parentId: entry.id, groupId: entry.id });
    expect(engine.orders.get(entry.id)!.attached!.map((a) => a.orderId)).toEqual([tp!.id, sl!.id]);

    venue.fill(entry.clientOrderId, 't2', '0.015', '59000');
    await settle();
    expect(venue.amends.map((a) => [a.clientOrderId, a.quantity])).toEqual([
      [tpPlan!.clientOrderId, '0.02'],
      [slPlan!.clientOrderId, '0.02'],
    ]);
    expect(engine.orders.get(tp!.id)!.quantity).toBe('0.02');

    venue.fill(tpPlan!.clientOrderId, 't3', '0.02', '61000', 'sell');
    await settle();
    expect(engine.orders.get(tp!.id)!.status).toBe('filled');
    expect(engine.orders.get(sl!.id)!.status).toBe('canceled');
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual([slPlan!.clientOrderId]);
    expect(engine.positions()).toEqual([]);
  });

  it('ends what is left of the entry when an exit fills, and sizes the other exit to what is left to close', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    venue.fill(entry.clientOrderId, 't1', '0.01', '59000');
    await settle();
    const [tp, sl] = children(engine, entry);
    venue.fill(tp!.clientOrderId, 't2', '0.004', '61000', 'sell');
    await settle();
    expect(engine.orders.get(entry.id)!.status).toBe('canceled');
    expect(engine.orders.get(sl!.id)!.quantity).toBe('0.006');
    expect(engine.orders.get(tp!.id)!.quantity).toBe('0.01');
    venue.fill(sl!.clientOrderId, 't3', '0.006', '58000', 'sell');
    await settle();
    expect(engine.orders.get(tp!.id)!.status).toBe('canceled');
    expect(engine.positions()).toEqual([]);
  });

  it('an entry replaced by an amend (cancel-replace) is a bracket of its own: its fills place the take-profit and stop-loss', async () => {
    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    const { engine } = await setup(venue);
    const entry = await engine.placeOrder(bracketBuy);
    const replacement = await engine.amendOrder({ orderId: entry.id, price: '59010' });
    expect(replacement).toMatchObject({ role: 'entry', groupId: replacement.id, replacesId: entry.id });
    venue.fill(replacement.clientOrderId, 't1', '0.02', '59010');
    await settle();
    const [tp, sl] = children(engine, replacement);
    expect([tp?.role, sl?.role, tp?.quantity]).toEqual(['tp', 'sl', '0.02']);
    // Once it has begun to fill, an entry is not replaced: its exits are sized by its fills.
    const other = await engine.placeOrder({ ...bracketBuy, price: '58500' });
    venue.fill(other.clientOrderId, 't2', '0.01', '58500');
    await settle();
    await expect(engine.amendOrder({ orderId: other.id, price: '58510' })).rejects.toThrow(/has begun to fill/);
  });

  it('does not ask again and again when the venue refuses to size a take-profit', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    venue.fill(entry.clientOrderId, 't1', '0.005', '59000');
    await settle();
    venue.onAmend = (c) => venue.emit({ type: 'OrderAmendRejected', clientOrderId: c.clientOrderId, reason: 'busy', timestamp: 4 });
    venue.fill(entry.clientOrderId, 't2', '0.005', '59000');
    for (let i = 0; i < 5; i++) await settle();
    // One try per exit for the new size, not one per refusal.
    expect(venue.amends.map((a) => a.quantity)).toEqual(['0.01', '0.01']);
  });

  it('places nothing for an entry cancelled unfilled', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    await engine.cancelOrder(entry.id);
    await settle();
    expect(venue.submitted).toHaveLength(1);
  });

  it('records a stop-loss it could not place on the entry, says so, and never retries it', async () => {
    const { engine, venue } = await setup();
    const entry = await engine.placeOrder(bracketBuy);
    venue.onSubmit = (c) => venue.emit({ type: 'OrderRejected', clientOrderId: c.clientOrderId, reason: 'no', code: 'VENUE_REJECTED', timestamp: 1 });
    venue.fill(entry.clientOrderId, 't1', '0.005', '59000');
    await settle();
    venue.fill(entry.clientOrderId, 't2', '0.005', '59000');
    await settle();
    expect(engine.orders.get(entry.id)!.attached!.map((a) => a.refused)).toEqual([expect.stringMatching(/rejected/), expect.stringMatching(/rejected/)]);
    expect(venue.submitted).toHaveLength(3);
    expect(engine.listActivity(50).some((a) => a.level === 'error' && /is not protected/.test(a.message))).toBe(true);
  });

  it('after a restart, places the children of an entry that filled while Keel was away, once', async () => {
    const db = openJournalDatabase(':memory:');
    const first = await setup(new FakeVenue(), db);
    const entry = await first.engine.placeOrder(bracketBuy);
    const [tpPlan, slPlan] = entry.attached!;

    const venue = new FakeVenue();
    venue.reports.set(entry.clientOrderId, openOrderReport(entry.clientOrderId, { quantity: '0.02', filledQuantity: '0.02', status: 'filled' }));
    venue.fills = [
      { clientOrderId: entry.clientOrderId, venueOrderId: 'v', tradeId: 't1', side: 'buy', symbol: SYMBOL, quantity: '0.02', price: '59000', fee: '0', feeCurrency: 'USDT', liquidity: 'maker', timestamp: 1_700_000_000_000 },
    ];
    venue.positions = [{ symbol: SYMBOL, quantity: '0.02', entryPrice: '59000', leverage: 10 }];
    const second = await setup(venue, db);
    await settle();
    expect(venue.submitted.map((s) => [s.clientOrderId, s.quantity])).toEqual([
      [tpPlan!.clientOrderId, '0.02'],
      [slPlan!.clientOrderId, '0.02'],
    ]);
    expect(children(second.engine, entry)).toHaveLength(2);

    const again = new FakeVenue();
    for (const s of venue.submitted) again.reports.set(s.clientOrderId, openOrderReport(s.clientOrderId, { side: 'sell', type: s.type, quantity: s.quantity, price: null, stopPrice: s.stopPrice }));
    again.positions = venue.positions;
    again.fills = venue.fills;
    await setup(again, db);
    await settle();
    expect(again.submitted).toHaveLength(0);
  });
});

describe('an OCO pair Keel manages', () => {
  const ocoExit = {
    venue: 'fake',
    symbol: SYMBOL,
    side: 'sell',
    type: 'limit',
    quantity: '0.02',
    price: '61000',
    reduceOnly: true,
    oco: { type: 'stop', stopPrice: '58000' },
  } as const;

  async function long(venue: FakeVenue, engine: Engine) {
    const open = await engine.placeOrder({ venue: 'fake', symbol: SYMBOL, side: 'buy', type: 'market', quantity: '0.02' });
    venue.fill(open.clientOrderId, 'open-1', '0.02', '60000');
    await settle();
  }

  it('sends both legs, takes a fill of one off the other, and cancels the other when one completes', async () => {
    const { engine, venue } = await setup();
    await long(venue, engine);
    const first = await engine.placeOrder(ocoExit);
    const leg = engine.orders.openOrders('fake').find((o) => o.parentId === first.id)!;
    expect(venue.submitted.slice(1).map((s) => [s.type, s.quantity, s.reduceOnly])).toEqual([
      ['limit', '0.02', true],
      ['stop', '0.02', true],
    ]);
    expect(first).toMatchObject({ role: 'oco', groupId: first.id, groupQuantity: '0.02' });
    expect(leg).toMatchObject({ role: 'oco', groupId: first.id, parentId: first.id, stopPrice: '58000' });
    venue.fill(first.clientOrderId, 't1', '0.005', '61000', 'sell');
    await settle();
    expect(engine.orders.get(leg.id)!.quantity).toBe('0.015');
    venue.fill(first.clientOrderId, 't2', '0.015', '61000', 'sell');
    await settle();
    expect(engine.orders.get(leg.id)!.status).toBe('canceled');
  });

  it('cancels the other leg when one triggers', async () => {
    const { engine, venue } = await setup();
    await long(venue, engine);
    const first = await engine.placeOrder(ocoExit);
    const leg = engine.orders.openOrders('fake').find((o) => o.parentId === first.id)!;
    venue.emit({ type: 'OrderTriggered', clientOrderId: leg.clientOrderId, timestamp: 5 });
    await settle();
    expect(engine.orders.get(first.id)!.status).toBe('canceled');
  });

  it('does not send the second leg when the first is rejected', async () => {
    const { engine, venue } = await setup();
    await long(venue, engine);
    venue.onSubmit = (c) => venue.emit({ type: 'OrderRejected', clientOrderId: c.clientOrderId, reason: 'no', code: 'VENUE_REJECTED', timestamp: 1 });
    const error = await keelRejectionOf(engine.placeOrder(ocoExit));
    expect(error.code).toBe('VENUE_REJECTED');
    expect(venue.submitted).toHaveLength(2);
    const leg = (error.data as { order: Order }).order;
    expect(engine.listOrders('all', 10).orders.find((o) => o.parentId === leg.id)).toMatchObject({ status: 'rejected', rejectReason: expect.stringMatching(/not sent/) });
  });
});

describe('order kinds a venue cannot take', () => {
  it('are refused before anything is sent, with what the venue takes instead', async () => {
    const venue = new FakeVenue();
    const { engine } = await setup(venue);
    Object.defineProperty(venue, 'orderFeatures', { value: { ...venue.orderFeatures, trailing: { distance: false, percent: true } } });
    const trailing = await keelRejectionOf(engine.placeOrder({ venue: 'fake', symbol: SYMBOL, side: 'sell', type: 'trailing_stop', quantity: '0.01', trailing: { distance: '50' } }));
    expect([trailing.code, trailing.message]).toEqual(['VALIDATION_FAILED', 'fake trails a stop by a percentage only; give the trail as a percentage.']);
    const wrongSide = await keelRejectionOf(engine.placeOrder({ ...bracketBuy, takeProfit: { triggerPrice: '58500' } }));
    expect(wrongSide.message).toBe('The take-profit of a buy belongs above its entry at 59000; 58500 is not.');
    const offTick = await keelRejectionOf(engine.placeOrder({ ...bracketBuy, stopLoss: { triggerPrice: '58000.05' } }));
    expect(offTick.code).toBe('INVALID_PRECISION');
    expect(venue.submitted).toHaveLength(0);
  });
});
