/**
 * Price alerts in the engine on a scripted price path: the paper venue's
 * price is walked where the test says, on the simulated clock, and each
 * alert fires exactly when the path reaches it (not before, not twice), is
 * kept as triggered in the journal, published, and written to the activity
 * log. Then through the host: set, listed, refused and removed over the
 * contract, and still there after the app is closed and opened again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeel } from '../../src/main/app';
import { installPriceAlerts } from '../../src/main/engine/alerts/installPriceAlerts';
import { Engine } from '../../src/main/engine/engine';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { openJournalDatabase } from '../../src/main/journal/database';
import { PaperVenueRepository } from '../../src/main/journal/paperVenueRepository';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { SqlitePriceAlertStore } from '../../src/main/journal/sqlitePriceAlertStore';
import { MemorySecretStore } from '../../src/main/secrets/memorySecretStore';
import { PaperVenue } from '../../src/main/venues/paper';
import { priceAlertSchema, type PriceAlert } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';

const BTC = 'BTC/USDT:USDT';
const TICK = Dec.parse('0.1');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function scripted() {
  const db = openJournalDatabase(':memory:');
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:00Z'));
  const paper = new PaperVenue({ clock, seed: 21, store: new PaperVenueRepository(db, 'paper'), historyMinutes: 30 });
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [paper], logger: silentLogger });
  await engine.start();
  let n = 0;
  const alerts = installPriceAlerts(engine, { store: new SqlitePriceAlertStore(db), newId: () => `al-${++n}`, log: silentLogger });
  const fired: PriceAlert[] = [];
  engine.bus.subscribe((_topic, payload) => fired.push(payload as PriceAlert), ['alerts.price.triggered']);
  const last = () => Dec.parse(engine.ticker('paper', BTC).last);
  /** Puts the market at `factor` × `from` and lets a second of market steps run (their drift is a few hundredths of a percent). */
  const walkTo = async (from: Dec, factor: string, ms = 1_000) => {
    paper.setMarketPrice(BTC, Number(from.mul(Dec.parse(factor)).toString()));
    clock.advanceBy(ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { db, engine, paper, clock, alerts, fired, last, walkTo };
}

describe('price alerts on a scripted price path', () => {
  it('fire once, when the path crosses their price, kept, published and logged', async () => {
    const s = await scripted();
    const start = s.last();
    const target = start.mul(Dec.parse('1.01')).floorTo(TICK);
    const up = s.alerts.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: target.toString() });
    const floor = start.mul(Dec.parse('0.97')).floorTo(TICK);
    const down = s.alerts.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: floor.toString(), note: 'stop zone' });
    expect([up.direction, down.direction]).toEqual(['up', 'down']);

    for (const factor of ['1.002', '1.005', '1.008']) await s.walkTo(start, factor);
    expect(s.fired).toEqual([]);
    await s.walkTo(start, '1.015');
    expect(s.fired.map((a) => a.id)).toEqual([up.id]);
    const fired = priceAlertSchema.parse(s.fired[0]);
    expect(Dec.parse(fired.triggerPrice!).gte(target)).toBe(true);
    expect(fired).toMatchObject({ status: 'triggered', triggeredAt: s.clock.now() - 800, message: expect.stringMatching(/^BTC\/USDT:USDT rose to /) });
    // It fired in the first step at or above its price: the step's time, not the end of the walk.
    expect(fired.triggeredAt! % 200).toBe(0);

    // Further up, and back down through it: it does not fire again.
    await s.walkTo(start, '1.03');
    await s.walkTo(start, '1.0');
    expect(s.fired).toHaveLength(1);
    await s.walkTo(start, '0.96');
    expect(s.fired.map((a) => a.id)).toEqual([up.id, down.id]);

    expect(s.alerts.book.list({ status: 'active' })).toEqual([]);
    const kept = new SqlitePriceAlertStore(s.db).all();
    expect(kept.map((a) => a.status)).toEqual(['triggered', 'triggered']);
    const logged = s.engine.listActivity(50).filter((a) => a.message.startsWith('Price alert:'));
    expect(logged.map((a) => a.message).sort()).toEqual(s.fired.map((a) => `Price alert: ${a.message}`).sort());
    s.alerts.dispose();
    await s.engine.stop();
  });

  it('fire on a move of the asked size within the window, not on a smaller one', async () => {
    const s = await scripted();
    const start = s.last();
    const drop = s.alerts.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '2', windowMinutes: 5, direction: 'down' });
    const rise = s.alerts.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '3', windowMinutes: 5, direction: 'up' });
    await new Promise((resolve) => setImmediate(resolve)); // the windows are seeded from the last bars
    // Down 1.5 % over two minutes: under the 2 % asked.
    await s.walkTo(start, '0.995', 60_000);
    await s.walkTo(start, '0.985', 60_000);
    expect(s.fired).toEqual([]);
    // Then down 2.5 % from the start, still inside the five minutes.
    await s.walkTo(start, '0.975', 30_000);
    expect(s.fired.map((a) => a.id)).toEqual([drop.id]);
    expect(s.fired[0]!.message).toMatch(/^BTC\/USDT:USDT fell 2\.\d\d % within 5 min, from /);
    // Back up 3.1 % from the low, within five minutes of it: the rise alert fires too.
    await s.walkTo(start, '1.006', 60_000);
    expect(s.fired.map((a) => a.id)).toEqual([drop.id, rise.id]);
    s.alerts.dispose();
    await s.engine.stop();
  });
});

