import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Ticker } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { openJournalDatabase } from '../../journal/database';
import { PaperVenueRepository } from '../../journal/paperVenueRepository';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { PaperVenue } from '../../venues/paper';
import { SimulatedClock } from '../ports/clock';
import { Engine } from '../engine';

const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'] as const;

async function setup(faults: { cancelFailureRate?: number; orderFailureRate?: number } = {}, db = openJournalDatabase(':memory:')) {
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:00Z'));
  const paper = new PaperVenue({ clock, seed: 9, store: new PaperVenueRepository(db, 'paper'), historyMinutes: 120 });
  const engine = new Engine({
    clock,
    journal: new SqliteJournal(db),
    venues: [paper],
    emergencyRetryDelaysMs: [0, 0, 0, 0, 0, 0],
  });
  await engine.start();
  paper.setFaults(faults);
  return { engine, paper, clock, db };
}

/** A resting buy well inside the price band but far enough from the touch not to fill. */
function restingPrice(ticker: Ticker, tick: string): string {
  return Dec.parse(ticker.bid).mul(Dec.parse('0.97')).floorTo(Dec.parse(tick)).toString();
}

async function openBook(engine: Engine) {
  for (const symbol of SYMBOLS) {
    const instrument = engine.instruments('paper').find((i) => i.symbol === symbol)!;
    for (let i = 0; i < 2; i += 1) {
      await engine.placeOrder({ venue: 'paper', symbol, side: 'buy', type: 'limit', quantity: instrument.symbol.startsWith('BTC') ? '0.001' : instrument.minQuantity === '0.1' ? '1' : '0.1', price: restingPrice(engine.ticker('paper', symbol), instrument.tickSize) });
    }
  }
  await engine.placeOrder({ venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await engine.placeOrder({ venue: 'paper', symbol: 'ETH/USDT:USDT', side: 'sell', type: 'market', quantity: '0.2' });
}

describe('emergency stop', () => {
  it('latches HALTED first, cancels everything, flattens, and reports it all', async () => {
    const { engine } = await setup();
    await openBook(engine);
    // A resting reduce-only stop on the long must not get in the way of the exit.
    const btcMark = Dec.parse(engine.ticker('paper', 'BTC/USDT:USDT').mark);
    await engine.placeOrder({ venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: btcMark.mul(Dec.parse('0.98')).floorTo(Dec.parse('0.1')).toString(), reduceOnly: true });
    expect(engine.orders.openOrders()).toHaveLength(7);
    expect(engine.positions()).toHaveLength(2);

    const sequence: string[] = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'risk.state') sequence.push(`state:${(payload as { state: string }).state}`);
      if (topic === 'orders.updated' && (payload as { status: string }).status === 'canceled') sequence.push('canceled');
    });
    const report = await engine.emergencyStop({ flatten: true, trigger: 'test' });
    expect(sequence[0]).toBe('state:HALTED');
    expect(report).toMatchObject({ ordersCanceled: 7, positionsClosed: 2, complete: true, unconfirmed: [] });
    expect(report.haltedAt).toBeLessThanOrEqual(report.cancelsConfirmedAt!);
    expect(report.cancelsConfirmedAt).toBeLessThanOrEqual(report.flatAt!);
    expect(engine.orders.openOrders()).toHaveLength(0);
    expect(engine.positions()).toHaveLength(0);
    expect(engine.emergencyReports(5)[0]).toEqual(report);
    // One line for the bulk cancel, not one per order.
    expect(engine.listActivity(100).filter((a) => a.message.includes('at once'))).toHaveLength(1);
    // The exit went through the gate as the emergency stop's own reduce-only orders.
    const exits = engine.listOrders('all', 50).orders.filter((o) => o.source === 'emergency');
    expect(exits).toHaveLength(2);
    expect(exits.every((o) => o.reduceOnly && o.type === 'market' && o.status === 'filled')).toBe(true);
  });

  it('refuses new orders while HALTED, with a HALTED code, until re-armed', async () => {
    const { engine } = await setup();
    await engine.emergencyStop({ flatten: false, trigger: 'test' });
    const denied: string[] = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'orders.denied') denied.push((payload as { code: string }).code);
    });
    const attempt = engine.placeOrder({ venue: 'paper', symbol: 'SOL/USDT:USDT', side: 'buy', type: 'market', quantity: '1' });
    await expect(attempt).rejects.toMatchObject({ code: 'HALTED' });
    expect(denied).toEqual(['HALTED']);
    engine.rearm();
    const order = await engine.placeOrder({ venue: 'paper', symbol: 'SOL/USDT:USDT', side: 'buy', type: 'market', quantity: '1' });
    expect(order.status).toBe('filled');
  });

  it('is idempotent: pressing twice joins one run, pressing later finds nothing to do', async () => {
    const { engine } = await setup();
    await openBook(engine);
    const first = engine.emergencyStop({ flatten: true, trigger: 'hotkey' });
    const second = engine.emergencyStop({ flatten: true, trigger: 'button' });
    expect(second).toBe(first);
    const report = await first;
    expect(report.complete).toBe(true);
    const again = await engine.emergencyStop({ flatten: true, trigger: 'tray' });
    expect(again).toMatchObject({ ordersCanceled: 0, positionsClosed: 0, complete: true });
    expect(engine.risk.history(10).filter((c) => c.to === 'HALTED')).toHaveLength(1);
    // Already halted when it started: the report never says "halted" before "started".
    for (const r of [report, again]) expect(r.haltedAt).toBeGreaterThanOrEqual(r.startedAt);
  });

  it('adds the flatten when a second press asks for more than the first', async () => {
    const { engine } = await setup();
    await openBook(engine);
    const cancelOnly = engine.emergencyStop({ flatten: false, trigger: 'button' });
    const withFlatten = engine.emergencyStop({ flatten: true, trigger: 'hotkey' });
    expect((await cancelOnly).positionsClosed).toBe(0);
    expect((await withFlatten).positionsClosed).toBe(2);
    expect(engine.positions()).toHaveLength(0);
  });

  it('after a second press added the flatten, the stop still works the next time (it does not stay "running")', async () => {
    const { engine } = await setup();
    await openBook(engine);
    const first = engine.emergencyStop({ flatten: false, trigger: 'button' });
    const second = engine.emergencyStop({ flatten: true, trigger: 'hotkey' });
    await Promise.all([first, second]);
    engine.rearm();
    await openBook(engine);
    const again = await engine.emergencyStop({ flatten: true, trigger: 'tray' });
    expect(again).toMatchObject({ ordersCanceled: 6, positionsClosed: 2, complete: true });
    expect(engine.orders.openOrders()).toHaveLength(0);
  });

  it('refuses to re-arm while a stop is still running', async () => {
    const { engine } = await setup();
    await openBook(engine);
    const stopping = engine.emergencyStop({ flatten: true, trigger: 'button' });
    expect(() => engine.rearm()).toThrow(/still running/);
    await stopping;
    expect(engine.rearm().state).toBe('ACTIVE');
  });

  it('against a venue failing 30% of cancels: ends with nothing open, or names exactly what it could not confirm', async () => {
    for (let run = 0; run < 5; run += 1) {
      const { engine } = await setup({ cancelFailureRate: 0.3 });
      await openBook(engine);
      const report = await engine.emergencyStop({ flatten: true, trigger: 'test' });
      const stillOpen = engine.orders.openOrders().map((o) => o.id).sort();
      const reported = report.unconfirmed.filter((u) => u.kind === 'cancel').map((u) => u.target).sort();
      expect(reported).toEqual(stillOpen);
      // Complete means what the books say: nothing left open and nothing left held.
      expect(report.complete).toBe(stillOpen.length === 0 && engine.positions().length === 0);
    }
  });

  it('when every cancel fails, reports each order with the reason and keeps trading halted', async () => {
    const { engine, paper } = await setup();
    await openBook(engine);
    paper.setFaults({ cancelFailureRate: 1 });
    const report = await engine.emergencyStop({ flatten: false, trigger: 'test' });
    expect(report.complete).toBe(false);
    expect(report.cancelsConfirmedAt).toBeNull();
    expect(report.unconfirmed).toHaveLength(6);
    expect(report.unconfirmed.every((u) => u.kind === 'cancel' && u.reason.length > 0)).toBe(true);
    expect(engine.risk.state().state).toBe('HALTED');
    expect(engine.listActivity(5).some((a) => a.message.includes('NOT CONFIRMED'))).toBe(true);
  });

  it('HALTED survives a restart of the engine', async () => {
    const db = openJournalDatabase(':memory:');
    const first = await setup({}, db);
    await first.engine.emergencyStop({ flatten: false, trigger: 'test' });
    await first.engine.stop();
    const second = await setup({}, db);
    expect(second.engine.risk.state().state).toBe('HALTED');
    await expect(second.engine.placeOrder({ venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.001' })).rejects.toBeInstanceOf(KeelError);
  });
});
