import { describe, expect, it } from 'vitest';
import { checkAccount, checkSecret, SECRET_SERVICE, SecretStoreUnavailable } from './secretStore';

describe('SecretStore port', () => {
  it('keeps every entry under the one service name "Keel"', () => {
    expect(SECRET_SERVICE).toBe('Keel');
  });

  it('SecretStoreUnavailable is an Error with a name, a reason for programs and the backend that failed', () => {
    const error = new SecretStoreUnavailable('locked', 'Secret Service (keytar)', 'The keychain is locked. Unlock it and try again.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SecretStoreUnavailable');
    expect(error.reason).toBe('locked');
    expect(error.backend).toBe('Secret Service (keytar)');
    expect(String(error)).toBe('SecretStoreUnavailable: The keychain is locked. Unlock it and try again.');
  });

  it('refuses empty accounts and secrets, and a NUL the keychain would cut the string at, without repeating the secret', () => {
    expect(() => checkAccount('venue:okx')).not.toThrow();
    expect(() => checkSecret('s3cr3t value')).not.toThrow();
    expect(() => checkAccount('')).toThrow(TypeError);
    expect(() => checkAccount('venue:\0okx')).toThrow(/NUL/);
    expect(() => checkSecret('')).toThrow(TypeError);
    expect(() => checkAccount(42 as unknown as string)).toThrow(TypeError);
    expect(() => checkSecret(null as unknown as string)).toThrow(TypeError);
    let message = '';
    try {
      checkSecret('visible-part\0hidden-part');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/NUL/);
    expect(message).not.toMatch(/visible-part|hidden-part/);
  });
});
