/**
 * Keel without Electron: the same engine, the built renderer over HTTP and
 * the contract over a token-guarded WebSocket on 127.0.0.1.
 *
 *   npm run serve -- --port 5173 --data-dir ./data --token <secret> [--seed 42] [--host 127.0.0.1 --allow-remote]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKeel } from './app';
import { startWsHost } from './host/wsServer';

function defaultDataDir(): string {
  return join(homedir(), '.keel');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5173' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const token = values.token ?? randomBytes(18).toString('base64url');
  const rendererDir = resolve(__dirname, '../renderer');

  const keel = await createKeel({ dataDir, mode: 'headless', ...(seed === undefined ? {} : { seed }) });
  const host = await startWsHost({
    server: keel.server,
    token,
    host: values.host,
    port,
    allowRemote: values['allow-remote'],
    ...(existsSync(rendererDir) ? { rendererDir } : {}),
  });
  console.log(`Keel headless: data in ${dataDir}`);
  console.log(`Keel is ready at ${host.url}`);

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

main().catch((error: unknown) => {
  console.error(`Keel could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
