import { describe, expect, it } from 'vitest';
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { DEFAULT_GATE_SETTINGS } from '../../shared/contract/pipeline';
import { MemoryPipelineStore, type PipelineStore } from '../pipeline/pipelineStore';
import { testCard, testMove } from '../pipeline/testCards';
import { openJournalDatabase } from './database';
import { MIGRATIONS, migrate, schemaVersion } from './migrations';
import { SqlitePipelineStore } from './sqlitePipelineStore';
import Database from 'better-sqlite3';

const journals = journalDatabases('keel-pipeline-');

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

  it('keeps the board across a restart', () => {
    const journal = journals.onFile();
    new SqlitePipelineStore(journal.db).saveCard(testCard('kept', { column: 'live', venue: 'binance', sizeFactor: 0.25 }));
    new SqlitePipelineStore(journal.db).addMove(testMove('m', 'kept', 5_000, { to: 'live', from: 'paper' }));
    const reopened = new SqlitePipelineStore(journal.reopen());
    expect(reopened.card('kept')).toEqual(testCard('kept', { column: 'live', venue: 'binance', sizeFactor: 0.25 }));
    expect(reopened.moves(5).map((m) => m.id)).toEqual(['m']);
  });
});
