/**
 * The SQLite training job store: the shared conformance suite (in memory and
 * on a file closed and opened again), then what only it can show: its rows
 * stay bounded in the table itself, and damage is reported, not handed on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finishedJob, jobView, trainingJobStoreConformance } from '../../../tests/support/trainingJobStoreConformance';
import { openJournalDatabase, type JournalDatabase } from './database';
import { SqliteTrainingJobStore } from './sqliteTrainingJobStore';

const open: JournalDatabase[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openFile(file: string): JournalDatabase {
  const db = openJournalDatabase(file);
  open.push(db);
  return db;
}

trainingJobStoreConformance('SqliteTrainingJobStore', (keep) => new SqliteTrainingJobStore(openFile(':memory:'), keep), {
  open: (keep) => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-jobs-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    let db = openFile(file);
    return {
      store: new SqliteTrainingJobStore(db, keep),
      reopen: (again) => {
        db.close();
        db = openFile(file);
        return new SqliteTrainingJobStore(db, again);
      },
    };
  },
});

describe('SqliteTrainingJobStore on the journal database', () => {
  it('keeps the table itself bounded: old finished rows are deleted, not hidden', () => {
    const db = openFile(':memory:');
    const store = new SqliteTrainingJobStore(db, 10);
    for (let i = 0; i < 50; i++) store.save(finishedJob(`f${i}`, 1_000 + i));
    store.save(jobView('live', { startedAt: 0 }));
    expect((db.prepare('SELECT count(*) AS n FROM training_jobs').get() as { n: number }).n).toBe(11);
  });

  it('reports a damaged row instead of answering it', () => {
    const db = openFile(':memory:');
    const store = new SqliteTrainingJobStore(db);
    db.prepare("INSERT INTO training_jobs (id, status, started_at, body) VALUES ('x', 'done', 1, '{\"id\":\"x\"}')").run();
    expect(() => store.list()).toThrow(/Unreadable training job in the journal/);
  });
});
