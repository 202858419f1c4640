/**
 * Keel without Electron: the same engine, the built renderer over HTTP and
 * the contract over a token-guarded WebSocket on 127.0.0.1.
 *
 *   npm run serve -- --port 5173 --data-dir ./data [--token-file <path> | --token <secret>] [--seed 42] [--host 127.0.0.1 --allow-remote]
 *                    [--venue-url binanceusdm=http://127.0.0.1:9000 ...]
 *
 * --venue-url points an exchange's venues at a server standing in for it
 * (a fake exchange in tests); only loopback URLs are accepted, and the
 * venue shows the URL on screen.
 *
 * The token comes from --token, else --token-file, else KEEL_TOKEN, else a
 * random one. Only a token Keel made up is printed: one the user supplied is
 * already known to them and should not end up in logs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKeel, type Keel } from './app';
import { installProcessGuard } from './host/processGuard';
import { startWsHost } from './host/wsServer';
import { renderPrometheus } from './monitor/prometheus';
import { errorText } from '../shared/errors';
import { checkLoopbackUrl, isExchangeId, type ExchangeId } from './venues/ccxt/exchanges';

const MIN_TOKEN_LENGTH = 8;

function defaultDataDir(): string {
  return join(homedir(), '.keel');
}

export type TokenSource = '--token' | '--token-file' | 'KEEL_TOKEN' | 'generated';

export interface ResolvedToken {
  token: string;
  source: TokenSource;
}

function checked(token: string, source: string): string {
  if (token === '') throw new Error(`${source}: the token is empty.`);
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`${source}: the token must be at least ${MIN_TOKEN_LENGTH} characters.`);
  return token;
}

/**
 * Picks the access token: --token, then --token-file (its trailing line
 * break removed), then KEEL_TOKEN (an empty one counts as unset), else a
 * random one. A supplied token that is empty or short is refused, never
 * silently replaced.
 */
export function resolveToken(
  given: { token?: string; tokenFile?: string },
  env: NodeJS.ProcessEnv,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ResolvedToken {
  if (given.token !== undefined) return { token: checked(given.token, '--token'), source: '--token' };
  if (given.tokenFile !== undefined) {
    let text: string;
    try {
      text = readText(given.tokenFile);
    } catch (error) {
      const reason = errorText(error);
      throw new Error(`--token-file ${given.tokenFile}: cannot read it (${reason}).`);
    }
    return { token: checked(text.replace(/[\r\n]+$/, ''), `--token-file ${given.tokenFile}`), source: '--token-file' };
  }
  const fromEnv = env.KEEL_TOKEN;
  if (fromEnv !== undefined && fromEnv !== '') return { token: checked(fromEnv, 'KEEL_TOKEN'), source: 'KEEL_TOKEN' };
  return { token: randomBytes(18).toString('base64url'), source: 'generated' };
}

/** `--venue-url exchange=url`, each checked: a known exchange, a loopback URL, one URL per exchange. */
export function parseVenueUrls(values: readonly string[]): Partial<Record<ExchangeId, string>> {
  const urls: Partial<Record<ExchangeId, string>> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const exchange = at < 0 ? value : value.slice(0, at);
    if (at < 0 || !isExchangeId(exchange)) throw new Error(`--venue-url ${value}: expected <exchange>=<url> with exchange one of binanceusdm, bybit, okx`);
    if (urls[exchange] !== undefined) throw new Error(`--venue-url: ${exchange} is given twice`);
    try {
      urls[exchange] = checkLoopbackUrl(value.slice(at + 1)).origin;
    } catch (error) {
      throw new Error(`--venue-url ${exchange}: ${errorText(error)}`);
    }
  }
  return urls;
}

/** `[::1]` is how an IPv6 address is written in a URL; listen() wants it bare. */
function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5173' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      seed: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'venue-url': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const { token, source } = resolveToken({ token: values.token, tokenFile: values['token-file'] }, process.env);
  // The engine's worker threads inherit the environment; they have no use for the token.
  delete process.env.KEEL_TOKEN;
  const rendererDir = resolve(__dirname, '../renderer');

  const venueUrls = parseVenueUrls(values['venue-url']);
  for (const [exchange, url] of Object.entries(venueUrls)) console.log(`Keel: ${exchange} venues talk to ${url} instead of the exchange (--venue-url)`);
  const keel = await createKeel({ dataDir, mode: 'headless', ...(seed === undefined ? {} : { seed }), venueUrls });
  running = keel;
  const host = await startWsHost({
    server: keel.server,
    token,
    host: bareHost(values.host),
    port,
    allowRemote: values['allow-remote'],
    ...(existsSync(rendererDir) ? { rendererDir } : {}),
    metrics: () => renderPrometheus(keel.monitor.metrics()),
  });
  keel.monitor.countWebSocketClients(() => host.clients());
  console.log(`Keel headless: data in ${dataDir}`);
  if (source === 'generated' || source === '--token') {
    console.log(`Keel is ready at ${host.url}`);
  } else {
    console.log(`Keel is ready at ${host.origin}/?token=<token> (the token from ${source}; it is not printed)`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Keel: ${signal}, shutting down`);
    await host.close();
    await keel.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The engine once started, so errors nobody caught can fail it closed when they come from the journal. */
let running: Keel | undefined;

if (require.main === module) {
  // Installed before anything starts: a stray exception must not stop the engine and its emergency stop.
  installProcessGuard({ log: (message) => console.error(message), onError: (error) => running?.onUnexpectedError(error) });
  main().catch((error: unknown) => {
    console.error(`Keel could not start: ${errorText(error)}`);
    process.exit(1);
  });
}
