/**
 * The engine's journal on SQLite: the only place Keel's books are written.
 * Statements are prepared once; every write is a single statement or runs
 * inside `transaction`, so a crash leaves either the old or the new state.
 */
import { performance } from 'node:perf_hooks';
import type { Statement } from 'better-sqlite3';
import type { Activity, Fill, Instrument, LedgerEntry, MarginMode, Order, OrderEvent } from '../../shared/domain';
import type { ReconciliationAuditEntry, ReconciliationReport } from '../../shared/contract';
import type { ActivityPruneRule, EngineJournal, NewActivity, Page, RiskMarks, StrategyInstanceRow } from '../engine/ports/journal';
import type { EmergencyReport, RiskConfig, RiskStateView, Settings, StateChange } from '../../shared/risk';
import type { LedgerSnapshot } from '../core/ledger';
import type { JournalDatabase } from './database';
import { decodeCursor, encodeCursor } from '../core/pageCursor';
import { parseJsonText, toJsonText } from '../core/jsonText';
import { writeTransactions } from './writeTransactions';

const OPEN_STATUSES = `('pending_new','open','partially_filled','pending_cancel')`;

interface ActivityRow {
  id: number;
  timestamp: number;
  level: Activity['level'];
  category: Activity['category'];
  message: string;
  data: string | null;
}

interface StrategyInstanceColumns {
  id: string;
  type: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: string;
  params: string;
  limits: string;
  status: StrategyInstanceRow['status'];
  status_reason: string | null;
  resume_after_restart: number;
  state: string;
  created_at: number;
  updated_at: number;
}

export interface SqliteJournalOptions {
  /**
   * Told how long each outermost transaction held the thread (ms, commit
   * included), for the system monitor. Nested transactions are part of their
   * outer one and are not reported on their own.
   */
  onWrite?: (ms: number) => void;
}

export class SqliteJournal implements EngineJournal {
  private readonly s: Record<string, Statement>;
  private readonly onWrite: ((ms: number) => void) | undefined;
  private readonly write: <T>(fn: () => T) => T;

