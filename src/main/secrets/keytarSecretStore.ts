/**
 * The SecretStore on the operating system's keychain through keytar: Secret
 * Service (gnome-keyring, KWallet) over D-Bus on Linux, Keychain on macOS,
 * Credential Manager on Windows. This is the only file that knows keytar;
 * replacing it (@napi-rs/keyring, Electron safeStorage) means writing
 * another adapter of the same port.
 *
 * keytar is loaded on first use, not at start-up, so a machine without
 * libsecret starts Keel and gets a `SecretStoreUnavailable` saying what to
 * install when a key is first needed. Every keytar/libsecret failure becomes
 * `SecretStoreUnavailable` with a reason and what to do.
 *
 * One keytar quirk is handled here: on Linux, reading or deleting from a
 * locked keyring that cannot be unlocked (no prompt possible, or dismissed)
 * does not fail. libsecret skips the locked item, so getPassword answers
 * null and deletePassword false, as if nothing were stored. Keel must not
 * tell a trader "no key stored" or "deleted" when the key is in fact there,
 * so before answering null or false this adapter checks that the keyring is
 * usable by writing and removing a probe entry; a locked keyring fails that
 * write ("Cannot create an item in a locked collection").
 */
import { createRequire } from 'node:module';
import { checkAccount, checkSecret, SECRET_SERVICE, SecretStoreUnavailable, type SecretStore, type SecretStoreUnavailableReason } from '../engine/ports/secretStore';

/** The part of keytar's API this adapter uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  /** Loads keytar; tests pass a fake. Default: `require('keytar')` on first use. */
  load?: () => KeytarApi;
  /**
   * How long one keychain call may take before it is given up as
   * unavailable. Generous by default: on a desktop the call may be waiting
   * for the person to type their keyring password into an unlock prompt.
   */
  timeoutMs?: number;
  /** The service name entries are stored under (tests may isolate themselves). Default `SECRET_SERVICE`. */
  service?: string;
}

const BACKEND = 'Secret Service (keytar)';
const BACKENDS: Partial<Record<NodeJS.Platform, string>> = {
  linux: BACKEND,
  darwin: 'macOS Keychain (keytar)',
  win32: 'Windows Credential Manager (keytar)',
};
const DEFAULT_TIMEOUT_MS = 120_000;
/** Written and removed to tell "nothing stored" from "keyring locked"; never a venue's account. */
export const PROBE_ACCOUNT = 'keel:probe';
const PROBE_VALUE = 'probe';

/** Builds the messages of the errors the adapter maps, from the backend's own text. */
const MAPPINGS: ReadonlyArray<{ pattern: RegExp; reason: SecretStoreUnavailableReason; advice: string }> = [
  {
    // libsecret/GDBus: no bus address and no X11 to autolaunch one; an address whose socket is missing or refuses.
    pattern: /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket|Connection refused|Error spawning command line .*dbus-launch/i,
    reason: 'no-session-bus',
    advice:
      'No D-Bus session bus is reachable, so the Secret Service cannot be asked. Run Keel inside a desktop session, or on a server start it under `dbus-run-session` after unlocking gnome-keyring (`gnome-keyring-daemon --unlock --components=secrets` with the keyring password on its input).',
  },
  {
    pattern: /org\.freedesktop\.secrets was not provided|ServiceUnknown|not provided by any \.service files/i,
    reason: 'no-service',
    advice: 'No Secret Service is running on the session bus. Install and start gnome-keyring (or KWallet with its Secret Service interface enabled), then try again.',
  },
  {
    // gnome-keyring: "Cannot create an item in a locked collection"; a dismissed prompt; macOS with no way to show its prompt.
    pattern: /locked|prompt.*(dismissed|cancel)|dismissed|User interaction is not allowed|user canceled/i,
    reason: 'locked',
    advice: 'The keychain is locked. Unlock your login keyring (for example by logging in again, or from Passwords and Keys), then try again.',
  },
  {
    // No default collection: gnome-keyring running without a login keyring, and no prompt to create one.
    pattern: /Object does not exist at path|collection\/login|No such (object|interface)|no default collection/i,
    reason: 'no-keyring',
    advice:
      'The Secret Service has no default keyring to store into. Create a "Login" keyring (Passwords and Keys), or on a server start gnome-keyring with `gnome-keyring-daemon --unlock` and a password on its input, then try again.',
  },
];

