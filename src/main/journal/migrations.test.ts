import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDatabase } from './database';
import { MIGRATIONS, migrate, schemaVersion } from './migrations';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The schema version a fully migrated journal has. */
const LATEST = MIGRATIONS.at(-1)!.version;

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

describe('journal migrations', () => {
  it('are numbered 1, 2, 3... without gaps', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('migration 1 creates the core books', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['activity', 'balances', 'fills', 'instruments', 'orders', 'positions']));
    expect(tables(db)).not.toContain('paper_orders');
  });

  it('migration 2 adds the paper venue state on top of 1', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['paper_accounts', 'paper_market', 'paper_orders']));
    expect(tables(db)).not.toContain('risk_state');
  });

  it('migration 3 adds risk state, limits, settings and emergency reports on top of 2', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(schemaVersion(db)).toBe(3);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['risk_state', 'risk_state_changes', 'risk_config', 'risk_marks', 'settings', 'emergency_stops']),
    );
    // Only one trading state row can exist.
    db.prepare("INSERT INTO risk_state (id, state, reason, since) VALUES (1, 'ACTIVE', NULL, 0)").run();
    expect(() => db.prepare("INSERT INTO risk_state (id, state, reason, since) VALUES (2, 'ACTIVE', NULL, 0)").run()).toThrow();
  });

  it('migration 4 adds the paper venue fill history on top of 3', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(tables(db)).not.toContain('paper_fills');
    migrate(db, MIGRATIONS.slice(0, 4));
    expect(schemaVersion(db)).toBe(4);
    expect(tables(db)).toContain('paper_fills');
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'paper_fills'").all() as Array<{ name: string }>;
    expect(indexes.map((i) => i.name)).toContain('paper_fills_by_time');
    // A trade id is unique per venue; another venue may use the same one.
    const insert = db.prepare('INSERT INTO paper_fills (venue, trade_id, timestamp, body) VALUES (?, ?, ?, ?)');
    insert.run('paper', 'paper-t-1', 1, '{}');
    insert.run('paper2', 'paper-t-1', 1, '{}');
    expect(() => insert.run('paper', 'paper-t-1', 2, '{}')).toThrow(/UNIQUE/);
    // Reading fills by time walks the index, without sorting.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT body FROM paper_fills WHERE venue = 'paper' AND timestamp >= 0 ORDER BY timestamp, rowid")
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX paper_fills_by_time/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 5 indexes activity by time on top of 4, keeping its rows', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare("INSERT INTO activity (timestamp, level, category, message) VALUES (1, 'info', 'system', 'kept')").run();
    migrate(db, MIGRATIONS.slice(0, 5));
    expect(schemaVersion(db)).toBe(5);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity'").all() as Array<{ name: string }>;
    expect(indexes.map((i) => i.name)).toContain('activity_by_time');
    expect(db.prepare('SELECT message FROM activity').all()).toEqual([{ message: 'kept' }]);
    // Retention finds expired rows through the index, oldest first, without a scan or a sort.
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM activity WHERE timestamp < 100 ORDER BY timestamp LIMIT 5000')
      .all() as Array<{ detail: string }>;
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toMatch(/USING COVERING INDEX activity_by_time/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 6 adds the paper venue 1-minute bars on top of 5, as integer rows read in time order by their key', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 5));
    expect(tables(db)).not.toContain('paper_bars');
    db.prepare("INSERT INTO paper_market (venue, symbol, body) VALUES ('paper', 'BTC/USDT:USDT', '{}')").run();
    migrate(db, MIGRATIONS.slice(0, 6));
    expect(schemaVersion(db)).toBe(6);
    expect(tables(db)).toContain('paper_bars');
    expect(db.prepare('SELECT symbol FROM paper_market').all()).toEqual([{ symbol: 'BTC/USDT:USDT' }]);
    const insert = db.prepare('INSERT INTO paper_bars (venue, symbol, time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('paper', 'BTC/USDT:USDT', 60_000, 800_000, 800_010, 799_990, 800_001, 12);
    insert.run('paper2', 'BTC/USDT:USDT', 60_000, 800_000, 800_010, 799_990, 800_001, 12);
    // One bar per venue, symbol and minute.
    expect(() => insert.run('paper', 'BTC/USDT:USDT', 60_000, 1, 1, 1, 1, 1)).toThrow(/UNIQUE|PRIMARY KEY/);
    // Strict: prices and volumes are integers (ticks and lots), never text or fractions.
    expect(() => insert.run('paper', 'BTC/USDT:USDT', 120_000, 'n/a', 1, 1, 1, 1)).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => insert.run('paper', 'BTC/USDT:USDT', 120_000, 1.5, 1, 1, 1, 1)).toThrow(/cannot store REAL value in INTEGER column/);
    // Loading a market's history and pruning it are range scans of the key: no table scan, no sort.
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    const load = plan("SELECT time, open, high, low, close, volume FROM paper_bars WHERE venue = 'paper' AND symbol = 'x' AND time >= 0 ORDER BY time");
    expect(load).toMatch(/SEARCH paper_bars USING PRIMARY KEY \(venue=\? AND symbol=\? AND time>\?\)/);
    expect(load).not.toMatch(/TEMP B-TREE/);
    expect(plan("DELETE FROM paper_bars WHERE venue = 'paper' AND symbol = 'x' AND time < 0")).toMatch(/SEARCH paper_bars USING PRIMARY KEY \(venue=\? AND symbol=\? AND time<\?\)/);
  });

  it('migration 7 adds order events and source columns on top of 6, carrying the source of existing orders over', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 6));
    const insert = db.prepare(
      "INSERT INTO orders (id, client_order_id, venue, symbol, status, created_at, updated_at, body) VALUES (?, ?, 'paper', 'BTC/USDT:USDT', 'open', 1, 1, ?)",
    );
    insert.run('o-1', 'c-1', JSON.stringify({ source: 'emergency', sourceId: null }));
    insert.run('o-2', 'c-2', JSON.stringify({ source: 'strategy', sourceId: 'grid-1' }));
    insert.run('o-3', 'c-3', JSON.stringify({}));
    migrate(db, MIGRATIONS.slice(0, 7));
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT id, source, source_id FROM orders ORDER BY id').all()).toEqual([
      { id: 'o-1', source: 'emergency', source_id: null },
      { id: 'o-2', source: 'strategy', source_id: 'grid-1' },
      { id: 'o-3', source: 'manual', source_id: null },
    ]);
    // "This strategy's orders" is an index lookup.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM orders WHERE source = 'strategy' AND source_id = 'grid-1'").all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX orders_by_source/);
    const event = db.prepare("INSERT INTO order_events (order_id, timestamp, type, outcome, status) VALUES ('o-1', 2, 'OrderAccepted', ?, 'open')");
    event.run('applied');
    expect(() => event.run('maybe')).toThrow(/CHECK/);
    const history = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM order_events WHERE order_id = 'o-1' ORDER BY id").all() as Array<{ detail: string }>;
    expect(history.map((p) => p.detail).join('\n')).toMatch(/USING INDEX order_events_by_order/);
  });

  it('migration 8 adds reconciliation reports on top of 7, the latest per venue found by index', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 7));
    expect(tables(db)).not.toContain('reconciliation_reports');
    migrate(db, MIGRATIONS.slice(0, 8));
    expect(schemaVersion(db)).toBe(8);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT body FROM reconciliation_reports WHERE venue = 'paper' ORDER BY finished_at DESC LIMIT 1")
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX reconciliation_reports_by_venue/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 9 adds strategy instances, datasets and backtest runs on top of 8, children going with their parent', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 8));
    db.prepare("INSERT INTO settings (key, value) VALUES ('activityRetentionDays', '30')").run();
    expect(tables(db)).not.toContain('strategy_instances');
    migrate(db, MIGRATIONS.slice(0, 9));
    expect(schemaVersion(db)).toBe(9);
    expect(tables(db)).toEqual(expect.arrayContaining(['strategy_instances', 'datasets', 'dataset_bars', 'backtest_runs', 'backtest_results']));
    expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: '30' }]);

    const strategy = db.prepare(
      `INSERT INTO strategy_instances (id, type, name, venue, symbol, timeframe, params, limits, status, status_reason, resume_after_restart, state, created_at, updated_at)
       VALUES (?, 'sma-cross', 'n', 'paper', 'BTC/USDT', '1h', '{}', '{}', 'stopped', NULL, ?, '{}', 1, 1)`,
    );
    strategy.run('s1', 1);
    expect(() => strategy.run('s1', 0)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => strategy.run('s2', 2)).toThrow(/CHECK/);

    const dataset = db.prepare("INSERT INTO datasets (id, name, symbol, bars, from_ms, to_ms, period_ms, created_at) VALUES (?, 'n', 'X', ?, 0, 1, 1, 1)");
    dataset.run('d1', 2);
    expect(() => dataset.run('d2', 0)).toThrow(/CHECK/);
    const bars = db.prepare('INSERT INTO dataset_bars (dataset_id, ohlcv) VALUES (?, ?)');
    bars.run('d1', Buffer.alloc(96));
    expect(() => bars.run('ghost', Buffer.alloc(48))).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM datasets WHERE id = 'd1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM dataset_bars').get()).toEqual({ n: 0 });

    const run = db.prepare(
      `INSERT INTO backtest_runs (id, kind, name, status, error, strategy, data, settings, progress_done, progress_total, return_pct, sharpe_ratio, trade_count, created_at, finished_at)
       VALUES (?, ?, 'n', 'queued', NULL, '{}', '{}', '{}', 0, 0, NULL, NULL, NULL, ?, NULL)`,
    );
    run.run('b1', 'backtest', 1);
    run.run('b2', 'optimize', 2);
    expect(() => run.run('b3', 'walk-forward', 3)).toThrow(/CHECK/);
    db.prepare("INSERT INTO backtest_results (run_id, body) VALUES ('b1', x'00')").run();
    expect(() => db.prepare("INSERT INTO backtest_results (run_id, body) VALUES ('ghost', x'00')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM backtest_runs WHERE id = 'b1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM backtest_results').get()).toEqual({ n: 0 });

    // Listings walk an index in order, without a sort; start-up finds unfinished runs by index.
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    const runs = plan('SELECT id FROM backtest_runs ORDER BY created_at DESC, rowid DESC');
    expect(runs).toMatch(/backtest_runs_by_created/);
    expect(runs).not.toMatch(/TEMP B-TREE/);
    const datasets = plan('SELECT id FROM datasets ORDER BY created_at DESC, rowid DESC');
    expect(datasets).toMatch(/datasets_by_created/);
    expect(datasets).not.toMatch(/TEMP B-TREE/);
    const strategies = plan('SELECT * FROM strategy_instances ORDER BY created_at, id');
    expect(strategies).toMatch(/strategy_instances_by_created/);
    expect(strategies).not.toMatch(/TEMP B-TREE/);
    expect(plan("UPDATE backtest_runs SET status = 'failed' WHERE status IN ('queued', 'running')")).toMatch(/backtest_runs_by_status/);
  });

  it('migration 13 adds signals and their order links on top of 12, links going with their signal', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 12));
    db.prepare("INSERT INTO models (id, name, version, status, created_at, body) VALUES ('m1', 'n', 1, 'active', 1, '{}')").run();
    expect(tables(db)).not.toContain('signals');
    migrate(db, MIGRATIONS.slice(0, 13));
    expect(schemaVersion(db)).toBe(13);
    expect(tables(db)).toEqual(expect.arrayContaining(['signals', 'signal_orders']));
    expect(db.prepare('SELECT id FROM models').all()).toEqual([{ id: 'm1' }]);

    const insert = db.prepare(
      "INSERT INTO signals (id, time, venue, symbol, model_id, strategy_id, acted, created_at, body) VALUES (?, ?, 'paper', 'BTC/USDT', 'm1', ?, ?, 1, '{}')",
    );
    insert.run('g1', 60_000, 's1', 0);
    insert.run('g2', 120_000, null, 1);
    expect(() => insert.run('g1', 1, 's1', 0)).toThrow(/UNIQUE/);
    expect(() => insert.run('g3', 1, 's1', 2)).toThrow(/CHECK/);
    const link = db.prepare('INSERT INTO signal_orders (signal_id, order_id) VALUES (?, ?)');
    link.run('g1', 'o-1');
    link.run('g1', 'o-2');
    link.run('g2', 'o-1');
    expect(() => link.run('g1', 'o-1')).toThrow(/UNIQUE/);
    expect(() => link.run('ghost', 'o-3')).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM signals WHERE id = 'g1'").run();
    expect(db.prepare('SELECT signal_id, order_id FROM signal_orders').all()).toEqual([{ signal_id: 'g2', order_id: 'o-1' }]);

    // Each filter's page walks its index newest first, without a sort; pruning walks the time index oldest first.
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    const order = 'ORDER BY time DESC, created_at DESC, seq DESC LIMIT 200';
    for (const [where, index] of [
      ['', 'signals_by_time'],
      ["WHERE strategy_id = 's1'", 'signals_by_strategy'],
      ["WHERE symbol = 'BTC/USDT'", 'signals_by_symbol'],
      ["WHERE model_id = 'm1'", 'signals_by_model'],
      ['WHERE time < 5', 'signals_by_time'],
    ] as const) {
      const text = plan(`SELECT body FROM signals ${where} ${order}`);
      expect(text, where).toMatch(new RegExp(`INDEX ${index}`));
      expect(text, where).not.toMatch(/TEMP B-TREE/);
    }
    expect(plan("SELECT signal_id FROM signal_orders WHERE order_id = 'o-1'")).toMatch(/signal_orders_by_order/);
    const prune = plan('SELECT seq FROM signals ORDER BY time, created_at, seq LIMIT 10');
    expect(prune).toMatch(/signals_by_time/);
    expect(prune).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 14 adds the model monitor streams and retrain schedules, streams going with their model version', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);
    migrate(db, upTo(13));
    expect(tables(db)).not.toContain('model_monitor_streams');
    migrate(db, upTo(14));
    expect(schemaVersion(db)).toBe(14);
    expect(tables(db)).toEqual(expect.arrayContaining(['model_monitor_streams', 'model_retrain_schedules']));
    db.prepare("INSERT INTO models (id, name, version, status, created_at, body) VALUES ('m1', 'n', 1, 'candidate', 1, '{}')").run();
    const stream = db.prepare("INSERT INTO model_monitor_streams (model_id, venue, symbol, timeframe, updated_at, body) VALUES (?, 'paper', 'BTC/USDT', '1h', 1, '{}')");
    stream.run('m1');
    expect(() => stream.run('m1')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => stream.run('ghost')).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM models WHERE id = 'm1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM model_monitor_streams').get()).toEqual({ n: 0 });
    db.prepare("INSERT INTO model_retrain_schedules (name, body) VALUES ('n', '{}')").run();
    expect(() => db.prepare("INSERT INTO model_retrain_schedules (name, body) VALUES ('n', '{}')").run()).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('migration 15 adds the training jobs, one row per job, listed newest first through its index', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version < 15));
    expect(tables(db)).not.toContain('training_jobs');
    db.prepare("INSERT INTO models (id, name, version, status, created_at, body) VALUES ('m1', 'btc', 1, 'candidate', 1, '{}')").run();
    migrate(db, MIGRATIONS.filter((m) => m.version <= 15));
    expect(schemaVersion(db)).toBe(15);
    expect(db.prepare('SELECT id FROM models').all()).toEqual([{ id: 'm1' }]);
    const insert = db.prepare('INSERT INTO training_jobs (id, status, started_at, body) VALUES (?, ?, ?, ?)');
    insert.run('j1', 'running', 1, '{}');
    expect(() => insert.run('j1', 'done', 2, '{}')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run('j2', 'queued', 2, '{}')).toThrow(/CHECK/);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT body FROM training_jobs ORDER BY started_at DESC, rowid DESC').all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/training_jobs_by_start/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 16 adds funding and margin modes to the books, ledger entries and the paper funding history on top of 15', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 15));
    db.prepare("INSERT INTO balances (venue, currency, total, realized_pnl, fees_paid) VALUES ('paper', 'USDT', '10', '0', '0')").run();
    db.prepare("INSERT INTO positions (venue, symbol, quantity, cost, realized_pnl, fees_paid, leverage, updated_at) VALUES ('paper', 'BTC/USDT:USDT', '1', '60000', '0', '0', 10, 1)").run();
    migrate(db, MIGRATIONS.filter((m) => m.version <= 16));
    expect(schemaVersion(db)).toBe(16);
    expect(tables(db)).toEqual(expect.arrayContaining(['ledger_entries', 'paper_funding']));
    // Rows written before keep their meaning: no funding yet, cross margin.
    expect(db.prepare('SELECT funding FROM balances').get()).toEqual({ funding: '0' });
    expect(db.prepare('SELECT funding, margin_mode FROM positions').get()).toEqual({ funding: '0', margin_mode: 'cross' });
    expect(() => db.prepare("UPDATE positions SET margin_mode = 'hedge'").run()).toThrow(/CHECK/);
    // An entry id is unique per venue, as a trade id is.
    const insert = db.prepare("INSERT INTO ledger_entries (venue, entry_id, kind, symbol, timestamp, body) VALUES (?, 'f-1', 'funding', 'BTC/USDT:USDT', 1, '{}')");
    insert.run('paper');
    insert.run('paper2');
    expect(() => insert.run('paper')).toThrow(/UNIQUE/);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT body FROM paper_funding WHERE venue = 'paper' AND timestamp >= 0 ORDER BY timestamp, rowid")
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX paper_funding_by_time/);
  });

  it('migration 17 adds the trade journal: notes and tags, regimes at entry, orders by instrument', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 17);
    migrate(db, before);
    db.prepare("INSERT INTO orders (id, client_order_id, venue, symbol, status, created_at, updated_at, body) VALUES ('o1', 'c1', 'paper', 'BTC/USDT:USDT', 'filled', 5, 5, '{}')").run();
    migrate(db, [...before, MIGRATIONS.find((m) => m.version === 17)!]);
    expect(schemaVersion(db)).toBe(17);
    expect(tables(db)).toEqual(expect.arrayContaining(['trade_notes', 'trade_regimes']));
    expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 1 });

    const note = db.prepare('INSERT INTO trade_notes (trade_id, note, tags, updated_at) VALUES (?, ?, ?, ?)');
    note.run('paper:t1', 'breakout', '["a"]', 1);
    expect(() => note.run('paper:t1', 'again', '[]', 2)).toThrow(/UNIQUE/);
    const regime = db.prepare('INSERT INTO trade_regimes (trade_id, timeframe, regime) VALUES (?, ?, ?)');
    regime.run('paper:t1', '1h', 'ranging');
    expect(() => regime.run('paper:t2', '1h', 'sideways')).toThrow(/CHECK/);

    // A position's stops are found by instrument and time through the index.
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT body FROM orders WHERE venue = 'paper' AND symbol = 'x' AND created_at BETWEEN 1 AND 2").all() as Array<{ detail: string }>)
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toMatch(/orders_by_instrument/);
  });

  it('migration 18 adds price alerts on top of the ones before it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version < 18));
    expect(tables(db)).not.toContain('price_alerts');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 18));
    expect(schemaVersion(db)).toBe(18);
    expect(tables(db)).toContain('price_alerts');
    const insert = db.prepare('INSERT INTO price_alerts (id, venue, symbol, status, created_at, triggered_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('a1', 'paper', 'BTC/USDT:USDT', 'active', 1, null, '{}');
    expect(() => insert.run('a2', 'paper', 'BTC/USDT:USDT', 'fired', 1, null, '{}')).toThrow(/CHECK/);
    expect(() => insert.run('a1', 'paper', 'BTC/USDT:USDT', 'active', 1, null, '{}')).toThrow(/UNIQUE|PRIMARY/);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM price_alerts WHERE status = 'triggered' ORDER BY triggered_at DESC").all() as Array<{ detail: string }>)
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toMatch(/price_alerts_by_trigger/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('migration 19 adds the alert centre on top of the ones before it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version < 19));
    expect(tables(db)).not.toContain('alerts');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 19));
    expect(schemaVersion(db)).toBe(19);
    expect(tables(db)).toEqual(expect.arrayContaining(['alerts', 'alert_settings']));
    const insert = db.prepare('INSERT INTO alerts (kind, raised_at, read, body) VALUES (?, ?, ?, ?)');
    const first = Number(insert.run('fill', 1, 0, '{}').lastInsertRowid);
    expect(() => insert.run('fill', 1, 2, '{}')).toThrow(/CHECK/);
    // An id is never handed out twice, even after the newest alert is deleted.
    db.prepare('DELETE FROM alerts WHERE id = ?').run(first);
    expect(Number(insert.run('fill', 2, 0, '{}').lastInsertRowid)).toBe(first + 1);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM alerts WHERE read = 0').all() as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/alerts_unread/);
    const setting = db.prepare('INSERT INTO alert_settings (key, body, updated_at) VALUES (?, ?, ?)');
    setting.run('settings', '{}', 1);
    expect(() => setting.run('settings', '{}', 2)).toThrow(/UNIQUE|PRIMARY/);
  });

  it('running migrations twice changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    const before = tables(db);
    expect(migrate(db)).toBe(LATEST);
    expect(tables(db)).toEqual(before);
  });

  it('refuses a journal from a newer Keel', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${LATEST + 1}`);
    expect(() => migrate(db)).toThrow(/newer Keel/);
  });

  it('opens a file journal in WAL with synchronous=NORMAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-journal-'));
    dirs.push(dir);
    const db = openJournalDatabase(join(dir, 'keel.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST);
    db.close();
  });
});
