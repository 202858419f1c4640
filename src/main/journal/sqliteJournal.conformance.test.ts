/** The SQLite journal against the EngineJournal conformance suite; it is the reference the suite was written from. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { journalConformance } from '../../../tests/support/journalConformance';
import { openJournalDatabase, type JournalDatabase } from './database';
import { SqliteJournal } from './sqliteJournal';

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

journalConformance(
  'SqliteJournal',
  () => new SqliteJournal(openFile(':memory:')),
  {
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'keel-journal-'));
      dirs.push(dir);
      const file = join(dir, 'keel.sqlite');
      let db = openFile(file);
      return {
        journal: new SqliteJournal(db),
        reopen: () => {
          db.close();
          db = openFile(file);
          return new SqliteJournal(db);
        },
      };
    },
  },
);
