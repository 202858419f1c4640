import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { FakeVenue, openOrderReport } from '../../../../tests/support/fakeVenue';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { SimulatedClock } from '../ports/clock';
import { Engine } from '../engine';
import { keelRejectionOf } from '../../../../tests/support/keelError';

const T0 = 1_700_000_000_000;

async function setup(venue = new FakeVenue(), db: JournalDatabase = openJournalDatabase(':memory:'), clock = new SimulatedClock(T0)) {
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [venue], cadences: { staleOrderSweepMs: 0, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 } });
  await engine.start();
  return { engine, venue, db, clock };
}

/** Lets reports and queued follow-up commands run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const limitBuy = { venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' } as const;

function history(engine: Engine, orderId: string): string[] {
  return engine.orderEvents(orderId).map((e) => `${e.type}:${e.outcome}:${e.status}`);
}

/** The venue's report of an order as the engine has it now, with whatever a test changes. */
function reportOf(order: Order, overrides: Parameters<typeof openOrderReport>[1] = {}) {
  return openOrderReport(order.clientOrderId, { quantity: order.quantity, price: order.price, filledQuantity: order.filledQuantity, ...overrides });
}

describe('amend in place', () => {
  it('keeps the order and its id, changes its terms and records the request and the answer in its history', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    const amended = await engine.amendOrder({ orderId: order.id, price: '59010', quantity: '0.02' });
    expect(amended.id).toBe(order.id);
    expect(amended.clientOrderId).toBe(order.clientOrderId);
    expect(amended).toMatchObject({ price: '59010', quantity: '0.02', status: 'open', amending: null });
    expect(venue.amends).toEqual([
      expect.objectContaining({ clientOrderId: order.clientOrderId, price: '59010', quantity: '0.02', stopPrice: null, current: { quantity: '0.01', price: '59000', stopPrice: null } }),
    ]);
    expect(venue.cancels).toHaveLength(0);
    expect(history(engine, order.id)).toEqual([
      'OrderSubmitted:applied:pending_new',
      'OrderAccepted:applied:open',
      'OrderAmendRequested:applied:open',
      'OrderAmended:applied:open',
    ]);
    const requested = engine.orderEvents(order.id)[2]!;
    expect(requested.detail).toMatchObject({ price: '59010', quantity: '0.02', mode: 'in_place' });
    // The journal holds the amended terms: what a restart reads back.
    expect(engine.getOrder({ clientOrderId: order.clientOrderId })).toMatchObject({ price: '59010', quantity: '0.02' });
  });

  it('sends only what changes; the venue refusing leaves the order as it was, with the refusal in its history', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    venue.onAmend = (c) => venue.emit({ type: 'OrderAmendRejected', clientOrderId: c.clientOrderId, reason: 'price out of band', timestamp: 4 });
    const error = await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59010' }));
    expect(error.code).toBe('VENUE_REJECTED');
    expect(error.message).toContain('price out of band');
    expect(venue.amends[0]).toMatchObject({ price: '59010', quantity: null });
    expect(engine.orders.get(order.id)).toMatchObject({ price: '59000', quantity: '0.01', status: 'open', amending: null });
    expect(history(engine, order.id).slice(-2)).toEqual(['OrderAmendRequested:applied:open', 'OrderAmendRejected:applied:open']);
  });

  it('refuses, before sending anything, what cannot be amended: a quantity at or below what filled, off-step terms, nothing to change, an order that ended or is not acknowledged', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    venue.fill(order.clientOrderId, 't1', '0.004', '59000');
    await settle();
    const cases: Array<[Parameters<Engine['amendOrder']>[0], string, RegExp]> = [
      [{ orderId: order.id, quantity: '0.004' }, 'VALIDATION_FAILED', /already filled 0.004/],
      [{ orderId: order.id, quantity: '0.003' }, 'VALIDATION_FAILED', /already filled/],
      [{ orderId: order.id, quantity: '0.0105' }, 'INVALID_PRECISION', /lot size/],
      [{ orderId: order.id, price: '59000.05' }, 'INVALID_PRECISION', /tick size/],
      [{ orderId: order.id, price: '59000' }, 'VALIDATION_FAILED', /already has these terms/],
      [{ orderId: order.id, stopPrice: '61000' }, 'VALIDATION_FAILED', /no stop price/],
      [{ orderId: 'o-nope', price: '1' }, 'NOT_FOUND', /not found/],
    ];
    for (const [params, code, message] of cases) {
      const error = await keelRejectionOf(engine.amendOrder(params));
      expect([error.code, error.message], JSON.stringify(params)).toEqual([code, expect.stringMatching(message)]);
    }
    venue.onSubmit = () => undefined; // never acknowledged
    const unacknowledged = await engine.placeOrder({ ...limitBuy, price: '58000' });
    expect((await keelRejectionOf(engine.amendOrder({ orderId: unacknowledged.id, price: '58100' }))).code).toBe('INVALID_STATE');
    await engine.cancelOrder(order.id);
    expect((await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '58100' }))).code).toBe('INVALID_STATE');
    expect(venue.amends).toHaveLength(0);
    expect(engine.orderEvents(order.id).some((e) => e.type.startsWith('OrderAmend'))).toBe(false);
  });

  it('judges an increase with the risk stage like a new order, and lets a pure decrease through even while halted', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder({ ...limitBuy, quantity: '0.02' });
    engine.setRiskLimits({ ...engine.riskLimits('fake'), account: { ...engine.riskLimits('fake').account, maxOrderNotional: '1500' } });
    const denied: unknown[] = [];
    engine.bus.subscribe((topic, payload) => topic === 'orders.denied' && denied.push(payload));
    const error = await keelRejectionOf(engine.amendOrder({ orderId: order.id, quantity: '0.03' }));
    expect(error.code).toBe('RISK_REJECTED');
    expect(error.message).toMatch(/above the maximum of 1,500 USDT/);
    expect(denied).toEqual([expect.objectContaining({ check: 'order-limits', quantity: '0.03' })]);
    engine.setTradingState('HALTED');
    expect((await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59010' }))).code).toBe('HALTED');
    const smaller = await engine.amendOrder({ orderId: order.id, quantity: '0.01' });
    expect(smaller.quantity).toBe('0.01');
    expect(venue.amends).toHaveLength(1);
  });

  it('counts a fill that races the amend; the amend applies to the rest', async () => {
    const { engine, venue } = await setup();
    const order = await engine.placeOrder(limitBuy);
    venue.onAmend = (c) => {
      venue.fill(c.clientOrderId, 't1', '0.004', '59000');
      venue.emit({ type: 'OrderAmended', clientOrderId: c.clientOrderId, quantity: '0.02', price: '59000', stopPrice: null, requested: true, reason: null, timestamp: 5 });
    };
    const amended = await engine.amendOrder({ orderId: order.id, quantity: '0.02' });
    expect(amended).toMatchObject({ status: 'partially_filled', filledQuantity: '0.004', quantity: '0.02' });
    expect(history(engine, order.id).slice(-3)).toEqual(['OrderAmendRequested:applied:open', 'OrderFilled:applied:partially_filled', 'OrderAmended:applied:partially_filled']);
  });

  it('an amend whose answer is lost is settled from the venue report, never sent again', async () => {
    const venue = new FakeVenue();
    venue.unknownOutcomeDeadlineMs = 30_000;
    const { engine, clock } = await setup(venue);
    const order = await engine.placeOrder(limitBuy);
    venue.onAmend = () => {
      throw new Error('socket hang up');
    };
    venue.reports.set(order.clientOrderId, reportOf(order));
    const error = await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59010' }));
    expect(error.code).toBe('VENUE_UNAVAILABLE');
    // Within the venue's deadline the old terms are not an answer: the amend stays pending and is asked about again.
    expect(engine.orders.get(order.id)!.amending).toMatchObject({ mode: 'in_place', price: '59010' });
    venue.reports.set(order.clientOrderId, reportOf(order, { price: '59010' }));
    await engine.orders.resolveStale(clock.now() + 1);
    expect(engine.orders.get(order.id)).toMatchObject({ price: '59010', amending: null, status: 'open' });
    expect(venue.amends).toHaveLength(1);
    expect(history(engine, order.id).slice(-2)).toEqual(['OrderAmendRequested:applied:open', 'OrderAmended:applied:open']);

    venue.reports.set(order.clientOrderId, reportOf(engine.orders.get(order.id)!));
    await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59020' }));
    clock.advanceBy(30_001);
    await engine.orders.resolveStale(clock.now());
    expect(engine.orders.get(order.id)).toMatchObject({ price: '59010', amending: null });
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected', detail: { reason: expect.stringMatching(/as it was/) } });
    expect(venue.amends).toHaveLength(2);
  });
});

