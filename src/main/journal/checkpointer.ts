/**
 * Moves WAL checkpoints off the engine's thread and out of order bursts.
 * With SQLite's automatic checkpoint, whichever commit crosses the threshold
 * pays for copying the WAL into the database and fsyncing it — milliseconds,
 * inside an order's path. Here the engine's connection never checkpoints; a
 * worker thread with its own connection watches the WAL and checkpoints
 * (PASSIVE: never blocks the writer) once nothing has been written for
 * `idleMs`, so the fsync does not compete with a burst of orders. If writes
 * never pause and the WAL passes `restartAboveBytes`, it forces a RESTART
 * checkpoint so the file stays bounded. Durability is unchanged: every commit
 * is in the WAL either way.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Resolved here, so the worker loads the very driver build the engine uses.
const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
let timer = null;
let lastMtime = 0;
let changedAt = Date.now();
let dirty = true;
function wal() { try { return statSync(workerData.file + '-wal'); } catch { return null; } }
function checkpoint(mode) {
  try {
    db.pragma('wal_checkpoint(' + mode + ')');
    dirty = false;
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  }
}
function tick() {
  const info = wal();
  if (!info) return;
  const now = Date.now();
  if (info.mtimeMs !== lastMtime) { lastMtime = info.mtimeMs; changedAt = now; dirty = true; }
  if (info.size > workerData.restartAboveBytes) checkpoint('RESTART');
  else if (dirty && now - changedAt >= workerData.idleMs) checkpoint('PASSIVE');
}
timer = setInterval(tick, workerData.pollMs);
parentPort.on('message', (message) => {
  if (message && message.type === 'stop') {
    clearInterval(timer);
    checkpoint('PASSIVE');
    db.close();
    parentPort.postMessage({ type: 'stopped' });
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export interface CheckpointerOptions {
  /** How often the worker looks at the WAL. */
  pollMs?: number;
  /** Quiet time before a checkpoint. */
  idleMs?: number;
  restartAboveBytes?: number;
  onError?: (message: string) => void;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private exited = false;

  private constructor(worker: Worker, onError: (message: string) => void) {
    this.worker = worker;
    // Listeners for the worker's whole life: a checkpointer that dies must be said out loud,
    // because with automatic checkpoints off the WAL would then only grow.
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'error') onError(message.message ?? '');
    });
    worker.on('error', (error) => onError(error.message));
    worker.on('exit', (code) => {
      this.exited = true;
      if (!this.stopped) onError(`the checkpoint worker exited unexpectedly (code ${code})`);
    });
  }

  static async start(file: string, options: CheckpointerOptions = {}): Promise<WalCheckpointer> {
    const onError = options.onError ?? ((m: string) => console.error(`[journal] checkpoint: ${m}`));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: driverPath,
        pollMs: options.pollMs ?? 100,
        idleMs: options.idleMs ?? 250,
        restartAboveBytes: options.restartAboveBytes ?? 64 * 1024 * 1024,
      },
    });
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      const onReady = (message: { type: string }) => {
        if (message.type !== 'ready') return;
        worker.off('message', onReady);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
    return new WalCheckpointer(worker, onError);
  }

  /** True while the worker is alive and checkpointing. */
  get running(): boolean {
    return !this.exited && !this.stopped;
  }

  /** Runs a last checkpoint and waits for the worker to close its connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.exited) {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        this.worker.on('message', (message: { type: string }) => {
          if (message.type === 'stopped') done();
        });
        this.worker.once('exit', done);
        if (this.exited) done();
        else this.worker.postMessage({ type: 'stop' });
      });
    }
    await this.worker.terminate();
  }
}
