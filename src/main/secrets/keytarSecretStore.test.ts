import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecretStoreUnavailable } from '../engine/ports/secretStore';
import { keychainError, KeytarSecretStore, PROBE_ACCOUNT, type KeytarApi } from './keytarSecretStore';

type Call = [method: string, service: string, account: string, password?: string];

/** A keytar stand-in over a Map, recording calls; any method can be replaced. */
function fakeKeytar(overrides: Partial<KeytarApi> = {}): KeytarApi & { calls: Call[]; entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const calls: Call[] = [];
  const base: KeytarApi = {
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void entries.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
  };
  const api = { ...base, ...overrides };
  return {
    calls,
    entries,
    getPassword: (s, a) => (calls.push(['get', s, a]), api.getPassword(s, a)),
    setPassword: (s, a, p) => (calls.push(['set', s, a, p]), api.setPassword(s, a, p)),
    deletePassword: (s, a) => (calls.push(['delete', s, a]), api.deletePassword(s, a)),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<SecretStoreUnavailable> {
  try {
    await promise;
  } catch (error) {
    return error as SecretStoreUnavailable;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('KeytarSecretStore', () => {
  it('stores under the service "Keel" with the account as given, and names its backend', async () => {
    const keytar = fakeKeytar();
    const store = new KeytarSecretStore({ load: () => keytar });
    await store.set('venue:okx', 's3cret');
    expect(await store.get('venue:okx')).toBe('s3cret');
    expect(await store.delete('venue:okx')).toBe(true);
    expect(keytar.calls).toEqual([
      ['set', 'Keel', 'venue:okx', 's3cret'],
      ['get', 'Keel', 'venue:okx'],
      ['delete', 'Keel', 'venue:okx'],
    ]);
    expect(store.describe()).toBe(process.platform === 'linux' ? 'Secret Service (keytar)' : expect.stringContaining('keytar'));
  });

  it('loads keytar on first use, once, not when constructed', async () => {
    const load = vi.fn(() => fakeKeytar());
    const store = new KeytarSecretStore({ load });
    expect(load).not.toHaveBeenCalled();
    await store.set('a', 'x');
    await store.get('a');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a keytar that cannot be loaded (no libsecret) is SecretStoreUnavailable saying what to install, not a crash', async () => {
    const store = new KeytarSecretStore({
      load: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory\nRequire stack:\n- /app/node_modules/keytar/lib/keytar.js');
      },
    });
    const error = await rejectionOf(store.get('venue:okx'));
    expect(error).toBeInstanceOf(SecretStoreUnavailable);
    expect(error.reason).toBe('not-installed');
    expect(error.message).toMatch(/libsecret-1\.so\.0.*install libsecret/s);
    expect(error.message).not.toMatch(/Require stack/);
    // Still unavailable on the next call, and still without throwing synchronously.
    await expect(store.set('venue:okx', 'x')).rejects.toBeInstanceOf(SecretStoreUnavailable);
  });

  it('refuses bad input before keytar is even loaded', async () => {
    const load = vi.fn(() => fakeKeytar());
    const store = new KeytarSecretStore({ load });
    await expect(store.set('venue:okx', '')).rejects.toBeInstanceOf(TypeError);
    await expect(store.set('venue:okx', 'a\0b')).rejects.toThrow(/NUL/);
    await expect(store.get('')).rejects.toBeInstanceOf(TypeError);
    expect(load).not.toHaveBeenCalled();
  });

  it('before answering "nothing stored" or "nothing deleted", checks the keyring takes a write (libsecret answers null for a locked item)', async () => {
    const keytar = fakeKeytar();
    const store = new KeytarSecretStore({ load: () => keytar });
    expect(await store.get('venue:okx')).toBeNull();
    expect(await store.delete('venue:okx')).toBe(false);
    expect(keytar.calls).toEqual([
      ['get', 'Keel', 'venue:okx'],
      ['set', 'Keel', PROBE_ACCOUNT, 'probe'],
      ['delete', 'Keel', PROBE_ACCOUNT],
      ['delete', 'Keel', 'venue:okx'],
      ['set', 'Keel', PROBE_ACCOUNT, 'probe'],
      ['delete', 'Keel', PROBE_ACCOUNT],
    ]);
    expect(keytar.entries.size).toBe(0);
  });

  it('a locked keyring that answers null is reported as locked', async () => {
    const keytar = fakeKeytar({
      getPassword: async () => null,
      deletePassword: async () => false,
      setPassword: async () => {
        throw new Error('Cannot create an item in a locked collection');
      },
    });
    const store = new KeytarSecretStore({ load: () => keytar });
    for (const call of [() => store.get('venue:okx'), () => store.delete('venue:okx'), () => store.set('venue:okx', 'x')]) {
      const error = await rejectionOf(call());
      expect(error).toBeInstanceOf(SecretStoreUnavailable);
      expect(error.reason).toBe('locked');
      expect(error.message).toMatch(/Unlock your login keyring/);
    }
  });

  it('keytar failures, thrown or rejected, become SecretStoreUnavailable', async () => {
    const store = new KeytarSecretStore({
      load: () =>
        fakeKeytar({
          getPassword: () => {
            throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
          },
          setPassword: () => Promise.reject('a bare string'),
        }),
    });
    expect((await rejectionOf(store.get('a'))).reason).toBe('no-session-bus');
    const failed = await rejectionOf(store.set('a', 'x'));
    expect(failed.reason).toBe('failed');
    expect(failed.message).toMatch(/a bare string/);
  });

  it('gives up on a keychain that never answers, after its timeout', async () => {
    vi.useFakeTimers();
    const store = new KeytarSecretStore({ timeoutMs: 5_000, load: () => fakeKeytar({ getPassword: () => new Promise(() => undefined) }) });
    const pending = rejectionOf(store.get('venue:okx'));
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await pending;
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 5 s/);
  });
});

describe('keychainError', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-session-bus', /dbus-run-session/],
    ['Could not connect: No such file or directory', 'no-session-bus', /No D-Bus session bus/],
    ['Could not connect: Connection refused', 'no-session-bus', /No D-Bus session bus/],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no-service', /Install and start gnome-keyring/],
    ['Cannot create an item in a locked collection', 'locked', /Unlock your login keyring/],
    ['User interaction is not allowed.', 'locked', /locked/],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'no-keyring', /no default keyring/],
    ['Something nobody has seen before', 'failed', /refused the request \(Something nobody has seen before\)/],
  ];
  for (const [detail, reason, advice] of cases) {
    it(`maps "${detail}" to ${reason}, with advice and the backend's own words`, () => {
      const error = keychainError(new Error(detail), 'Secret Service (keytar)');
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(advice);
      expect(error.message).toContain(detail);
      expect(error.backend).toBe('Secret Service (keytar)');
    });
  }

  it('cuts the secret being stored out of the backend\'s text, whatever it says', () => {
    const error = keychainError(new Error('refused to store hunter2-secret for you'), 'b', 'hunter2-secret');
    expect(error.message).not.toContain('hunter2-secret');
    expect(error.message).toContain('[redacted]');
  });

  it('passes a SecretStoreUnavailable through unchanged', () => {
    const original = new SecretStoreUnavailable('timeout', 'b', 'm');
    expect(keychainError(original, 'other')).toBe(original);
  });
});
