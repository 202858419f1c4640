/**
 * A SecretStore held in memory, for unit tests and backtests: the same
 * semantics as the keychain adapter (same input checks, null for a missing
 * entry, delete answers whether there was one, every call asynchronous), and
 * it can be told to fail like an unreachable keychain so the code above it
 * can be tested on that path too. Nothing is persisted.
 */
import { checkAccount, checkSecret, SecretStoreUnavailable, type SecretStore } from '../engine/ports/secretStore';

export class MemorySecretStore implements SecretStore {
  private readonly entries = new Map<string, string>();
  private failure: SecretStoreUnavailable | null = null;

  describe(): string {
    return 'In memory (not persisted)';
  }

  async get(account: string): Promise<string | null> {
    this.check(account);
    return this.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.check(account);
    checkSecret(secret);
    this.entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.check(account);
    return this.entries.delete(account);
  }

  /**
   * From now on every call rejects as a keychain would when it is locked or
   * missing (`reason`), until `recover()`. Entries are kept meanwhile.
   */
  failWith(reason: SecretStoreUnavailable['reason'], message = `The in-memory keychain is set to fail (${reason}).`): void {
    this.failure = new SecretStoreUnavailable(reason, this.describe(), message);
  }

  recover(): void {
    this.failure = null;
  }

  /** How many entries are stored (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private check(account: string): void {
    checkAccount(account);
    // A fresh error per call, as a real backend would give: callers may annotate what they catch.
    if (this.failure !== null) throw new SecretStoreUnavailable(this.failure.reason, this.failure.backend, this.failure.message);
  }
}
