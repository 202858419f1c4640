import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isWorkerError } from '../workers/protocol';
import { WalCheckpointer, type CheckpointEvent } from './checkpointer';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import {
  CheckpointPolicy,
  RESTART_REMAINDER_FRAMES,
  WAL_INDEX_HEADER_BYTES,
  restartAfterCatchingUp,
  walFrameBytes,
  walIndexFrames,
  type CheckpointMode,
  type CheckpointResult,
} from './checkpointerWorker';
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
  it('keeps the WAL bounded while writes never pause, and cuts the file back once they stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const db = openJournalDatabase(file, { externalCheckpoints: true });
    const events: Array<Extract<CheckpointEvent, { kind: 'checkpointed' }>> = [];
    const errors: string[] = [];
    // idleMs longer than the burst: only the lag and size rules act while it lasts.
    const checkpointer = await WalCheckpointer.start(file, {
      pollMs: 20,
      idleMs: 400,
      maxLagMs: 60,
      restartAboveBytes: 256 * 1024,
      truncateAboveBytes: 512 * 1024,
      onCheckpoint: (event) => events.push(event),
      onError: (m) => errors.push(m),
    });
    const insert = db.prepare('INSERT INTO activity (timestamp, level, category, message) VALUES (?, ?, ?, ?)');
    const write = db.transaction((i: number) => {
      for (let k = 0; k < 20; k += 1) insert.run(i, 'info', 'system', 'x'.repeat(200));
    });
    let largestWal = 0;
    let commits = 0;
    for (let i = 0, until = Date.now() + 1_500; Date.now() < until; i += 1) {
      write(i);
      commits += 1;
      largestWal = Math.max(largestWal, statSync(`${file}-wal`).size);
      await new Promise((r) => setTimeout(r, 1)); // lets the checkpoint events in
    }
    const restarts = events.filter((e) => e.mode === 'RESTART');
    expect(restarts.length).toBeGreaterThan(0);
    expect(restarts.every((e) => e.busy === 0 && e.checkpointed === e.log)).toBe(true);
    // Each RESTART came right after a PASSIVE that copied every frame.
    for (const restart of restarts) expect(events[events.indexOf(restart) - 1]).toMatchObject({ mode: 'PASSIVE', busy: 0 });
    // The file started over: a later checkpoint found fewer frames in use than the RESTART did.
    const afterFirst = events.slice(events.indexOf(restarts[0]!) + 1);
    expect(afterFirst.some((e) => e.log < restarts[0]!.log)).toBe(true);
    expect(largestWal).toBeLessThan(16 * 1024 * 1024);
    expect(largestWal).toBeGreaterThan(512 * 1024);
    // Quiet now: the file is cut back.
    expect(await waitFor(() => events.some((e) => e.mode === 'TRUNCATE'), 3_000)).toBe(true);
    expect(statSync(`${file}-wal`).size).toBe(0);
    await checkpointer.stop();
    expect(errors).toEqual([]);
    // Every row committed while the WAL started over and was cut back is in the database.
    expect(db.prepare('SELECT COUNT(*) AS n FROM activity').get()).toEqual({ n: commits * 20 });
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
  const frameBytes = walFrameBytes(4096);
  const options = { idleMs: 250, maxLagMs: 1_000, restartAboveBytes: 100 * frameBytes, truncateAboveBytes: 10_000, frameBytes };
  const done = { busy: 0, log: 10, checkpointed: 10 };

  it('waits for the WAL to go quiet for idleMs, then asks for one PASSIVE checkpoint', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next(null, 0)).toBeNull(); // no WAL yet
    expect(policy.next({ size: 100, mtimeMs: 1 }, 100)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 2 }, 300)).toBeNull(); // written again: the quiet period restarts
    expect(policy.next({ size: 200, mtimeMs: 2 }, 549)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 2 }, 550)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    expect(policy.next({ size: 200, mtimeMs: 2 }, 10_000)).toBeNull(); // nothing new since
    expect(policy.next({ size: 200, mtimeMs: 3 }, 10_100)).toBeNull();
    expect(policy.next({ size: 200, mtimeMs: 3 }, 10_350)).toBe('PASSIVE');
  });

  it('tries a PASSIVE checkpoint again when readers kept it from copying every frame', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 100, mtimeMs: 1 }, 300)).toBeNull();
    expect(policy.next({ size: 100, mtimeMs: 1 }, 600)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 10, checkpointed: 4 });
    expect(policy.next({ size: 100, mtimeMs: 1 }, 700)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    expect(policy.next({ size: 100, mtimeMs: 1 }, 800)).toBeNull();
  });

  it('copies once the WAL has held uncopied frames for maxLagMs, even while writes never pause', () => {
    const policy = new CheckpointPolicy(options, 0);
    const asked: number[] = [];
    for (let now = 50; now <= 3_000; now += 50) {
      // Written at every look: never quiet.
      if (policy.next({ size: now, mtimeMs: now }, now) === 'PASSIVE') {
        asked.push(now);
        policy.done('PASSIVE', done);
      }
    }
    // The first change after a checkpoint starts the clock: 1,050 + 1,000.
    expect(asked).toEqual([1_000, 2_050]);
  });

  it('asks for a RESTART right after a complete PASSIVE finds more frames in use than the limit, whatever the file size', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 50_000_000, mtimeMs: 1 }, 1_000)).toBe('PASSIVE');
    // A file left large by an earlier burst, holding few frames now: nothing to start over.
    policy.done('PASSIVE', { busy: 0, log: 100, checkpointed: 100 });
    expect(policy.next({ size: 50_000_000, mtimeMs: 2 }, 1_050)).toBeNull();
    expect(policy.next({ size: 50_000_000, mtimeMs: 3 }, 2_050)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 101, checkpointed: 101 });
    expect(policy.next({ size: 50_000_000, mtimeMs: 4 }, 2_100)).toBe('RESTART');
    policy.done('RESTART', { busy: 0, log: 101, checkpointed: 101 });
    expect(policy.next({ size: 50_000_000, mtimeMs: 5 }, 2_150)).toBeNull();
    // The same frames at the next PASSIVE: nothing written since the RESTART, so it is not repeated.
    expect(policy.next({ size: 50_000_000, mtimeMs: 6 }, 2_400)).toBeNull();
    expect(policy.next({ size: 50_000_000, mtimeMs: 7 }, 3_400)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 101, checkpointed: 101 });
    expect(policy.next({ size: 50_000_000, mtimeMs: 7 }, 3_450)).toBeNull();
  });

  it('copies at once when the WAL index says more frames are in use than the limit, however large the file already is', () => {
    const policy = new CheckpointPolicy(options, 0);
    // A file left at 50 MB by an earlier burst, now holding 50 frames: nothing to do before maxLagMs.
    expect(policy.next({ size: 50_000_000, mtimeMs: 1, frames: 50 }, 100)).toBeNull();
    expect(policy.next({ size: 50_000_000, mtimeMs: 2, frames: 100 }, 200)).toBeNull();
    // Past the limit (100 frames here), in the same file: copy now, then start over.
    expect(policy.next({ size: 50_000_000, mtimeMs: 3, frames: 101 }, 300)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 101, checkpointed: 101 });
    expect(policy.next({ size: 50_000_000, mtimeMs: 3, frames: 101 }, 310)).toBe('RESTART');
  });

  it('copies at once when the file grows past the limit, without waiting for maxLagMs', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 1_000, mtimeMs: 1 }, 1_000)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    expect(policy.next({ size: 500_000, mtimeMs: 2 }, 1_050)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    // Still large but no larger (SQLite reuses the file): the lag rule again.
    expect(policy.next({ size: 500_000, mtimeMs: 3 }, 1_100)).toBeNull();
    expect(policy.next({ size: 500_001, mtimeMs: 4 }, 1_150)).toBe('PASSIVE');
  });

  it('asks for a RESTART after a PASSIVE even when a reader held a few frames back, and not again after one that could not finish', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 1_000_000, mtimeMs: 1 }, 1_000)).toBe('PASSIVE');
    // The RESTART waits for that reader itself.
    policy.done('PASSIVE', { busy: 0, log: 500, checkpointed: 499 });
    expect(policy.next({ size: 1_000_000, mtimeMs: 2 }, 1_050)).toBe('RESTART');
    policy.done('RESTART', { busy: 1, log: 500, checkpointed: 500 });
    // The RESTART that could not finish is not repeated; the next PASSIVE calls for it again.
    expect(policy.next({ size: 1_000_000, mtimeMs: 3 }, 1_100)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 600, checkpointed: 600 });
    expect(policy.next({ size: 1_000_000, mtimeMs: 4 }, 1_150)).toBe('RESTART');
    policy.done('RESTART', { busy: 0, log: 600, checkpointed: 600 });
    expect(policy.next({ size: 1_000_000, mtimeMs: 5 }, 1_200)).toBeNull();
  });

  it('cuts a large file back only once writes have been quiet and every frame is copied', () => {
    const policy = new CheckpointPolicy(options, 0);
    expect(policy.next({ size: 20_000, mtimeMs: 1 }, 100)).toBeNull();
    expect(policy.next({ size: 20_000, mtimeMs: 1 }, 350)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    expect(policy.next({ size: 20_000, mtimeMs: 1 }, 400)).toBe('TRUNCATE');
    policy.done('TRUNCATE', { busy: 0, log: 0, checkpointed: 0 });
    // Cut back to nothing: nothing more to do until the engine writes again.
    expect(policy.next({ size: 0, mtimeMs: 2 }, 450)).toBeNull();
    expect(policy.next({ size: 0, mtimeMs: 2 }, 700)).toBe('PASSIVE');
    policy.done('PASSIVE', { busy: 0, log: 0, checkpointed: 0 });
    expect(policy.next({ size: 0, mtimeMs: 2 }, 750)).toBeNull();
    // A file under the limit stays as it is.
    expect(policy.next({ size: 9_000, mtimeMs: 3 }, 800)).toBeNull();
    expect(policy.next({ size: 9_000, mtimeMs: 3 }, 1_050)).toBe('PASSIVE');
    policy.done('PASSIVE', done);
    expect(policy.next({ size: 9_000, mtimeMs: 3 }, 5_000)).toBeNull();
  });

  it('never cuts the file back while it is being written', () => {
    const policy = new CheckpointPolicy(options, 0);
    for (let now = 50; now <= 3_000; now += 50) {
      const mode = policy.next({ size: 20_000 + now, mtimeMs: now }, now);
      expect(mode).not.toBe('TRUNCATE');
      if (mode !== null) policy.done(mode, done);
    }
  });
});

