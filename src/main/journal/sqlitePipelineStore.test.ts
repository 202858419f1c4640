import { describe, expect, it } from 'vitest';
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { DEFAULT_GATE_SETTINGS, discoverySpecSchema, type DiscoveryProgress, type DiscoverySchedule } from '../../shared/contract/pipeline';
import { MemoryPipelineStore, type PipelineStore } from '../pipeline/pipelineStore';
import { testCard, testMove } from '../pipeline/testCards';
import { openJournalDatabase } from './database';
import { MIGRATIONS, migrate, schemaVersion } from './migrations';
import { SqlitePipelineStore } from './sqlitePipelineStore';
import Database from 'better-sqlite3';

const journals = journalDatabases('keel-pipeline-');

const schedule = (id: string, createdAt: number, overrides: Partial<DiscoverySchedule> = {}): DiscoverySchedule => ({
  id,
  label: 'SMA cross on paper BTC/USDT:USDT 1h',
  spec: discoverySpecSchema.parse({ families: [{ type: 'sma-cross' }], markets: [{ venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' }], everyHours: 6 }),
  createdAt,
  nextRunAt: createdAt + 6 * 3_600_000,
  lastJobId: null,
  lastRunAt: null,
  lastSkipped: null,
  ...overrides,
});

const progress = (jobId: string, status: DiscoveryProgress['status'] = 'running', done = 0): DiscoveryProgress => ({
  jobId,
  status,
  done,
  total: 4,
  kept: 0,
  message: status,
  scheduleId: null,
  startedAt: 1_000,
});

describe.each([
  ['memory', () => new MemoryPipelineStore()],
  ['SQLite', () => new SqlitePipelineStore(openJournalDatabase(':memory:'))],
] as Array<[string, () => PipelineStore]>)('the %s pipeline store', (_name, make) => {
  it('keeps cards and replaces one by its id', () => {
    const store = make();
    store.saveCard(testCard('a'));
    store.saveCard(testCard('b', { createdAt: 2_000 }));
    store.saveCard(testCard('a', { column: 'paper', instanceId: 's-1', venue: 'paper', updatedAt: 3_000 }));
    expect(store.cards().map((c) => [c.id, c.column])).toEqual([
      ['a', 'paper'],
      ['b', 'discovery'],
    ]);
    expect(store.card('a')).toEqual(testCard('a', { column: 'paper', instanceId: 's-1', venue: 'paper', updatedAt: 3_000 }));
    expect(store.card('nope')).toBeNull();
  });

  it('lists moves newest first, per card, and refuses a repeated id', () => {
    const store = make();
    store.addMove(testMove('m1', 'a', 1_000, { kind: 'created', from: null, to: 'discovery' }));
    store.addMove(testMove('m2', 'a', 2_000));
    store.addMove(testMove('m3', 'b', 2_000, { kind: 'created', from: null, to: 'discovery' }));
    expect(store.moves(10).map((m) => m.id)).toEqual(['m3', 'm2', 'm1']);
    expect(store.moves(1).map((m) => m.id)).toEqual(['m3']);
    expect(store.moves(10, 'a').map((m) => m.id)).toEqual(['m2', 'm1']);
    expect(store.moves(10, 'a')[0]).toEqual(testMove('m2', 'a', 2_000));
    expect(() => store.addMove(testMove('m2', 'a', 3_000))).toThrow();
  });

  it('keeps the gate settings once set', () => {
    const store = make();
    expect(store.gates()).toBeNull();
    store.saveGates({ ...DEFAULT_GATE_SETTINGS, autoPromote: true });
    store.saveGates({ ...DEFAULT_GATE_SETTINGS, liveSizeFactor: 0.1 });
    expect(store.gates()).toEqual({ ...DEFAULT_GATE_SETTINGS, liveSizeFactor: 0.1 });
  });

  it('keeps discovery schedules oldest first, replaces one by its id, and removes one', () => {
    const store = make();
    store.saveSchedule(schedule('s2', 2_000));
    store.saveSchedule(schedule('s1', 1_000));
    store.saveSchedule(schedule('s2', 2_000, { lastJobId: 'disc-9', lastRunAt: 5_000, nextRunAt: 9_000 }));
    expect(store.schedules()).toEqual([schedule('s1', 1_000), schedule('s2', 2_000, { lastJobId: 'disc-9', lastRunAt: 5_000, nextRunAt: 9_000 })]);
    expect(store.removeSchedule('s1')).toBe(true);
    expect(store.removeSchedule('s1')).toBe(false);
    expect(store.schedules().map((s) => s.id)).toEqual(['s2']);
  });

  it('keeps discoveries newest started first, each in its place when saved again, and prunes only ended ones', () => {
    const store = make();
    store.saveDiscovery(progress('d1'));
    store.saveDiscovery(progress('d2'));
    store.saveDiscovery(progress('d3'));
    store.saveDiscovery(progress('d1', 'done', 4));
    expect(store.discoveries(10).map((d) => [d.jobId, d.status])).toEqual([
      ['d3', 'running'],
      ['d2', 'running'],
      ['d1', 'done'],
    ]);
    expect(store.discoveries(10)[2]).toEqual(progress('d1', 'done', 4));
    expect(store.runningDiscoveries().map((d) => d.jobId)).toEqual(['d2', 'd3']);
    store.saveDiscovery(progress('d2', 'failed'));
    store.saveDiscovery(progress('d4', 'done'));
    store.pruneDiscoveries(1);
    // d4 is the newest ended; d3 runs and stays whatever the limit.
    expect(store.discoveries(10).map((d) => d.jobId)).toEqual(['d4', 'd3']);
    expect(store.discoveries(1).map((d) => d.jobId)).toEqual(['d4']);
  });
});

describe('migration 20', () => {
  it('adds the pipeline tables on top of the journal before it', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 20);
    migrate(db, before);
    const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'pipeline_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables()).toEqual([]);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 20));
    expect(schemaVersion(db)).toBe(20);
    expect(tables()).toEqual(['pipeline_cards', 'pipeline_gates', 'pipeline_moves']);
    // One row of gate settings, and a card's column is one of the three.
    db.prepare("INSERT INTO pipeline_gates (id, body) VALUES (1, '{}')").run();
    expect(() => db.prepare("INSERT INTO pipeline_gates (id, body) VALUES (2, '{}')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO pipeline_cards (id, column_name, created_at, updated_at, body) VALUES ('x', 'attic', 0, 0, '{}')").run()).toThrow(/CHECK/);
  });

  it('migration 21 adds the schedules and discoveries on top of 20, keeping the board', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 20));
    const card = testCard('before');
    db.prepare('INSERT INTO pipeline_cards (id, column_name, created_at, updated_at, body) VALUES (?, ?, ?, ?, ?)').run(card.id, card.column, card.createdAt, card.updatedAt, JSON.stringify(card));
    expect(() => db.prepare('SELECT count(*) FROM pipeline_schedules').get()).toThrow(/no such table/);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 21));
    expect(schemaVersion(db)).toBe(21);
    const store = new SqlitePipelineStore(db);
    expect(store.card('before')).toEqual(testCard('before'));
    expect(store.schedules()).toEqual([]);
    expect(store.discoveries(10)).toEqual([]);
    // A discovery's status is one of three.
    expect(() => db.prepare("INSERT INTO pipeline_discoveries (job_id, status, body) VALUES ('x', 'paused', '{}')").run()).toThrow(/CHECK/);
  });

  it('keeps the board across a restart', () => {
    const journal = journals.onFile();
    new SqlitePipelineStore(journal.db).saveCard(testCard('kept', { column: 'live', venue: 'binance', sizeFactor: 0.25 }));
    new SqlitePipelineStore(journal.db).addMove(testMove('m', 'kept', 5_000, { to: 'live', from: 'paper' }));
    const reopened = new SqlitePipelineStore(journal.reopen());
    expect(reopened.card('kept')).toEqual(testCard('kept', { column: 'live', venue: 'binance', sizeFactor: 0.25 }));
    expect(reopened.moves(5).map((m) => m.id)).toEqual(['m']);
  });

  it('keeps schedules and discoveries across a restart', () => {
    const journal = journals.onFile();
    const store = new SqlitePipelineStore(journal.db);
    store.saveSchedule(schedule('s1', 1_000, { lastJobId: 'd1', lastRunAt: 1_000 }));
    store.saveDiscovery(progress('d1', 'running', 2));
    const reopened = new SqlitePipelineStore(journal.reopen());
    expect(reopened.schedules()).toEqual([schedule('s1', 1_000, { lastJobId: 'd1', lastRunAt: 1_000 })]);
    expect(reopened.runningDiscoveries()).toEqual([progress('d1', 'running', 2)]);
  });
});
