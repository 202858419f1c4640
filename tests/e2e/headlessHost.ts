/**
 * Starts the real headless host (built output, real engine and SQLite) as a
 * child process on a free port, and stops it, so tests can also restart it
 * on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

const ENTRY = resolve(__dirname, '../../out/main/headless.js');

const created: string[] = [];

export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
  created.push(dir);
  return dir;
}

/** Removes every data folder this test file made (a restart test reuses one, so only at the end). */
export function removeDataDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function startHost(options: { dataDir?: string; seed?: number; port?: number } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? freshDataDir();
  const token = 'e2e-token-0123456789';
  const child: ChildProcess = spawn(
    process.execPath,
    [ENTRY, '--port', String(options.port ?? 0), '--data-dir', dataDir, '--token', token, '--seed', String(options.seed ?? 7)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in time:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    token,
    dataDir,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
