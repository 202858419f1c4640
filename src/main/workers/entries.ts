/**
 * Every worker entry the main build emits, by output name: `out/main/<name>.js`
 * next to index.js and headless.js. electron.vite.config.ts adds each one as
 * an input of the main build, and `locateWorker` finds it at run time (or
 * its TypeScript source, when Keel runs from source). Adding a worker is one
 * line here. Paths are relative to the repository root.
 */
export const WORKER_ENTRIES = {
  checkpointerWorker: 'src/main/journal/checkpointerWorker.ts',
  backtestWorker: 'src/main/backtest/worker/backtestWorker.ts',
  mlWorker: 'src/main/ml/worker/mlWorker.ts',
} as const satisfies Record<string, string>;

export type WorkerEntryName = keyof typeof WORKER_ENTRIES;
