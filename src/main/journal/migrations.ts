/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction;
 * PRAGMA user_version records how far a database has come. Never edit a
 * migration that has shipped: add the next one.
 */
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core books: instruments, orders, fills, positions, balances, activity',
    up: `
      CREATE TABLE instruments (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (venue, symbol)
      );
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        client_order_id TEXT NOT NULL UNIQUE,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX orders_by_status ON orders (status);
      CREATE TABLE fills (
        venue TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        order_id TEXT NOT NULL REFERENCES orders (id),
        timestamp INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (venue, trade_id)
      );
      CREATE INDEX fills_by_time ON fills (timestamp);
      CREATE TABLE balances (
        venue TEXT NOT NULL,
        currency TEXT NOT NULL,
        total TEXT NOT NULL,
        realized_pnl TEXT NOT NULL,
        fees_paid TEXT NOT NULL,
        PRIMARY KEY (venue, currency)
      );
      CREATE TABLE positions (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        quantity TEXT NOT NULL,
        cost TEXT NOT NULL,
        realized_pnl TEXT NOT NULL,
        fees_paid TEXT NOT NULL,
        leverage INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (venue, symbol)
      );
      CREATE TABLE activity (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        timestamp INTEGER NOT NULL,
        level TEXT NOT NULL,
        category TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'paper venue state: resting orders, account, market continuity',
    up: `
      CREATE TABLE paper_orders (venue TEXT NOT NULL, client_order_id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (venue, client_order_id));
      CREATE TABLE paper_accounts (venue TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE paper_market (venue TEXT NOT NULL, symbol TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (venue, symbol));
    `,
  },
  {
    version: 3,
    name: 'risk governor, emergency stop and settings',
    up: `
      CREATE TABLE risk_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, reason TEXT, since INTEGER NOT NULL);
      CREATE TABLE risk_state_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE TABLE risk_config (venue TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE risk_marks (venue TEXT PRIMARY KEY, day_start_equity TEXT NOT NULL, day_started_at INTEGER NOT NULL, high_water_mark TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE emergency_stops (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, body TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'paper venue fill history, for recovering fills the engine missed',
    up: `
      CREATE TABLE paper_fills (venue TEXT NOT NULL, trade_id TEXT NOT NULL, timestamp INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (venue, trade_id));
      CREATE INDEX paper_fills_by_time ON paper_fills (venue, timestamp);
    `,
  },
  {
    version: 5,
    name: 'activity by time, so retention finds expired rows without a table scan',
    up: `
      CREATE INDEX activity_by_time ON activity (timestamp);
    `,
  },
  {
    version: 6,
    name: 'paper venue 1-minute bars, so the simulated market reads the same after a restart',
    // One row per closed bar, prices in ticks and volume in lots; clustered on its key, so appends, pruning and loading are range operations.
    up: `
      CREATE TABLE paper_bars (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        time INTEGER NOT NULL,
        open INTEGER NOT NULL,
        high INTEGER NOT NULL,
        low INTEGER NOT NULL,
        close INTEGER NOT NULL,
        volume INTEGER NOT NULL,
        PRIMARY KEY (venue, symbol, time)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'order history as events, and who sent each order as real columns',
    // Each applied (or ignored, or refused) event of an order, in the order it happened; source columns so
    // "this strategy's orders" is an index lookup, not a scan of JSON bodies. Existing orders keep their source.
    up: `
      CREATE TABLE order_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL REFERENCES orders (id),
        timestamp INTEGER NOT NULL,
        type TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'ignored', 'anomaly')),
        status TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX order_events_by_order ON order_events (order_id, id);
      ALTER TABLE orders ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
      ALTER TABLE orders ADD COLUMN source_id TEXT;
      UPDATE orders SET source = coalesce(json_extract(body, '$.source'), 'manual'), source_id = json_extract(body, '$.sourceId');
      CREATE INDEX orders_by_source ON orders (source, source_id);
    `,
  },
  {
    version: 8,
    name: 'reconciliation reports, so the last comparison with each venue can be read back',
    up: `
      CREATE TABLE reconciliation_reports (id TEXT PRIMARY KEY, venue TEXT NOT NULL, finished_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX reconciliation_reports_by_venue ON reconciliation_reports (venue, finished_at);
    `,
  },
  {
    version: 9,
    name: 'strategy instances, imported datasets and backtest runs',
    // Bars are one blob per dataset (little-endian float64, six per bar: time, open, high, low, close, volume), so a
    // million bars are one 48 MB write and one read, not a million rows. Run results (brotli-compressed JSON) sit in
    // their own table like the bars: listing runs and saving their progress never read or rewrite a body. Children go
    // with their parent (ON DELETE CASCADE; the stores also delete them explicitly).
    up: `
      CREATE TABLE strategy_instances (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        params TEXT NOT NULL,
        limits TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        resume_after_restart INTEGER NOT NULL CHECK (resume_after_restart IN (0, 1)),
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX strategy_instances_by_created ON strategy_instances (created_at, id);
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        symbol TEXT NOT NULL,
        bars INTEGER NOT NULL CHECK (bars > 0),
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        period_ms INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX datasets_by_created ON datasets (created_at);
      CREATE TABLE dataset_bars (
        dataset_id TEXT PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
        ohlcv BLOB NOT NULL
      );
      CREATE TABLE backtest_runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('backtest', 'optimize')),
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        strategy TEXT NOT NULL,
        data TEXT NOT NULL,
        settings TEXT NOT NULL,
        progress_done INTEGER NOT NULL,
        progress_total INTEGER NOT NULL,
        return_pct REAL,
        sharpe_ratio REAL,
        trade_count INTEGER,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX backtest_runs_by_created ON backtest_runs (created_at);
      CREATE INDEX backtest_runs_by_status ON backtest_runs (status);
      CREATE TABLE backtest_results (
        run_id TEXT PRIMARY KEY REFERENCES backtest_runs (id) ON DELETE CASCADE,
        body BLOB NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'real venues the trader added (their keys live in the OS keychain, not here)',
    up: `
      CREATE TABLE venue_configs (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: "the audit trail of the trader's decisions on reconciliation differences",
    up: `
      CREATE TABLE reconciliation_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        venue TEXT NOT NULL,
        at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX reconciliation_audit_by_venue ON reconciliation_audit (venue, id);
    `,
  },
  {
    version: 12,
    name: 'the model registry: model versions and their stored models',
    up: `
      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        status TEXT NOT NULL CHECK (status IN ('candidate', 'active', 'retired')),
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (name, version)
      );
      CREATE INDEX models_by_created ON models (created_at, version);
      CREATE UNIQUE INDEX models_one_active_per_name ON models (name) WHERE status = 'active';
      CREATE TABLE model_blobs (
        model_id TEXT PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
        bytes BLOB NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: "models' signals and the orders they caused",
    // seq is the row number (AUTOINCREMENT: never reused, kept by VACUUM), the last tie-break of "newest first" and of
    // the links' "oldest first". Every listing index ends in (time, created_at) so a filtered page walks it in order,
    // without a sort; the orders a signal caused are found from the order too. Links go with their signal.
    up: `
      CREATE TABLE signals (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        time INTEGER NOT NULL,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        model_id TEXT NOT NULL,
        strategy_id TEXT,
        acted INTEGER NOT NULL CHECK (acted IN (0, 1)),
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX signals_by_time ON signals (time, created_at);
      CREATE INDEX signals_by_strategy ON signals (strategy_id, time, created_at);
      CREATE INDEX signals_by_symbol ON signals (symbol, time, created_at);
      CREATE INDEX signals_by_model ON signals (model_id, time, created_at);
      CREATE TABLE signal_orders (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        signal_id TEXT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
        order_id TEXT NOT NULL,
        UNIQUE (signal_id, order_id)
      );
      CREATE INDEX signal_orders_by_order ON signal_orders (order_id);
    `,
  },
  {
    version: 14,
    name: 'the model monitor: each stream a version is scored on, and the retrain schedules',
    up: `
      CREATE TABLE model_monitor_streams (
        model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (model_id, venue, symbol, timeframe)
      );
      CREATE TABLE model_retrain_schedules (
        name TEXT PRIMARY KEY,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'training jobs, kept across restarts (the newest, bounded)',
    up: `
      CREATE TABLE training_jobs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
        started_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX training_jobs_by_start ON training_jobs (started_at);
    `,
  },
  {
    version: 16,
    name: 'perpetuals: funding and margin modes in the books, ledger entries that are not fills, the paper venue funding history',
    up: `
      ALTER TABLE balances ADD COLUMN funding TEXT NOT NULL DEFAULT '0';
      ALTER TABLE positions ADD COLUMN funding TEXT NOT NULL DEFAULT '0';
      ALTER TABLE positions ADD COLUMN margin_mode TEXT NOT NULL DEFAULT 'cross' CHECK (margin_mode IN ('cross', 'isolated'));
      CREATE TABLE ledger_entries (
        venue TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (venue, entry_id)
      );
      CREATE INDEX ledger_entries_by_time ON ledger_entries (timestamp);
      CREATE TABLE paper_funding (
        venue TEXT NOT NULL,
        funding_id TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (venue, funding_id)
      );
      CREATE INDEX paper_funding_by_time ON paper_funding (venue, timestamp);
    `,
  },
  {
    version: 17,
    name: "the trade journal: the trader's notes and tags on round trips, the regime each one opened in, orders by instrument",
    // A round trip is rebuilt from fills whenever it is read; what cannot be rebuilt is kept here under its id (the venue
    // and trade id of its opening fill): what the trader wrote, and the regime read at entry once the venue's history had
    // it (that history slides on, so it is read once and kept). Stops placed on a position are found by instrument and time.
    up: `
      CREATE TABLE trade_notes (
        trade_id TEXT PRIMARY KEY,
        note TEXT NOT NULL,
        tags TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE trade_regimes (
        trade_id TEXT PRIMARY KEY,
        timeframe TEXT NOT NULL,
        regime TEXT NOT NULL CHECK (regime IN ('trending_up', 'trending_down', 'ranging', 'volatile'))
      );
      CREATE INDEX orders_by_instrument ON orders (venue, symbol, created_at);
    `,
  },
  {
    version: 18,
    name: 'price alerts',
    // The book loads every alert at start and keeps them in memory; the index serves dropping the oldest triggered ones.
    up: `
      CREATE TABLE price_alerts (
        id TEXT PRIMARY KEY,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'triggered')),
        created_at INTEGER NOT NULL,
        triggered_at INTEGER,
        body TEXT NOT NULL
      );
      CREATE INDEX price_alerts_by_trigger ON price_alerts (status, triggered_at);
    `,
  },
  {
    version: 19,
    name: 'the alert centre: alerts raised, and the alert and email settings',
    // Alerts are listed newest first by id (AUTOINCREMENT: an id is never reused after pruning, so pages stay stable);
    // the unread count reads the partial index. Settings are one JSON record per key; the SMTP password is never here.
    up: `
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        raised_at INTEGER NOT NULL,
        read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
        body TEXT NOT NULL
      );
      CREATE INDEX alerts_unread ON alerts (id) WHERE read = 0;
      CREATE TABLE alert_settings (
        key TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 20,
    name: 'the strategy pipeline: cards, every move with its evidence, the gate settings',
    // Moves are append-only; seq orders moves made in the same millisecond. A card's row is its latest state.
    up: `
      CREATE TABLE pipeline_cards (
        id TEXT PRIMARY KEY,
        column_name TEXT NOT NULL CHECK (column_name IN ('discovery', 'paper', 'live')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE pipeline_moves (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        card_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX pipeline_moves_by_card ON pipeline_moves (card_id, at);
      CREATE INDEX pipeline_moves_by_time ON pipeline_moves (at);
      CREATE TABLE pipeline_gates (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 21,
    name: 'the pipeline keeps its discovery schedules and its recent discoveries',
    // A discovery's row is its latest progress, rewritten in place; seq orders them by start. The partial index finds
    // the runs still marked running at start (Keel stopped while they ran). A schedule's row is its latest state.
    up: `
      CREATE TABLE pipeline_schedules (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE pipeline_discoveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        body TEXT NOT NULL
      );
      CREATE INDEX pipeline_discoveries_running ON pipeline_discoveries (status) WHERE status = 'running';
    `,
  },
];

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`This journal was written by a newer Keel (schema ${current}, this build knows ${latest}); refusing to open it.`);
  }
  const write = writeTransactions(db);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    write(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    });
  }
  return schemaVersion(db);
}
