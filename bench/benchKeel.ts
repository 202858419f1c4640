/**
 * A real Keel for a benchmark: headless, in a throwaway data folder, with a
 * contract call that throws on an error answer (a benchmark that was refused
 * must stop, not time the refusal). `close` shuts it down and removes the
 * folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeel, type Keel, type KeelOptions } from '../src/main/app';

export interface BenchKeel {
  keel: Keel;
  dataDir: string;
  invoke(method: string, params: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startBenchKeel(name: string, options: Omit<KeelOptions, 'dataDir' | 'mode'>): Promise<BenchKeel> {
  const dataDir = mkdtempSync(join(tmpdir(), `keel-bench-${name}-`));
  const keel = await createKeel({ ...options, dataDir, mode: 'headless' });
  return {
    keel,
    dataDir,
    invoke: async (method, params) => {
      const outcome = await keel.server.invoke(method, params);
      if (!outcome.ok) throw new Error(`${method}: ${outcome.error.message}`);
      return outcome.result;
    },
    close: async () => {
      await keel.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
