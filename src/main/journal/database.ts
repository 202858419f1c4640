/**
 * Opens the journal database with the settings Keel relies on, and checks
 * that they took effect: WAL (readers never block the single writer) and
 * synchronous=NORMAL (in WAL, a committed transaction survives a crash of the
 * app; only a power loss can roll back the last few). foreign_keys on.
 * Checkpoints can be moved off the committing thread (see checkpointer.ts).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type JournalDatabase = Database.Database;

export const JOURNAL_FILE = 'keel.sqlite';

export interface OpenOptions {
  /** Leave checkpoints to a WalCheckpointer instead of the committing thread. */
  externalCheckpoints?: boolean;
}

export function openJournalDatabase(file: string, options: OpenOptions = {}): JournalDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (options.externalCheckpoints) db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  checkPragmas(db, file === ':memory:');
  migrate(db);
  return db;
}

function checkPragmas(db: JournalDatabase, inMemory: boolean): void {
  const mode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  // An in-memory database cannot use WAL; SQLite reports "memory" and that is fine for tests.
  if (!inMemory && mode !== 'wal') throw new Error(`Journal must run in WAL mode, SQLite reports "${mode}"`);
  const synchronous = Number(db.pragma('synchronous', { simple: true }));
  if (synchronous !== 1) throw new Error(`Journal must run with synchronous=NORMAL (1), SQLite reports ${synchronous}`);
}
