/**
 * Journal databases for the SQLite store tests: in memory, or on a file in a
 * folder of its own that can be closed and opened again (what a restart
 * does). Every database opened is closed, and every folder removed, after
 * each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openJournalDatabase, type JournalDatabase } from '../../src/main/journal/database';

export interface JournalFile {
  db: JournalDatabase;
  /** Closes the database and opens the same file again: answers the new connection. */
  reopen(): JournalDatabase;
}

export function journalDatabases(folderPrefix: string) {
  const open: JournalDatabase[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const openFile = (file: string): JournalDatabase => {
    const db = openJournalDatabase(file);
    open.push(db);
    return db;
  };
  return {
    openFile,
    /** A journal on a new file. */
    onFile(): JournalFile {
      const dir = mkdtempSync(join(tmpdir(), folderPrefix));
      dirs.push(dir);
      const file = join(dir, 'keel.sqlite');
      const journal: JournalFile = {
        db: openFile(file),
        reopen: () => {
          journal.db.close();
          journal.db = openFile(file);
          return journal.db;
        },
      };
      return journal;
    },
    /** Rows in a table. */
    count(db: JournalDatabase, table: string): number {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
  };
}
