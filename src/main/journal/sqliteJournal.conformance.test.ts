/** The SQLite journal against the EngineJournal conformance suite; it is the reference the suite was written from. */
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { journalConformance } from '../../../tests/support/journalConformance';
import { SqliteJournal } from './sqliteJournal';

const { openFile, onFile } = journalDatabases('keel-journal-');

journalConformance(
  'SqliteJournal',
  () => new SqliteJournal(openFile(':memory:')),
  {
    open: () => {
      const file = onFile();
      return { journal: new SqliteJournal(file.db), reopen: () => new SqliteJournal(file.reopen()) };
    },
  },
);
