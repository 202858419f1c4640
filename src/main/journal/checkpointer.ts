/**
 * Moves WAL checkpoints off the engine's thread and out of order bursts.
 * With SQLite's automatic checkpoint, whichever commit crosses the threshold
 * pays for copying the WAL into the database and fsyncing it — milliseconds,
 * inside an order's path. Here the engine's connection never checkpoints; a
 * worker thread with its own connection (checkpointerWorker.ts) watches the
 * WAL and checkpoints (PASSIVE: never blocks the writer) once nothing has
 * been written for `idleMs`, and at least every `maxLagMs` while writes never
 * pause. If they never pause and the WAL holds more than `restartAboveBytes`,
 * it catches up and then starts the file over with a RESTART, which holds
 * the engine's commits only while it copies the last few frames. A file
 * left large by a burst is cut back once writes are quiet. Durability is
 * unchanged: every commit is in the WAL either way.
 */
import { WorkerClient } from '../workers/client';
import { locateWorker } from '../workers/locate';
import { isWorkerError } from '../workers/protocol';
import type { CheckpointEvent, CheckpointerMethods } from './checkpointerWorker';
import { errorText } from '../../shared/errors';

export type { CheckpointEvent } from './checkpointerWorker';

export interface CheckpointerOptions {
  /** How often the worker looks at the WAL. */
  pollMs?: number;
  /** Quiet time before a checkpoint. */
  idleMs?: number;
  /** Longest the WAL goes uncopied while writes never pause. */
  maxLagMs?: number;
  /** WAL content above which the file is started over while writes go on. */
  restartAboveBytes?: number;
  /** WAL file size above which the file is cut back once writes are quiet. */
  truncateAboveBytes?: number;
  onError?: (message: string) => void;
  /** Told of every checkpoint the worker ran. */
  onCheckpoint?: (event: Extract<CheckpointEvent, { kind: 'checkpointed' }>) => void;
}

/** The WAL's content, and its file once writes are quiet, are kept under this. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long the worker may wait on a lock for a checkpoint. */
const BUSY_TIMEOUT_MS = 2_000;
/** The last checkpoint at stop can wait on a lock; past this the thread is ended anyway. */
const STOP_DEADLINE_MS = 10_000;

export class WalCheckpointer {
  private stopped = false;

  private constructor(
    private readonly client: WorkerClient<CheckpointerMethods>,
    private readonly onError: (message: string) => void,
  ) {
    // For the worker's whole life: a checkpointer that dies must be said out loud,
    // because with automatic checkpoints off the WAL would then only grow.
    client.onExit((exit) => {
      if (exit.reason === 'crashed' && !this.stopped) onError(`the checkpoint worker exited unexpectedly: ${exit.error?.message ?? 'no reason given'}`);
    });
  }

  static async start(file: string, options: CheckpointerOptions = {}): Promise<WalCheckpointer> {
    const onError = options.onError ?? ((m: string) => console.error(`[journal] checkpoint: ${m}`));
    // unref: a background helper never keeps the process alive on its own.
    const client = await WorkerClient.start<CheckpointerMethods>(locateWorker('checkpointerWorker'), { name: 'checkpoint', unref: true });
    try {
      await client.request('open', { file, busyTimeoutMs: BUSY_TIMEOUT_MS });
    } catch (error) {
      await client.stop();
      throw error;
    }
    const checkpointer = new WalCheckpointer(client, onError);
    client
      .request(
        'watch',
        {
          pollMs: options.pollMs ?? 100,
          idleMs: options.idleMs ?? 250,
          maxLagMs: options.maxLagMs ?? 250,
          restartAboveBytes: options.restartAboveBytes ?? WAL_SIZE_LIMIT_BYTES,
          truncateAboveBytes: options.truncateAboveBytes ?? WAL_SIZE_LIMIT_BYTES,
        },
        {
          onProgress: (event) => {
            if (event.kind === 'failed') onError(`${event.mode} checkpoint failed: ${event.message}`);
            else options.onCheckpoint?.(event);
          },
        },
      )
      .catch((error: unknown) => {
        // A crash is reported once, by the exit listener; a stop ends the watch on purpose.
        if (isWorkerError(error, 'WORKER_CRASHED') || isWorkerError(error, 'WORKER_STOPPED')) return;
        onError(`the checkpoint watch ended: ${errorText(error)}`);
      });
    return checkpointer;
  }

  /** True while the worker is alive and checkpointing. */
  get running(): boolean {
    return !this.stopped && this.client.state === 'running';
  }

  /** Runs a last checkpoint and waits for the worker to close its connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.client.state === 'running') {
      try {
        await this.client.request('close', null, { timeoutMs: STOP_DEADLINE_MS });
      } catch (error) {
        if (!isWorkerError(error, 'WORKER_CRASHED')) this.onError(`the last checkpoint failed: ${errorText(error)}`);
      }
    }
    await this.client.stop({ deadlineMs: STOP_DEADLINE_MS });
  }
}
