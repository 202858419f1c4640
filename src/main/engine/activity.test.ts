import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../shared/domain';
import { FakeVenue } from '../../../tests/support/fakeVenue';
import { openJournalDatabase, type JournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { ActivityLog, ActivityPruner, DENIAL_WINDOW_MS, MAX_FIELD_CHARS, MAX_OPEN_DENIAL_KINDS, type RetentionPolicy } from './activity';
import { EventBus } from './bus';
import { SimulatedClock, type Clock } from './ports/clock';
import { Engine } from './engine';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const KEY = 'api|RISK_REJECTED|maxOrdersPerSecond|paper';
const MESSAGE = 'Order denied: order rate limit reached (maxOrdersPerSecond 20)';

const dirs: string[] = [];
const databases: JournalDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileDatabase(): { db: JournalDatabase; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-activity-'));
  dirs.push(dir);
  const file = join(dir, 'keel.sqlite');
  const db = openJournalDatabase(file);
  databases.push(db);
  return { db, file };
}

function setup(clock: Clock = new SimulatedClock(T0), db: JournalDatabase = openJournalDatabase(':memory:')) {
  const journal = new SqliteJournal(db);
  const bus = new EventBus();
  const published: Activity[] = [];
  bus.subscribe((topic, payload) => {
    if (topic === 'activity.new') published.push(payload as Activity);
  });
  return { journal, bus, published, log: new ActivityLog(journal, bus, clock), db };
}

/** Journal rows, oldest first. */
function rows(journal: SqliteJournal): Activity[] {
  return journal.listActivity(1_000_000).reverse();
}

describe('ActivityLog.recordDenial', () => {
  it('writes the first refusal at once and folds the rest of the second into one counted entry', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log, published } = setup(clock);
    for (let i = 0; i < 1_000; i += 1) {
      log.recordDenial(KEY, 'warning', 'risk', MESSAGE, { code: 'RISK_REJECTED', limit: 'maxOrdersPerSecond' });
      if (i === 0) expect(rows(journal)).toHaveLength(1); // a single refusal is visible immediately
      if (i < 999) clock.advanceBy(1); // 1,000 refusals between T0 and T0 + 999 ms
    }
    expect(rows(journal)).toHaveLength(1);
    clock.advanceTo(T0 + DENIAL_WINDOW_MS);
    const [first, summary] = rows(journal);
    expect(rows(journal)).toHaveLength(2);
    expect(first!.message).toBe(MESSAGE);
    expect(first!.timestamp).toBe(T0);
    expect(summary!.message).toBe(`${MESSAGE} (repeated 999 more times in the last second)`);
    expect(summary!.data).toMatchObject({ count: 999, firstId: first!.id, code: 'RISK_REJECTED' });
    expect(summary!.level).toBe('warning');
    expect(summary!.category).toBe('risk');
    // The feed sees exactly what the journal holds.
    expect(published.map((a) => a.id)).toEqual([first!.id, summary!.id]);
  });

  it('writes nothing more when a refusal was not repeated', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    expect(log.recordDenial(KEY, 'warning', 'risk', MESSAGE)).toBeDefined();
    clock.advanceBy(5 * DENIAL_WINDOW_MS);
    expect(rows(journal).map((a) => a.message)).toEqual([MESSAGE]);
  });

  it('says "time" for a single repeat', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    expect(log.recordDenial(KEY, 'warning', 'risk', MESSAGE)).toBeUndefined();
    clock.advanceBy(DENIAL_WINDOW_MS);
    expect(rows(journal)[1]!.message).toBe(`${MESSAGE} (repeated 1 more time in the last second)`);
    expect(rows(journal)[1]!.data).toMatchObject({ count: 1 });
  });

  it('does not merge different kinds', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    const other = 'api|INSUFFICIENT_MARGIN||paper';
    for (let i = 0; i < 10; i += 1) {
      log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
      log.recordDenial(other, 'warning', 'order', 'Order denied: insufficient margin');
      clock.advanceBy(10);
    }
    clock.advanceBy(DENIAL_WINDOW_MS);
    expect(rows(journal).map((a) => [a.message, (a.data as { count?: number } | undefined)?.count])).toEqual([
      [MESSAGE, undefined],
      ['Order denied: insufficient margin', undefined],
      [`${MESSAGE} (repeated 9 more times in the last second)`, 9],
      ['Order denied: insufficient margin (repeated 9 more times in the last second)', 9],
    ]);
  });

  it('starts a new entry in the next second', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    clock.advanceBy(500);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    clock.advanceBy(500); // the window of T0 closes here
    expect(log.recordDenial(KEY, 'warning', 'risk', MESSAGE)).toBeDefined();
    clock.advanceBy(400);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    clock.advanceBy(600);
    const all = rows(journal);
    expect(all.map((a) => [a.timestamp - T0, a.message])).toEqual([
      [0, MESSAGE],
      [1_000, `${MESSAGE} (repeated 1 more time in the last second)`],
      [1_000, MESSAGE],
      [2_000, `${MESSAGE} (repeated 2 more times in the last second)`],
    ]);
  });

  it('closes a window on time even when its timer has not fired (a busy event loop)', () => {
    let now = T0;
    const lateClock: Clock = { now: () => now, after: () => ({ cancel: () => undefined }), every: () => ({ cancel: () => undefined }) };
    const { journal, log } = setup(lateClock);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    now = T0 + DENIAL_WINDOW_MS;
    expect(log.recordDenial(KEY, 'warning', 'risk', MESSAGE)).toBeDefined();
    expect(rows(journal).map((a) => a.message)).toEqual([MESSAGE, `${MESSAGE} (repeated 1 more time in the last second)`, MESSAGE]);
  });

  it('writes the counts still open on flush (shutdown), once', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    for (let i = 0; i < 5; i += 1) log.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    log.flush();
    expect(rows(journal).map((a) => a.message)).toEqual([MESSAGE, `${MESSAGE} (repeated 4 more times in the last second)`]);
    clock.advanceBy(10 * DENIAL_WINDOW_MS); // the cancelled timer writes nothing more
    log.flush();
    expect(rows(journal)).toHaveLength(2);
  });

  it('cuts every string it journals to a bounded length', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log, db } = setup(clock);
    const huge = '9'.repeat(900_000);
    for (let i = 0; i < 3; i += 1) {
      log.recordDenial(`api|RISK_REJECTED|maxOrderNotional|paper|${huge}`, 'warning', 'risk', `Order denied: notional ${huge} is above the limit`, {
        quantity: huge,
        nested: { list: Array.from({ length: 500 }, () => huge) },
      });
    }
    clock.advanceBy(DENIAL_WINDOW_MS);
    const all = rows(journal);
    expect(all).toHaveLength(2);
    for (const entry of all) {
      expect(entry.message.length).toBeLessThan(MAX_FIELD_CHARS + 80);
      const data = entry.data as { quantity: string; nested: { list: string[] } };
      expect(data.quantity.length).toBeLessThan(MAX_FIELD_CHARS + 30);
      expect(data.quantity).toMatch(/… \(900000 chars\)$/);
      expect(data.nested.list.length).toBeLessThanOrEqual(21);
    }
    const bytes = db.prepare('SELECT SUM(LENGTH(message) + LENGTH(data)) AS n FROM activity').get() as { n: number };
    expect(bytes.n).toBeLessThan(20_000);
  });

  it('keeps the bound when every refusal carries a different key', () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    for (let i = 0; i < 1_000; i += 1) log.recordDenial(`api|NOT_FOUND||venue-${i}`, 'warning', 'order', `Order denied: no venue venue-${i}`);
    expect(rows(journal)).toHaveLength(MAX_OPEN_DENIAL_KINDS + 1);
    clock.advanceBy(DENIAL_WINDOW_MS);
    const all = rows(journal);
    expect(all).toHaveLength(MAX_OPEN_DENIAL_KINDS + 2);
    const overflow = all.at(-1)!;
    expect(overflow.message).toBe(`Refused ${1_000 - MAX_OPEN_DENIAL_KINDS - 1} more times in the last second, for other reasons (too many kinds to list each).`);
    expect(overflow.data).toMatchObject({ count: 1_000 - MAX_OPEN_DENIAL_KINDS - 1, kinds: 1_000 - MAX_OPEN_DENIAL_KINDS });
  });
});

