import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isWorkerError } from '../workers/protocol';
import { WalCheckpointer, type CheckpointEvent } from './checkpointer';
import { CheckpointPolicy } from './checkpointerWorker';
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
    // Reach into the worker thread and end it the way a crash would.
    await (checkpointer as unknown as { client: { worker: { terminate(): Promise<number> } } }).client.worker.terminate();
    expect(await waitFor(() => errors.length > 0, 2_000)).toBe(true);
    expect(errors[0]).toMatch(/exited unexpectedly/);
    expect(checkpointer.running).toBe(false);
    await checkpointer.stop();
    db.close();
  });
});

describe('WalCheckpointer on the worker protocol', () => {
  it('forces a RESTART checkpoint once the WAL passes the size limit, even while writes never pause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const db = openJournalDatabase(file, { externalCheckpoints: true });
    const events: Array<Extract<CheckpointEvent, { kind: 'checkpointed' }>> = [];
    const errors: string[] = [];
    // idleMs far beyond the test: only the size rule can trigger a checkpoint.
    const checkpointer = await WalCheckpointer.start(file, {
      pollMs: 20,
      idleMs: 600_000,
      restartAboveBytes: 256 * 1024,
      onCheckpoint: (event) => events.push(event),
      onError: (m) => errors.push(m),
    });
    const insert = db.prepare('INSERT INTO activity (timestamp, level, category, message) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i += 1) insert.run(i, 'info', 'system', 'x'.repeat(200));
    })();
    expect(await waitFor(() => events.length > 0, 3_000)).toBe(true);
    expect(events[0]).toMatchObject({ kind: 'checkpointed', mode: 'RESTART', busy: 0 });
    expect(events[0]?.walBytes).toBeGreaterThan(256 * 1024);
    expect(events[0]?.checkpointed).toBe(events[0]?.log);
    await checkpointer.stop();
    expect(errors).toEqual([]);
    db.close();
  });

  it('fails to start with the driver’s reason when the journal cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const error = await WalCheckpointer.start(join(dir, 'missing', 'keel.sqlite')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isWorkerError(error, 'WORKER_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/directory does not exist|unable to open/);
  });
});

describe('CheckpointPolicy', () => {
  const options = { idleMs: 250, restartAboveBytes: 1_000 };
  const done = { busy: 0, log: 10, checkpointed: 10 };

  it('waits for the WAL to go quiet for idleMs, then asks for one PASSIVE checkpoint', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next(null, 0)).toBeNull(); // no WAL yet
    expect(policy.next({ size: 100, mtimeMs: 1 }, 100)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 2 }, 300)).toBeNull(); // written again: the quiet period restarts
    expect(policy.next({ size: 200, mtimeMs: 2 }, 549)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 2 }, 550)).toBe('PASSIVE');
    policy.done('PASSIVE', done, 200);
    expect(policy.next({ size: 200, mtimeMs: 2 }, 10_000)).toBeNull(); // nothing new since
    expect(policy.next({ size: 200, mtimeMs: 3 }, 10_100)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 3 }, 10_350)).toBe('PASSIVE');
  });

  it('tries a PASSIVE checkpoint again when readers kept it from copying every frame', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 100, mtimeMs: 1 }, 300)).toBeNull();
    expect(policy.next({ size: 100, mtimeMs: 1 }, 600)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 10, checkpointed: 4 }, 100);
    expect(policy.next({ size: 100, mtimeMs: 1 }, 700)).toBe('PASSIVE');
    policy.done('PASSIVE', done, 100);
    expect(policy.next({ size: 100, mtimeMs: 1 }, 800)).toBeNull();
  });

  it('forces RESTART above the size limit without waiting, and again only once the file grows past it', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 5_000, mtimeMs: 1 }, 10)).toBe('RESTART');
    policy.done('RESTART', done, 5_000);
    // Same file size (SQLite reuses the file), still being written: no second RESTART.
    expect(policy.next({ size: 5_000, mtimeMs: 2 }, 20)).toBeNull();
    expect(policy.next({ size: 5_000, mtimeMs: 3 }, 30)).toBeNull();
    expect(policy.next({ size: 5_000, mtimeMs: 3 }, 280)).toBe('PASSIVE');
    expect(policy.next({ size: 6_000, mtimeMs: 4 }, 300)).toBe('RESTART');
  });

  it('retries a RESTART that readers kept from finishing', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 5_000, mtimeMs: 1 }, 10)).toBe('RESTART');
    policy.done('RESTART', { busy: 1, log: 10, checkpointed: 3 }, 5_000);
    expect(policy.next({ size: 5_000, mtimeMs: 1 }, 20)).toBe('RESTART');
  });
});
