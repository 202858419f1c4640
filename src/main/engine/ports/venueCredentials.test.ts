import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../secrets/memorySecretStore';
import { SecretStoreUnavailable } from './secretStore';
import {
  CorruptVenueCredentials,
  decodeVenueCredentials,
  deleteVenueCredentials,
  encodeVenueCredentials,
  InvalidVenueCredentials,
  lastFour,
  readVenueCredentials,
  venueAccount,
  writeVenueCredentials,
} from './venueCredentials';

const SECRET = 'the-secret-value-0123';
const CREDENTIALS = { apiKey: 'api-key-abcdefgh1234', secret: SECRET };

/** The error `run` throws (or rejects with); fails the test if it does not. */
async function caught(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('venue credentials codec', () => {
  it('keeps one venue in one entry, account "venue:<id>", and refuses a malformed venue id', async () => {
    expect(venueAccount('binanceusdm')).toBe('venue:binanceusdm');
    expect(() => venueAccount('Not A Venue')).toThrow(/venue id/);
    expect(() => venueAccount('')).toThrow(/venue id/);
  });

  it('round-trips credentials with and without a passphrase, as a versioned JSON document', () => {
    const withPassphrase = { apiKey: 'k-123456789', secret: 's "quoted" \\ ü', passphrase: 'pass phrase' };
    expect(decodeVenueCredentials('okx', encodeVenueCredentials(withPassphrase))).toEqual(withPassphrase);
    expect(decodeVenueCredentials('binanceusdm', encodeVenueCredentials(CREDENTIALS))).toEqual(CREDENTIALS);
    expect(JSON.parse(encodeVenueCredentials(CREDENTIALS))).toEqual({ v: 1, ...CREDENTIALS });
  });

  it('treats an empty passphrase as none (a form sends "" for an empty field)', () => {
    const decoded = decodeVenueCredentials('okx', encodeVenueCredentials({ ...CREDENTIALS, passphrase: '' }));
    expect(decoded).toEqual(CREDENTIALS);
    expect('passphrase' in decoded).toBe(false);
  });

  it('refuses to store empty fields or control characters (a pasted line break), naming the field and never its value', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...CREDENTIALS, apiKey: '' }, /apiKey is empty/],
      [{ ...CREDENTIALS, secret: '   ' }, /secret is empty/],
      [{ ...CREDENTIALS, secret: `${SECRET}\n` }, /secret contains a control character/],
      [{ ...CREDENTIALS, passphrase: `${SECRET}\t` }, /passphrase contains a control character/],
      [{ ...CREDENTIALS, secret: `${SECRET}\0` }, /secret contains a control character/],
    ];
    for (const [input, message] of cases) {
      const error = await caught(() => encodeVenueCredentials(input as never));
      expect(error).toBeInstanceOf(InvalidVenueCredentials);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('reads a damaged or foreign entry as CorruptVenueCredentials that never quotes the entry (JSON.parse\'s own message would)', async () => {
    const entries: Array<[string, RegExp]> = [
      [`{"v":1,"secret":"${SECRET}"`, /not JSON/],
      [SECRET, /not JSON/],
      [`["${SECRET}"]`, /not a JSON object/],
      ['null', /not a JSON object/],
      [JSON.stringify({ apiKey: 'k', secret: SECRET }), /no format version/],
      [JSON.stringify({ v: 2, apiKey: 'k', secret: SECRET }), /unknown format version 2/],
      [JSON.stringify({ v: 1, apiKey: 7, secret: SECRET }), /apiKey is not text/],
      [JSON.stringify({ v: 1, apiKey: 'k' }), /secret is not text/],
      [JSON.stringify({ v: 1, apiKey: 'k', secret: SECRET, passphrase: 5 }), /passphrase is not text/],
      [JSON.stringify({ v: 1, apiKey: 'k', secret: `${SECRET}\r\n` }), /secret contains a control character/],
    ];
    for (const [text, problem] of entries) {
      const error = await caught(() => decodeVenueCredentials('bybit', text));
      expect(error).toBeInstanceOf(CorruptVenueCredentials);
      expect((error as CorruptVenueCredentials).venueId).toBe('bybit');
      expect(error.message).toMatch(problem);
      expect(error.message).toMatch(/venue "bybit".*enter them again/);
      expect(error.message).not.toContain(SECRET);
      expect(error.cause).toBeUndefined();
    }
  });

  it('writes, reads and deletes through a store, one venue apart from another, a fresh object per read', async () => {
    const store = new MemorySecretStore();
    expect(await readVenueCredentials(store, 'okx')).toBeNull();
    await writeVenueCredentials(store, 'binanceusdm', CREDENTIALS);
    await writeVenueCredentials(store, 'okx', { ...CREDENTIALS, passphrase: 'okx-pass' });
    const first = await readVenueCredentials(store, 'binanceusdm');
    const second = await readVenueCredentials(store, 'binanceusdm');
    expect(first).toEqual(CREDENTIALS);
    expect(second).not.toBe(first);
    first!.secret = 'changed by a caller';
    expect(await readVenueCredentials(store, 'binanceusdm')).toEqual(CREDENTIALS);
    expect(await readVenueCredentials(store, 'okx')).toEqual({ ...CREDENTIALS, passphrase: 'okx-pass' });
    expect(await deleteVenueCredentials(store, 'okx')).toBe(true);
    expect(await deleteVenueCredentials(store, 'okx')).toBe(false);
    expect(await readVenueCredentials(store, 'okx')).toBeNull();
    expect(await readVenueCredentials(store, 'binanceusdm')).toEqual(CREDENTIALS);
    expect(store.size).toBe(1);
  });

  it('does not touch the store when the credentials are refused, and passes the store\'s unavailability through', async () => {
    const store = new MemorySecretStore();
    await expect(writeVenueCredentials(store, 'okx', { apiKey: 'k', secret: '' })).rejects.toBeInstanceOf(InvalidVenueCredentials);
    expect(store.size).toBe(0);
    store.failWith('locked');
    await expect(readVenueCredentials(store, 'okx')).rejects.toBeInstanceOf(SecretStoreUnavailable);
    await expect(writeVenueCredentials(store, 'okx', CREDENTIALS)).rejects.toBeInstanceOf(SecretStoreUnavailable);
  });
});

describe('lastFour', () => {
  it('shows the last four characters of a key, and nothing of a key too short to hide most of', () => {
    expect(lastFour('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A')).toBe('Eh8A');
    expect(lastFour('123456789')).toBe('6789');
    expect(lastFour('12345678')).toBe('');
    expect(lastFour('abc')).toBe('');
    expect(lastFour('')).toBe('');
  });
});
