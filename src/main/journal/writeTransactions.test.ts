import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDatabase, type JournalDatabase } from './database';
import { SqliteJournal } from './sqliteJournal';
import { writeTransactions } from './writeTransactions';

const HOLD_MS = 300;

/**
 * Another connection, on another thread, that takes the write lock and holds
 * it for `HOLD_MS`: what the checkpointer's RESTART or TRUNCATE does. Resolves
 * once the lock is held; `released` resolves when it is let go.
 */
async function holdWriteLock(file: string): Promise<{ released: Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('released');`,
    { eval: true, workerData: { driver, file, holdMs: HOLD_MS } },
  );
  let released!: () => void;
  const done = new Promise<void>((resolve) => (released = resolve));
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => (message === 'locked' ? resolve() : released()));
    worker.once('error', reject);
  });
  return { released: done.then(() => worker.terminate()).then(() => undefined) };
}

const dirs: string[] = [];
const dbs: JournalDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openJournal(): { file: string; db: JournalDatabase } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-write-'));
  dirs.push(dir);
  const file = join(dir, 'keel.sqlite');
  const db = openJournalDatabase(file);
  dbs.push(db);
  return { file, db };
}

describe('writeTransactions', () => {
  it('waits for another connection’s write lock where a deferred transaction that read first fails at once', async () => {
    const { file, db } = openJournal();
    const readThenWrite = (): void => {
      db.prepare('SELECT COUNT(*) FROM settings').get();
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`k${Date.now()}${Math.random()}`, '1');
    };

    // What the journal did before: SQLite refuses the upgrade from read to write without waiting.
    const lock = await holdWriteLock(file);
    const started = performance.now();
    expect(() => db.transaction(readThenWrite)()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }) as Error);
    expect(performance.now() - started).toBeLessThan(HOLD_MS / 2);
    await lock.released;

    const again = await holdWriteLock(file);
    const waited = performance.now();
    writeTransactions(db)(readThenWrite);
    expect(performance.now() - waited).toBeGreaterThanOrEqual(HOLD_MS / 2);
    await again.released;
    expect(db.prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual({ n: 1 });
  });

  it('nests inside an open transaction as a savepoint: an inner failure rolls back only the inner part', () => {
    const { db } = openJournal();
    const write = writeTransactions(db);
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    write(() => {
      insert.run('outer', '1');
      expect(() =>
        write(() => {
          insert.run('inner', '1');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
    });
    expect(db.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([{ key: 'outer' }]);
  });

  it('is what the engine’s journal commits with: a read-then-write waits out a checkpoint instead of failing', async () => {
    const { file, db } = openJournal();
    const journal = new SqliteJournal(db, { onWrite: () => undefined });
    const lock = await holdWriteLock(file);
    journal.transaction(() => {
      journal.loadSettings();
      journal.appendActivity({ timestamp: 1, level: 'info', category: 'system', message: 'written while the checkpointer held the lock' });
    });
    await lock.released;
    expect(journal.listActivity(10).map((a) => a.message)).toEqual(['written while the checkpointer held the lock']);
  });
});
