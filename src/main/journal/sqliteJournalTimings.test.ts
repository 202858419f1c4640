import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from './database';
import { SqliteJournal } from './sqliteJournal';

describe('SqliteJournal write timings', () => {
  it('reports each outermost transaction once, nested ones as part of it, failed ones too', () => {
    const timings: number[] = [];
    const journal = new SqliteJournal(openJournalDatabase(':memory:'), { onWrite: (ms) => timings.push(ms) });
    journal.transaction(() => journal.appendActivity({ timestamp: 0, level: 'info', category: 'system', message: 'first', data: null }));
    expect(timings).toHaveLength(1);
    journal.transaction(() => {
      journal.transaction(() => journal.appendActivity({ timestamp: 1, level: 'info', category: 'system', message: 'inner', data: null }));
      journal.appendActivity({ timestamp: 2, level: 'info', category: 'system', message: 'outer', data: null });
    });
    expect(timings).toHaveLength(2);
    expect(() =>
      journal.transaction(() => {
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(timings).toHaveLength(3);
    for (const ms of timings) expect(ms).toBeGreaterThanOrEqual(0);
    expect(journal.listActivity(10).map((a) => a.message)).toEqual(['outer', 'inner', 'first']);
  });

  it('measures nothing when nobody asked', () => {
    const journal = new SqliteJournal(openJournalDatabase(':memory:'));
    expect(journal.transaction(() => 42)).toBe(42);
  });
});
