/**
 * Where a worker entry runs from. Built, it is `out/main/<name>.js` next to
 * the running main bundle (index.js in Electron, headless.js for the Node
 * host; inside app.asar works, Electron loads workers from the archive).
 * From source (vitest, tsx scripts) the TypeScript entry itself runs, with
 * tsx's require hook preloaded in the worker: `--import tsx` does not reach
 * a worker's entry module on Node 20, `--require tsx/cjs` does.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_ENTRIES, type WorkerEntryName } from './entries';

export interface WorkerLaunch {
  file: string;
  /** Node flags for the worker; undefined inherits the parent's, as `new Worker` does. */
  execArgv?: string[];
}

const here = fileURLToPath(import.meta.url);
const requireHere = createRequire(import.meta.url);

/** True when this module is TypeScript being run directly rather than the built bundle. */
export const runningFromSource = /\.[cm]?ts$/.test(here);

export function locateWorker(name: WorkerEntryName): WorkerLaunch {
  if (runningFromSource) return sourceWorker(resolve(dirname(here), '../../..', WORKER_ENTRIES[name]));
  return { file: findBuiltWorker(name, builtDirectories(), existsSync) };
}

/** Runs a TypeScript worker file through tsx (tests and their fixture workers). */
export function sourceWorker(file: string): WorkerLaunch {
  return { file, execArgv: ['--require', requireHere.resolve('tsx/cjs')] };
}

/**
 * The main bundle's folder first; then this module's own folder and its
 * parent, for when it sits in a shared chunk (`out/main/chunks/`) or the
 * bundle was loaded by another script rather than run.
 */
function builtDirectories(): string[] {
  const main = requireHere.main?.filename;
  const dirs = [main ? dirname(main) : null, dirname(here), dirname(dirname(here))];
  return [...new Set(dirs.filter((dir): dir is string => dir !== null))];
}

export function findBuiltWorker(name: string, directories: readonly string[], exists: (file: string) => boolean): string {
  for (const directory of directories) {
    const file = join(directory, `${name}.js`);
    if (exists(file)) return file;
  }
  throw new Error(`The worker entry ${name}.js is missing from ${directories.join(', ')}: is it an input of the main build (electron.vite.config.ts)?`);
}
