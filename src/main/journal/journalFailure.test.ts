import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeJournalFailure, isJournalFailure } from './journalFailure';

describe('isJournalFailure', () => {
  it('recognises SQLite errors that mean the journal cannot be written', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    db.pragma('query_only = ON');
    let readonly: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (1)').run();
    } catch (error) {
      readonly = error;
    }
    expect(isJournalFailure(readonly)).toBe(true);
    expect(describeJournalFailure(readonly)).toMatch(/^SQLITE_READONLY/);
    db.close();
  });

  it('leaves every other error alone: a bad statement, a network error, a plain throw', () => {
    const db = new Database(':memory:');
    let syntax: unknown;
    try {
      db.prepare('SELEKT 1');
    } catch (error) {
      syntax = error;
    }
    db.close();
    expect(isJournalFailure(syntax)).toBe(false);
    expect(isJournalFailure(new Error('ECONNRESET'))).toBe(false);
    expect(isJournalFailure(Object.assign(new Error('x'), { code: 'SQLITE_FULL' }))).toBe(false);
    expect(isJournalFailure(null)).toBe(false);
    expect(isJournalFailure('SQLITE_FULL')).toBe(false);
  });
});
