/**
 * The benches time the workers the app ships: the built entries in
 * `out/main` (`npm run bench` builds first). Run from source, `locateWorker`
 * would start the TypeScript entries through tsx's require hook, which keeps
 * every function's name with a call per closure and turns on source maps:
 * about a third slower than the build, and not what a trader runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerEntryName } from '../src/main/workers/entries';
import { findBuiltWorker, type WorkerLaunch } from '../src/main/workers/locate';

const BUILT = join(__dirname, '..', 'out', 'main');

export function builtWorker(name: WorkerEntryName): WorkerLaunch {
  try {
    return { file: findBuiltWorker(name, [BUILT], existsSync) };
  } catch {
    throw new Error(`${name} is not built in ${BUILT}: run the benches with \`npm run bench\`, which builds first (or \`npx electron-vite build\`)`);
  }
}
