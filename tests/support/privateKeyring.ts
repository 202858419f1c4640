/**
 * A real Secret Service for tests: gnome-keyring in a private D-Bus session,
 * with a throwaway home, so nothing ever touches the keyring of the person
 * running the tests and no password prompt can appear (no display is passed).
 * The keyring lives in the home folder, so a second session over the same
 * home finds what the first stored (a host restarted after a crash).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KEYRING_PASSWORD = 'keel-test-keyring-password';

/** gnome-keyring with its login keyring created or unlocked, then the child ("$@"). */
export const UNLOCKED_KEYRING = `printf %s '${KEYRING_PASSWORD}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"`;
/** gnome-keyring started without a password: an existing login keyring stays locked. */
export const LOCKED_KEYRING = 'gnome-keyring-daemon --start --components=secrets >/dev/null && exec "$@"';

export const REQUIRED_TOOLS = ['dbus-run-session', 'dbus-daemon', 'gnome-keyring-daemon'];

export function requireKeychainTools(): void {
  const missing = REQUIRED_TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not found on PATH: the keychain tests need a real Secret Service in a private D-Bus session. ` +
        'Install it (Debian/Ubuntu: apt-get install dbus gnome-keyring libsecret-1-dev), as .ci/run does.',
    );
  }
}

const homes: string[] = [];

/** Removes every home made so far (call from afterAll). */
export function removePrivateHomes(): void {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A throwaway home for one keyring, and an environment that points only at it. */
export function privateHome(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-keychain-'));
  homes.push(dir);
  const runtime = join(dir, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: runtime,
    LANG: 'C.UTF-8',
    NODE_OPTIONS: '',
  };
  return { dir, env };
}

/** `command` inside a private session bus, after `shellSetup` (which ends by exec'ing the command). */
export function inSession(shellSetup: string, command: string[], busConfig?: string): string[] {
  return ['dbus-run-session', ...(busConfig === undefined ? [] : [`--config-file=${busConfig}`]), '--', 'sh', '-c', shellSetup, 'sh', ...command];
}
