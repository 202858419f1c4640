/**
 * The WAL checkpointer's worker entry (built to out/main/checkpointerWorker.js).
 * It holds its own connection to the journal and, while `watch` runs, looks
 * at the WAL every `pollMs` and checkpoints by `CheckpointPolicy`. Each
 * checkpoint, and each failure, is a progress value of the `watch` request;
 * `close` ends the watch, runs a last PASSIVE checkpoint and closes the
 * connection. See checkpointer.ts for why this runs off the engine's thread.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import type { Handlers } from '../workers/protocol';
import { serveWorker } from '../workers/server';
import { errorText } from '../../shared/errors';

export type CheckpointMode = 'PASSIVE' | 'RESTART' | 'TRUNCATE';

/** What `PRAGMA wal_checkpoint` reports: busy 1 if it could not finish, frames in the WAL, frames copied. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export type CheckpointEvent =
  | ({ kind: 'checkpointed'; mode: CheckpointMode; walBytes: number } & CheckpointResult)
  | { kind: 'failed'; mode: CheckpointMode; message: string };

export interface WatchParams {
  /** How often the worker looks at the WAL. */
  pollMs: number;
  /** Quiet time before a PASSIVE checkpoint. */
  idleMs: number;
  /** Longest the WAL goes uncopied while writes never pause: a PASSIVE checkpoint runs at least this often. */
  maxLagMs: number;
  /** WAL content above which the file is started over (a RESTART), even while writes go on. */
  restartAboveBytes: number;
  /** WAL file size above which, once writes are quiet, the file is cut back (a TRUNCATE). */
  truncateAboveBytes: number;
}

export interface WatchSummary {
  checkpoints: number;
  failures: number;
}

export interface CheckpointerMethods {
  open: { params: { file: string; busyTimeoutMs: number }; result: { journalMode: string } };
  watch: { params: WatchParams; result: WatchSummary; progress: CheckpointEvent };
  /** Ends the watch, runs a last PASSIVE checkpoint and closes the connection. */
  close: { params: null; result: CheckpointResult | null };
}

export interface WalFile {
  size: number;
  mtimeMs: number;
  /** Frames in use, from the WAL index; absent when it could not be read. */
  frames?: number;
}

/** The first of the WAL index's two header copies: 48 bytes at the start of the -shm file. */
export const WAL_INDEX_HEADER_BYTES = 48;
const WAL_INDEX_VERSION = 3007000;

/**
 * Frames in use (`mxFrame`) from the WAL index header, laid out as
 * https://www.sqlite.org/walformat.html gives it: u32 version at 0, the
 * "initialized" byte at 12, mxFrame at 16, all in the machine's byte order.
 * Null for anything else. Only an estimate between looks (SQLite may be
 * writing it), which is all the policy needs to know when to copy.
 */
export function walIndexFrames(header: Uint8Array, littleEndian: boolean): number | null {
  if (header.length < WAL_INDEX_HEADER_BYTES) return null;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (view.getUint32(0, littleEndian) !== WAL_INDEX_VERSION || view.getUint8(12) !== 1) return null;
  return view.getUint32(16, littleEndian);
}

/** A WAL frame: a 24-byte header and one page. */
export const walFrameBytes = (pageSize: number): number => pageSize + 24;

/**
 * When to checkpoint, as a pure function of what the WAL looked like at each
 * look and what the last checkpoint reported.
 *
 * PASSIVE never blocks the engine's commits, so it is the rule: once the file
 * has been quiet for `idleMs`, at least every `maxLagMs` while writes never
 * pause, and at once when the frames in use pass `restartAboveBytes`. After a
 * complete PASSIVE with nothing written since, the engine's next commit
 * starts the WAL over by itself.
 *
 * Under writes that never pause that moment never comes, and the WAL would
 * grow without bound. So when a PASSIVE finds more than `restartAboveBytes`
 * of frames in use, a RESTART follows. A RESTART holds the engine's commits
 * for as long as it copies, which is why it only comes right after PASSIVE
 * passes (`restartAfterCatchingUp`): little is left to copy.
 *
 * The frames in use come from the WAL index at each look, and from the
 * checkpoint's own count after it, never from the file's size: a WAL file
 * keeps its largest size when it starts over. (Without the index, a file that
 * grew since the last checkpoint holds at least its size in frames.)
 * Cutting the file back is a TRUNCATE, which holds the engine's commits
 * while the file system frees the space (tens of ms for hundreds of MB), so
 * it runs only once writes have been quiet for `idleMs`, and only when the
 * file is above `truncateAboveBytes`.
 */
