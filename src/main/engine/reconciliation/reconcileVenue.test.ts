/**
 * Reconciliation as its own module: a persisted, queryable report; external
 * orders adopted; a blocked venue re-reconciled without a restart.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../../tests/support/fakeVenue';
import type { ReconciliationReport } from '../../../shared/contract';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';

async function setup(venue = new FakeVenue()) {
  const journal = new SqliteJournal(openJournalDatabase(':memory:'));
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal, venues: [venue], logger: silentLogger });
  const reports: ReconciliationReport[] = [];
  engine.bus.subscribe((topic, payload) => {
    if (topic === 'reconciliation.report') reports.push(payload as ReconciliationReport);
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
    // Adopted once: the next reconciliation finds it already in the books.
    const again = await engine.reconcileVenue('fake');
    expect(again.externalOrders).toEqual([]);
    expect((await engine.cancelAll({ venue: 'fake', source: 'external' })).canceled.map((o) => o.id)).toEqual([adopted.id]);
  });

  it('a venue blocked by a position difference is reconciled again on request, without a restart', async () => {
    const venue = new FakeVenue();
    venue.positions = [{ symbol: 'BTC/USDT:USDT', quantity: '0.3', entryPrice: '60000', leverage: 10 }];
    const { engine, reports } = await setup(venue);
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'blocked' });
    expect(reports[0]).toMatchObject({ ok: false, positions: [{ symbol: 'BTC/USDT:USDT', keel: '0', venue: '0.3', match: false }] });
    venue.positions = [];
    const report = await engine.reconcileVenue('fake');
    expect(report).toMatchObject({ trigger: 'manual', ok: true });
    expect(engine.venueStatuses()[0]).toMatchObject({ state: 'ready', reason: null });
    expect(engine.latestReconciliation('fake')?.id).toBe(report.id);
  });
});
