import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from './checkpointer';
import { openJournalDatabase } from './database';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}

describe('WalCheckpointer', () => {
  it('copies the WAL into the database once writes go quiet, off the writer’s thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const db = openJournalDatabase(file, { externalCheckpoints: true });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const errors: string[] = [];
    const checkpointer = await WalCheckpointer.start(file, { pollMs: 20, idleMs: 60, onError: (m) => errors.push(m) });
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO activity (timestamp, level, category, message) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i += 1) insert.run(i, 'info', 'system', 'x'.repeat(200));
    })();
    // Nothing but the checkpointer writes the main file: it grows only when the worker has checkpointed.
    expect(await waitFor(() => statSync(file).size > before, 3_000)).toBe(true);
    await checkpointer.stop();
    await checkpointer.stop(); // twice is harmless
    expect(checkpointer.running).toBe(false);
    expect(errors).toEqual([]);
    db.close();
  });

  it('says so when the worker dies, and stopping it afterwards does not hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const db = openJournalDatabase(file, { externalCheckpoints: true });
    const errors: string[] = [];
    const checkpointer = await WalCheckpointer.start(file, { onError: (m) => errors.push(m) });
    // Reach into the worker the way a crash would end it.
    await (checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(await waitFor(() => errors.length > 0, 2_000)).toBe(true);
    expect(errors[0]).toMatch(/exited unexpectedly/);
    expect(checkpointer.running).toBe(false);
    await checkpointer.stop();
    db.close();
  });
});