export class CheckpointPolicy {
  private lastSeen: WalFile | null = null;
  private changedAt: number;
  /** When the WAL first changed after the last complete checkpoint. */
  private dirtySince: number;
  private dirty = true;
  private restartDue = false;
  /** The file's size at the last look before a checkpoint. */
  private sizeAtCheckpoint = 0;
  /** Frames in use at the last RESTART that finished: the same count since means nothing was written, so nothing to start over. */
  private restartedAtLog = -1;

  constructor(
    private readonly options: Pick<WatchParams, 'idleMs' | 'maxLagMs' | 'restartAboveBytes' | 'truncateAboveBytes'> & { frameBytes: number },
    startedAt: number,
  ) {
    this.changedAt = startedAt;
    this.dirtySince = startedAt;
  }

  next(wal: WalFile | null, now: number): CheckpointMode | null {
    if (wal === null) return null;
    if (this.lastSeen === null || wal.mtimeMs !== this.lastSeen.mtimeMs || wal.size !== this.lastSeen.size) {
      this.lastSeen = wal;
      this.changedAt = now;
      if (!this.dirty) this.dirtySince = now;
      this.dirty = true;
    }
    if (this.restartDue) return 'RESTART';
    const quiet = now - this.changedAt >= this.options.idleMs;
    const overLimit =
      wal.frames !== undefined ? this.overRestartLimit(wal.frames) : wal.size > this.options.restartAboveBytes && wal.size > this.sizeAtCheckpoint;
    if (this.dirty) return quiet || overLimit || now - this.dirtySince >= this.options.maxLagMs ? 'PASSIVE' : null;
    return quiet && wal.size > this.options.truncateAboveBytes ? 'TRUNCATE' : null;
  }

  /** Records a checkpoint's outcome; one that could not copy every frame is tried again at the next look that calls for it. */
  done(mode: CheckpointMode, result: CheckpointResult): void {
    this.sizeAtCheckpoint = this.lastSeen?.size ?? 0;
    if (result.busy === 0 && result.checkpointed >= result.log) this.dirty = false;
    // Frames a reader held back are no reason to wait: the RESTART waits for that reader, which the engine's never keep long.
    // A RESTART or TRUNCATE kept from finishing waits for the next PASSIVE.
    if (mode === 'RESTART' && result.busy === 0) this.restartedAtLog = result.log;
    this.restartDue = mode === 'PASSIVE' && result.busy === 0 && result.log !== this.restartedAtLog && this.overRestartLimit(result.log);
  }

  private overRestartLimit(frames: number): boolean {
    return frames * this.options.frameBytes > this.options.restartAboveBytes;
  }
}

/** Frames written while a PASSIVE copied are left for the RESTART; it is attempted once fewer than this remain. */
export const RESTART_REMAINDER_FRAMES = 256;
/** PASSIVE passes run back to back, each copying what the one before missed, before a RESTART. */
const MAX_CATCH_UP_PASSES = 4;

/**
 * A RESTART right after PASSIVE passes that caught up with the writer: each
 * pass copies what was written during the one before, so the RESTART, which
 * holds the engine's commits while it copies, has little left. `checkpoint`
 * runs one; `report` is told of each.
 */
export function restartAfterCatchingUp(
  checkpoint: (mode: CheckpointMode) => CheckpointResult,
  report: (mode: CheckpointMode, result: CheckpointResult) => void,
): void {
  let copiedUpTo = 0;
  for (let pass = 0; pass < MAX_CATCH_UP_PASSES; pass += 1) {
    const result = checkpoint('PASSIVE');
    report('PASSIVE', result);
    if (result.busy !== 0) return; // could not run: try another time
    // What this pass found beyond the last one's copy: written while it ran, or held back then by a reader.
    const remainder = result.log - copiedUpTo;
    copiedUpTo = result.checkpointed;
    if (remainder < RESTART_REMAINDER_FRAMES) break;
  }
  report('RESTART', checkpoint('RESTART'));
}

