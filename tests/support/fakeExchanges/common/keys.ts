/**
 * The API keys a fake exchange accepts, by key: each exchange keeps its own
 * entry (secret, permissions, allowed IPs) and a key's owner may revoke it,
 * after which it stops working at once.
 */

export class RevocableKeys<E extends { revoked: boolean }> {
  protected readonly keys = new Map<string, E>();

  /** The key stops working at once, as when its owner deletes it on the website. */
  revoke(apiKey: string): void {
    const entry = this.keys.get(apiKey);
    if (entry !== undefined) entry.revoked = true;
  }

  /** A key's entry while it works. */
  entry(apiKey: string): E | undefined {
    const entry = this.keys.get(apiKey);
    return entry === undefined || entry.revoked ? undefined : entry;
  }
}
