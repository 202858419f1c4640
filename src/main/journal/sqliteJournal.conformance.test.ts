/** The SQLite journal against the EngineJournal conformance suite; it is the reference the suite was written from. */
import { afterEach } from 'vitest';
import { journalConformance } from '../../../tests/support/journalConformance';
import { openJournalDatabase, type JournalDatabase } from './database';
import { SqliteJournal } from './sqliteJournal';

const open: JournalDatabase[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

journalConformance('SqliteJournal', () => {
  const db = openJournalDatabase(':memory:');
  open.push(db);
  return new SqliteJournal(db);
});