  constructor(
    private readonly db: JournalDatabase,
    options: SqliteJournalOptions = {},
  ) {
    this.onWrite = options.onWrite;
    this.write = writeTransactions(db);
    this.s = {
      upsertInstrument: db.prepare(
        'INSERT INTO instruments (venue, symbol, body) VALUES (?, ?, ?) ON CONFLICT (venue, symbol) DO UPDATE SET body = excluded.body',
      ),
      insertOrder: db.prepare(
        'INSERT INTO orders (id, client_order_id, venue, symbol, status, created_at, updated_at, source, source_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertReconciliation: db.prepare('INSERT INTO reconciliation_reports (id, venue, finished_at, body) VALUES (?, ?, ?, ?)'),
      latestReconciliation: db.prepare('SELECT body FROM reconciliation_reports WHERE venue = ? ORDER BY finished_at DESC, rowid DESC LIMIT 1'),
      updateReconciliation: db.prepare('UPDATE reconciliation_reports SET body = ? WHERE id = ?'),
      insertReconciliationAudit: db.prepare('INSERT INTO reconciliation_audit (venue, at, body) VALUES (?, ?, ?)'),
      listReconciliationAudit: db.prepare('SELECT id, body FROM reconciliation_audit WHERE venue = ? ORDER BY id DESC LIMIT ?'),
      insertOrderEvent: db.prepare('INSERT INTO order_events (order_id, timestamp, type, outcome, status, detail) VALUES (?, ?, ?, ?, ?, ?)'),
      listOrderEvents: db.prepare('SELECT id, order_id, timestamp, type, outcome, status, detail FROM order_events WHERE order_id = ? ORDER BY id'),
      updateOrder: db.prepare('UPDATE orders SET status = ?, updated_at = ?, body = ? WHERE id = ?'),
      getOrder: db.prepare('SELECT body FROM orders WHERE id = ?'),
      getOrderByClientId: db.prepare('SELECT body FROM orders WHERE client_order_id = ?'),
      clientIdExists: db.prepare('SELECT 1 FROM orders WHERE client_order_id = ?'),
      openOrders: db.prepare(`SELECT body FROM orders WHERE status IN ${OPEN_STATUSES} ORDER BY rowid DESC LIMIT ?`),
      openOrdersPage: db.prepare(
        `SELECT rowid AS r, body FROM orders WHERE status IN ${OPEN_STATUSES} AND rowid < ? ORDER BY rowid DESC LIMIT ?`,
      ),
      ordersPage: db.prepare(`SELECT rowid AS r, body FROM orders WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`),
      recentTerminalOrders: db.prepare(
        `SELECT body FROM orders WHERE status NOT IN ${OPEN_STATUSES} ORDER BY rowid DESC LIMIT ?`,
      ),
      insertFill: db.prepare('INSERT OR IGNORE INTO fills (venue, trade_id, order_id, timestamp, body) VALUES (?, ?, ?, ?, ?)'),
      hasFill: db.prepare('SELECT 1 FROM fills WHERE venue = ? AND trade_id = ?'),
      lastFill: db.prepare('SELECT MAX(timestamp) AS t FROM fills WHERE venue = ?'),
      fillsPage: db.prepare(
        'SELECT rowid AS r, timestamp AS t, body FROM fills WHERE (timestamp, rowid) < (?, ?) ORDER BY timestamp DESC, rowid DESC LIMIT ?',
      ),
      upsertBalance: db.prepare(
        `INSERT INTO balances (venue, currency, total, realized_pnl, fees_paid, funding) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (venue, currency) DO UPDATE SET total = excluded.total, realized_pnl = excluded.realized_pnl, fees_paid = excluded.fees_paid, funding = excluded.funding`,
      ),
      deletePositions: db.prepare('DELETE FROM positions WHERE venue = ?'),
      insertPosition: db.prepare(
        'INSERT INTO positions (venue, symbol, quantity, cost, realized_pnl, fees_paid, funding, leverage, margin_mode, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      loadBalance: db.prepare('SELECT currency, total, realized_pnl, fees_paid, funding FROM balances WHERE venue = ?'),
      insertLedgerEntry: db.prepare('INSERT OR IGNORE INTO ledger_entries (venue, entry_id, kind, symbol, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)'),
      hasLedgerEntry: db.prepare('SELECT 1 FROM ledger_entries WHERE venue = ? AND entry_id = ?'),
      lastLedgerEntry: db.prepare('SELECT MAX(timestamp) AS t FROM ledger_entries WHERE venue = ?'),
      listLedgerEntries: db.prepare('SELECT body FROM ledger_entries ORDER BY timestamp DESC, rowid DESC LIMIT ?'),
      listVenueLedgerEntries: db.prepare('SELECT body FROM ledger_entries WHERE venue = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?'),
      loadPositions: db.prepare('SELECT * FROM positions WHERE venue = ?'),
      insertActivity: db.prepare('INSERT INTO activity (timestamp, level, category, message, data) VALUES (?, ?, ?, ?, ?)'),
      listActivity: db.prepare('SELECT * FROM activity ORDER BY id DESC LIMIT ?'),
      maxActivityId: db.prepare('SELECT MAX(id) AS id FROM activity'),
      pruneActivityUpToId: db.prepare('DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE id <= ? ORDER BY id LIMIT ?)'),
      pruneActivityBefore: db.prepare(
        'DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE timestamp < ? ORDER BY timestamp LIMIT ?)',
      ),
      loadRiskState: db.prepare('SELECT state, reason, since FROM risk_state WHERE id = 1'),
      upsertRiskState: db.prepare(
        'INSERT INTO risk_state (id, state, reason, since) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, reason = excluded.reason, since = excluded.since',
      ),
      insertStateChange: db.prepare('INSERT INTO risk_state_changes (at, from_state, to_state, source, reason) VALUES (?, ?, ?, ?, ?)'),
      listStateChanges: db.prepare('SELECT at, from_state, to_state, source, reason FROM risk_state_changes ORDER BY id DESC LIMIT ?'),
      loadRiskConfig: db.prepare('SELECT body FROM risk_config WHERE venue = ?'),
      upsertRiskConfig: db.prepare('INSERT INTO risk_config (venue, body) VALUES (?, ?) ON CONFLICT (venue) DO UPDATE SET body = excluded.body'),
      loadRiskMarks: db.prepare('SELECT day_start_equity, day_started_at, high_water_mark FROM risk_marks WHERE venue = ?'),
      upsertRiskMarks: db.prepare(
        `INSERT INTO risk_marks (venue, day_start_equity, day_started_at, high_water_mark) VALUES (?, ?, ?, ?)
         ON CONFLICT (venue) DO UPDATE SET day_start_equity = excluded.day_start_equity, day_started_at = excluded.day_started_at, high_water_mark = excluded.high_water_mark`,
      ),
      loadSettings: db.prepare('SELECT key, value FROM settings'),
      upsertSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      insertEmergency: db.prepare('INSERT INTO emergency_stops (id, started_at, body) VALUES (?, ?, ?)'),
      listEmergency: db.prepare('SELECT body FROM emergency_stops ORDER BY started_at DESC, rowid DESC LIMIT ?'),
      upsertStrategy: db.prepare(
        `INSERT INTO strategy_instances (id, type, name, venue, symbol, timeframe, params, limits, status, status_reason, resume_after_restart, state, created_at, updated_at)
         VALUES (@id, @type, @name, @venue, @symbol, @timeframe, @params, @limits, @status, @status_reason, @resume_after_restart, @state, @created_at, @updated_at)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, venue = excluded.venue, symbol = excluded.symbol,
           timeframe = excluded.timeframe, params = excluded.params, limits = excluded.limits, status = excluded.status,
           status_reason = excluded.status_reason, resume_after_restart = excluded.resume_after_restart, state = excluded.state,
           created_at = excluded.created_at, updated_at = excluded.updated_at`,
      ),
      listStrategies: db.prepare('SELECT * FROM strategy_instances ORDER BY created_at, id'),
      deleteStrategy: db.prepare('DELETE FROM strategy_instances WHERE id = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    // Nested calls join the outer transaction (better-sqlite3 uses savepoints).
    const onWrite = this.onWrite;
    if (onWrite === undefined || this.db.inTransaction) return this.write(fn);
    const started = performance.now();
    try {
      return this.write(fn);
    } finally {
      onWrite(performance.now() - started);
    }
  }

  saveInstruments(instruments: Instrument[]): void {
    this.transaction(() => {
      for (const i of instruments) this.s.upsertInstrument!.run(i.venue, i.symbol, JSON.stringify(i));
    });
  }

  insertOrder(order: Order): void {
    this.s.insertOrder!.run(
      order.id,
      order.clientOrderId,
      order.venue,
      order.symbol,
      order.status,
      order.createdAt,
      order.updatedAt,
      order.source,
      order.sourceId,
      JSON.stringify(order),
    );
  }

  saveReconciliationReport(report: ReconciliationReport): void {
    this.s.insertReconciliation!.run(report.id, report.venue, report.finishedAt, JSON.stringify(report));
  }

  latestReconciliationReport(venue: string): ReconciliationReport | undefined {
    const row = this.s.latestReconciliation!.get(venue) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as ReconciliationReport) : undefined;
  }

  updateReconciliationReport(report: ReconciliationReport): void {
    const changed = this.s.updateReconciliation!.run(JSON.stringify(report), report.id).changes;
    if (changed === 0) throw new Error(`Journal has no reconciliation report ${report.id}`);
  }

  appendReconciliationAudit(entry: Omit<ReconciliationAuditEntry, 'id'>): ReconciliationAuditEntry {
    const id = Number(this.s.insertReconciliationAudit!.run(entry.venue, entry.at, JSON.stringify(entry)).lastInsertRowid);
    return { id, ...entry };
  }

  listReconciliationAudit(venue: string, limit: number): ReconciliationAuditEntry[] {
    const rows = this.s.listReconciliationAudit!.all(venue, limit) as Array<{ id: number; body: string }>;
    return rows.map((row) => ({ id: row.id, ...(JSON.parse(row.body) as Omit<ReconciliationAuditEntry, 'id'>) }));
  }

  appendOrderEvent(event: Omit<OrderEvent, 'id'>): void {
    const detail = Object.keys(event.detail).length === 0 ? null : JSON.stringify(event.detail);
    this.s.insertOrderEvent!.run(event.orderId, event.timestamp, event.type, event.outcome, event.status, detail);
  }

  listOrderEvents(orderId: string): OrderEvent[] {
    const rows = this.s.listOrderEvents!.all(orderId) as Array<{
      id: number;
      order_id: string;
      timestamp: number;
      type: OrderEvent['type'];
      outcome: OrderEvent['outcome'];
      status: OrderEvent['status'];
      detail: string | null;
    }>;
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      timestamp: r.timestamp,
      type: r.type,
      outcome: r.outcome,
      status: r.status,
      detail: r.detail === null ? {} : (JSON.parse(r.detail) as OrderEvent['detail']),
    }));
  }

