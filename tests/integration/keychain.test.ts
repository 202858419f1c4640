/**
 * The keytar SecretStore against a real Secret Service: gnome-keyring in a
 * private D-Bus session, started per test in a child process whose HOME and
 * XDG folders are a temporary directory, so the test never sees or touches
 * the keyring of the person running it. DISPLAY and the session bus address
 * are not passed on either: no unlock prompt can pop up on a desktop.
 *
 * How the keyring is started matters: gnome-keyring creates (and unlocks)
 * the login keyring only when `--unlock` reads a NON-EMPTY password on stdin.
 * With an empty one it asks a GUI prompter instead, which fails without a
 * display, and every write then fails with "Object does not exist at path
 * /org/freedesktop/secrets/collection/login".
 *
 * The D-Bus tools are required, not optional: without them these tests fail
 * and say what to install (.ci/run installs them).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPECTED_SCENARIO } from '../support/secretStoreScenario';
import { LOCKED_KEYRING, UNLOCKED_KEYRING, inSession, privateHome, removePrivateHomes, requireKeychainTools } from '../support/privateKeyring';

const ROOT = resolve(__dirname, '../..');
const CHILD = join(ROOT, 'tests/support/keychainChild.ts');
/** The line keychainChild.ts prints its answer on. */
const RESULT_PREFIX = 'KEYCHAIN_RESULT ';
const CHILD_DEADLINE_MS = 20_000;

afterAll(removePrivateHomes);

function childCommand(mode: string, ...args: string[]): string[] {
  return [process.execPath, '--import', 'tsx', CHILD, mode, ...args];
}

type Outcome = { value?: unknown; error?: string; unavailable?: boolean; reason?: string; message?: string };

/** Runs `command` and answers the child's JSON line; a child that hangs is killed (with everything it started) and fails the test. */
function run(command: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((resolveRun, reject) => {
    const [file, ...args] = command;
    // Its own process group, so the bus and keyring daemons go with it if it must be killed.
    const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      reject(new Error(`the keychain child did not finish within ${CHILD_DEADLINE_MS} ms (a keychain call hung?)\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, CHILD_DEADLINE_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line === undefined) {
        reject(new Error(`the keychain child exited (${code}) without a result\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      resolveRun(JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, unknown>);
    });
  });
}

function expectUnavailable(outcome: unknown, reason: string, advice: RegExp): void {
  const o = outcome as Outcome;
  expect(o.error, JSON.stringify(o)).toBe('SecretStoreUnavailable');
  expect(o.unavailable).toBe(true);
  expect(o.reason).toBe(reason);
  expect(o.message).toMatch(advice);
  expect(o.message).not.toContain('child-secret-value');
}

describe.skipIf(process.platform !== 'linux')('KeytarSecretStore on a real Secret Service (gnome-keyring in a private D-Bus session)', () => {
  it('stores, reads, overwrites and deletes, and keeps two venues\' credentials apart, as the in-memory store does', { timeout: 30_000 }, async () => {
    requireKeychainTools();
    const { env } = privateHome();
    const result = await run(inSession(UNLOCKED_KEYRING, childCommand('scenario')), env);
    expect(result.describe).toBe('Secret Service (keytar)');
    expect(result.scenario).toEqual(EXPECTED_SCENARIO);
  });

  it('a locked keyring is reported as locked on get, set and delete, not as "nothing stored"; unlocked again, the key is still there', { timeout: 60_000 }, async () => {
    requireKeychainTools();
    const { env } = privateHome();
    const stored = await run(inSession(UNLOCKED_KEYRING, childCommand('put', 'venue:binanceusdm', 'stored-secret-value')), env);
    expect(stored).toEqual({ set: expect.objectContaining({ value: 'undefined' }), get: expect.objectContaining({ value: 'stored-secret-value' }) });

    // libsecret answers null/false for a locked item it cannot unlock; the adapter must not pass that on as "absent".
    const locked = await run(inSession(LOCKED_KEYRING, childCommand('read', 'venue:binanceusdm')), env);
    for (const call of ['get', 'set', 'delete']) expectUnavailable(locked[call], 'locked', /locked.*Unlock your login keyring/s);

    const unlocked = await run(inSession(UNLOCKED_KEYRING, childCommand('read', 'venue:binanceusdm')), env);
    expect((unlocked.get as Outcome).value).toBe('stored-secret-value');
    expect((unlocked.delete as Outcome).value).toBe(true);
  });

  it('a Secret Service with no login keyring refuses to store and says how to create one', { timeout: 30_000 }, async () => {
    requireKeychainTools();
    const { env } = privateHome();
    // No keyring started: the bus activates gnome-keyring on demand, with no login keyring and no prompt to create one.
    const result = await run(inSession('exec "$@"', childCommand('read', 'venue:okx')), env);
    for (const call of ['get', 'set', 'delete']) expectUnavailable(result[call], 'no-keyring', /no default keyring.*gnome-keyring-daemon --unlock/s);
  });

  it('a session bus with no Secret Service on it says to install one', { timeout: 30_000 }, async () => {
    requireKeychainTools();
    const { dir, env } = privateHome();
    // A bus that knows no services at all: nothing can be activated for org.freedesktop.secrets.
    const config = join(dir, 'bus.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`,
    );
    const result = await run(inSession('exec "$@"', childCommand('read', 'venue:okx'), config), env);
    for (const call of ['get', 'set', 'delete']) expectUnavailable(result[call], 'no-service', /No Secret Service is running.*gnome-keyring/s);
  });
});

describe.skipIf(process.platform !== 'linux')('KeytarSecretStore with no D-Bus session', () => {
  it('a bus address whose socket does not exist: every call rejects with SecretStoreUnavailable saying what to do, and nothing hangs', { timeout: 30_000 }, async () => {
    const { dir, env } = privateHome();
    const result = await run(childCommand('read', 'venue:binanceusdm'), { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-such-bus-socket')}` });
    for (const call of ['get', 'set', 'delete']) expectUnavailable(result[call], 'no-session-bus', /No D-Bus session bus is reachable.*dbus-run-session/s);
  });

  it('no bus address and no display to autolaunch one: the same', { timeout: 30_000 }, async () => {
    const { env } = privateHome();
    const result = await run(childCommand('read', 'venue:binanceusdm'), env);
    for (const call of ['get', 'set', 'delete']) expectUnavailable(result[call], 'no-session-bus', /No D-Bus session bus is reachable/);
  });
});

if (process.platform !== 'linux') {
  console.info(`[keychain tests] not run on ${process.platform}: they drive gnome-keyring over D-Bus, which is Linux only.`);
}