/** Appends `count` rows, one a minute, ending at `endAt`. */
function fill(journal: SqliteJournal, db: JournalDatabase, count: number, endAt: number): void {
  const insert = () => {
    for (let i = 0; i < count; i += 1) {
      journal.appendActivity({ timestamp: endAt - (count - 1 - i) * 60_000, level: 'info', category: 'system', message: `row ${i}` });
    }
  };
  db.transaction(insert)();
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function pruner(journal: SqliteJournal, log: ActivityLog, clock: Clock, policy: RetentionPolicy, yields: { n: number }) {
  return new ActivityPruner(journal, log, clock, () => policy, {
    batchSize: 5_000,
    yieldToEventLoop: async () => {
      yields.n += 1;
    },
  });
}

describe('ActivityPruner', () => {
  it('deletes rows older than the retention days, in batches, and says so once', async () => {
    const clock = new SimulatedClock(T0);
    const { db } = fileDatabase();
    const { journal, log } = setup(clock, db);
    // 12,000 rows a minute apart, ending now: all but the newest 1,441 are stamped before T0 - 1 day.
    fill(journal, db, 12_000, T0);
    const yields = { n: 0 };
    const deleted = await pruner(journal, log, clock, { days: 1, rows: 1_000_000 }, yields).runNow();
    expect(deleted).toBe(10_559);
    const all = rows(journal);
    expect(all[0]!.timestamp).toBe(T0 - DAY);
    expect(all.filter((a) => a.timestamp < T0 - DAY)).toEqual([]);
    expect(yields.n).toBe(2); // 5,000 + 5,000 + 559: the writer was let go between batches
    const note = all.at(-1)!;
    expect(note.message).toBe(`Activity log pruned: ${deleted} entries older than 1 days or beyond the newest 1000000.`);
    expect(note.data).toEqual({ deleted, retentionDays: 1, retentionRows: 1_000_000 });
  });

  it('keeps only the newest N rows', async () => {
    const clock = new SimulatedClock(T0);
    const { db } = fileDatabase();
    const { journal, log } = setup(clock, db);
    fill(journal, db, 12_345, T0);
    const newest = journal.listActivity(1_000).map((a) => a.id);
    const yields = { n: 0 };
    expect(await pruner(journal, log, clock, { days: 3650, rows: 1_000 }, yields).runNow()).toBe(11_345);
    expect(yields.n).toBe(2);
    const kept = journal.listActivity(1_000_000);
    expect(kept).toHaveLength(1_001); // the newest 1,000 and the line that says what was pruned
    expect(kept.slice(1).map((a) => a.id)).toEqual(newest);
    expect(kept[0]!.message).toMatch(/^Activity log pruned: 11345 entries/);
  });

  it('writes nothing when nothing was due', async () => {
    const clock = new SimulatedClock(T0);
    const { db } = fileDatabase();
    const { journal, log, published } = setup(clock, db);
    fill(journal, db, 100, T0);
    expect(await pruner(journal, log, clock, { days: 90, rows: 1_000 }, { n: 0 }).runNow()).toBe(0);
    expect(journal.listActivity(1_000)).toHaveLength(100);
    expect(published).toEqual([]);
  });

  it('runs on start and then on its interval, and stops cleanly', async () => {
    const clock = new SimulatedClock(T0);
    const { journal, log } = setup(clock);
    journal.appendActivity({ timestamp: T0 - 2 * DAY, level: 'info', category: 'system', message: 'old' });
    const p = new ActivityPruner(journal, log, clock, () => ({ days: 1, rows: 1_000 }), { intervalMs: 3_600_000 });
    p.start();
    await settle();
    expect(rows(journal).map((a) => a.message)).toEqual([expect.stringMatching(/^Activity log pruned: 1 entry older than 1 days/)]);
    journal.appendActivity({ timestamp: T0 - 2 * DAY, level: 'info', category: 'system', message: 'older' });
    clock.advanceBy(3_599_999);
    await settle();
    expect(rows(journal).map((a) => a.message)).toContain('older');
    clock.advanceBy(1);
    await settle();
    expect(rows(journal).map((a) => a.message)).not.toContain('older');
    expect(rows(journal)).toHaveLength(2);
    await p.stop();
    journal.appendActivity({ timestamp: T0 - 2 * DAY, level: 'info', category: 'system', message: 'old again' });
    clock.advanceBy(10 * 3_600_000);
    await settle();
    expect(rows(journal).map((a) => a.message)).toContain('old again');
  });

  it('finishes the batch in hand and no more when stopped mid-run', async () => {
    const clock = new SimulatedClock(T0);
    const { journal, log, db } = setup(clock);
    fill(journal, db, 20_000, T0);
    let release: () => void = () => undefined;
    const p = new ActivityPruner(journal, log, clock, () => ({ days: 3650, rows: 1_000 }), {
      batchSize: 5_000,
      yieldToEventLoop: () => new Promise<void>((resolve) => (release = resolve)),
    });
    const run = p.runNow();
    expect(journal.listActivity(1_000_000)).toHaveLength(15_000); // one batch, then it yields
    const stopped = p.stop();
    release();
    await stopped;
    expect(await run).toBe(5_000);
    expect(journal.listActivity(1_000_000)).toHaveLength(15_001);
  });
});

describe('Engine activity retention', () => {
  async function engineOn(db: JournalDatabase, clock: SimulatedClock) {
    const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [new FakeVenue()] });
    await engine.start();
    await settle();
    return engine;
  }

  it('keeps the retention settings across restarts and prunes on start, hourly and when they are lowered', async () => {
    const clock = new SimulatedClock(T0);
    const { db, file } = fileDatabase();
    const journal = new SqliteJournal(db);
    fill(journal, db, 3_000, T0 - 100 * DAY);
    fill(journal, db, 3_000, T0);
    let engine = await engineOn(db, clock);
    const started = engine.listActivity(10_000);
    expect(started.filter((a) => a.message.startsWith('row '))).toHaveLength(3_000);
    expect(started.some((a) => a.message.startsWith('Activity log pruned: 3000 entries older than 90 days'))).toBe(true);

    engine.updateSettings({ activityRetentionRows: 1_000 });
    await settle();
    expect(engine.listActivity(10_000).length).toBeLessThanOrEqual(1_002);
    await engine.stop();
    db.close();
    databases.splice(databases.indexOf(db), 1);

    const reopened = openJournalDatabase(file);
    databases.push(reopened);
    engine = await engineOn(reopened, clock);
    expect(engine.settings()).toMatchObject({ activityRetentionDays: 90, activityRetentionRows: 1_000 });
    fill(new SqliteJournal(reopened), reopened, 2_000, clock.now());
    clock.advanceBy(3_600_000);
    await settle();
    expect(engine.listActivity(10_000).length).toBeLessThanOrEqual(1_001);
    await engine.stop();
  });

  it('writes open refusal counts when it stops', async () => {
    const clock = new SimulatedClock(T0);
    const engine = await engineOn(openJournalDatabase(':memory:'), clock);
    for (let i = 0; i < 3; i += 1) engine.activity.recordDenial(KEY, 'warning', 'risk', MESSAGE);
    await engine.stop();
    expect(engine.listActivity(1)[0]!.message).toBe(`${MESSAGE} (repeated 2 more times in the last second)`);
  });
});
