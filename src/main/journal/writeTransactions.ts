import type Database from 'better-sqlite3';

/**
 * A runner for write transactions on `db`: each takes SQLite's write lock at
 * BEGIN (IMMEDIATE); inside one already open it is a savepoint, so callers
 * may compose them.
 *
 * Why not the default (DEFERRED): a deferred transaction takes the write lock
 * at its first write. If it has read before, and another connection holds the
 * write lock just then (the checkpointer's RESTART or TRUNCATE, a sqlite3
 * shell), SQLite answers SQLITE_BUSY at once instead of waiting on
 * busy_timeout, because waiting while holding a read could deadlock. The
 * engine would fail closed and block the venue over a lock held for
 * milliseconds. An IMMEDIATE transaction waits for the lock at BEGIN, holding
 * nothing, so busy_timeout applies.
 */
export function writeTransactions(db: Database.Database): <T>(fn: () => T) => T {
  // eslint-disable-next-line no-restricted-syntax -- the one place that opens transactions
  const transaction = db.transaction((fn: () => unknown) => fn());
  return <T>(fn: () => T): T => transaction.immediate(fn) as T;
}
