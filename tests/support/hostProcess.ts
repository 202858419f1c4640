/**
 * The headless host as a child process for tests and benchmarks that must
 * kill it (SIGKILL) or keep its event loop apart from the client's: the real
 * engine, paper venue and SQLite journal, built from the TypeScript sources.
 *
 *   node --import tsx tests/support/hostProcess.ts <dataDir> [seed]
 *
 * The token comes from KEEL_HOST_TOKEN (never the command line);
 * KEEL_TEST_VENUE_URLS (JSON, exchange → loopback URL) points exchanges at
 * fake servers as `--venue-url` does, KEEL_TEST_VENUE_TIMINGS shortens real
 * venues' timings. API keys go to the real keychain (run it inside a private
 * keyring session: childHost's `keyring` option). Once the host
 * listens it prints one line `KEEL_HOST_READY {"port":…}` on stdout. The
 * process guard is installed as in the real entry, so anything it catches is
 * logged to stderr rather than ending the process.
 */
import { createKeel } from '../../src/main/app';
import { parseVenueUrls } from '../../src/main/headless';
import { installProcessGuard } from '../../src/main/host/processGuard';
import { startWsHost } from '../../src/main/host/wsServer';
import { READY_PREFIX } from './childHost';

async function main(): Promise<void> {
  const [dataDir, seedText] = process.argv.slice(2);
  const token = process.env.KEEL_HOST_TOKEN;
  if (dataDir === undefined || token === undefined) throw new Error('usage: KEEL_HOST_TOKEN=… hostProcess.ts <dataDir> [seed]');
  delete process.env.KEEL_HOST_TOKEN;
  const seed = seedText === undefined ? 42 : Number(seedText);
  const venueUrls = process.env.KEEL_TEST_VENUE_URLS === undefined ? {} : parseVenueUrls(Object.entries(JSON.parse(process.env.KEEL_TEST_VENUE_URLS) as Record<string, string>).map(([e, u]) => `${e}=${u}`));
  const venueTimings = process.env.KEEL_TEST_VENUE_TIMINGS === undefined ? undefined : (JSON.parse(process.env.KEEL_TEST_VENUE_TIMINGS) as Record<string, number>);
  const keel = await createKeel({ dataDir, mode: 'headless', seed, venueUrls, ...(venueTimings ? { venueTimings } : {}) });
  const host = await startWsHost({ server: keel.server, token, host: '127.0.0.1', port: 0 });
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ port: host.port })}\n`);
  const stop = () => {
    void host
      .close()
      .then(() => keel.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  // As the real entry does; what the guard catches lands on stderr, where tests look for it.
  installProcessGuard({ log: (message) => console.error(message) });
  main().catch((error: unknown) => {
    console.error(`host process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
