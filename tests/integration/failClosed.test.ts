/**
 * Only a failing journal may stop trading, and then it fails closed with a
 * visible reason; any other unexpected error is logged and trading goes on.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';

const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;
let keel: Keel;
let dataDir: string;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-failclosed-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 5 });
});
afterEach(async () => {
  await keel.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A real error from SQLite saying the database cannot be written. */
function readonlyError(): unknown {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x INTEGER)');
  db.pragma('query_only = ON');
  try {
    db.prepare('INSERT INTO t VALUES (1)').run();
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('expected SQLite to refuse the write');
}

describe('fail closed', () => {
  it('an unexpected error that is not the journal changes nothing', async () => {
    keel.onUnexpectedError(new TypeError('Invalid URL'));
    expect(keel.engine.risk.state().state).toBe('ACTIVE');
    const order = await keel.server.invoke('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.001' });
    expect(order.ok).toBe(true);
  });

  it('a journal that cannot be written halts trading, blocks every venue and says why', async () => {
    keel.onUnexpectedError(readonlyError());
    expect(keel.engine.risk.state()).toMatchObject({ state: 'HALTED', reason: expect.stringContaining('journal cannot be written') });
    const info = await keel.server.invoke('system.info', {});
    expect(info.ok && (info.result as { venues: Array<{ state: string; reason: string }> }).venues).toEqual([
      expect.objectContaining({ venue: 'paper', state: 'blocked', reason: expect.stringContaining('SQLITE_READONLY') }),
    ]);
    const refused = await keel.server.invoke('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.001' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VENUE_UNAVAILABLE' } });
    // Failing closed twice is the same as once.
    keel.onUnexpectedError(readonlyError());
    expect(keel.engine.risk.history(10).filter((c) => c.to === 'HALTED')).toHaveLength(1);
  });
});