describe('walIndexFrames', () => {
  function header(littleEndian: boolean, fields: { version?: number; initialized?: number; mxFrame: number }): Uint8Array {
    const bytes = new Uint8Array(WAL_INDEX_HEADER_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, fields.version ?? 3007000, littleEndian);
    view.setUint8(12, fields.initialized ?? 1);
    view.setUint32(16, fields.mxFrame, littleEndian);
    return bytes;
  }

  it('reads mxFrame in either byte order', () => {
    expect(walIndexFrames(header(true, { mxFrame: 123_456 }), true)).toBe(123_456);
    expect(walIndexFrames(header(false, { mxFrame: 123_456 }), false)).toBe(123_456);
  });

  it('answers null for a header it does not know, one not initialized, or too few bytes', () => {
    expect(walIndexFrames(header(true, { version: 3007001, mxFrame: 5 }), true)).toBeNull();
    expect(walIndexFrames(header(true, { initialized: 0, mxFrame: 5 }), true)).toBeNull();
    expect(walIndexFrames(header(false, { mxFrame: 5 }), true)).toBeNull(); // the wrong byte order reads a wrong version
    expect(walIndexFrames(new Uint8Array(20), true)).toBeNull();
  });

  it('agrees with SQLite itself on a real journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'keel.sqlite');
    const db = openJournalDatabase(file, { externalCheckpoints: true });
    const insert = db.prepare('INSERT INTO activity (timestamp, level, category, message) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 300; i += 1) insert.run(i, 'info', 'system', 'x'.repeat(500));
    const frames = walIndexFrames(readFileSync(`${file}-shm`).subarray(0, WAL_INDEX_HEADER_BYTES), endianness() === 'LE');
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[] as [CheckpointResult];
    expect(frames).toBe(log);
    expect(frames).toBeGreaterThan(300);
    db.close();
  });
});