describe('an in-place amend whose order ends before its answer', () => {
  /** An order with an amend to 59010 whose answer was lost, inside the venue's deadline: it waits. */
  async function amendInDoubt(venue = new FakeVenue(), db?: JournalDatabase) {
    venue.unknownOutcomeDeadlineMs = 30_000;
    const { engine } = await setup(venue, db);
    const order = await engine.placeOrder(limitBuy);
    venue.onAmend = () => {
      throw new Error('socket hang up');
    };
    venue.reports.set(order.clientOrderId, reportOf(order));
    await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59010' }));
    expect(engine.orders.get(order.id)!.amending).toMatchObject({ mode: 'in_place', price: '59010' });
    return { engine, venue, order };
  }

  it('is settled as not taken once the order is cancelled with its old terms', async () => {
    const { engine, venue, order } = await amendInDoubt();
    venue.reports.set(order.clientOrderId, reportOf(order, { status: 'canceled' }));
    venue.emit({ type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'requested', timestamp: 7 });
    await settle();
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'canceled', price: '59000', amending: null });
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected', detail: { reason: expect.stringMatching(/as it was \(the order canceled\)/) } });
    expect(venue.amends).toHaveLength(1);
  });

  it('is settled as taken, in its history, when the venue reports the ended order with the new terms', async () => {
    const { engine, venue, order } = await amendInDoubt();
    venue.reports.set(order.clientOrderId, reportOf(order, { status: 'filled', price: '59010', filledQuantity: '0.01' }));
    venue.fill(order.clientOrderId, 't-1', '0.01', '59010');
    await settle();
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'filled', amending: null });
    // The ended order keeps the terms it ended with; its history says the amend was found taken.
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmended', detail: { price: '59010', mode: 'in_place' } });
    expect(venue.amends).toHaveLength(1);
  });

  it('is settled as soon as its own call returns, when the order ended during the call and the venue could not be asked then', async () => {
    const venue = new FakeVenue();
    venue.unknownOutcomeDeadlineMs = 30_000;
    const { engine } = await setup(venue);
    const order = await engine.placeOrder(limitBuy);
    // The cancel races the amend: it lands during the call, whose own answer is lost, and the venue cannot be asked then.
    venue.onAmend = (c) => {
      venue.emit({ type: 'OrderCanceled', clientOrderId: c.clientOrderId, reason: 'requested', timestamp: 7 });
      venue.orderReport = () => {
        // Down for this one question only.
        venue.orderReport = FakeVenue.prototype.orderReport.bind(venue);
        venue.reports.set(order.clientOrderId, reportOf(order, { status: 'canceled' }));
        return Promise.reject(new Error('venue down'));
      };
      throw new Error('socket hang up');
    };
    const error = await keelRejectionOf(engine.amendOrder({ orderId: order.id, price: '59010' }));
    expect(error.code).toBe('VENUE_UNAVAILABLE');
    // No later update of the order and no reconnect come, yet the amend is settled.
    await settle();
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'canceled', price: '59000', amending: null });
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected' });
    expect(venue.amends).toHaveLength(1);
  });

  it('waits while the venue cannot be asked, and is settled when the venue is next ready (here, at start-up)', async () => {
    const db = openJournalDatabase(':memory:');
    const { venue, order } = await amendInDoubt(new FakeVenue(), db);
    venue.orderReport = () => Promise.reject(new Error('venue down'));
    venue.emit({ type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'requested', timestamp: 7 });
    await settle();

    const again = new FakeVenue();
    again.reports.set(order.clientOrderId, reportOf(order, { status: 'canceled' }));
    const { engine } = await setup(again, db);
    await settle();
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'canceled', amending: null });
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected' });
  });
});

