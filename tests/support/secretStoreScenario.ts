/**
 * What every SecretStore must do, as one scenario that answers plain JSON:
 * the in-memory store runs it inside vitest, the keytar store runs it in a
 * child process against a real Secret Service (tests/support/keychainChild.ts),
 * and both are held to `EXPECTED_SCENARIO`, so the memory store a test or a
 * backtest uses cannot behave differently from the keychain.
 */
import type { SecretStore } from '../../src/main/engine/ports/secretStore';
import { deleteVenueCredentials, readVenueCredentials, venueAccount, writeVenueCredentials } from '../../src/main/engine/ports/venueCredentials';

const BINANCE = { apiKey: 'binance-key-0123456789abcdef', secret: 'binance-secret-s3cr3t/+=' };
const OKX = { apiKey: 'okx-key-9f8e7d6c5b4a', secret: 'okx-secret-q1w2e3r4', passphrase: 'okx pass phrase ü' };
const UNICODE_SECRET = 'ünïcødé € 😀 "quoted" \\ back';
const CORRUPT_ENTRY = 'not-json {corrupt-secret-value}';

/** What a rejection looked like, without its message unless asked (messages differ by backend). */
async function rejection(run: () => Promise<unknown>, secret?: string): Promise<Record<string, unknown>> {
  try {
    const value = await run();
    return { resolved: value === undefined ? 'undefined' : value };
  } catch (error) {
    const e = error as Error & { reason?: string };
    return { rejected: e.name, ...(secret === undefined ? {} : { messageHasSecret: e.message.includes(secret) }) };
  }
}

export async function runSecretStoreScenario(store: SecretStore): Promise<Record<string, unknown>> {
  const r: Record<string, unknown> = {};
  const account = 'scenario:plain';
  r.describe = typeof store.describe() === 'string' && store.describe().length > 0;
  r.getMissing = await store.get(account);
  r.deleteMissing = await store.delete(account);
  await store.set(account, 'first-secret');
  r.getAfterSet = await store.get(account);
  await store.set(account, 'second-secret');
  r.getAfterOverwrite = await store.get(account);
  r.deleteExisting = await store.delete(account);
  r.getAfterDelete = await store.get(account);
  r.deleteAgain = await store.delete(account);

  await store.set('scenario:unicode', UNICODE_SECRET);
  r.unicodeRoundTrip = (await store.get('scenario:unicode')) === UNICODE_SECRET;
  await store.delete('scenario:unicode');

  // Refused before the keychain is asked: a NUL would cut the secret short, an empty one cannot be stored.
  r.nulSecret = await rejection(() => store.set('scenario:nul', 'before\0after'), 'before');
  r.nulNotStored = await store.get('scenario:nul');
  r.emptySecret = await rejection(() => store.set('scenario:empty', ''));
  r.emptyAccount = await rejection(() => store.get(''));

  // Two venues, one entry each, kept apart; one has a passphrase.
  await writeVenueCredentials(store, 'binanceusdm', BINANCE);
  await writeVenueCredentials(store, 'okx', OKX);
  const binance = await readVenueCredentials(store, 'binanceusdm');
  const okx = await readVenueCredentials(store, 'okx');
  r.binanceRoundTrip = JSON.stringify(binance) === JSON.stringify(BINANCE);
  r.okxRoundTrip = JSON.stringify(okx) === JSON.stringify(OKX);
  r.freshObjectPerRead = (await readVenueCredentials(store, 'okx')) !== okx;
  r.deleteOkx = await deleteVenueCredentials(store, 'okx');
  r.okxAfterDelete = await readVenueCredentials(store, 'okx');
  r.binanceAfterOkxDelete = JSON.stringify(await readVenueCredentials(store, 'binanceusdm')) === JSON.stringify(BINANCE);
  r.deleteBinance = await deleteVenueCredentials(store, 'binanceusdm');

  // A damaged entry is a typed error that does not quote it.
  await store.set(venueAccount('bybit'), CORRUPT_ENTRY);
  r.corrupt = await rejection(() => readVenueCredentials(store, 'bybit'), 'corrupt-secret-value');
  await store.delete(venueAccount('bybit'));
  return r;
}

export const EXPECTED_SCENARIO: Record<string, unknown> = {
  describe: true,
  getMissing: null,
  deleteMissing: false,
  getAfterSet: 'first-secret',
  getAfterOverwrite: 'second-secret',
  deleteExisting: true,
  getAfterDelete: null,
  deleteAgain: false,
  unicodeRoundTrip: true,
  nulSecret: { rejected: 'TypeError', messageHasSecret: false },
  nulNotStored: null,
  emptySecret: { rejected: 'TypeError' },
  emptyAccount: { rejected: 'TypeError' },
  binanceRoundTrip: true,
  okxRoundTrip: true,
  freshObjectPerRead: true,
  deleteOkx: true,
  okxAfterDelete: null,
  binanceAfterOkxDelete: true,
  deleteBinance: true,
  corrupt: { rejected: 'CorruptVenueCredentials', messageHasSecret: false },
};
