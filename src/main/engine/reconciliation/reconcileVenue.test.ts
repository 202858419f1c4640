/**
 * Reconciliation as its own module: a persisted, queryable report whose
 * differences are classified items; external orders and unknown positions
 * taken into the books and held for the trader's decision; positions Keel
 * holds that the venue does not report never taken to be flat; the
 * trader's decisions carried out, journaled in the audit trail, and the
 * venue opened once nothing blocks it.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue, openOrderReport } from '../../../../tests/support/fakeVenue';
import type { ReconciliationReport } from '../../../shared/contract';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';
import type { VenueFundingReport } from '../ports/venue';

async function setup(venue = new FakeVenue()) {
  const journal = new SqliteJournal(openJournalDatabase(':memory:'));
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal, venues: [venue], logger: silentLogger });
  const reports: ReconciliationReport[] = [];
  engine.bus.subscribe((topic, payload) => {
    if (topic === 'reconciliation.updated') reports.push(payload as ReconciliationReport);
  });
  await engine.start();
  return { engine, venue, reports };
}

describe('reconciliation', () => {
  it('reports every start-up reconciliation, journals it and answers it as the latest', async () => {
    const { engine, reports } = await setup();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ venue: 'fake', trigger: 'startup', ok: true, reason: null, fillsRecovered: 0, ordersResolved: [], externalOrders: [] });
    expect(reports[0]!.balances).toEqual([{ currency: 'USDT', keel: '10000', venue: '10000', match: true }]);
    expect(engine.latestReconciliation('fake')).toEqual(reports[0]);
  });

  it('adopts open orders Keel did not place as external orders, watched like any other', async () => {
    const venue = new FakeVenue();
    venue.reports.set('placed-on-the-website', {
      clientOrderId: 'placed-on-the-website',
      venueOrderId: 'v-web',
      symbol: 'BTC/USDT:USDT',
      side: 'sell',
      type: 'limit',
      quantity: '0.5',
      filledQuantity: '0',
      price: '65000',
      stopPrice: null,
      status: 'open',
      triggered: false,
      updatedAt: 1_699_999_000_000,
    });
    const { engine, reports } = await setup(venue);
    expect(reports[0]!.externalOrders).toEqual([
      expect.objectContaining({ clientOrderId: 'placed-on-the-website', symbol: 'BTC/USDT:USDT', side: 'sell', quantity: '0.5', status: 'open' }),
    ]);
    const adopted = engine.getOrder({ clientOrderId: 'placed-on-the-website' });
    expect(adopted).toMatchObject({ source: 'external', status: 'open', venueOrderId: 'v-web' });
    expect(engine.orderEvents(adopted.id).map((e) => e.type)).toEqual(['OrderStatusReported']);
    // In the books at once, and the venue waits for the trader to keep or cancel it.
    expect(engine.venueStatuses()[0]!.state).toBe('blocked');
    const item = reports[0]!.items.find((i) => i.kind === 'external_order')!;
    expect(item).toMatchObject({ orderId: adopted.id, clientOrderId: 'placed-on-the-website', actions: ['adopt', 'cancel'], blocking: true });
    // Adopted once: the next reconciliation finds it already in the books, and still waits for the decision.
    const again = await engine.reconcileVenue('fake');
    expect(again.externalOrders).toEqual([]);
    const carried = again.items.find((i) => i.kind === 'external_order')!;
    expect(carried.orderId).toBe(adopted.id);
    await engine.resolveReconciliation('fake', carried.id, 'cancel', 'not mine');
    expect(engine.getOrder({ orderId: adopted.id }).status).toBe('canceled');
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual(['placed-on-the-website']);
    expect(engine.venueStatuses()[0]!.state).toBe('ready');
  });

  it('a position the venue reports that Keel did not know is taken into the books and blocks the venue until the trader keeps or closes it', async () => {
    const venue = new FakeVenue();
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.3', entryPrice: '60000', leverage: 10 }];
    const { engine, reports } = await setup(venue);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'blocked', reason: expect.stringContaining('1 reconciliation difference') });
    const item = reports[0]!.items.find((i) => i.kind === 'missing_in_keel')!;
    expect(item).toMatchObject({ symbol: 'BTC/USDT:USDT', keel: '0', venue: '0.3', blocking: true, actions: ['adopt', 'flatten'], resolution: null });
    // Never ignored: it is in Keel's books at once, at the venue's entry price.
    expect(engine.positions()).toEqual([expect.objectContaining({ symbol: 'BTC/USDT:USDT', quantity: '0.3', entryPrice: '60000' })]);
    // Reconciling again does not decide for the trader.
    const again = await engine.reconcileVenue('fake');
    expect(again.ok).toBe(false);
    expect(again.items.find((i) => i.kind === 'missing_in_keel')?.detail).toMatch(/^Still to decide/);
    await expect(engine.resolveReconciliation('fake', again.items.find((i) => i.kind === 'missing_in_keel')!.id, 'accept', null)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const pending = again.items.find((i) => i.kind === 'missing_in_keel')!;
    const resolved = await engine.resolveReconciliation('fake', pending.id, 'adopt', 'opened on the phone app');
    expect(resolved).toMatchObject({ ok: true, reason: null });
    expect(resolved.items.find((i) => i.id === pending.id)?.resolution).toMatchObject({ action: 'adopt', note: 'opened on the phone app' });
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'ready', reason: null });
    expect(engine.latestReconciliation('fake')).toEqual(resolved);
    expect(engine.reconciliationAudit('fake', 10)).toEqual([expect.objectContaining({ itemId: pending.id, action: 'adopt', note: 'opened on the phone app', kind: 'missing_in_keel' })]);
    await expect(engine.resolveReconciliation('fake', pending.id, 'adopt', null)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(reports.at(-1)).toEqual(resolved);
  });

  it('a position Keel holds that the venue does not report is never taken to be flat: blocked until the trader accepts the venue figure', async () => {
    const venue = new FakeVenue();
    const { engine } = await setup(venue);
    const placed = await engine.placeOrder({ venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' });
    venue.fill(placed.clientOrderId, 't1', '0.01', '59000');
    await new Promise<void>((resolve) => setImmediate(resolve));
    venue.positions = []; // the venue no longer reports it
    const report = await engine.reconcileVenue('fake');
    const item = report.items.find((i) => i.kind === 'missing_at_venue')!;
    expect(item).toMatchObject({ keel: '0.01', venue: '0', actions: ['accept'] });
    expect(engine.positions()[0]!.quantity).toBe('0.01');
    expect(engine.venueStatuses()[0]!.state).toBe('blocked');
    await engine.resolveReconciliation('fake', item.id, 'accept', 'closed on the website');
    expect(engine.positions()).toEqual([]);
    expect(engine.venueStatuses()[0]!.state).toBe('ready');
  });

  it('a quantity mismatch can be flattened at the venue while it is blocked, with a reduce-only market order of the venue quantity', async () => {
    const venue = new FakeVenue();
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.2', entryPrice: '60000', leverage: 10 }];
    const { engine } = await setup(venue);
    const adopt = engine.latestReconciliation('fake')!.items.find((i) => i.kind === 'missing_in_keel')!;
    await engine.resolveReconciliation('fake', adopt.id, 'adopt', null);
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.5', entryPrice: '60000', leverage: 10 }];
    const report = await engine.reconcileVenue('fake');
    const mismatch = report.items.find((i) => i.kind === 'quantity_mismatch')!;
    expect(mismatch).toMatchObject({ keel: '0.2', venue: '0.5' });
    await expect(engine.placeOrder({ venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', quantity: '0.5', reduceOnly: true })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    venue.onSubmit = (c) => {
      venue.emit({ type: 'OrderAccepted', clientOrderId: c.clientOrderId, venueOrderId: `v-${c.clientOrderId}`, timestamp: 1 });
      venue.positions = [];
      venue.fill(c.clientOrderId, 't-close', c.quantity, '60000', c.side);
    };
    const resolved = await engine.resolveReconciliation('fake', mismatch.id, 'flatten', null);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(venue.submitted.at(-1)).toMatchObject({ side: 'sell', type: 'market', quantity: '0.5', reduceOnly: true });
    expect(engine.positions()).toEqual([]);
    expect(resolved.ok).toBe(true);
    expect(engine.venueStatuses()[0]!.state).toBe('ready');
  });
});

describe('reconciliation edge cases', () => {
  const limitBuy = { venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' } as const;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const reportOf = openOrderReport;

  it('an order Keel had as rejected but the venue holds open is reopened, not left unwatched', async () => {
    const venue = new FakeVenue();
    const { engine } = await setup(venue);
    venue.onSubmit = () => {
      throw new Error('timeout');
    };
    await expect(engine.placeOrder(limitBuy)).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    const order = engine.listOrders('all', 10).orders[0]!;
    expect(order.status).toBe('rejected');
    venue.reports.set(order.clientOrderId, reportOf(order.clientOrderId));
    const report = await engine.reconcileVenue('fake');
    expect(report.ordersResolved).toEqual([expect.objectContaining({ orderId: order.id, from: 'rejected', to: 'open' })]);
    expect(report.externalOrders).toEqual([]);
    expect(engine.orders.openOrders('fake').map((o) => o.id)).toEqual([order.id]);
  });

  it('a reconciliation while a submit is still on its way leaves that order alone', async () => {
    const venue = new FakeVenue();
    const { engine } = await setup(venue);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    venue.submit = async (command) => {
      venue.submitted.push(command);
      await gate;
      venue.reports.set(command.clientOrderId, reportOf(command.clientOrderId));
      venue.emit({ type: 'OrderAccepted', clientOrderId: command.clientOrderId, venueOrderId: 'v-late', timestamp: 2 });
    };
    const placing = engine.placeOrder(limitBuy);
    await settle();
    const report = await engine.reconcileVenue('fake');
    expect(report.ordersResolved).toEqual([]);
    release();
    expect(await placing).toMatchObject({ status: 'open', venueOrderId: 'v-late' });
  });

  it('an adopted, partly filled external order does not have its earlier fills booked again', async () => {
    const venue = new FakeVenue();
    venue.reports.set('ext-1', reportOf('ext-1', { quantity: '1', filledQuantity: '0.5', status: 'partially_filled' }));
    venue.fills.push({ clientOrderId: 'ext-1', venueOrderId: 'v-ext-1', tradeId: 'x1', side: 'buy', symbol: 'BTC/USDT:USDT', quantity: '0.5', price: '59000', fee: '0', feeCurrency: 'USDT', liquidity: 'maker', timestamp: 1_700_000_000_000 - 1_000 });
    const { engine } = await setup(venue);
    expect(engine.orders.getByClientId('ext-1')).toMatchObject({ source: 'external', status: 'partially_filled', filledQuantity: '0.5' });
    const report = await engine.reconcileVenue('fake');
    expect(report.fillsRecovered).toBe(0);
    expect(engine.orders.getByClientId('ext-1')).toMatchObject({ status: 'partially_filled', filledQuantity: '0.5' });
    expect(engine.listFills(10).fills).toEqual([]);
  });

  it('only the latest reconciliation of a venue may open it: an older one finishing late is superseded', async () => {
    const venue = new FakeVenue();
    const { engine } = await setup(venue);
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
    let calls = 0;
    const original = venue.positionReports.bind(venue);
    venue.positionReports = async () => {
      calls += 1;
      if (calls === 1) await firstGate;
      if (calls === 2) throw new Error('positions unavailable');
      return original();
    };
    const older = engine.reconcileVenue('fake');
    await settle();
    const newer = await engine.reconcileVenue('fake');
    expect(newer.ok).toBe(false);
    expect(engine.venueStatuses()[0]?.state).toBe('blocked');
    releaseFirst();
    const late = await older;
    expect(late).toMatchObject({ ok: false, reason: expect.stringContaining('superseded') });
    expect(engine.venueStatuses()[0]?.state).toBe('blocked');
  });
});

describe('periodic reconciliation of a real venue', () => {
  it('checks a trading venue in the background without stopping its trading, and flags what it finds without taking it in', async () => {
    const venue = new FakeVenue();
    venue.paper = false;
    const clock = new SimulatedClock(1_700_000_000_000);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue], logger: silentLogger, cadences: { reconcileMs: 60_000 } });
    const states: string[] = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'system.health') states.push((payload as { venues: Array<{ state: string }> }).venues[0]!.state);
    });
    await engine.start();
    expect(engine.venueStatuses()[0]!.state).toBe('ready');
    states.length = 0;
    await clock.advanceAndSettle(60_000);
    expect(engine.latestReconciliation('fake')).toMatchObject({ trigger: 'periodic', ok: true });
    expect(states).not.toContain('reconciling');

    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.4', entryPrice: '60000', leverage: 10 }];
    await clock.advanceAndSettle(60_000);
    const report = engine.latestReconciliation('fake')!;
    expect(report).toMatchObject({ trigger: 'periodic', ok: false });
    expect(report.items.find((i) => i.kind === 'missing_in_keel')).toMatchObject({ venue: '0.4', actions: ['flatten'] });
    // Flagged, not taken in: a fill still on its way could explain it.
    expect(engine.positions()).toEqual([]);
    expect(engine.venueStatuses()[0]!.state).toBe('blocked');
    // Reconciling on demand takes it in, for the trader to keep or close.
    const manual = await engine.reconcileVenue('fake');
    expect(manual.items.find((i) => i.kind === 'missing_in_keel')?.actions).toEqual(['adopt', 'flatten']);
    expect(engine.positions()[0]!.quantity).toBe('0.4');
  });

  it('leaves paper venues alone: nothing can drift inside Keel', async () => {
    const venue = new FakeVenue();
    const clock = new SimulatedClock(1_700_000_000_000);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue], logger: silentLogger, cadences: { reconcileMs: 60_000 } });
    await engine.start();
    const first = engine.latestReconciliation('fake')!.id;
    await clock.advanceAndSettle(180_000);
    expect(engine.latestReconciliation('fake')!.id).toBe(first);
  });
});

describe("a real exchange's funding at reconciliation", () => {
  const AT = 1_700_000_000_000;
  const payment = (fundingId: string, timestamp: number): VenueFundingReport => ({
    fundingId,
    symbol: 'BTC/USDT:USDT',
    rate: null,
    markPrice: null,
    quantity: null,
    amount: '-1.5',
    currency: 'USDT',
    fundingTime: timestamp,
    timestamp,
  });

  it('is booked from the first reconciliation on: payments before it are in the balance the books started from', async () => {
    const venue = new FakeVenue();
    venue.paper = false;
    const history = [payment('before-keel', AT - 3_600_000)];
    const asked: number[] = [];
    Object.assign(venue, {
      fundingReports: async (since: number) => {
        asked.push(since);
        return history.filter((p) => p.timestamp >= since);
      },
    });
    const { engine } = await setup(venue);
    expect(asked).toEqual([AT]);
    expect(engine.ledgerEntries('fake', 10)).toEqual([]);

    history.push(payment('while-trading', AT + 1_000));
    await engine.reconcileVenue('fake');
    await engine.reconcileVenue('fake');
    expect(engine.ledgerEntries('fake', 10).map((e) => e.id)).toEqual(['while-trading']);
    // Later reconciliations read from the last payment booked, with an overlap.
    expect(asked.at(-1)).toBe(AT + 1_000 - 60_000);
  });
});