describe('restartAfterCatchingUp', () => {
  /** A writer that adds `rate` frames per PASSIVE pass, each pass copying everything written before it began. */
  function writerAt(rates: number[], startFrames: number, busyAtPass = -1) {
    let frames = startFrames;
    let pass = 0;
    const modes: string[] = [];
    const checkpoint = (mode: CheckpointMode): CheckpointResult => {
      modes.push(mode);
      if (mode === 'RESTART') return { busy: 0, log: frames, checkpointed: frames };
      const log = frames;
      frames += rates[pass] ?? 0; // written while this pass copied
      pass += 1;
      return pass - 1 === busyAtPass ? { busy: 0, log, checkpointed: log - 3 } : { busy: 0, log, checkpointed: log };
    };
    return { checkpoint, modes };
  }

  it('runs PASSIVE passes until little is left, then the RESTART', () => {
    const { checkpoint, modes } = writerAt([5_000, 600, 40], 100_000);
    const reported: Array<[CheckpointMode, CheckpointResult]> = [];
    restartAfterCatchingUp(checkpoint, (mode, result) => reported.push([mode, result]));
    // Pass 2 found the 5,000 frames written during pass 1, pass 3 the 600 written during pass 2, pass 4 only 40.
    expect(modes).toEqual(['PASSIVE', 'PASSIVE', 'PASSIVE', 'PASSIVE', 'RESTART']);
    expect(reported.map(([mode]) => mode)).toEqual(modes);
    expect(reported[3]?.[1].log).toBe(105_640);
  });

  it('goes straight to the RESTART once a pass found fewer than RESTART_REMAINDER_FRAMES new frames', () => {
    const { checkpoint, modes } = writerAt([RESTART_REMAINDER_FRAMES - 1], 100_000);
    restartAfterCatchingUp(checkpoint, () => undefined);
    expect(modes).toEqual(['PASSIVE', 'PASSIVE', 'RESTART']);
  });

  it('counts frames a reader held back as left to copy, and gives up without a RESTART when a pass could not run', () => {
    // Pass 2 (index 1) leaves 3 frames behind: pass 3 still finds more than the threshold, pass 4 little.
    const held = writerAt([5_000, 600, 40], 100_000, 1);
    restartAfterCatchingUp(held.checkpoint, () => undefined);
    expect(held.modes).toEqual(['PASSIVE', 'PASSIVE', 'PASSIVE', 'PASSIVE', 'RESTART']);

    const blocked = (mode: CheckpointMode): CheckpointResult => (mode === 'PASSIVE' ? { busy: 1, log: 100_000, checkpointed: 0 } : { busy: 0, log: 0, checkpointed: 0 });
    const modes: CheckpointMode[] = [];
    restartAfterCatchingUp((mode) => {
      modes.push(mode);
      return blocked(mode);
    }, () => undefined);
    expect(modes).toEqual(['PASSIVE']);
  });

  it('stops catching up after a few passes against a writer that is faster than the copy, and restarts anyway', () => {
    const { checkpoint, modes } = writerAt([9_000, 9_000, 9_000, 9_000, 9_000, 9_000], 100_000);
    restartAfterCatchingUp(checkpoint, () => undefined);
    expect(modes.filter((m) => m === 'PASSIVE').length).toBeLessThanOrEqual(4);
    expect(modes.at(-1)).toBe('RESTART');
  });
});
