/**
 * The SQLite signal store: the shared SignalStore conformance suite (in
 * memory and on a file closed and opened again), then what only SQLite can
 * show: it shares the journal's connection and transactions, listings walk
 * an index without sorting, links leave nothing behind, and a damaged row is
 * reported, not handed on.
 */
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { describe, expect, it } from 'vitest';
import { signal, signalStoreConformance } from '../../../tests/support/signalStoreConformance';
import { strategyInstance } from '../../../tests/support/journalConformance';
import { SqliteJournal } from './sqliteJournal';
import { SqliteSignalStore } from './sqliteSignalStore';

const { openFile, onFile, count } = journalDatabases('keel-signals-');

signalStoreConformance('SqliteSignalStore', () => new SqliteSignalStore(openFile(':memory:')), {
  open: () => {
    const file = onFile();
    return { store: new SqliteSignalStore(file.db), reopen: () => new SqliteSignalStore(file.reopen()) };
  },
});

describe('SqliteSignalStore on the journal database', () => {
  it('shares the journal connection: a journal transaction that rolls back takes its signals and links with it', () => {
    const db = openFile(':memory:');
    const journal = new SqliteJournal(db);
    const store = new SqliteSignalStore(db);
    store.insert(signal('kept'));
    expect(() =>
      journal.transaction(() => {
        journal.saveStrategyInstance(strategyInstance('s1'));
        store.insert(signal('a'));
        store.linkOrder('kept', 'o-1');
        store.setDecision('kept', true, 'acted');
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(store.get('a')).toBeUndefined();
    expect(store.get('kept')).toEqual(signal('kept'));
    expect(count(db, 'signal_orders')).toBe(0);
  });

  it('keeps one row per link, and none once its signal is pruned', () => {
    const db = openFile(':memory:');
    const store = new SqliteSignalStore(db);
    store.insert(signal('a', { orderIds: ['o-1'] }));
    store.linkOrder('a', 'o-1');
    store.linkOrder('a', 'o-2');
    expect(count(db, 'signal_orders')).toBe(2);
    store.prune(0);
    expect([count(db, 'signals'), count(db, 'signal_orders')]).toEqual([0, 0]);
  });

  it('lists every combination of filters from an index, without a sort', () => {
    const db = openFile(':memory:');
    const store = new SqliteSignalStore(db);
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    // Each listing statement is prepared once; read its plan as it is.
    db.prepare = ((sql: string) => {
      if (sql.startsWith('SELECT body')) plans.push((prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).map(() => 1)) as Array<{ detail: string }>).map((p) => p.detail).join('\n'));
      return prepare(sql);
    }) as typeof db.prepare;
    const filters = [
      {},
      { strategyId: 's-1' },
      { symbol: 'BTC/USDT:USDT' },
      { venue: 'paper', symbol: 'BTC/USDT:USDT' },
      { modelId: 'm-1' },
      { before: 5 },
      { strategyId: 's-1', before: 5 },
      { symbol: 'BTC/USDT:USDT', before: 5 },
    ];
    for (const filter of filters) store.list(filter);
    expect(plans).toHaveLength(filters.length);
    for (const plan of plans) {
      expect(plan).toMatch(/USING (COVERING )?INDEX signals_by_/);
      // The listing is not sorted; only each signal's few links are, into their order.
      expect(plan).not.toMatch(/TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY)/);
    }
    // A listing of an order's signals starts from the order.
    store.list({ orderId: 'o-1' });
    expect(plans.at(-1)).toMatch(/signal_orders_by_order/);
  });

  it('reports a damaged row instead of handing it on', () => {
    const db = openFile(':memory:');
    const store = new SqliteSignalStore(db);
    store.insert(signal('a'));
    db.prepare("UPDATE signals SET body = json_set(body, '$.confidence', 7) WHERE id = 'a'").run();
    expect(() => store.get('a')).toThrow(/Unreadable signal/);
    db.prepare("UPDATE signals SET body = 'not json' WHERE id = 'a'").run();
    expect(() => store.list({})).toThrow(/Unreadable signal/);
  });
});
