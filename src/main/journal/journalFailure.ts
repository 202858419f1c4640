/**
 * Tells a failing journal apart from every other error. When the journal
 * cannot be written (disk full, I/O error, the file gone read-only or
 * corrupt), nothing Keel does can be recorded any more, so trading must stop
 * (fail closed) rather than carry on unrecorded. Any other error is only
 * logged: nothing that arrives over the network may stop trading.
 */
const JOURNAL_FAILURE_CODES = /^SQLITE_(IOERR|FULL|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL)/;

export function isJournalFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && JOURNAL_FAILURE_CODES.test(code);
}

export function describeJournalFailure(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return `${code ?? 'SQLITE_ERROR'}: ${(message ?? String(error)).slice(0, 200)}`;
}
