import { describe, expect, it } from 'vitest';
import { FakeVenue, openOrderReport } from '../../../../tests/support/fakeVenue';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { SimulatedClock } from '../ports/clock';
import { Engine } from '../engine';
import { keelRejectionOf } from '../../../../tests/support/keelError';

async function setup(venue = new FakeVenue(), db: JournalDatabase = openJournalDatabase(':memory:')) {
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(db), venues: [venue] });
  await engine.start();
  return { engine, venue, db };
}

/** Lets reports a venue sent on its own be applied: they wait until the current stack has unwound. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const limitBuy = { venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' } as const;

describe('OrderManager', () => {
  it('journals the order before the venue sees it', async () => {
    const { engine, venue, db } = await setup();
    venue.onSubmit = (command) => {
      const row = db.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(command.clientOrderId) as { status: string };
      expect(row.status).toBe('pending_new');
      venue.emit({ type: 'OrderAccepted', clientOrderId: command.clientOrderId, venueOrderId: 'v1', timestamp: 1 });
    };
    const order = await engine.placeOrder(limitBuy);
    expect(order.status).toBe('open');
    expect(order.venueOrderId).toBe('v1');
    expect(venue.submitted).toHaveLength(1);
  });

  it('applies a fill once, however often the venue repeats it', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    venue.fill(order.clientOrderId, 't1', '0.004', '59000');
    venue.fill(order.clientOrderId, 't1', '0.004', '59000');
    venue.fill(order.clientOrderId, 't2', '0.006', '58990');
    // Reports the venue sends on its own are applied once the stack unwinds, not inside the venue's call.
    expect(engine.orders.get(order.id)!.status).toBe('open');
    await settle();
    const after = engine.orders.get(order.id)!;
    expect(after.status).toBe('filled');
    expect(after.filledQuantity).toBe('0.01');
    expect(after.averagePrice).toBe('58994');
    expect(engine.listFills(10).fills).toHaveLength(2);
    expect(engine.positions()[0]!.quantity).toBe('0.01');
  });

  it('accepts a fill that races a cancel request', async () => {
    const { engine, venue } = await setup();
    venue.onCancel = () => undefined; // the venue has not answered the cancel yet
    const order = await engine.placeOrder(limitBuy);
    const pending = await engine.cancelOrder(order.id);
    expect(pending.status).toBe('pending_cancel');
    venue.fill(order.clientOrderId, 't1', '0.01', '59000');
    await settle();
    expect(engine.orders.get(order.id)!.status).toBe('filled');
    const announced: Array<{ type: string; outcome: string }> = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'orders.history') announced.push(payload as { type: string; outcome: string });
    });
    venue.emit({ type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'late', timestamp: 5 });
    await settle();
    // Nothing changed, but whoever watches the order's history is told of the new entry.
    expect(announced).toEqual([expect.objectContaining({ type: 'OrderCanceled', outcome: 'ignored' })]);
    // A cancel confirmation after the fill is a late report of nothing: filled stays filled, and the history says so.
    expect(engine.orders.get(order.id)!.status).toBe('filled');
    const history = engine.orderEvents(order.id).map((e) => `${e.type}:${e.outcome}:${e.status}${e.detail.edge ? `:${e.detail.edge}` : ''}`);
    expect(history).toEqual([
      'OrderSubmitted:applied:pending_new',
      'OrderAccepted:applied:open',
      'OrderCancelRequested:applied:pending_cancel',
      'OrderFilled:applied:filled:fill_during_cancel',
      'OrderCanceled:ignored:filled',
    ]);
  });

  it('returns to open when the venue refuses a cancel', async () => {
    const { engine, venue } = await setup();
    venue.onCancel = (c) => venue.emit({ type: 'OrderCancelRejected', clientOrderId: c.clientOrderId, reason: 'too late', timestamp: 2 });
    const order = await engine.placeOrder(limitBuy);
    expect((await engine.cancelOrder(order.id)).status).toBe('open');
  });

  it('answers a venue rejection with a typed error and keeps the rejected order in history', async () => {
    const { engine, venue } = await setup();
    venue.onSubmit = (c) =>
      venue.emit({ type: 'OrderRejected', clientOrderId: c.clientOrderId, reason: 'Post-only order would take liquidity', code: 'POST_ONLY_REJECTED', timestamp: 1 });
    const error = await keelRejectionOf(engine.placeOrder({ ...limitBuy, postOnly: true }));
    expect(error.code).toBe('POST_ONLY_REJECTED');
    expect(error.message).toContain('Post-only');
    const history = engine.listOrders('all', 10).orders;
    expect(history[0]!.status).toBe('rejected');
    expect(history[0]!.rejectReason).toContain('Post-only');
  });

  it('never sends again when the outcome is unknown: it asks the venue', async () => {
    const { engine, venue } = await setup();
    venue.onSubmit = (c) => {
      // The venue took the order but the answer was lost on the way back.
      venue.reports.set(c.clientOrderId, {
        clientOrderId: c.clientOrderId,
        venueOrderId: 'v9',
        symbol: c.symbol,
        side: c.side,
        type: c.type,
        quantity: c.quantity,
        filledQuantity: '0',
        price: c.price,
        stopPrice: null,
        status: 'open',
        triggered: false,
        updatedAt: 1,
      });
      throw new Error('socket hang up');
    };
    const order = await engine.placeOrder(limitBuy);
    expect(order.status).toBe('open');
    expect(order.venueOrderId).toBe('v9');
    expect(venue.submitted).toHaveLength(1);
    // Asked within the order's market, as exchanges need.
    expect(venue.reportSymbols).toEqual(['BTC/USDT:USDT']);
    expect(engine.orderEvents(order.id).map((e) => `${e.type}:${e.outcome}:${e.status}`)).toEqual([
      'OrderSubmitted:applied:pending_new',
      'OrderStatusReported:applied:open',
    ]);
  });

  it('marks an order rejected when the venue never received it', async () => {
    const { engine, venue } = await setup();
    venue.onSubmit = () => {
      throw new Error('connection refused');
    };
    const error = await keelRejectionOf(engine.placeOrder(limitBuy));
    expect(error.code).toBe('VENUE_UNAVAILABLE');
    expect(engine.listOrders('all', 1).orders[0]!.status).toBe('rejected');
  });

  it('refuses a reused client order id, also after it was forgotten in memory', async () => {
    const { engine } = await setup();
    await engine.placeOrder({ ...limitBuy, clientOrderId: 'mine-1' });
    expect((await keelRejectionOf(engine.placeOrder({ ...limitBuy, clientOrderId: 'mine-1' }))).code).toBe('DUPLICATE_CLIENT_ORDER_ID');
  });

  it('denies an invalid order before anything is journaled or sent', async () => {
    const { engine, venue } = await setup();
    const error = await keelRejectionOf(engine.placeOrder({ ...limitBuy, quantity: '0.0015' }));
    expect(error.code).toBe('INVALID_PRECISION');
    expect(venue.submitted).toHaveLength(0);
    expect(engine.listOrders('all', 10).orders).toHaveLength(0);
    expect(engine.listActivity(5)[0]!.message).toMatch(/Order denied/);
  });

  it('cancels only what is open and says why otherwise', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    venue.fill(order.clientOrderId, 't1', '0.01', '59000');
    await settle();
    expect((await keelRejectionOf(engine.cancelOrder(order.id))).code).toBe('INVALID_STATE');
    expect((await keelRejectionOf(engine.cancelOrder('nope'))).code).toBe('NOT_FOUND');
  });

  it('recovers after a restart: a pending order is resolved from the venue report, never resent', async () => {
    const db = openJournalDatabase(':memory:');
    const first = await setup(new FakeVenue(), db);
    first.venue.onSubmit = () => {
      throw new Error('crash before the answer');
    };
    first.venue.orderReport = async () => {
      throw new Error('venue unreachable');
    };
    const order = await first.engine.placeOrder(limitBuy);
    expect(order.status).toBe('pending_new');
    await first.engine.stop();

    const venue = new FakeVenue();
    venue.reports.set(order.clientOrderId, {
      clientOrderId: order.clientOrderId,
      venueOrderId: 'v-late',
      symbol: order.symbol,
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      filledQuantity: '0',
      price: '59000',
      stopPrice: null,
      status: 'open',
      triggered: false,
      updatedAt: 5,
    });
    const second = await setup(venue, db);
    expect(second.engine.orders.get(order.id)!.status).toBe('open');
    expect(venue.submitted).toHaveLength(0);
    expect(second.engine.venueStatuses()[0]!.state).toBe('ready');
  });

  it('fails closed when positions cannot be reconciled', async () => {
    const venue = new FakeVenue();
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.5', entryPrice: '60000', leverage: 10 }];
    const { engine } = await setup(venue);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'blocked' });
    expect(engine.venueStatuses()[0]!.reason).toContain('reconciliation difference');
    expect((await keelRejectionOf(engine.placeOrder(limitBuy))).code).toBe('VENUE_UNAVAILABLE');

    const down = new FakeVenue();
    down.failPositionReports = true;
    const second = await setup(down);
    expect(second.engine.venueStatuses()[0]!.state).toBe('blocked'); // a missing report is not "flat"
  });
});

describe('start-up fill recovery', () => {
  it('applies fills the venue made while Keel was not listening, once, and then positions reconcile', async () => {
    const db = openJournalDatabase(':memory:');
    const first = await setup(new FakeVenue(), db);
    const order = await first.engine.placeOrder(limitBuy);
    await first.engine.stop();

    // While Keel was down the order filled at the venue.
    const venue = new FakeVenue();
    const fill = {
      clientOrderId: order.clientOrderId,
      venueOrderId: 'v1',
      tradeId: 'away-1',
      side: 'buy' as const,
      symbol: 'BTC/USDT:USDT',
      quantity: '0.01',
      price: '59000',
      fee: '0.118',
      feeCurrency: 'USDT',
      liquidity: 'maker' as const,
      timestamp: 1_700_000_000_500,
    };
    venue.fills = [fill, fill];
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.01', entryPrice: '59000', leverage: 10 }];
    venue.reports.set(order.clientOrderId, {
      clientOrderId: order.clientOrderId,
      venueOrderId: 'v1',
      symbol: order.symbol,
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      filledQuantity: '0.01',
      price: '59000',
      stopPrice: null,
      status: 'filled',
      triggered: false,
      updatedAt: 2,
    });
    const second = await setup(venue, db);
    expect(second.engine.venueStatuses()[0]!.state).toBe('ready');
    expect(second.engine.orders.get(order.id)).toMatchObject({ status: 'filled', filledQuantity: '0.01' });
    expect(second.engine.listFills(10).fills).toHaveLength(1);
    expect(second.engine.positions()[0]).toMatchObject({ quantity: '0.01', side: 'long' });
  });
});

describe('a fill that cannot be journaled', () => {
  it('leaves the ledger and the order as they were, and blocks the venue until reconciled', async () => {
    class FailingJournal extends SqliteJournal {
      failFills = false;
      override insertFill(fill: Parameters<SqliteJournal['insertFill']>[0]): boolean {
        if (this.failFills) throw new Error('disk I/O error');
        return super.insertFill(fill);
      }
    }
    const journal = new FailingJournal(openJournalDatabase(':memory:'));
    const venue = new FakeVenue();
    const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal, venues: [venue] });
    await engine.start();
    const order = await engine.placeOrder(limitBuy);
    journal.failFills = true;
    venue.fill(order.clientOrderId, 't1', '0.01', '59000');
    await settle();
    expect(engine.positions()).toEqual([]);
    expect(engine.portfolio.ledger('fake').netQuantity('BTC/USDT:USDT').isZero()).toBe(true);
    expect(engine.orders.get(order.id)!.status).toBe('open');
    expect(engine.listFills(10).fills).toEqual([]);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'blocked' });
    expect(engine.venueStatuses()[0]!.reason).toMatch(/could not be recorded/);
  });
});

describe('orders waiting for an answer', () => {
  it('are resolved from the venue during the session once they have waited long enough', async () => {
    const venue = new FakeVenue();
    const clock = new SimulatedClock(1_700_000_000_000);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue] });
    await engine.start();
    venue.onSubmit = () => {
      throw new Error('timeout');
    };
    let askable = false;
    venue.orderReport = async (clientOrderId: string) => {
      if (!askable) throw new Error('venue unreachable');
      return {
        clientOrderId,
        venueOrderId: 'v-late',
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.01',
        filledQuantity: '0',
        price: '59000',
        stopPrice: null,
        status: 'open',
        triggered: false,
        updatedAt: 0,
      };
    };
    const order = await engine.placeOrder(limitBuy);
    expect(order.status).toBe('pending_new');
    askable = true;
    await clock.advanceAndSettle(5_000);
    expect(engine.orders.get(order.id)!.status).toBe('pending_new'); // not yet stale
    await clock.advanceAndSettle(10_000);
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'open', venueOrderId: 'v-late' });
    expect(venue.submitted).toHaveLength(1); // asked about, never sent again
  });
});

describe('an order whose send went unanswered, at a venue that may act on it late', () => {
  it('stays pending while the venue may still act on it, is found when it does, and is never sent again', async () => {
    const venue = new FakeVenue();
    venue.unknownOutcomeDeadlineMs = 30_000;
    const clock = new SimulatedClock(1_700_000_000_000);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue] });
    await engine.start();
    venue.onSubmit = () => {
      throw new Error('timeout');
    };
    const order = await engine.placeOrder(limitBuy);
    // The venue has no record yet: that is not "never received" before its deadline.
    expect(order.status).toBe('pending_new');
    await clock.advanceAndSettle(15_000);
    expect(engine.orders.get(order.id)!.status).toBe('pending_new');
    // The delayed request is carried out after all.
    venue.reports.set(order.clientOrderId, openOrderReport(order.clientOrderId, { venueOrderId: 'v-late' }));
    await clock.advanceAndSettle(10_000);
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'open', venueOrderId: 'v-late' });
    expect(venue.submitted).toHaveLength(1);
  });

  it('is rejected as never received once the deadline has passed with no record', async () => {
    const venue = new FakeVenue();
    venue.unknownOutcomeDeadlineMs = 30_000;
    const clock = new SimulatedClock(1_700_000_000_000);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue] });
    await engine.start();
    venue.onSubmit = () => {
      throw new Error('timeout');
    };
    const order = await engine.placeOrder(limitBuy);
    await clock.advanceAndSettle(25_000);
    expect(engine.orders.get(order.id)!.status).toBe('pending_new');
    await clock.advanceAndSettle(20_000);
    const after = engine.orders.get(order.id)!;
    expect(after.status).toBe('rejected');
    expect(after.rejectReason).toMatch(/never received/);
    expect(venue.submitted).toHaveLength(1);
  });
});

describe('journal first, for every venue', () => {
  it('when the order cannot be recorded, nothing is sent, remembered or announced', async () => {
    class FailingInserts extends SqliteJournal {
      fail = false;
      override insertOrder(order: Parameters<SqliteJournal['insertOrder']>[0]): void {
        if (this.fail) throw new Error('disk full');
        super.insertOrder(order);
      }
    }
    const journal = new FailingInserts(openJournalDatabase(':memory:'));
    const venue = new FakeVenue();
    const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal, venues: [venue] });
    await engine.start();
    const ok = await engine.placeOrder(limitBuy);
    expect(ok.status).toBe('open');
    journal.fail = true;
    const announced: string[] = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'orders.updated') announced.push((payload as { id: string }).id);
    });
    await expect(engine.placeOrder(limitBuy)).rejects.toThrow(/disk full/);
    expect(announced).toEqual([]);
    expect(venue.submitted).toHaveLength(1);
    expect(engine.orders.openOrders().map((o) => o.id)).toEqual([ok.id]);
    expect(engine.listOrders('all', 10).orders).toHaveLength(1);
  });
});

describe('memory stays bounded', () => {
  it('forgets finished orders beyond the recent window, and recalls one from the journal when a late event names it', async () => {
    const { engine, venue } = await setup();
    const clock = engine.clock as SimulatedClock;
    const first = await engine.placeOrder(limitBuy);
    await engine.cancelOrder(first.id);
    for (let i = 0; i < 2_100; i += 1) {
      clock.advanceBy(150); // within the default order-rate limits
      const order = await engine.placeOrder(limitBuy);
      await engine.cancelOrder(order.id);
    }
    expect(engine.orders.get(first.id)).toBeUndefined();
    // A fill the venue reports late for that long-finished order is still applied, once.
    venue.fill(first.clientOrderId, 'late-1', '0.01', '59000');
    venue.fill(first.clientOrderId, 'late-1', '0.01', '59000');
    await settle();
    // The fill completed the order, so nothing was left to cancel: it ends filled, and the anomaly is noted.
    expect(engine.orders.get(first.id)).toMatchObject({ status: 'filled', filledQuantity: '0.01' });
    expect(engine.listActivity(20).some((a) => a.category === 'anomaly' && a.message.includes('late-1'))).toBe(true);
    expect(engine.listFills(5).fills.filter((f) => f.tradeId === 'late-1')).toHaveLength(1);
    expect(engine.positions()[0]).toMatchObject({ quantity: '0.01' });
  });
});
