/** `system.health`: venue states and the event-loop delay the composition root measures, on a cadence and on every venue change. */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../tests/support/fakeVenue';
import type { EventPayload } from '../../shared/contract';
import { openJournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { Engine, type Cadences } from './engine';
import { SimulatedClock } from './ports/clock';
import { silentLogger } from './ports/logger';

const T0 = 1_700_000_000_000;

async function setup(cadences: Partial<Cadences> = {}) {
  const clock = new SimulatedClock(T0);
  const readings = [4.5, 120, 0.3, 7];
  let reads = 0;
  const engine = new Engine({
    clock,
    journal: new SqliteJournal(openJournalDatabase(':memory:')),
    venues: [new FakeVenue()],
    logger: silentLogger,
    cadences,
    // Stands in for the composition root's probe: each read hands out the next window's worst delay.
    eventLoopDelayMs: () => readings[reads++ % readings.length]!,
  });
  const health: Array<EventPayload<'system.health'> & { at: number }> = [];
  engine.bus.subscribe((topic, payload) => {
    if (topic === 'system.health') health.push({ ...(payload as EventPayload<'system.health'>), at: clock.now() - T0 });
  });
  await engine.start();
  await clock.advanceAndSettle();
  return { engine, clock, health, reads: () => reads };
}

describe('system.health', () => {
  it('reports the measured event-loop delay, reading it once per publication, every 2 s and on venue changes', async () => {
    const { engine, clock, health, reads } = await setup();
    // Start-up publishes twice (reconciling, then ready); each reading is a fresh window.
    expect(health.map((h) => [h.at, h.eventLoopLagMs, h.venues[0]?.state])).toEqual([
      [0, 4.5, 'reconciling'],
      [0, 120, 'ready'],
    ]);

    await clock.advanceAndSettle(4_000);
    expect(health.slice(2).map((h) => [h.at, h.eventLoopLagMs])).toEqual([
      [2_000, 0.3],
      [4_000, 7],
    ]);

    engine.failClosed('disk full');
    expect(health.at(-1)).toMatchObject({ at: 4_000, eventLoopLagMs: 4.5, venues: [{ venue: 'fake', state: 'blocked' }] });
    expect(reads()).toBe(health.length);

    await engine.stop();
    await clock.advanceAndSettle(10_000);
    expect(health).toHaveLength(5);
  });

  it('publishes only on venue changes when its cadence is 0', async () => {
    const { engine, clock, health } = await setup({ healthMs: 0 });
    await clock.advanceAndSettle(60_000);
    expect(health.map((h) => h.venues[0]?.state)).toEqual(['reconciling', 'ready']);
    await engine.stop();
  });

  it('reports 0 when the composition root measures nothing', async () => {
    const clock = new SimulatedClock(T0);
    const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [new FakeVenue()], logger: silentLogger });
    const lags: number[] = [];
    engine.bus.subscribe((topic, payload) => {
      if (topic === 'system.health') lags.push((payload as EventPayload<'system.health'>).eventLoopLagMs);
    });
    await engine.start();
    await clock.advanceAndSettle(2_000);
    expect(lags).toEqual([0, 0, 0]);
    await engine.stop();
  });
});