/** The backend's error as a `SecretStoreUnavailable`; `secret`, if given, is cut out of its text whatever it says. */
export function keychainError(error: unknown, backend: string, secret?: string): SecretStoreUnavailable {
  if (error instanceof SecretStoreUnavailable) return error;
  let detail = error instanceof Error ? error.message : String(error);
  if (secret !== undefined && secret.length > 0) detail = detail.split(secret).join('[redacted]');
  const mapping = MAPPINGS.find((m) => m.pattern.test(detail));
  if (mapping === undefined) {
    return new SecretStoreUnavailable('failed', backend, `The system keychain refused the request (${detail}). Check that the keychain works (for example with Passwords and Keys) and try again.`);
  }
  return new SecretStoreUnavailable(mapping.reason, backend, `${mapping.advice} (${backend}: ${detail})`);
}

function requireKeytar(): KeytarApi {
  const requireHere = createRequire(import.meta.url);
  return requireHere('keytar') as KeytarApi;
}

export class KeytarSecretStore implements SecretStore {
  private readonly load: () => KeytarApi;
  private readonly timeoutMs: number;
  private readonly service: string;
  private readonly backend: string;
  private keytar: KeytarApi | null = null;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.load = options.load ?? requireKeytar;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.service = options.service ?? SECRET_SERVICE;
    this.backend = BACKENDS[process.platform] ?? 'System keychain (keytar)';
  }

  describe(): string {
    return this.backend;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    const value = await this.call((k) => k.getPassword(this.service, account));
    if (value === null) await this.confirmUsable();
    return value;
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    checkSecret(secret);
    await this.call((k) => k.setPassword(this.service, account, secret), secret);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    const deleted = await this.call((k) => k.deletePassword(this.service, account));
    if (!deleted) await this.confirmUsable();
    return deleted;
  }

  /** Rejects if the keyring cannot take a write (locked, missing); see the note at the top. */
  private async confirmUsable(): Promise<void> {
    await this.call((k) => k.setPassword(this.service, PROBE_ACCOUNT, PROBE_VALUE));
    await this.call((k) => k.deletePassword(this.service, PROBE_ACCOUNT));
  }

  private module(): KeytarApi {
    if (this.keytar !== null) return this.keytar;
    try {
      this.keytar = this.load();
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new SecretStoreUnavailable(
        'not-installed',
        this.backend,
        `The keychain library (keytar) could not be loaded: ${detail}. On Linux install libsecret (Debian/Ubuntu: libsecret-1-0) and reinstall Keel's dependencies; Keel does not store keys anywhere else.`,
      );
    }
    return this.keytar;
  }

  /** One keytar call, bounded in time, its failure mapped. */
  private async call<T>(fn: (keytar: KeytarApi) => Promise<T>, secret?: string): Promise<T> {
    const keytar = this.module();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SecretStoreUnavailable(
              'timeout',
              this.backend,
              `The system keychain did not answer within ${Math.round(this.timeoutMs / 1000)} s. Check that it is running and unlocked, then try again.`,
            ),
          ),
        this.timeoutMs,
      );
      timer.unref?.();
    });
    try {
      // keytar's own argument checks throw synchronously; inside the async wrapper they reject like the rest.
      return await Promise.race([(async () => fn(keytar))(), timeout]);
    } catch (error) {
      throw keychainError(error, this.backend, secret);
    } finally {
      clearTimeout(timer);
    }
  }
}
