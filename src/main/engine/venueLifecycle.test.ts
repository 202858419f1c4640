/**
 * Venues join and leave by one reconcile-then-ready path, start side by side
 * with deadlines, and fail closed when their connection drops.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue, openOrderReport } from '../../../tests/support/fakeVenue';
import { openJournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { Engine } from './engine';
import { SimulatedClock } from './ports/clock';
import { silentLogger } from './ports/logger';

const order = (venue: string) => ({ venue, symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' }) as const;

function engineWith(venues: FakeVenue[], clock = new SimulatedClock(1_700_000_000_000)) {
  const engine = new Engine({
    clock,
    journal: new SqliteJournal(openJournalDatabase(':memory:')),
    venues,
    logger: silentLogger,
    venueTimeouts: { startMs: 5_000, reconcileMs: 5_000 },
  });
  return { engine, clock };
}

describe('venues at start-up', () => {
  it('start side by side: a hung venue is blocked at its deadline, the others trade meanwhile', async () => {
    const hung = new FakeVenue('hung');
    hung.onStart = () => new Promise(() => undefined);
    const good = new FakeVenue('good');
    const { engine, clock } = engineWith([hung, good]);
    const starting = engine.start();
    await clock.advanceAndSettle(0);
    expect(engine.venueStatuses().find((v) => v.venue === 'good')?.state).toBe('ready');
    expect(engine.venueStatuses().find((v) => v.venue === 'hung')?.state).toBe('connecting');
    await clock.advanceAndSettle(5_000);
    await starting;
    expect(engine.venueStatuses().find((v) => v.venue === 'hung')).toMatchObject({ state: 'blocked', reason: expect.stringContaining('did not start within 5 s') });
    await expect(engine.placeOrder(order('hung'))).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    expect((await engine.placeOrder(order('good'))).status).toBe('open');
  });
});

describe('venues at runtime', () => {
  it('are added through the same path and trade once reconciled; removal waits until nothing is left on them', async () => {
    const { engine } = engineWith([new FakeVenue('fake')]);
    await engine.start();
    const second = new FakeVenue('second');
    expect(await engine.addVenue(second)).toMatchObject({ venue: 'second', state: 'ready' });
    await expect(engine.addVenue(new FakeVenue('second'))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const placed = await engine.placeOrder(order('second'));
    await expect(engine.removeVenue('second')).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('1 open order') });
    await engine.cancelOrder(placed.id);
    await engine.removeVenue('second');
    expect(engine.venueStatuses().map((v) => v.venue)).toEqual(['fake']);
    await expect(engine.placeOrder(order('second'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a venue that reconciles badly when added stays blocked with the reason', async () => {
    const { engine } = engineWith([]);
    await engine.start();
    const bad = new FakeVenue('bad');
    bad.failPositionReports = true;
    expect(await engine.addVenue(bad)).toMatchObject({ state: 'blocked' });
  });
});

describe('connectivity', () => {
  it('a dropped connection blocks new orders with the reason; when it is back the venue is reconciled and trades again', async () => {
    const venue = new FakeVenue('fake');
    const { engine, clock } = engineWith([venue]);
    await engine.start();
    venue.setConnectivity('disconnected', 'WebSocket closed (1006)');
    await clock.advanceAndSettle(0);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'disconnected', reason: 'WebSocket closed (1006)' });
    await expect(engine.placeOrder(order('fake'))).rejects.toMatchObject({
      code: 'VENUE_UNAVAILABLE',
      message: expect.stringContaining('WebSocket closed (1006)'),
    });
    expect(venue.submitted).toHaveLength(0);
    venue.setConnectivity('connected');
    await clock.advanceAndSettle(0);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'ready', reason: null });
    expect((await engine.placeOrder(order('fake'))).status).toBe('open');
    expect(engine.listActivity(20).some((a) => a.message.includes('reconciling before trading resumes'))).toBe(true);
  });

  it('a degraded connection keeps trading and says so', async () => {
    const venue = new FakeVenue('fake');
    const { engine, clock } = engineWith([venue]);
    await engine.start();
    venue.setConnectivity('degraded', 'stream down, polling');
    await clock.advanceAndSettle(0);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'ready', reason: 'degraded: stream down, polling' });
    expect((await engine.placeOrder(order('fake'))).status).toBe('open');
  });
});

describe('a venue given a new connection (a new key, demo to live)', () => {
  it('keeps its books, is reconciled before it trades again, and hears only the new connection', async () => {
    const first = new FakeVenue('fake');
    const { engine } = engineWith([first]);
    await engine.start();
    const placed = await engine.placeOrder(order('fake'));
    expect(placed.status).toBe('open');

    // The new connection sees the same working order at the exchange.
    const second = new FakeVenue('fake');
    second.reports.set(placed.clientOrderId, openOrderReport(placed.clientOrderId, { venueOrderId: placed.venueOrderId!, updatedAt: 1 }));
    expect(await engine.replaceVenue(second)).toMatchObject({ venue: 'fake', state: 'ready' });
    expect(engine.orders.get(placed.id)!.status).toBe('open');
    expect(engine.latestReconciliation('fake')).toMatchObject({ ok: true, trigger: 'reconnect' });

    // The old connection is no longer listened to; the new one is.
    first.fill(placed.clientOrderId, 't-old', '0.01', '59000');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(engine.orders.get(placed.id)!.filledQuantity).toBe('0');
    second.fill(placed.clientOrderId, 't-new', '0.01', '59000');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(engine.orders.get(placed.id)!.status).toBe('filled');
  });

  it('stays blocked with the reason when the new connection cannot start, refusing orders', async () => {
    const { engine } = engineWith([new FakeVenue('fake')]);
    await engine.start();
    const broken = new FakeVenue('fake');
    broken.onStart = () => Promise.reject(new Error('the exchange refused the API key'));
    expect(await engine.replaceVenue(broken)).toMatchObject({ state: 'blocked', reason: expect.stringContaining('refused the API key') });
    await expect(engine.placeOrder(order('fake'))).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
  });
});

