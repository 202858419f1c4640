import { describe, expect, it } from 'vitest';
import { SecretStoreUnavailable } from '../engine/ports/secretStore';
import { EXPECTED_SCENARIO, runSecretStoreScenario } from '../../../tests/support/secretStoreScenario';
import { MemorySecretStore } from './memorySecretStore';

describe('MemorySecretStore', () => {
  it('behaves as the keychain does in the shared scenario (tests/integration/keychain.test.ts holds keytar to the same answers)', async () => {
    expect(await runSecretStoreScenario(new MemorySecretStore())).toEqual(EXPECTED_SCENARIO);
  });

  it('keeps stores apart: nothing is shared between instances', async () => {
    const a = new MemorySecretStore();
    const b = new MemorySecretStore();
    await a.set('venue:okx', 'secret-a');
    expect(await b.get('venue:okx')).toBeNull();
    expect(a.describe()).toMatch(/memory/i);
  });

  it('fails like an unreachable keychain when told to, with a fresh error each call, and keeps its entries for when it recovers', async () => {
    const store = new MemorySecretStore();
    await store.set('venue:okx', 'kept-secret');
    store.failWith('locked');
    const errors: unknown[] = [];
    for (const call of [() => store.get('venue:okx'), () => store.set('venue:okx', 'x'), () => store.delete('venue:okx')]) {
      try {
        await call();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SecretStoreUnavailable);
      expect((error as SecretStoreUnavailable).reason).toBe('locked');
    }
    expect(errors[0]).not.toBe(errors[1]);
    store.recover();
    expect(await store.get('venue:okx')).toBe('kept-secret');
  });

  it('rejects (never throws synchronously) on bad input, like an async keychain call', () => {
    const store = new MemorySecretStore();
    const pending = store.set('', 'x');
    expect(pending).toBeInstanceOf(Promise);
    return expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});
