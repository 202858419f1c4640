/**
 * Starts the real headless host (built output, real engine and SQLite) as a
 * child process on a free port, and stops it, so tests can also restart it
 * on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UNLOCKED_KEYRING, inSession, privateHome, removePrivateHomes, requireKeychainTools } from '../support/privateKeyring';

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
  removePrivateHomes();
}

export interface HostOptions {
  dataDir?: string;
  seed?: number;
  port?: number;
  /** Runs the host with a real Secret Service (gnome-keyring in a private D-Bus session); without it keychain calls fail for want of a session bus. */
  keyring?: boolean;
  /** Exchanges pointed at loopback servers (`--venue-url exchange=url`), such as the fake exchange a test starts. */
  venueUrls?: Record<string, string>;
}

/** `command` inside a private D-Bus session with gnome-keyring unlocked, in a throwaway home. */
function keyringSession(command: string[]): { command: string[]; env: NodeJS.ProcessEnv } {
  requireKeychainTools();
  return { command: inSession(UNLOCKED_KEYRING, command), env: privateHome().env };
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? freshDataDir();
  const token = 'e2e-token-0123456789';
  const command = [process.execPath, ENTRY, '--port', String(options.port ?? 0), '--data-dir', dataDir, '--token', token, '--seed', String(options.seed ?? 7)];
  for (const [exchange, url] of Object.entries(options.venueUrls ?? {})) command.push('--venue-url', `${exchange}=${url}`);
  const session = options.keyring ? keyringSession(command) : null;
  // In a session the host runs under dbus-run-session, in a process group of its own, so stopping it stops the bus and keyring too.
  const child: ChildProcess = session
    ? spawn(session.command[0]!, session.command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: session.env, detached: true })
    : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
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
        if (session) process.kill(-child.pid!, 'SIGTERM');
        else child.kill('SIGTERM');
      }),
  };
}
