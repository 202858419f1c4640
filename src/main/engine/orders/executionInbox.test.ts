import { describe, expect, it } from 'vitest';
import type { EngineJournal } from '../ports/journal';
import type { Logger } from '../ports/logger';
import type { ExecutionEvent } from '../ports/venue';
import { ExecutionInbox } from './executionInbox';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A journal whose transactions can fail where SQLite's do: at BEGIN (the write
 * lock not granted in time, a read-only file), inside (a statement), or at
 * COMMIT. Only what commits is kept.
 */
function journalThatFails() {
  const committed: string[] = [];
  let pending: string[] = [];
  let depth = 0;
  const faults = { begin: false, commit: false };
  const transaction = <T>(fn: () => T): T => {
    if (depth === 0 && faults.begin) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const mark = pending.length;
    depth += 1;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      pending.length = mark; // this level rolls back
      throw error;
    } finally {
      depth -= 1;
    }
    if (depth > 0) return result;
    const writes = pending;
    pending = [];
    if (faults.commit) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    committed.push(...writes);
    return result;
  };
  return { journal: { transaction } as unknown as EngineJournal, record: (what: string) => pending.push(what), committed, faults };
}

const accepted = (clientOrderId: string): ExecutionEvent => ({ type: 'OrderAccepted', clientOrderId, venueOrderId: `v-${clientOrderId}`, timestamp: 1 });

function inboxOver(j: ReturnType<typeof journalThatFails>, failOn: string | null = null) {
  const blocked: Array<{ venue: string; why: string }> = [];
  const inbox = new ExecutionInbox(
    j.journal,
    (venue, event) => {
      if (event.type !== 'OrderAccepted') return;
      if (event.clientOrderId === failOn) throw new Error(`cannot apply ${failOn}`);
      j.record(`${venue}:${event.clientOrderId}`);
    },
    quiet,
    (venue, why) => blocked.push({ venue, why }),
  );
  return { inbox, blocked };
}

describe('ExecutionInbox', () => {
  it('applies queued reports in arrival order in one transaction; one that fails rolls back alone and blocks only its venue', () => {
    const j = journalThatFails();
    const { inbox, blocked } = inboxOver(j, 'b');
    inbox.receive('paper', accepted('a'));
    inbox.receive('binance', accepted('b'));
    inbox.receive('paper', accepted('c'));
    inbox.drain();
    expect(j.committed).toEqual(['paper:a', 'paper:c']);
    expect(blocked).toEqual([{ venue: 'binance', why: expect.stringMatching(/OrderAccepted for b could not be recorded \(cannot apply b\)/) as string }]);
    expect(inbox.pending).toBe(0);
  });

  it('blocks every venue with a queued report when the transaction cannot even begin, and keeps none of them queued', () => {
    const j = journalThatFails();
    const { inbox, blocked } = inboxOver(j);
    j.faults.begin = true;
    inbox.receive('paper', accepted('a'));
    inbox.receive('binance', accepted('b'));
    inbox.receive('paper', accepted('c'));
    inbox.drain();
    expect(j.committed).toEqual([]);
    expect(blocked.map((b) => b.venue).sort()).toEqual(['binance', 'paper']);
    expect(blocked[0]?.why).toMatch(/venue reports could not be recorded \(SQLITE_BUSY|database is locked/);
    // Nothing waits to be applied later over books a reconciliation will have corrected.
    expect(inbox.pending).toBe(0);
    j.faults.begin = false;
    inbox.drain();
    expect(j.committed).toEqual([]);
  });

  it('blocks the venues of every report it took when the commit fails', () => {
    const j = journalThatFails();
    const { inbox, blocked } = inboxOver(j);
    j.faults.commit = true;
    inbox.receive('paper', accepted('a'));
    inbox.receive('binance', accepted('b'));
    inbox.drain();
    expect(j.committed).toEqual([]);
    expect(blocked.map((b) => b.venue).sort()).toEqual(['binance', 'paper']);
    expect(inbox.pending).toBe(0);
  });

  it('drains on its own once the current stack unwinds', async () => {
    const j = journalThatFails();
    const { inbox } = inboxOver(j);
    inbox.receive('paper', accepted('a'));
    expect(j.committed).toEqual([]);
    await Promise.resolve();
    expect(j.committed).toEqual(['paper:a']);
  });
});
