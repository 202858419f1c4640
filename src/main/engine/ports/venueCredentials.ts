/**
 * One venue's API credentials as one keychain entry: account `venue:<id>`,
 * the secret a small versioned JSON document. Keeping key, secret and
 * passphrase in one entry means they are written and removed together, so a
 * venue never ends up with a key from one save and a secret from another.
 *
 * What comes back from the keychain is checked before use: an entry that is
 * not ours or was damaged is a `CorruptVenueCredentials` error saying how to
 * fix it, never a crash, and never an error that quotes the entry (it holds
 * the secret; JSON.parse's own message would quote it).
 */
import { venueId as checkedVenueId } from '../../../shared/ids';
import { checkSecret, type SecretStore } from './secretStore';

export interface VenueCredentials {
  apiKey: string;
  secret: string;
  /** Some venues (OKX) require one; ccxt calls it `password`. */
  passphrase?: string;
}

const FORMAT_VERSION = 1;
const ACCOUNT_PREFIX = 'venue:';

/** The keychain account holding `venueId`'s credentials. */
export function venueAccount(venueId: string): string {
  return `${ACCOUNT_PREFIX}${checkedVenueId(venueId)}`;
}

/** A stored entry that is not readable Keel credentials. */
export class CorruptVenueCredentials extends Error {
  override readonly name = 'CorruptVenueCredentials';
  readonly venueId: string;

  constructor(venueId: string, problem: string) {
    super(`The keychain entry for venue "${venueId}" is not valid Keel credentials (${problem}); delete the venue's keys and enter them again.`);
    this.venueId = venueId;
  }
}

/** Credentials Keel refuses to store; the message names the field, never its value. */
export class InvalidVenueCredentials extends Error {
  override readonly name = 'InvalidVenueCredentials';
}

// Control characters (a pasted newline or tab, NUL) never belong in a key; spaces may (an OKX passphrase).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Why a field's value is unusable, or null when it is fine; never quotes the value. */
function fieldProblem(name: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${name} is not text`;
  if (value.trim().length === 0) return `${name} is empty`;
  if (CONTROL_CHARACTER.test(value)) return `${name} contains a control character such as a line break`;
  return null;
}

/** The credentials as they will be stored: checked, with an empty passphrase meaning none. */
function normalized(credentials: VenueCredentials, fail: (problem: string) => Error): VenueCredentials {
  for (const field of ['apiKey', 'secret'] as const) {
    const problem = fieldProblem(field, credentials[field]);
    if (problem !== null) throw fail(problem);
  }
  const { apiKey, secret, passphrase } = credentials;
  if (passphrase === undefined || passphrase === '') return { apiKey, secret };
  const problem = fieldProblem('passphrase', passphrase);
  if (problem !== null) throw fail(problem);
  return { apiKey, secret, passphrase };
}

/** The keychain text for `credentials`. */
export function encodeVenueCredentials(credentials: VenueCredentials): string {
  const { apiKey, secret, passphrase } = normalized(credentials, (problem) => new InvalidVenueCredentials(`Cannot store these credentials: ${problem}.`));
  const text = JSON.stringify(passphrase === undefined ? { v: FORMAT_VERSION, apiKey, secret } : { v: FORMAT_VERSION, apiKey, secret, passphrase });
  checkSecret(text);
  return text;
}

/** The credentials in keychain `text` stored for `venueId`; a fresh object on every call. */
export function decodeVenueCredentials(venueId: string, text: string): VenueCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds the secret: say only what kind of problem it is.
    throw new CorruptVenueCredentials(venueId, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CorruptVenueCredentials(venueId, 'not a JSON object');
  const entry = parsed as Record<string, unknown>;
  if (entry.v !== FORMAT_VERSION) throw new CorruptVenueCredentials(venueId, typeof entry.v === 'number' ? `unknown format version ${entry.v}` : 'no format version');
  const passphrase = entry.passphrase;
  if (passphrase !== undefined && typeof passphrase !== 'string') throw new CorruptVenueCredentials(venueId, 'passphrase is not text');
  return normalized(
    { apiKey: entry.apiKey as string, secret: entry.secret as string, ...(passphrase === undefined ? {} : { passphrase }) },
    (problem) => new CorruptVenueCredentials(venueId, problem),
  );
}

/** `venueId`'s credentials from `store`, or null when none are stored. */
export async function readVenueCredentials(store: SecretStore, venueId: string): Promise<VenueCredentials | null> {
  const text = await store.get(venueAccount(venueId));
  return text === null ? null : decodeVenueCredentials(venueId, text);
}

/** Stores `credentials` for `venueId`, replacing any stored before. */
export async function writeVenueCredentials(store: SecretStore, venueId: string, credentials: VenueCredentials): Promise<void> {
  const account = venueAccount(venueId);
  await store.set(account, encodeVenueCredentials(credentials));
}

/** Removes `venueId`'s credentials; true if there were some. */
export async function deleteVenueCredentials(store: SecretStore, venueId: string): Promise<boolean> {
  return store.delete(venueAccount(venueId));
}

/**
 * The last four characters of an API key, for "key …abcd is stored". A key of
 * eight characters or fewer answers "" so the hint never shows most of it.
 */
export function lastFour(apiKey: string): string {
  return apiKey.length > 8 ? apiKey.slice(-4) : '';
}