describe('amend by cancel-replace', () => {
  it('cancels the order and places a replacement for the new terms, linked both ways, under an id chosen before anything was sent', async () => {
    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    const { engine } = await setup(venue);
    const order = await engine.placeOrder(limitBuy);
    const replacement = await engine.amendOrder({ orderId: order.id, price: '59010' });
    expect(venue.amends).toHaveLength(0);
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual([order.clientOrderId]);
    expect(replacement.id).not.toBe(order.id);
    expect(replacement).toMatchObject({ price: '59010', quantity: '0.01', status: 'open', replacesId: order.id, side: 'buy', type: 'limit' });
    const old = engine.orders.get(order.id)!;
    expect(old).toMatchObject({ status: 'canceled', replacedById: replacement.id, amending: null });
    const requested = engine.orderEvents(order.id).find((e) => e.type === 'OrderAmendRequested')!;
    expect(requested.detail.mode).toBe('cancel_replace');
    expect(history(engine, order.id)).toEqual([
      'OrderSubmitted:applied:pending_new',
      'OrderAccepted:applied:open',
      'OrderAmendRequested:applied:open',
      'OrderCancelRequested:applied:pending_cancel',
      'OrderCanceled:applied:canceled',
      'OrderAmended:applied:canceled',
    ]);
    expect(engine.orderEvents(order.id).at(-1)!.detail).toMatchObject({ linkedOrderId: replacement.id, mode: 'cancel_replace', price: '59010' });
    expect(venue.submitted).toHaveLength(2);
  });

  it('replaces only what is left of the new quantity after fills that raced the cancel', async () => {
    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    const { engine } = await setup(venue);
    const order = await engine.placeOrder({ ...limitBuy, quantity: '0.02' });
    venue.onCancel = (c) => {
      venue.fill(c.clientOrderId, 't1', '0.005', '59000');
      venue.emit({ type: 'OrderCanceled', clientOrderId: c.clientOrderId, reason: 'requested', timestamp: 6 });
    };
    const replacement = await engine.amendOrder({ orderId: order.id, quantity: '0.03' });
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'canceled', filledQuantity: '0.005' });
    expect(replacement.quantity).toBe('0.025');
  });

  it('completes within its own call when the cancel landed during a cancel call whose answer was lost', async () => {
    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    venue.unknownOutcomeDeadlineMs = 30_000;
    const { engine } = await setup(venue);
    const order = await engine.placeOrder(limitBuy);
    venue.onCancel = (c) => {
      venue.emit({ type: 'OrderCanceled', clientOrderId: c.clientOrderId, reason: 'requested', timestamp: 6 });
      venue.orderReport = () => Promise.reject(new Error('venue down'));
      throw new Error('socket hang up');
    };
    const replacement = await engine.amendOrder({ orderId: order.id, price: '59010' });
    expect(replacement).toMatchObject({ price: '59010', quantity: '0.01', status: 'open', replacesId: order.id });
    expect(engine.orders.get(order.id)).toMatchObject({ status: 'canceled', amending: null, replacedById: replacement.id });
    await settle();
    expect(venue.submitted).toHaveLength(2);
  });

  it('ends the amend without a replacement when the order fills completely before its cancel', async () => {
    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    const { engine } = await setup(venue);
    const order = await engine.placeOrder(limitBuy);
    venue.onCancel = (c) => {
      venue.fill(c.clientOrderId, 't1', '0.01', '59000');
      venue.emit({ type: 'OrderCancelRejected', clientOrderId: c.clientOrderId, reason: 'unknown order', timestamp: 6 });
    };
    const after = await engine.amendOrder({ orderId: order.id, price: '59010' });
    expect(after).toMatchObject({ id: order.id, status: 'filled', amending: null });
    expect(venue.submitted).toHaveLength(1);
    expect(engine.orderEvents(order.id).at(-1)).toMatchObject({ type: 'OrderAmendRejected', detail: { reason: expect.stringMatching(/filled before/) } });
  });
});