export function createCheckpointerHandlers(): Handlers<CheckpointerMethods> {
  let db: Database.Database | null = null;
  let walFile = '';
  let indexFile = '';
  let frameBytes = walFrameBytes(4096);
  let endWatch: (() => void) | null = null;

  const checkpoint = (mode: CheckpointMode): CheckpointResult => {
    if (db === null) throw new Error('the checkpointer has no open connection');
    const [row] = db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[];
    return row ?? { busy: 0, log: -1, checkpointed: -1 };
  };

  const littleEndian = endianness() === 'LE';
  const header = new Uint8Array(WAL_INDEX_HEADER_BYTES);
  const indexFrames = (): number | undefined => {
    let fd: number | null = null;
    try {
      fd = openSync(indexFile, 'r');
      const frames = readSync(fd, header, 0, WAL_INDEX_HEADER_BYTES, 0) === WAL_INDEX_HEADER_BYTES ? walIndexFrames(header, littleEndian) : null;
      return frames ?? undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== null) closeSync(fd);
    }
  };

  const stat = (): WalFile | null => {
    try {
      const info = statSync(walFile);
      const frames = indexFrames();
      return frames === undefined ? { size: info.size, mtimeMs: info.mtimeMs } : { size: info.size, mtimeMs: info.mtimeMs, frames };
    } catch {
      return null;
    }
  };

  return {
    open: ({ file, busyTimeoutMs }) => {
      if (db !== null) throw new Error('the checkpointer is already open');
      db = new Database(file);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      walFile = `${file}-wal`;
      indexFile = `${file}-shm`;
      frameBytes = walFrameBytes(Number(db.pragma('page_size', { simple: true })));
      return { journalMode: String(db.pragma('journal_mode', { simple: true })) };
    },

    watch: (params, { signal, progress }) =>
      new Promise<WatchSummary>((resolve) => {
        if (endWatch !== null) throw new Error('the checkpointer is already watching');
        const summary: WatchSummary = { checkpoints: 0, failures: 0 };
        const policy = new CheckpointPolicy({ ...params, frameBytes }, Date.now());
        /** One look and what it calls for; false when it called for nothing or failed. */
        const step = (): boolean => {
          const wal = stat();
          const mode = policy.next(wal, Date.now());
          if (mode === null || wal === null) return false;
          let attempted: CheckpointMode = mode;
          const run = (m: CheckpointMode): CheckpointResult => {
            attempted = m;
            return checkpoint(m);
          };
          const report = (m: CheckpointMode, result: CheckpointResult): void => {
            policy.done(m, result);
            summary.checkpoints += 1;
            progress({ kind: 'checkpointed', mode: m, walBytes: wal.size, ...result });
          };
          try {
            if (mode === 'RESTART') restartAfterCatchingUp(run, report);
            else report(mode, run(mode));
            return true;
          } catch (error) {
            summary.failures += 1;
            progress({ kind: 'failed', mode: attempted, message: errorText(error) });
            return false;
          }
        };
        // A PASSIVE that finds the WAL over the limit is followed by the RESTART at once, not a poll later:
        // under a steady stream of commits every poll adds to what the RESTART must copy.
        const tick = (): void => {
          if (step()) step();
        };
        const timer = setInterval(tick, params.pollMs);
        const finish = (): void => {
          clearInterval(timer);
          endWatch = null;
          signal.removeEventListener('abort', finish);
          resolve(summary);
        };
        endWatch = finish;
        signal.addEventListener('abort', finish, { once: true });
      }),

    close: () => {
      endWatch?.();
      if (db === null) return null;
      const connection = db;
      try {
        return checkpoint('PASSIVE');
      } finally {
        db = null;
        connection.close();
      }
    },
  };
}

serveWorker<CheckpointerMethods>(createCheckpointerHandlers());
