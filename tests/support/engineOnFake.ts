/**
 * The whole engine on a real venue adapter (ccxt, unmodified) talking to a
 * fake exchange on 127.0.0.1: for tests of what a trader's orders become at
 * an exchange (amends, brackets Keel manages, trailing stops), read from
 * Keel's books and from the fake's own state and request journal.
 */
import { Engine } from '../../src/main/engine/engine';
import { LiveClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { openJournalDatabase } from '../../src/main/journal/database';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { CcxtVenue, type CcxtVenueOptions } from '../../src/main/venues/ccxt/ccxtVenue';
import { Dec } from '../../src/shared/decimal';
import { TEST_TIMINGS, type RunningFake, type VenueHarness, type VenueOnFake } from './venueHarness';

export interface EngineOnFake<F> {
  engine: Engine;
  venue: CcxtVenue;
  fake: F;
  stop(): Promise<void>;
}

/** Starts a fresh fake, a ccxt venue on it and an engine around the venue (stopped after the test through the harness and `stop`). */
export async function engineOnFake<F extends RunningFake, O>(harness: VenueHarness<F, O>, spec: VenueOnFake, fakeOptions?: O, options: Partial<CcxtVenueOptions> = {}): Promise<EngineOnFake<F>> {
  const fake = await harness.startFake(fakeOptions);
  const venue = harness.track(
    new CcxtVenue({
      id: spec.id,
      exchange: spec.exchange,
      mode: 'demo',
      symbols: spec.symbols,
      credentials: spec.credentials,
      baseUrl: fake.base,
      clock: new LiveClock(),
      logger: silentLogger,
      redact: (text) => text,
      timings: TEST_TIMINGS,
      ...options,
    }),
  );
  const engine = new Engine({
    clock: new LiveClock(),
    journal: new SqliteJournal(openJournalDatabase(':memory:')),
    venues: [venue],
    logger: silentLogger,
    cadences: { healthMs: 0, activityPruneMs: 0, reconcileMs: 0, staleOrderSweepMs: 500, staleOrderAfterMs: 2_000 },
  });
  await engine.start();
  return { engine, venue, fake, stop: () => engine.stop() };
}

/** Polls `check` (which may be async) every 25 ms until it holds; fails after `ms` with what it waited for. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `price` moved by `fraction` (e.g. "0.02" up, "-0.02" down), on the tick. */
export function moved(price: string, fraction: string, tick: string): string {
  return Dec.parse(price).mul(Dec.ONE.add(Dec.parse(fraction))).floorTo(Dec.parse(tick)).toString();
}