describe('an amend in flight when Keel stops', () => {
  it('in place: settled at start-up from the venue report (the venue took it)', async () => {
    const db = openJournalDatabase(':memory:');
    const first = await setup(new FakeVenue(), db);
    const order = await first.engine.placeOrder(limitBuy);
    // The venue never answers; Keel stops with the amend journaled and nothing more.
    first.venue.onAmend = () => undefined;
    first.venue.amend = () => new Promise<void>(() => undefined);
    void first.engine.amendOrder({ orderId: order.id, price: '59010' }).catch(() => undefined);
    await settle();
    expect(first.engine.orders.get(order.id)!.amending).toMatchObject({ mode: 'in_place', price: '59010' });

    const venue = new FakeVenue();
    venue.reports.set(order.clientOrderId, reportOf(order, { price: '59010' }));
    const second = await setup(venue, db);
    expect(second.engine.orders.get(order.id)).toMatchObject({ price: '59010', amending: null, status: 'open' });
    expect(history(second.engine, order.id).slice(-2)).toEqual(['OrderAmendRequested:applied:open', 'OrderAmended:applied:open']);
    expect(venue.amends).toHaveLength(0);
  });

  it('cancel-replace: the cancel went through, the replacement is placed once the venue trades again, and only once', async () => {
    const db = openJournalDatabase(':memory:');
    const firstVenue = new FakeVenue();
    firstVenue.amendsInPlace = false;
    const first = await setup(firstVenue, db);
    const order = await first.engine.placeOrder(limitBuy);
    firstVenue.onCancel = () => undefined; // Keel stops before the cancel is answered
    expect((await keelRejectionOf(first.engine.amendOrder({ orderId: order.id, price: '59010' }))).code).toBe('VENUE_UNAVAILABLE');
    const pending = first.engine.orders.get(order.id)!;
    expect(pending).toMatchObject({ status: 'pending_cancel', amending: { mode: 'cancel_replace' } });
    const replacementId = pending.amending!.replacementClientOrderId!;

    const venue = new FakeVenue();
    venue.amendsInPlace = false;
    venue.reports.set(order.clientOrderId, reportOf(order, { status: 'canceled' }));
    const second = await setup(venue, db);
    await settle();
    expect(venue.submitted.map((s) => s.clientOrderId)).toEqual([replacementId]);
    const replacement = second.engine.getOrder({ clientOrderId: replacementId });
    expect(replacement).toMatchObject({ price: '59010', quantity: '0.01', replacesId: order.id, status: 'open' });
    expect(second.engine.orders.get(order.id)).toMatchObject({ status: 'canceled', replacedById: replacement.id, amending: null });

    const again = new FakeVenue();
    again.reports.set(replacementId, reportOf(replacement));
    await setup(again, db);
    await settle();
    expect(again.submitted).toHaveLength(0);
  });
});