  updateOrder(order: Order): void {
    const result = this.s.updateOrder!.run(order.status, order.updatedAt, JSON.stringify(order), order.id);
    if (result.changes !== 1) throw new Error(`Journal has no order ${order.id} to update`);
  }

  getOrder(orderId: string): Order | undefined {
    const row = this.s.getOrder!.get(orderId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Order) : undefined;
  }

  getOrderByClientId(clientOrderId: string): Order | undefined {
    const row = this.s.getOrderByClientId!.get(clientOrderId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Order) : undefined;
  }

  clientOrderIdExists(clientOrderId: string): boolean {
    return this.s.clientIdExists!.get(clientOrderId) !== undefined;
  }

  loadOrders(recentLimit: number): Order[] {
    const open = (this.s.openOrders!.all(1_000_000) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as Order);
    const recent = (this.s.recentTerminalOrders!.all(recentLimit) as Array<{ body: string }>).map(
      (r) => JSON.parse(r.body) as Order,
    );
    return [...recent.reverse(), ...open.reverse()];
  }

  listOrders(options: { openOnly: boolean; limit: number; cursor?: string }): Page<Order> {
    const [before] = options.cursor === undefined ? [Number.MAX_SAFE_INTEGER] : decodeCursor(options.cursor, 1);
    const statement = options.openOnly ? this.s.openOrdersPage! : this.s.ordersPage!;
    // One row more than asked says whether another page follows, without a count.
    const rows = statement.all(before, options.limit + 1) as Array<{ r: number; body: string }>;
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => JSON.parse(row.body) as Order),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.r]) : null,
    };
  }

  insertFill(fill: Fill): boolean {
    return this.s.insertFill!.run(fill.venue, fill.tradeId, fill.orderId, fill.timestamp, JSON.stringify(fill)).changes === 1;
  }

  hasFill(venue: string, tradeId: string): boolean {
    return this.s.hasFill!.get(venue, tradeId) !== undefined;
  }

  lastFillTimestamp(venue: string): number | undefined {
    const row = this.s.lastFill!.get(venue) as { t: number | null };
    return row.t ?? undefined;
  }

  listFills(options: { limit: number; cursor?: string }): Page<Fill> {
    const [time, before] =
      options.cursor === undefined ? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : decodeCursor(options.cursor, 2);
    const rows = this.s.fillsPage!.all(time, before, options.limit + 1) as Array<{ r: number; t: number; body: string }>;
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => JSON.parse(row.body) as Fill),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.t, last.r]) : null,
    };
  }

  insertLedgerEntry(entry: LedgerEntry): boolean {
    return this.s.insertLedgerEntry!.run(entry.venue, entry.id, entry.kind, entry.symbol, entry.timestamp, JSON.stringify(entry)).changes > 0;
  }

  hasLedgerEntry(venue: string, id: string): boolean {
    return this.s.hasLedgerEntry!.get(venue, id) !== undefined;
  }

  lastLedgerEntryTimestamp(venue: string): number | undefined {
    const row = this.s.lastLedgerEntry!.get(venue) as { t: number | null };
    return row.t ?? undefined;
  }

  listLedgerEntries(options: { venue?: string; limit: number }): LedgerEntry[] {
    const rows = (
      options.venue === undefined ? this.s.listLedgerEntries!.all(options.limit) : this.s.listVenueLedgerEntries!.all(options.venue, options.limit)
    ) as Array<{ body: string }>;
    return rows.map((row) => JSON.parse(row.body) as LedgerEntry);
  }

  saveLedger(venue: string, snapshot: LedgerSnapshot): void {
    this.transaction(() => {
      this.s.upsertBalance!.run(venue, snapshot.currency, snapshot.balance, snapshot.realizedPnl, snapshot.feesPaid, snapshot.funding ?? '0');
      this.s.deletePositions!.run(venue);
      const modes = snapshot.marginModes ?? {};
      const symbols = new Set([...snapshot.positions.map((p) => p.symbol), ...Object.keys(snapshot.leverage), ...Object.keys(modes)]);
      for (const symbol of symbols) {
        const p = snapshot.positions.find((x) => x.symbol === symbol);
        this.s.insertPosition!.run(
          venue,
          symbol,
          p?.quantity ?? '0',
          p?.cost ?? '0',
          p?.realizedPnl ?? '0',
          p?.feesPaid ?? '0',
          p?.funding ?? '0',
          p?.leverage ?? snapshot.leverage[symbol] ?? 1,
          modes[symbol] ?? 'cross',
          p?.updatedAt ?? 0,
        );
      }
    });
  }

  loadLedger(venue: string): LedgerSnapshot | undefined {
    const balance = this.s.loadBalance!.get(venue) as
      | { currency: string; total: string; realized_pnl: string; fees_paid: string; funding: string }
      | undefined;
    if (!balance) return undefined;
    const rows = this.s.loadPositions!.all(venue) as Array<{
      symbol: string;
      quantity: string;
      cost: string;
      realized_pnl: string;
      fees_paid: string;
      funding: string;
      leverage: number;
      margin_mode: MarginMode;
      updated_at: number;
    }>;
    return {
      currency: balance.currency,
      balance: balance.total,
      realizedPnl: balance.realized_pnl,
      feesPaid: balance.fees_paid,
      funding: balance.funding,
      leverage: Object.fromEntries(rows.map((r) => [r.symbol, r.leverage])),
      marginModes: Object.fromEntries(rows.filter((r) => r.margin_mode !== 'cross').map((r) => [r.symbol, r.margin_mode])),
      positions: rows.map((r) => ({
        symbol: r.symbol,
        quantity: r.quantity,
        cost: r.cost,
        realizedPnl: r.realized_pnl,
        feesPaid: r.fees_paid,
        funding: r.funding,
        leverage: r.leverage,
        updatedAt: r.updated_at,
      })),
    };
  }

  appendActivity(entry: NewActivity): Activity {
    const data = entry.data === undefined ? null : JSON.stringify(entry.data);
    const id = Number(this.s.insertActivity!.run(entry.timestamp, entry.level, entry.category, entry.message, data).lastInsertRowid);
    return { ...entry, id };
  }

  listActivity(limit: number): Activity[] {
    return (this.s.listActivity!.all(limit) as ActivityRow[]).map((r) => ({
      id: r.id,
      timestamp: r.timestamp,
      level: r.level,
      category: r.category,
      message: r.message,
      ...(r.data === null ? {} : { data: JSON.parse(r.data) as unknown }),
    }));
  }

  pruneActivity(rule: ActivityPruneRule): number {
    return this.transaction(() => {
      // Ids come from AUTOINCREMENT and only retention deletes rows, oldest
      // first, so the newest N rows are the ids above MAX(id) - N: found from
      // the primary key in O(log n), with no count or OFFSET scan. Were there
      // ever a gap, this keeps fewer than N, never more.
      const max = (this.s.maxActivityId!.get() as { id: number | null }).id;
      if (max === null) return 0;
      let deleted = 0;
      const beyondNewest = max - rule.keepNewest;
      if (beyondNewest > 0) deleted += this.s.pruneActivityUpToId!.run(beyondNewest, rule.limit).changes;
      if (deleted < rule.limit) deleted += this.s.pruneActivityBefore!.run(rule.olderThan, rule.limit - deleted).changes;
      return deleted;
    });
  }

  loadRiskState(): RiskStateView | undefined {
    const row = this.s.loadRiskState!.get() as { state: RiskStateView['state']; reason: string | null; since: number } | undefined;
    return row ? { state: row.state, reason: row.reason, since: row.since } : undefined;
  }

  saveRiskState(state: RiskStateView, change: StateChange): void {
    this.transaction(() => {
      this.s.upsertRiskState!.run(state.state, state.reason, state.since);
      this.s.insertStateChange!.run(change.at, change.from, change.to, change.source, change.reason);
    });
  }

  listStateChanges(limit: number): StateChange[] {
    return (
      this.s.listStateChanges!.all(limit) as Array<{ at: number; from_state: StateChange['from']; to_state: StateChange['to']; source: StateChange['source']; reason: string }>
    ).map((r) => ({ at: r.at, from: r.from_state, to: r.to_state, source: r.source, reason: r.reason }));
  }

  loadRiskConfig(venue: string): RiskConfig | undefined {
    const row = this.s.loadRiskConfig!.get(venue) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as RiskConfig) : undefined;
  }

  saveRiskConfig(config: RiskConfig): void {
    this.s.upsertRiskConfig!.run(config.venue, JSON.stringify(config));
  }

  loadRiskMarks(venue: string): RiskMarks | undefined {
    const row = this.s.loadRiskMarks!.get(venue) as { day_start_equity: string; day_started_at: number; high_water_mark: string } | undefined;
    return row ? { dayStartEquity: row.day_start_equity, dayStartedAt: row.day_started_at, highWaterMark: row.high_water_mark } : undefined;
  }

  saveRiskMarks(venue: string, marks: RiskMarks): void {
    this.s.upsertRiskMarks!.run(venue, marks.dayStartEquity, marks.dayStartedAt, marks.highWaterMark);
  }

  loadSettings(): Partial<Settings> {
    const rows = this.s.loadSettings!.all() as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])) as Partial<Settings>;
  }

  saveSettings(settings: Settings): void {
    this.transaction(() => {
      for (const [key, value] of Object.entries(settings)) this.s.upsertSetting!.run(key, JSON.stringify(value));
    });
  }

  saveEmergencyReport(report: EmergencyReport): void {
    this.s.insertEmergency!.run(report.id, report.startedAt, JSON.stringify(report));
  }

  listEmergencyReports(limit: number): EmergencyReport[] {
    return (this.s.listEmergency!.all(limit) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as EmergencyReport);
  }

  saveStrategyInstance(row: StrategyInstanceRow): void {
    // Every body is checked before anything is written: a state JSON would change is refused, not stored altered.
    const columns: StrategyInstanceColumns = {
      id: row.id,
      type: row.type,
      name: row.name,
      venue: row.venue,
      symbol: row.symbol,
      timeframe: row.timeframe,
      params: toJsonText(row.params, `Strategy ${row.id} params`),
      limits: toJsonText(row.limits, `Strategy ${row.id} limits`),
      status: row.status,
      status_reason: row.statusReason,
      resume_after_restart: row.resumeAfterRestart ? 1 : 0,
      state: toJsonText(row.state, `Strategy ${row.id} state`),
      created_at: row.createdAt,
      updated_at: row.updatedAt,
    };
    this.s.upsertStrategy!.run(columns);
  }

  listStrategyInstances(): StrategyInstanceRow[] {
    return (this.s.listStrategies!.all() as StrategyInstanceColumns[]).map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      venue: r.venue,
      symbol: r.symbol,
      timeframe: r.timeframe,
      params: parseJsonText<StrategyInstanceRow['params']>(r.params, `strategy ${r.id} params`),
      limits: parseJsonText<StrategyInstanceRow['limits']>(r.limits, `strategy ${r.id} limits`),
      status: r.status,
      statusReason: r.status_reason,
      resumeAfterRestart: r.resume_after_restart === 1,
      state: parseJsonText<StrategyInstanceRow['state']>(r.state, `strategy ${r.id} state`),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  deleteStrategyInstance(id: string): boolean {
    return this.s.deleteStrategy!.run(id).changes === 1;
  }
}
