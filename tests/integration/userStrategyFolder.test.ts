/**
 * The trader's strategy folder, through the contract as the Strategies
 * panel uses it: files are read at start-up, and again when the catalog is
 * asked to reload (the panel's Reload button). Added, changed, broken and
 * removed files show at once; a plain catalog read does not touch the disk.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import type { StrategyCatalogEntry, StrategyInstance } from '../../src/shared/contract/strategies';

const dirs: string[] = [];
const open: Keel[] = [];

afterEach(async () => {
  for (const keel of open.splice(0)) await keel.shutdown();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function call<T>(keel: Keel, method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw outcome.error;
  return outcome.result as T;
}

/** A user strategy that does nothing, under a type and a name. */
function strategyFile(type: string, name: string): string {
  return `module.exports = { type: '${type}', name: '${name}', summary: 'does nothing', explanation: 'Test strategy.', params: [], warmupBars: () => 0, create() { return {}; } };`;
}

async function catalog(keel: Keel, reload?: boolean): Promise<StrategyCatalogEntry[]> {
  return (await call<{ entries: StrategyCatalogEntry[] }>(keel, 'strategies.catalog', reload === undefined ? {} : { reload })).entries.filter((e) => e.origin === 'user');
}

describe('the user strategy folder', () => {
  it('is read again on a reload: new, changed, broken and removed files show at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-user-strategies-'));
    dirs.push(dataDir);
    const folder = join(dataDir, 'strategies');
    mkdirSync(folder);
    writeFileSync(join(folder, 'first.cjs'), strategyFile('first', 'First'));
    const keel = await createKeel({ dataDir, mode: 'headless', seed: 3, clock: new SimulatedClock(Date.parse('2026-11-20T12:00:30Z')), checkResults: true });
    open.push(keel);
    expect((await catalog(keel)).map((e) => e.name)).toEqual(['First']);

    writeFileSync(join(folder, 'second.cjs'), strategyFile('second', 'Second'));
    writeFileSync(join(folder, 'first.cjs'), strategyFile('first', 'First, edited'));
    writeFileSync(join(folder, 'broken.cjs'), 'module.exports = { type: ');
    // A plain read answers what was loaded; only a reload looks at the folder.
    expect((await catalog(keel)).map((e) => e.name)).toEqual(['First']);
    const reloaded = await catalog(keel, true);
    expect(reloaded.filter((e) => e.error === null).map((e) => e.name)).toEqual(['First, edited', 'Second']);
    expect(reloaded.find((e) => e.error !== null)).toMatchObject({ file: expect.stringContaining('broken.cjs'), error: expect.stringMatching(/\S/) });

    // The new type can be instantiated at once; a removed one is gone from the catalog and cannot be.
    const created = await call<StrategyInstance>(keel, 'strategies.create', { type: 'second', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {} });
    expect(created.type).toBe('second');
    unlinkSync(join(folder, 'second.cjs'));
    expect((await catalog(keel, true)).some((e) => e.type === 'second')).toBe(false);
    const refused = await keel.server.invoke('strategies.create', { type: 'second', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {} });
    expect(refused.ok).toBe(false);
  });

  it('refuses a catalog request with anything but the reload switch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-user-strategies-'));
    dirs.push(dataDir);
    const keel = await createKeel({ dataDir, mode: 'headless', seed: 3, clock: new SimulatedClock(Date.parse('2026-11-20T12:00:30Z')), checkResults: true });
    open.push(keel);
    for (const params of [{ reload: 'yes' }, { reload: true, extra: 1 }]) {
      const outcome = await keel.server.invoke('strategies.catalog', params);
      expect(outcome.ok).toBe(false);
    }
  });
});
