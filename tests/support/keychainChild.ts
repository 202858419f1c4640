/**
 * Run by tests/integration/keychain.test.ts in a child process, inside a
 * private D-Bus session (or deliberately without one): exercises the keytar
 * SecretStore against whatever Secret Service that session has and prints
 * one line, `KEYCHAIN_RESULT <json>`, for the test to assert.
 *
 *   scenario      the shared SecretStore scenario (secretStoreScenario.ts)
 *   put <a> <s>   stores secret <s> for account <a>
 *   read <a>      what get/set/delete answer or reject with for account <a>
 */
import { SecretStoreUnavailable } from '../../src/main/engine/ports/secretStore';
import { KeytarSecretStore } from '../../src/main/secrets/keytarSecretStore';
import { runSecretStoreScenario } from './secretStoreScenario';

const RESULT_PREFIX = 'KEYCHAIN_RESULT ';

/** A call's outcome as JSON: its value, or the error's class, reason and message. */
async function outcome(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const started = Date.now();
  try {
    const value = await run();
    return { value: value === undefined ? 'undefined' : value, ms: Date.now() - started };
  } catch (error) {
    const e = error as Error;
    return {
      error: e.name,
      unavailable: e instanceof SecretStoreUnavailable,
      reason: e instanceof SecretStoreUnavailable ? e.reason : undefined,
      message: e.message,
      ms: Date.now() - started,
    };
  }
}

async function main(): Promise<unknown> {
  const [mode, account = 'child:probe', secret = 'child-secret-value'] = process.argv.slice(2);
  const store = new KeytarSecretStore({ timeoutMs: 10_000 });
  switch (mode) {
    case 'scenario':
      return { describe: store.describe(), scenario: await runSecretStoreScenario(store) };
    case 'put':
      return { set: await outcome(() => store.set(account, secret)), get: await outcome(() => store.get(account)) };
    case 'read':
      return {
        get: await outcome(() => store.get(account)),
        set: await outcome(() => store.set(`${account}:other`, secret)),
        delete: await outcome(() => store.delete(account)),
      };
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().then(
  (result) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) })}\n`);
    process.exit(1);
  },
);
