/**
 * Discovery schedules across a restart: the pipeline installed on a journal
 * file, Keel "stopped" while a scheduled run was under way, the journal
 * opened again by a second pipeline on a clock hours later. The schedule is
 * still there and fires on the engine clock; the run Keel stopped during is
 * listed failed with the reason; a schedule never runs twice at once; a
 * removed schedule starts nothing more.
 *
 * The backtest service is a stand-in whose bar loads the test holds and
 * releases: what is under test is when runs start and how they are kept,
 * not the searches (tests/integration/pipelineDiscovery.test.ts has those).
 */
import { describe, expect, it } from 'vitest';
import { noInstances } from '../support/discoveryBoard';
import { journalDatabases } from '../support/journalDatabases';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { BUILTIN_STRATEGIES } from '../../src/main/engine/strategies/catalog';
import type { JournalDatabase } from '../../src/main/journal/database';
import { SqlitePipelineStore } from '../../src/main/journal/sqlitePipelineStore';
import { INTERRUPTED_REASON, type DiscoveryBacktests } from '../../src/main/pipeline/discovery';
import { installPipeline, type InstalledPipeline } from '../../src/main/pipeline/installPipeline';
import type { DiscoveryProgress } from '../../src/shared/contract/pipeline';
import type { StrategyDefinition } from '../../src/main/engine/strategies/definition';
import { KeelError } from '../../src/shared/errors';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T12:00:00Z');
const journals = journalDatabases('keel-schedules-');

/** Bar loads wait until the test releases them; a released load fails, so the run ends failed at once. */
function heldBacktests() {
  const held: Array<() => void> = [];
  const backtests: DiscoveryBacktests = {
    optimize: () => ({ id: 'never' }),
    run: () => ({ id: 'never' }),
    settled: () => Promise.resolve(),
    cancel: () => undefined,
    get: () => {
      throw new KeelError('NOT_FOUND', 'not in this test');
    },
    loadBars: () => new Promise((_resolve, reject) => held.push(() => reject(new KeelError('NOT_FOUND', 'no bars in this test')))),
  };
  return {
    backtests,
    /** Loads under way. */
    get waiting() {
      return held.length;
    },
    release: () => {
      for (const fail of held.splice(0)) fail();
    },
  };
}

function session(db: JournalDatabase, clock: SimulatedClock, loads: ReturnType<typeof heldBacktests>, tag: string): InstalledPipeline {
  let n = 0;
  return installPipeline({
    engine: { latestReconciliation: () => null, listActivity: () => [], venueStatuses: () => [] },
    store: new SqlitePipelineStore(db),
    instances: noInstances,
    catalog: {
      get: (type: string): StrategyDefinition => {
        const found = BUILTIN_STRATEGIES.find((d) => d.type === type);
        if (!found) throw new KeelError('NOT_FOUND', `No strategy type "${type}"`);
        return found;
      },
    },
    backtests: loads.backtests,
    drawdownPct: () => Promise.resolve(null),
    publish: () => undefined,
    clock,
    newId: (prefix) => `${prefix}-${tag}${++n}`,
    log: silentLogger,
    refreshEveryMs: 1_000 * HOUR,
  });
}

