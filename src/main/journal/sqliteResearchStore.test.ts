/**
 * The SQLite research store: the shared ResearchStore conformance suite (in
 * memory and on a file that is closed and opened again), then what only the
 * SQLite one can show: it shares the journal's connection and transactions,
 * its rows leave nothing behind, and damage is reported, not handed on.
 */
import { journalDatabases } from '../../../tests/support/journalDatabases';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { backtestResultBody, backtestSummary, dataset, researchBars, researchStoreConformance } from '../../../tests/support/researchStoreConformance';
import { strategyInstance } from '../../../tests/support/journalConformance';
import { KeelError } from '../../shared/errors';
import { SqliteJournal } from './sqliteJournal';
import { SqliteResearchStore } from './sqliteResearchStore';

const { openFile, onFile, count } = journalDatabases('keel-research-');

researchStoreConformance('SqliteResearchStore', () => new SqliteResearchStore(openFile(':memory:')), {
  open: () => {
    const file = onFile();
    return { store: new SqliteResearchStore(file.db), reopen: () => new SqliteResearchStore(file.reopen()) };
  },
});

describe('SqliteResearchStore on the journal database', () => {
  it('shares the journal connection: a journal transaction that rolls back takes its research writes with it', () => {
    const db = openFile(':memory:');
    const journal = new SqliteJournal(db);
    const store = new SqliteResearchStore(db);
    const bars = researchBars(5);
    expect(() =>
      journal.transaction(() => {
        journal.saveStrategyInstance(strategyInstance('s1'));
        store.saveDataset(dataset('d1', bars), bars);
        store.saveBacktest(backtestSummary('b1'));
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(journal.listStrategyInstances()).toEqual([]);
    expect(store.listDatasets()).toEqual([]);
    expect(store.listBacktests()).toEqual([]);
    journal.transaction(() => store.saveDataset(dataset('d1', bars), bars));
    expect(store.loadDatasetBars('d1')).toEqual(bars);
  });

  it('leaves no bars and no result rows behind a delete, even on a connection without foreign keys', () => {
    const db = openFile(':memory:');
    db.pragma('foreign_keys = OFF');
    const store = new SqliteResearchStore(db);
    const bars = researchBars(5);
    store.saveDataset(dataset('d1', bars), bars);
    store.saveBacktest(backtestSummary('b1', { status: 'done' }));
    store.saveBacktestResult('b1', backtestResultBody(3));
    expect([count(db, 'dataset_bars'), count(db, 'backtest_results')]).toEqual([1, 1]);
    expect(store.deleteDataset('d1')).toBe(true);
    expect(store.deleteBacktest('b1')).toBe(true);
    expect([count(db, 'datasets'), count(db, 'dataset_bars'), count(db, 'backtest_runs'), count(db, 'backtest_results')]).toEqual([0, 0, 0, 0]);
  });

  it('keeps a dataset as one row of float64 bytes, and a result as its equity in float64 bytes and the rest compressed', () => {
    const db = openFile(':memory:');
    const store = new SqliteResearchStore(db);
    const bars = researchBars(1_000);
    store.saveDataset(dataset('d1', bars), bars);
    expect(db.prepare("SELECT length(ohlcv) AS n FROM dataset_bars WHERE dataset_id = 'd1'").get()).toEqual({ n: 48_000 });
    const body = backtestResultBody(10_000);
    store.saveBacktest(backtestSummary('b1'));
    store.saveBacktestResult('b1', body);
    const stored = (db.prepare("SELECT length(body) AS n FROM backtest_results WHERE run_id = 'b1'").get() as { n: number }).n;
    const rest = JSON.stringify({ ...body, equity: [] }).length;
    expect(stored).toBeGreaterThan(16 + 24 * 10_000);
    expect(stored).toBeLessThan(16 + 24 * 10_000 + rest);
  });

  it('reads a result stored as compressed JSON before the packed format, and replaces it with the packed one', () => {
    const db = openFile(':memory:');
    const store = new SqliteResearchStore(db);
    const summary = backtestSummary('old', { status: 'done' });
    const body = backtestResultBody(2_000, { signals: { count: 2_000, acted: 0, list: [] } });
    store.saveBacktest(summary);
    // What the store wrote then: the whole body as JSON, brotli at quality 1.
    const text = Buffer.from(JSON.stringify(body), 'utf8');
    const legacy = brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: text.byteLength } });
    db.prepare('INSERT INTO backtest_results (run_id, body) VALUES (?, ?)').run('old', legacy);
    expect(store.getBacktest('old')).toEqual({ ...summary, ...body });
    store.saveBacktestResult('old', body);
    expect((db.prepare("SELECT body FROM backtest_results WHERE run_id = 'old'").get() as { body: Buffer }).body[0]).toBe(0x91);
    expect(store.getBacktest('old')).toEqual({ ...summary, ...body });
  });

  it('reports damaged bars or results with INTERNAL instead of handing them on', () => {
    const db = openFile(':memory:');
    const store = new SqliteResearchStore(db);
    const bars = researchBars(10);
    store.saveDataset(dataset('d1', bars), bars);
    store.saveBacktest(backtestSummary('b1'));
    store.saveBacktestResult('b1', backtestResultBody(3));
    db.prepare("UPDATE dataset_bars SET ohlcv = substr(ohlcv, 1, 100) WHERE dataset_id = 'd1'").run();
    db.prepare("UPDATE backtest_results SET body = x'00010203' WHERE run_id = 'b1'").run();
    for (const read of [() => store.loadDatasetBars('d1'), () => store.getBacktest('b1')]) {
      expect(read).toThrow(KeelError);
      expect(read).toThrow(/damaged/);
    }
    db.prepare("DELETE FROM dataset_bars WHERE dataset_id = 'd1'").run();
    expect(() => store.loadDatasetBars('d1')).toThrow(/missing/);
  });
});
