/**
 * Where API secrets live: the operating system's keychain, behind a port so
 * the rest of Keel never knows which library talks to it (keytar today; a
 * maintained replacement is a one-adapter change). Every entry sits under
 * one service name, `SECRET_SERVICE`, keyed by an account string.
 *
 * A store that cannot reach its keychain rejects with `SecretStoreUnavailable`
 * and never falls back to anything else (a file, memory): Keel refuses to
 * keep a key it cannot keep safely and says why.
 */

/** The service name every Keel entry is stored under in the keychain. */
export const SECRET_SERVICE = 'Keel';

export interface SecretStore {
  /** The stored secret, or null when there is none for `account`. */
  get(account: string): Promise<string | null>;
  /** Stores `secret` for `account`, replacing any secret stored before. */
  set(account: string, secret: string): Promise<void>;
  /** Removes the secret for `account`; true if there was one. */
  delete(account: string): Promise<boolean>;
  /** The backend's name for the settings view and the log, such as "Secret Service (keytar)". */
  describe(): string;
}

/** Why the keychain could not be used; a program branches on this, a person reads the message. */
export type SecretStoreUnavailableReason =
  /** The keychain library itself could not be loaded (on Linux: libsecret missing). */
  | 'not-installed'
  /** No D-Bus session bus to reach the Secret Service through. */
  | 'no-session-bus'
  /** A session bus, but no Secret Service on it (no gnome-keyring, KWallet...). */
  | 'no-service'
  /** A Secret Service with no default keyring to store into. */
  | 'no-keyring'
  /** The keyring is locked and could not be unlocked (no prompt possible, or it was dismissed). */
  | 'locked'
  /** The keychain did not answer in time. */
  | 'timeout'
  /** The keychain answered with an error Keel does not recognise. */
  | 'failed';

/**
 * The keychain cannot be used right now. The message says what to do about
 * it; it never contains a secret (adapters build it from the backend's own
 * error text, which does not carry the stored value either).
 */
export class SecretStoreUnavailable extends Error {
  override readonly name = 'SecretStoreUnavailable';
  readonly reason: SecretStoreUnavailableReason;
  /** The backend that failed, as its `describe()` says. */
  readonly backend: string;

  constructor(reason: SecretStoreUnavailableReason, backend: string, message: string) {
    super(message);
    this.reason = reason;
    this.backend = backend;
  }
}

/**
 * Checks an account name and a secret the way every adapter must, so they all
 * refuse the same input. A NUL character is refused because keytar (and the C
 * APIs under it) silently cut the string there: "ab\0cd" would be stored as
 * "ab". The messages never repeat the secret.
 */
export function checkAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0) throw new TypeError('A keychain account name must be a non-empty string');
  if (account.includes('\0')) throw new TypeError('A keychain account name must not contain a NUL character');
}

export function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('A secret must be a non-empty string');
  if (secret.includes('\0')) throw new TypeError('A secret must not contain a NUL character (the keychain would cut it short)');
}
