/**
 * Starts `hostProcess.ts` (the real headless host, from the TypeScript
 * sources through tsx) as a child process and waits for its port, so a test
 * can kill it with SIGKILL and start it again on the same data folder.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { JOURNAL_FILE } from '../../src/main/journal/database';
import { UNLOCKED_KEYRING, inSession } from './privateKeyring';

const ROOT = resolve(__dirname, '../..');
const ENTRY = join(ROOT, 'tests/support/hostProcess.ts');
const MAX_KEPT_OUTPUT = 64 * 1024;

/** The line the host prints once it listens, followed by `{"port":…}`. */
export const READY_PREFIX = 'KEEL_HOST_READY ';

/** What the host writes to stderr only when something slipped past a handler (the process guard's and dispatcher's reports). */
export const HOST_FAILURE_LOG = /uncaught exception|unhandled promise rejection|\[dispatch\]|\[host\] a WebSocket request failed/;

export const HOST_TOKEN = 'child-host-token-0123456789';

export interface ChildHost {
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stderr so far (bounded). */
  stderr(): string;
  isRunning(): boolean;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (an orderly shutdown), falling back to SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  seed?: number;
  token?: string;
  startTimeoutMs?: number;
  /** Called as soon as the process exists, before it is ready (to kill it during start-up). */
  onSpawn?: (child: ChildProcess) => void;
  /**
   * Run inside a private D-Bus session with an unlocked gnome-keyring over
   * this environment's home (see privateKeyring.ts), so the host keeps API
   * keys in a real keychain that outlives the process.
   */
  keyring?: NodeJS.ProcessEnv;
  /** Exchanges pointed at loopback servers, as `--venue-url` does. */
  venueUrls?: Record<string, string>;
  /** Real venues' timings (shortened for tests). */
  venueTimings?: Record<string, number>;
}

/** Spawns the host without waiting for it; `ready` resolves with its port, or rejects if it exits first. */
export function spawnHost(options: SpawnOptions): { child: ChildProcess; ready: Promise<ChildHost> } {
  const token = options.token ?? HOST_TOKEN;
  const node = [process.execPath, '--import', 'tsx', ENTRY, options.dataDir, String(options.seed ?? 42)];
  const [file, ...args] = options.keyring === undefined ? node : inSession(UNLOCKED_KEYRING, node);
  const env: NodeJS.ProcessEnv = {
    ...(options.keyring ?? process.env),
    KEEL_HOST_TOKEN: token,
    NODE_OPTIONS: '',
    ...(options.venueUrls ? { KEEL_TEST_VENUE_URLS: JSON.stringify(options.venueUrls) } : {}),
    ...(options.venueTimings ? { KEEL_TEST_VENUE_TIMINGS: JSON.stringify(options.venueTimings) } : {}),
  };
  // In its own process group, so SIGKILL reaches the host itself and not only the D-Bus session wrapped around it.
  const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.keyring !== undefined });
  const signal = (name: NodeJS.Signals) => {
    if (options.keyring !== undefined && child.pid !== undefined) {
      try {
        process.kill(-child.pid, name);
        return;
      } catch {
        // The group is gone already.
      }
    }
    child.kill(name);
  };
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  const keep = (text: string, chunk: Buffer) => (text + chunk.toString()).slice(-MAX_KEPT_OUTPUT);
  child.stderr!.on('data', (chunk: Buffer) => (stderr = keep(stderr, chunk)));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      running = false;
      done({ code, signal });
    });
  });
  const ready = new Promise<ChildHost>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(new Error(`host did not start within ${options.startTimeoutMs ?? 15_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout = keep(stdout, chunk);
      const line = stdout.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (line === undefined) return;
      clearTimeout(timer);
      const { port } = JSON.parse(line.slice(READY_PREFIX.length)) as { port: number };
      resolveReady(handle(port));
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`host exited before it was ready (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
  const handle = (port: number): ChildHost => ({
    port,
    token,
    dataDir: options.dataDir,
    child,
    exited,
    stderr: () => stderr,
    isRunning: () => running,
    kill: async () => {
      if (running) signal('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 5_000) => {
      if (!running) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  });
  return { child, ready };
}

export function startHost(options: SpawnOptions): Promise<ChildHost> {
  return spawnHost(options).ready;
}

/** Bytes of the journal on disk: the database and its write-ahead log. */
/**
 * The journal's logical size: pages in use, read through SQLite itself, so a
 * WAL checkpoint moving pages from the -wal file into the database (which
 * changes both files' sizes) does not count as growth.
 */
export function journalBytes(dataDir: string): number {
  const db = new Database(join(dataDir, JOURNAL_FILE), { readonly: true, fileMustExist: true });
  try {
    const pages = Number(db.pragma('page_count', { simple: true }));
    const free = Number(db.pragma('freelist_count', { simple: true }));
    const size = Number(db.pragma('page_size', { simple: true }));
    return (pages - free) * size;
  } finally {
    db.close();
  }
}
