/**
 * The SQLite training job store: the shared conformance suite (in memory and
 * on a file closed and opened again), then what only it can show: its rows
 * stay bounded in the table itself, and damage is reported, not handed on.
 */
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { describe, expect, it } from 'vitest';
import { finishedJob, jobView, trainingJobStoreConformance } from '../../../tests/support/trainingJobStoreConformance';
import { SqliteTrainingJobStore } from './sqliteTrainingJobStore';

const { openFile, onFile, count } = journalDatabases('keel-jobs-');

trainingJobStoreConformance('SqliteTrainingJobStore', (keep) => new SqliteTrainingJobStore(openFile(':memory:'), keep), {
  open: (keep) => {
    const file = onFile();
    return {
      store: new SqliteTrainingJobStore(file.db, keep),
      reopen: (again) => new SqliteTrainingJobStore(file.reopen(), again),
    };
  },
});

describe('SqliteTrainingJobStore on the journal database', () => {
  it('keeps the table itself bounded: old finished rows are deleted, not hidden', () => {
    const db = openFile(':memory:');
    const store = new SqliteTrainingJobStore(db, 10);
    for (let i = 0; i < 50; i++) store.save(finishedJob(`f${i}`, 1_000 + i));
    store.save(jobView('live', { startedAt: 0 }));
    expect(count(db, 'training_jobs')).toBe(11);
  });

  it('reports a damaged row instead of answering it', () => {
    const db = openFile(':memory:');
    const store = new SqliteTrainingJobStore(db);
    db.prepare("INSERT INTO training_jobs (id, status, started_at, body) VALUES ('x', 'done', 1, '{\"id\":\"x\"}')").run();
    expect(() => store.list()).toThrow(/Unreadable training job in the journal/);
  });
});
