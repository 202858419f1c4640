/**
 * The WAL checkpointer's worker entry (built to out/main/checkpointerWorker.js).
 * It holds its own connection to the journal and, while `watch` runs, looks
 * at the WAL every `pollMs` and checkpoints by `CheckpointPolicy`. Each
 * checkpoint, and each failure, is a progress value of the `watch` request;
 * `close` ends the watch, runs a last PASSIVE checkpoint and closes the
 * connection. See checkpointer.ts for why this runs off the engine's thread.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Handlers } from '../workers/protocol';
import { serveWorker } from '../workers/server';
import { errorText } from '../../shared/errors';

export type CheckpointMode = 'PASSIVE' | 'RESTART';

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
  /** WAL size above which a RESTART checkpoint is forced, even while writes go on. */
  restartAboveBytes: number;
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
}

/**
 * When to checkpoint, as a pure function of what the WAL looked like at each
 * look: PASSIVE once the file has not changed for `idleMs` and holds frames
 * not yet copied; RESTART when it has grown past `restartAboveBytes`.
 * A RESTART does not shrink the file (SQLite reuses it from the start), so
 * the next RESTART waits until the file grows past its size at the last
 * completed one; otherwise every look at a large but quiet WAL would force
 * another blocking checkpoint.
 */
export class CheckpointPolicy {
  private lastSeen: WalFile | null = null;
  private changedAt: number;
  private dirty = true;
  private restartedAtBytes = 0;

  constructor(
    private readonly options: Pick<WatchParams, 'idleMs' | 'restartAboveBytes'>,
    startedAt: number,
  ) {
    this.changedAt = startedAt;
  }

  next(wal: WalFile | null, now: number): CheckpointMode | null {
    if (wal === null) return null;
    if (this.lastSeen === null || wal.mtimeMs !== this.lastSeen.mtimeMs || wal.size !== this.lastSeen.size) {
      this.lastSeen = wal;
      this.changedAt = now;
      this.dirty = true;
    }
    if (wal.size > this.options.restartAboveBytes && wal.size > this.restartedAtBytes) return 'RESTART';
    if (this.dirty && now - this.changedAt >= this.options.idleMs) return 'PASSIVE';
    return null;
  }

  /** Records a checkpoint's outcome; one that could not copy every frame is tried again at the next look. */
  done(mode: CheckpointMode, result: CheckpointResult, walBytes: number): void {
    const complete = result.busy === 0 && result.checkpointed >= result.log;
    if (complete) this.dirty = false;
    if (mode === 'RESTART' && result.busy === 0) this.restartedAtBytes = walBytes;
  }
}

export function createCheckpointerHandlers(): Handlers<CheckpointerMethods> {
  let db: Database.Database | null = null;
  let walFile = '';
  let endWatch: (() => void) | null = null;

  const checkpoint = (mode: CheckpointMode): CheckpointResult => {
    if (db === null) throw new Error('the checkpointer has no open connection');
    const [row] = db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[];
    return row ?? { busy: 0, log: -1, checkpointed: -1 };
  };

  const stat = (): WalFile | null => {
    try {
      const info = statSync(walFile);
      return { size: info.size, mtimeMs: info.mtimeMs };
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
      return { journalMode: String(db.pragma('journal_mode', { simple: true })) };
    },

    watch: (params, { signal, progress }) =>
      new Promise<WatchSummary>((resolve) => {
        if (endWatch !== null) throw new Error('the checkpointer is already watching');
        const summary: WatchSummary = { checkpoints: 0, failures: 0 };
        const policy = new CheckpointPolicy(params, Date.now());
        const tick = (): void => {
          const wal = stat();
          const mode = policy.next(wal, Date.now());
          if (mode === null || wal === null) return;
          try {
            const result = checkpoint(mode);
            policy.done(mode, result, wal.size);
            summary.checkpoints += 1;
            progress({ kind: 'checkpointed', mode, walBytes: wal.size, ...result });
          } catch (error) {
            summary.failures += 1;
            progress({ kind: 'failed', mode, message: errorText(error) });
          }
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