describe('price alerts through the host', () => {
  it('are set, listed, refused and removed over the contract, and kept across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-alerts-'));
    dirs.push(dataDir);
    const open = () => createKeel({ dataDir, mode: 'headless', seed: 4, checkResults: true, secrets: new MemorySecretStore() });
    let keel = await open();
    const call = async (method: string, params: unknown) => keel.server.invoke(method, params);
    const last = Dec.parse((await keel.server.invoke('market.ticker', { venue: 'paper', symbol: BTC }) as { ok: true; result: { last: string } }).result.last);
    const far = last.mul(Dec.parse('1.5')).floorTo(TICK).toString();
    const added = await call('alerts.price.add', { kind: 'cross', venue: 'paper', symbol: BTC, price: far, note: 'moon' });
    expect(added).toMatchObject({ ok: true, result: { status: 'active', direction: 'up', price: far, note: 'moon' } });
    const move = await call('alerts.price.add', { kind: 'move', venue: 'paper', symbol: BTC, percent: '40', windowMinutes: 60 });
    expect(move).toMatchObject({ ok: true, result: { kind: 'move', direction: 'either', percent: '40' } });
    const refused = await call('alerts.price.add', { kind: 'cross', venue: 'paper', symbol: BTC, price: last.mul(Dec.parse('0.5')).floorTo(TICK).toString(), direction: 'up' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/already at or above/) } });
    const unknown = await call('alerts.price.add', { kind: 'cross', venue: 'paper', symbol: 'NOPE/USDT:USDT', price: '1' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await keel.shutdown();
    keel = await open();
    const listed = (await call('alerts.price.list', { symbol: BTC })) as { ok: true; result: { alerts: PriceAlert[] } };
    const moveId = (move as { result: PriceAlert }).result.id;
    const crossId = (added as { result: PriceAlert }).result.id;
    expect(listed.result.alerts.map((a) => a.id)).toEqual(expect.arrayContaining([moveId, crossId]));
    expect(await call('alerts.price.remove', { id: crossId })).toEqual({ ok: true, result: { ok: true } });
    expect(await call('alerts.price.remove', { id: crossId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const after = (await call('alerts.price.list', { status: 'active' })) as { ok: true; result: { alerts: PriceAlert[] } };
    expect(after.result.alerts.map((a) => a.id)).toEqual([moveId]);
    await keel.shutdown();
  });
});
