import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.vite.config';
import { WORKER_ENTRIES } from './entries';
import { findBuiltWorker, locateWorker, runningFromSource } from './locate';

const root = resolve(__dirname, '../../..');

describe('worker entries', () => {
  it('are each an input of the main build, from the source file the registry names', () => {
    const main = (config as { main?: { build?: { rollupOptions?: { input?: Record<string, string> } } } }).main;
    const input = main?.build?.rollupOptions?.input ?? {};
    for (const [name, source] of Object.entries(WORKER_ENTRIES)) {
      expect(input[name]).toBe(resolve(root, source));
      expect(existsSync(resolve(root, source))).toBe(true);
    }
    expect(Object.keys(input)).toEqual(expect.arrayContaining(['index', 'headless']));
  });

  it('run from their TypeScript source through tsx when Keel itself runs from source', () => {
    expect(runningFromSource).toBe(true);
    const launch = locateWorker('checkpointerWorker');
    expect(launch.file).toBe(resolve(root, 'src/main/journal/checkpointerWorker.ts'));
    expect(launch.execArgv?.[0]).toBe('--require');
    expect(existsSync(launch.execArgv?.[1] ?? '')).toBe(true);
  });

  it('are found next to the main bundle when built, and a missing one names the build config', () => {
    const present = new Set(['/app/out/main/scoring.js']);
    const exists = (file: string) => present.has(file);
    expect(findBuiltWorker('scoring', ['/elsewhere', '/app/out/main'], exists)).toBe('/app/out/main/scoring.js');
    expect(() => findBuiltWorker('training', ['/app/out/main'], exists)).toThrow(/training\.js is missing from \/app\/out\/main.*electron\.vite\.config\.ts/);
  });
});