const SPEC = {
  families: [{ type: 'sma-cross' }],
  markets: [{ venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' as const }],
  maxTrials: 3,
  candidates: 1,
  folds: 1,
  everyHours: 6,
};

async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function ofSchedule(discoveries: DiscoveryProgress[], scheduleId: string): DiscoveryProgress[] {
  return discoveries.filter((d) => d.scheduleId === scheduleId);
}

describe('discovery schedules across a restart', () => {
  it('survive, fire on the engine clock, never overlap, and a run Keel stopped during comes back failed', async () => {
    const journal = journals.onFile();
    // First run of Keel: a schedule every 6 hours; its first run is under way when Keel stops without a goodbye.
    const firstLoads = heldBacktests();
    const first = session(journal.db, new SimulatedClock(T0), firstLoads, 'a');
    const { jobId, scheduleId } = first.discovery.discover(SPEC);
    expect(scheduleId).toBeDefined();
    await settled();
    expect(firstLoads.waiting).toBe(1);
    expect(first.board.list().schedules).toMatchObject([{ id: scheduleId, nextRunAt: T0 + 6 * HOUR, lastJobId: jobId, lastRunAt: T0, lastSkipped: null }]);
    expect(first.board.list().discoveries).toMatchObject([{ jobId, status: 'running', scheduleId, startedAt: T0 }]);

    // Keel starts again eight hours later: the 6-hour run was missed and runs once, at once.
    const clock = new SimulatedClock(T0 + 8 * HOUR);
    const loads = heldBacktests();
    const second = session(journal.reopen(), clock, loads, 'b');
    const afterStart = second.board.list();
    expect(afterStart.schedules.map((s) => s.id)).toEqual([scheduleId]);
    expect(afterStart.discoveries).toMatchObject([{ jobId, status: 'failed', message: expect.stringContaining(INTERRUPTED_REASON) }]);
    await clock.advanceAndSettle(1);
    const runs = () => ofSchedule(second.board.list().discoveries, scheduleId!);
    expect(runs().map((d) => [d.status, d.startedAt])).toEqual([
      ['running', T0 + 8 * HOUR],
      ['failed', T0],
    ]);
    const secondJob = runs()[0]!.jobId;
    // It keeps its cadence: next at 12 h after the first start.
    expect(second.board.schedule(scheduleId!)).toMatchObject({ nextRunAt: T0 + 12 * HOUR, lastJobId: secondJob });

    // At 12 h its run is still going: the time is skipped, not a second run beside it.
    await clock.advanceAndSettle(T0 + 12 * HOUR - clock.now());
    expect(runs()).toHaveLength(2);
    expect(loads.waiting).toBe(1);
    expect(second.board.schedule(scheduleId!)).toMatchObject({ nextRunAt: T0 + 18 * HOUR, lastJobId: secondJob, lastSkipped: expect.stringContaining(secondJob) });

    // Once that run ends, the next time runs again.
    loads.release();
    await settled();
    expect(runs()[0]).toMatchObject({ jobId: secondJob, status: 'failed', message: expect.stringMatching(/no bars in this test/) });
    await clock.advanceAndSettle(T0 + 18 * HOUR - clock.now());
    expect(runs().map((d) => d.status)).toEqual(['running', 'failed', 'failed']);
    expect(second.board.schedule(scheduleId!)).toMatchObject({ nextRunAt: T0 + 24 * HOUR, lastRunAt: T0 + 18 * HOUR, lastSkipped: null });

    // Removed, it starts nothing more; an unknown schedule is NOT_FOUND and changes nothing.
    expect(() => second.discovery.removeSchedule('sched-none')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    second.discovery.removeSchedule(scheduleId!);
    expect(second.board.list().schedules).toEqual([]);
    loads.release();
    await clock.advanceAndSettle(48 * HOUR);
    expect(runs()).toHaveLength(3);
    await second.dispose();
    firstLoads.release();
  });

  it('stay kept when Keel stops cleanly, and a discovery run once makes no schedule', async () => {
    const journal = journals.onFile();
    const loads = heldBacktests();
    const first = session(journal.db, new SimulatedClock(T0), loads, 'a');
    const once = first.discovery.discover({ ...SPEC, everyHours: undefined });
    expect(once.scheduleId).toBeUndefined();
    const { scheduleId } = first.discovery.discover(SPEC);
    await settled();
    loads.release();
    await first.dispose();
    const ended = first.board.list().discoveries;
    expect(ended.map((d) => d.status)).toEqual(['failed', 'failed']);

    const clock = new SimulatedClock(T0 + HOUR);
    const secondLoads = heldBacktests();
    const second = session(journal.reopen(), clock, secondLoads, 'b');
    expect(second.board.list().schedules.map((s) => [s.id, s.nextRunAt])).toEqual([[scheduleId, T0 + 6 * HOUR]]);
    // The ended runs keep their own ending, not the restart's.
    expect(second.board.list().discoveries.map((d) => d.message)).toEqual(ended.map((d) => d.message));
    await clock.advanceAndSettle(5 * HOUR - 1);
    expect(ofSchedule(second.board.list().discoveries, scheduleId!)).toHaveLength(1);
    await clock.advanceAndSettle(1);
    expect(ofSchedule(second.board.list().discoveries, scheduleId!).map((d) => [d.status, d.startedAt])).toEqual([
      ['running', T0 + 6 * HOUR],
      ['failed', T0],
    ]);
    secondLoads.release();
    await second.dispose();
  });
});
