/**
 * The engine's journal held in memory, for backtests: nothing touches a disk,
 * yet every method behaves as the SQLite journal's does (that one is the
 * reference; tests/support/journalConformance.ts holds both to it). Orders,
 * fills and every other body are kept as private JSON-equivalent copies, so
 * no caller can change the books by mutating an object it passed in or got
 * back.
 *
 * Atomicity is an undo log: inside `transaction`, every write pushes the
 * closure that reverses it. Committing the outermost transaction drops the
 * log; a throw runs the closures back to where that (possibly nested)
 * transaction started, newest first, and rethrows. Writes cost one closure
 * each and nothing is copied wholesale, so a backtest applying hundreds of
 * thousands of fills pays O(1) per write for it.
 *
 * A strategy backtest may leave out the audit trail (`keepAudit: false`):
 * order events and activity entries are checked, numbered and answered as
 * usual but not kept, so `listOrderEvents` and `listActivity` come back
 * empty. Nothing in a run reads them back, and the run's result is its
 * trades and statistics; keeping a few rows per order would cost a run of a
 * million bars a fifth of its time and hundreds of megabytes.
 */
import type { Activity, Fill, Instrument, LedgerEntry, MarginMode, Order, OrderEvent } from '../../shared/domain';
import type { ReconciliationAuditEntry, ReconciliationReport } from '../../shared/contract';
import type { EmergencyReport, RiskConfig, RiskStateView, Settings, StateChange } from '../../shared/risk';
import type { LedgerSnapshot } from '../core/ledger';
import type { ActivityPruneRule, EngineJournal, NewActivity, Page, RiskMarks, StrategyInstanceRow } from '../engine/ports/journal';
import { decodeCursor, encodeCursor } from '../core/pageCursor';
import { parseJsonText, toJsonText } from '../core/jsonText';

/** What the journal counts as open; any other status (even one it does not know) is terminal. */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['pending_new', 'open', 'partially_filled', 'pending_cancel']);

/** loadOrders returns at most this many open orders, as the SQLite journal does. */
const MAX_OPEN_ORDERS = 1_000_000;

/** Row numbers stand in for SQLite's rowids: they order rows, and page cursors carry them. */
interface OrderRow {
  readonly rowid: number;
  order: Order;
}

interface FillRow {
  readonly rowid: number;
  readonly timestamp: number;
  readonly fill: Fill;
}

interface ActivityRow {
  readonly id: number;
  readonly timestamp: number;
  readonly level: Activity['level'];
  readonly category: Activity['category'];
  readonly message: string;
  /**
   * A private copy of what the JSON text the SQLite journal stores would
   * give back; `NO_DATA` when the entry had none (or nothing JSON can hold).
   * Kept as a value, not text: an entry is written for every order event.
   */
  readonly data: unknown;
}

/** An activity row's data when the entry had none. */
const NO_DATA: unique symbol = Symbol('no data');

interface BalanceRow {
  readonly total: string;
  readonly realizedPnl: string;
  readonly feesPaid: string;
  readonly funding: string;
}

type PositionRow = Required<LedgerSnapshot['positions'][number]> & { marginMode: MarginMode };

interface LedgerEntryRow {
  readonly rowid: number;
  readonly venue: string;
  readonly timestamp: number;
  /** JSON text, as the SQLite journal stores it. */
  readonly body: string;
}

/** A JSON body and the time it is sorted by; ties go to the one stored later. */
interface DatedBody {
  readonly at: number;
  readonly body: string;
}

export interface InMemoryJournalOptions {
  /** Keep order events and activity entries (default true); false answers them without keeping them. */
  keepAudit?: boolean;
}

export class InMemoryJournal implements EngineJournal {
  private readonly keepAudit: boolean;

  constructor(options: InMemoryJournalOptions = {}) {
    this.keepAudit = options.keepAudit ?? true;
  }

  /** Steps that undo the open transaction's writes, oldest first; null outside a transaction. */
  private undoLog: Array<() => void> | null = null;

  private readonly instruments = new Map<string, Map<string, string>>();

  /** Index i holds rowid i + 1: orders are never deleted. */
  private readonly orders: OrderRow[] = [];
  private readonly ordersById = new Map<string, OrderRow>();
  /** Keyed by the client order id the order was inserted with, as the SQLite column is. */
  private readonly ordersByClientId = new Map<string, OrderRow>();
  private readonly openOrders = new Set<OrderRow>();

  private readonly orderEvents = new Map<string, OrderEvent[]>();
  private lastOrderEventId = 0;

  /** venue -> trade id -> fill. */
  private readonly fills = new Map<string, Map<string, FillRow>>();
  /** Every fill sorted by (timestamp, rowid): pages walk it backwards from a binary search. */
  private readonly fillsByTime: FillRow[] = [];
  private readonly lastFillAt = new Map<string, number>();
  private lastFillRowid = 0;

  /** venue -> currency -> balance; a venue whose ledger changed currency keeps both, as the SQLite table does. */
  private readonly balances = new Map<string, Map<string, BalanceRow>>();
  private readonly positions = new Map<string, readonly PositionRow[]>();
  /** venue -> entry id -> row; `ledgerRows` holds them in insertion (rowid) order. */
  private readonly ledgerEntries = new Map<string, Map<string, LedgerEntryRow>>();
  private readonly ledgerRows: LedgerEntryRow[] = [];

  /** Sorted by id. Pruning replaces the array, so undoing it is restoring the old one. */
  private activity: ActivityRow[] = [];
  /** True once a row was stamped before the one above it: pruning then cannot treat the expired rows as a prefix. */
  private activityOutOfOrder = false;
  /** Like AUTOINCREMENT: never reused after pruning, but a rolled-back append gives its id back. */
  private lastActivityId = 0;

  private riskState: RiskStateView | undefined;
  private readonly stateChanges: StateChange[] = [];
  private readonly riskConfigs = new Map<string, string>();
  private readonly riskMarks = new Map<string, RiskMarks>();
  private readonly settings = new Map<string, string>();

  private readonly emergencyReportIds = new Set<string>();
  private readonly emergencyReports: DatedBody[] = [];
  private readonly reconciliationReportIds = new Set<string>();
  private readonly reconciliationReports = new Map<string, DatedBody[]>();
  /** Audit entries as JSON text, oldest first; an entry's id is its position + 1. */
  private readonly reconciliationAudit: Array<{ venue: string; body: string }> = [];
  /** id -> the whole row as JSON text: a private copy, and exactly what SQLite's columns give back. */
  private readonly strategyInstances = new Map<string, string>();

  transaction<T>(fn: () => T): T {
    // A nested call marks its place in the outer log, so a throw undoes only
    // its own writes; the outer transaction may catch it and carry on.
    const outermost = this.undoLog === null;
    const log = this.undoLog ?? (this.undoLog = []);
    const mark = log.length;
    try {
      const result = fn();
      if (isThenable(result)) throw new TypeError('Transaction function cannot return a promise');
      return result;
    } catch (error) {
      for (let i = log.length - 1; i >= mark; i--) log[i]!();
      log.length = mark;
      throw error;
    } finally {
      if (outermost) this.undoLog = null;
    }
  }

  saveInstruments(instruments: Instrument[]): void {
    const bodies = instruments.map((i) => [i.venue, i.symbol, JSON.stringify(i)] as const);
    for (const [venue, symbol, body] of bodies) {
      let bySymbol = this.instruments.get(venue);
      if (!bySymbol) this.instruments.set(venue, (bySymbol = new Map()));
      this.setEntry(bySymbol, symbol, body);
    }
  }

  /** Every instrument saved, in the order first saved (the port has no reader; backtests and tests use this). */
  listInstruments(): Instrument[] {
    return [...this.instruments.values()].flatMap((bySymbol) => [...bySymbol.values()].map((body) => JSON.parse(body) as Instrument));
  }

  insertOrder(order: Order): void {
    if (this.ordersById.has(order.id)) throw new Error(`Journal already has an order ${order.id}`);
    if (this.ordersByClientId.has(order.clientOrderId)) {
      throw new Error(`Journal already has an order with client order id ${order.clientOrderId}`);
    }
    const row: OrderRow = { rowid: this.orders.length + 1, order: jsonCopy(order) };
    this.orders.push(row);
    this.ordersById.set(order.id, row);
    this.ordersByClientId.set(order.clientOrderId, row);
    if (OPEN_STATUSES.has(row.order.status)) this.openOrders.add(row);
    this.undoLog?.push(() => {
      this.orders.pop();
      this.ordersById.delete(order.id);
      this.ordersByClientId.delete(order.clientOrderId);
      this.openOrders.delete(row);
    });
  }

  getOrder(orderId: string): Order | undefined {
    const row = this.ordersById.get(orderId);
    return row ? jsonCopy(row.order) : undefined;
  }

  getOrderByClientId(clientOrderId: string): Order | undefined {
    const row = this.ordersByClientId.get(clientOrderId);
    return row ? jsonCopy(row.order) : undefined;
  }

  clientOrderIdExists(clientOrderId: string): boolean {
    return this.ordersByClientId.has(clientOrderId);
  }

  updateOrder(order: Order): void {
    const row = this.ordersById.get(order.id);
    if (!row) throw new Error(`Journal has no order ${order.id} to update`);
    const previous = row.order;
    const wasOpen = this.openOrders.has(row);
    row.order = jsonCopy(order);
    if (OPEN_STATUSES.has(row.order.status)) this.openOrders.add(row);
    else this.openOrders.delete(row);
    this.undoLog?.push(() => {
      row.order = previous;
      if (wasOpen) this.openOrders.add(row);
      else this.openOrders.delete(row);
    });
  }

  loadOrders(recentLimit: number): Order[] {
    const recent: Order[] = [];
    const recentCap = sqlLimit(recentLimit);
    for (let i = this.orders.length - 1; i >= 0 && recent.length < recentCap; i--) {
      const { order } = this.orders[i]!;
      if (!OPEN_STATUSES.has(order.status)) recent.push(jsonCopy(order));
    }
    const open = [...this.openOrders].sort((a, b) => a.rowid - b.rowid).slice(-MAX_OPEN_ORDERS);
    return [...recent.reverse(), ...open.map((row) => jsonCopy(row.order))];
  }

  listOrders(options: { openOnly: boolean; limit: number; cursor?: string }): Page<Order> {
    const [before] = options.cursor === undefined ? [Number.MAX_SAFE_INTEGER] : decodeCursor(options.cursor, 1);
    const wanted = sqlLimit(options.limit + 1);
    let rows: OrderRow[] = [];
    if (options.openOnly) {
      rows = [...this.openOrders].filter((r) => r.rowid < before!).sort((a, b) => b.rowid - a.rowid);
      if (rows.length > wanted) rows.length = wanted;
    } else {
      for (let i = Math.min(before! - 1, this.orders.length) - 1; i >= 0 && rows.length < wanted; i--) rows.push(this.orders[i]!);
    }
    // One row more than asked says whether another page follows.
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => jsonCopy(row.order)),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.rowid]) : null,
    };
  }

  saveReconciliationReport(report: ReconciliationReport): void {
    if (this.reconciliationReportIds.has(report.id)) throw new Error(`Journal already has a reconciliation report ${report.id}`);
    const entry: DatedBody = { at: report.finishedAt, body: JSON.stringify(report) };
    let reports = this.reconciliationReports.get(report.venue);
    if (!reports) this.reconciliationReports.set(report.venue, (reports = []));
    const list = reports;
    list.push(entry);
    this.reconciliationReportIds.add(report.id);
    this.undoLog?.push(() => {
      list.pop();
      this.reconciliationReportIds.delete(report.id);
    });
  }

  latestReconciliationReport(venue: string): ReconciliationReport | undefined {
    let latest: DatedBody | undefined;
    for (const entry of this.reconciliationReports.get(venue) ?? []) if (!latest || entry.at >= latest.at) latest = entry;
    return latest ? (JSON.parse(latest.body) as ReconciliationReport) : undefined;
  }

  updateReconciliationReport(report: ReconciliationReport): void {
    if (!this.reconciliationReportIds.has(report.id)) throw new Error(`Journal has no reconciliation report ${report.id}`);
    const list = this.reconciliationReports.get(report.venue) ?? [];
    const index = list.findIndex((entry) => (JSON.parse(entry.body) as ReconciliationReport).id === report.id);
    if (index < 0) throw new Error(`Journal has no reconciliation report ${report.id} for ${report.venue}`);
    const previous = list[index]!;
    list[index] = { at: previous.at, body: JSON.stringify(report) };
    this.undoLog?.push(() => {
      list[index] = previous;
    });
  }

  appendReconciliationAudit(entry: Omit<ReconciliationAuditEntry, 'id'>): ReconciliationAuditEntry {
    this.reconciliationAudit.push({ venue: entry.venue, body: JSON.stringify(entry) });
    this.undoLog?.push(() => {
      this.reconciliationAudit.pop();
    });
    return { id: this.reconciliationAudit.length, ...(JSON.parse(JSON.stringify(entry)) as Omit<ReconciliationAuditEntry, 'id'>) };
  }

  listReconciliationAudit(venue: string, limit: number): ReconciliationAuditEntry[] {
    const entries: ReconciliationAuditEntry[] = [];
    for (let i = this.reconciliationAudit.length - 1; i >= 0 && entries.length < sqlLimit(limit); i--) {
      const row = this.reconciliationAudit[i]!;
      if (row.venue === venue) entries.push({ id: i + 1, ...(JSON.parse(row.body) as Omit<ReconciliationAuditEntry, 'id'>) });
    }
    return entries;
  }

  appendOrderEvent(event: Omit<OrderEvent, 'id'>): void {
    if (!this.ordersById.has(event.orderId)) throw new Error(`Journal has no order ${event.orderId} for this event`);
    if (!this.keepAudit) {
      this.lastOrderEventId += 1;
      return;
    }
    const stored: OrderEvent = {
      id: this.lastOrderEventId + 1,
      orderId: event.orderId,
      timestamp: event.timestamp,
      type: event.type,
      outcome: event.outcome,
      status: event.status,
      detail: jsonCopy(event.detail),
    };
    let history = this.orderEvents.get(event.orderId);
    if (!history) this.orderEvents.set(event.orderId, (history = []));
    const list = history;
    list.push(stored);
    this.lastOrderEventId = stored.id;
    this.undoLog?.push(() => {
      list.pop();
      this.lastOrderEventId = stored.id - 1;
    });
  }

  listOrderEvents(orderId: string): OrderEvent[] {
    return (this.orderEvents.get(orderId) ?? []).map((e) => ({ ...e, detail: jsonCopy(e.detail) }));
  }

  insertFill(fill: Fill): boolean {
    let byTrade = this.fills.get(fill.venue);
    if (byTrade?.has(fill.tradeId)) return false;
    if (!this.ordersById.has(fill.orderId)) throw new Error(`Journal has no order ${fill.orderId} for fill ${fill.tradeId}`);
    const row: FillRow = { rowid: this.lastFillRowid + 1, timestamp: fill.timestamp, fill: jsonCopy(fill) };
    if (!byTrade) this.fills.set(fill.venue, (byTrade = new Map()));
    byTrade.set(fill.tradeId, row);
    this.lastFillRowid = row.rowid;
    // Fills mostly arrive in time order, so this is nearly always a push.
    const at = this.fillPosition(row.timestamp, row.rowid);
    if (at === this.fillsByTime.length) this.fillsByTime.push(row);
    else this.fillsByTime.splice(at, 0, row);
    const previousLast = this.lastFillAt.get(fill.venue);
    if (previousLast === undefined || row.timestamp > previousLast) this.lastFillAt.set(fill.venue, row.timestamp);
    const trades = byTrade;
    this.undoLog?.push(() => {
      trades.delete(fill.tradeId);
      this.lastFillRowid = row.rowid - 1;
      // Undo runs newest first, so this row is still the last of its key's position.
      const i = this.fillPosition(row.timestamp, row.rowid);
      this.fillsByTime.splice(this.fillsByTime[i] === row ? i : this.fillsByTime.indexOf(row), 1);
      if (previousLast === undefined) this.lastFillAt.delete(fill.venue);
      else this.lastFillAt.set(fill.venue, previousLast);
    });
    return true;
  }

  hasFill(venue: string, tradeId: string): boolean {
    return this.fills.get(venue)?.has(tradeId) ?? false;
  }

  lastFillTimestamp(venue: string): number | undefined {
    return this.lastFillAt.get(venue);
  }

  listFills(options: { limit: number; cursor?: string }): Page<Fill> {
    const [time, before] =
      options.cursor === undefined ? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : decodeCursor(options.cursor, 2);
    const wanted = sqlLimit(options.limit + 1);
    const rows: FillRow[] = [];
    for (let i = this.fillPosition(time!, before!) - 1; i >= 0 && rows.length < wanted; i--) rows.push(this.fillsByTime[i]!);
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => jsonCopy(row.fill)),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.timestamp, last.rowid]) : null,
    };
  }

  insertLedgerEntry(entry: LedgerEntry): boolean {
    let byId = this.ledgerEntries.get(entry.venue);
    if (byId?.has(entry.id)) return false;
    if (!byId) this.ledgerEntries.set(entry.venue, (byId = new Map()));
    const row: LedgerEntryRow = { rowid: this.ledgerRows.length + 1, venue: entry.venue, timestamp: entry.timestamp, body: JSON.stringify(entry) };
    byId.set(entry.id, row);
    this.ledgerRows.push(row);
    const entries = byId;
    this.undoLog?.push(() => {
      entries.delete(entry.id);
      this.ledgerRows.pop();
    });
    return true;
  }

  hasLedgerEntry(venue: string, id: string): boolean {
    return this.ledgerEntries.get(venue)?.has(id) ?? false;
  }

  lastLedgerEntryTimestamp(venue: string): number | undefined {
    let last: number | undefined;
    for (const row of this.ledgerEntries.get(venue)?.values() ?? []) if (last === undefined || row.timestamp > last) last = row.timestamp;
    return last;
  }

  listLedgerEntries(options: { venue?: string; limit: number }): LedgerEntry[] {
    const rows = this.ledgerRows.filter((r) => options.venue === undefined || r.venue === options.venue);
    rows.sort((a, b) => b.timestamp - a.timestamp || b.rowid - a.rowid);
    return rows.slice(0, sqlLimit(options.limit)).map((r) => JSON.parse(r.body) as LedgerEntry);
  }

  saveLedger(venue: string, snapshot: LedgerSnapshot): void {
    // Positions are replaced wholesale: every symbol with a position, a
    // chosen leverage or margin mode gets a row, exactly the columns the SQLite table keeps.
    const modes = snapshot.marginModes ?? {};
    const symbols = new Set([...snapshot.positions.map((p) => p.symbol), ...Object.keys(snapshot.leverage), ...Object.keys(modes)]);
    const rows: PositionRow[] = [];
    for (const symbol of symbols) {
      const p = snapshot.positions.find((x) => x.symbol === symbol);
      rows.push({
        symbol,
        quantity: p?.quantity ?? '0',
        cost: p?.cost ?? '0',
        realizedPnl: p?.realizedPnl ?? '0',
        feesPaid: p?.feesPaid ?? '0',
        funding: p?.funding ?? '0',
        leverage: p?.leverage ?? snapshot.leverage[symbol] ?? 1,
        marginMode: modes[symbol] ?? 'cross',
        updatedAt: p?.updatedAt ?? 0,
      });
    }
    const balance: BalanceRow = { total: snapshot.balance, realizedPnl: snapshot.realizedPnl, feesPaid: snapshot.feesPaid, funding: snapshot.funding ?? '0' };
    let byCurrency = this.balances.get(venue);
    if (!byCurrency) this.balances.set(venue, (byCurrency = new Map()));
    this.setEntry(byCurrency, snapshot.currency, balance);
    this.setEntry(this.positions, venue, rows);
  }

  loadLedger(venue: string): LedgerSnapshot | undefined {
    let currency: string | undefined;
    let balance: BalanceRow | undefined;
    // Were there several currencies, SQLite's (venue, currency) index hands back the lowest.
    for (const [c, b] of this.balances.get(venue) ?? []) {
      if (currency === undefined || compareBinary(c, currency) < 0) [currency, balance] = [c, b];
    }
    if (currency === undefined || !balance) return undefined;
    const rows = [...(this.positions.get(venue) ?? [])].sort((a, b) => compareBinary(a.symbol, b.symbol));
    return {
      currency,
      balance: balance.total,
      realizedPnl: balance.realizedPnl,
      feesPaid: balance.feesPaid,
      funding: balance.funding,
      leverage: Object.fromEntries(rows.map((r) => [r.symbol, r.leverage])),
      marginModes: Object.fromEntries(rows.filter((r) => r.marginMode !== 'cross').map((r) => [r.symbol, r.marginMode])),
      positions: rows.map(({ marginMode: _mode, ...r }) => ({ ...r })),
    };
  }

  appendActivity(entry: NewActivity): Activity {
    if (!this.keepAudit) {
      // Built field by field: entries with and without data would make a spread copy take its slow path.
      const activity: Activity = { id: ++this.lastActivityId, timestamp: entry.timestamp, level: entry.level, category: entry.category, message: entry.message };
      if (entry.data !== undefined) activity.data = entry.data;
      return activity;
    }
    const previous = this.activity[this.activity.length - 1];
    // Once out of order, always treated so (conservative; only a test's clock goes back).
    if (previous && entry.timestamp < previous.timestamp) this.activityOutOfOrder = true;
    const row: ActivityRow = {
      id: this.lastActivityId + 1,
      timestamp: entry.timestamp,
      level: entry.level,
      category: entry.category,
      message: entry.message,
      data: entry.data === undefined ? NO_DATA : jsonValueCopy(entry.data),
    };
    const rows = this.activity;
    rows.push(row);
    this.lastActivityId = row.id;
    this.undoLog?.push(() => {
      // `rows` is the array this row went into: a later prune's undo has already put it back.
      rows.pop();
      this.lastActivityId = row.id - 1;
    });
    return { ...entry, id: row.id };
  }

  listActivity(limit: number): Activity[] {
    const out: Activity[] = [];
    const cap = sqlLimit(limit);
    for (let i = this.activity.length - 1; i >= 0 && out.length < cap; i--) {
      const r = this.activity[i]!;
      out.push({
        id: r.id,
        timestamp: r.timestamp,
        level: r.level,
        category: r.category,
        message: r.message,
        ...(r.data === NO_DATA ? {} : { data: jsonValueCopy(r.data) }),
      });
    }
    return out;
  }

  pruneActivity(rule: ActivityPruneRule): number {
    // The same two steps as the SQLite journal: first the rows beyond the
    // newest `keepNewest` (by id, oldest first), then, if the batch has room,
    // rows stamped before `olderThan` (oldest stamp first, ties by id).
    const before = this.activity;
    const max = before[before.length - 1]?.id;
    if (max === undefined) return 0;
    let kept = before;
    let deleted = 0;
    const beyondNewest = max - rule.keepNewest;
    if (beyondNewest > 0) {
      const cap = sqlLimit(rule.limit);
      while (deleted < kept.length && deleted < cap && kept[deleted]!.id <= beyondNewest) deleted++;
      if (deleted > 0) kept = kept.slice(deleted);
    }
    if (deleted < rule.limit) {
      const cap = sqlLimit(rule.limit - deleted);
      // Rows come in clock order, so the expired ones are a prefix: only they are looked at (a backtest prunes every
      // simulated hour, and scanning every row each time would grow with the run). Out of order, all are looked at.
      let expired: ActivityRow[];
      if (!this.activityOutOfOrder) {
        let end = 0;
        while (end < kept.length && kept[end]!.timestamp < rule.olderThan) end++;
        expired = kept.slice(0, end);
      } else {
        expired = kept.filter((r) => r.timestamp < rule.olderThan);
      }
      if (expired.length > cap) expired = expired.sort((a, b) => a.timestamp - b.timestamp || a.id - b.id).slice(0, cap);
      if (expired.length > 0) {
        const gone = new Set(expired);
        kept = kept.filter((r) => !gone.has(r));
        deleted += expired.length;
      }
    }
    if (kept !== before) {
      this.activity = kept;
      this.undoLog?.push(() => {
        this.activity = before;
      });
    }
    return deleted;
  }

  loadRiskState(): RiskStateView | undefined {
    return this.riskState ? { ...this.riskState } : undefined;
  }

  saveRiskState(state: RiskStateView, change: StateChange): void {
    const previous = this.riskState;
    this.riskState = { state: state.state, reason: state.reason, since: state.since };
    this.stateChanges.push({ at: change.at, from: change.from, to: change.to, source: change.source, reason: change.reason });
    this.undoLog?.push(() => {
      this.stateChanges.pop();
      this.riskState = previous;
    });
  }

  listStateChanges(limit: number): StateChange[] {
    const out: StateChange[] = [];
    const cap = sqlLimit(limit);
    for (let i = this.stateChanges.length - 1; i >= 0 && out.length < cap; i--) out.push({ ...this.stateChanges[i]! });
    return out;
  }

  loadRiskConfig(venue: string): RiskConfig | undefined {
    const body = this.riskConfigs.get(venue);
    return body === undefined ? undefined : (JSON.parse(body) as RiskConfig);
  }

  saveRiskConfig(config: RiskConfig): void {
    this.setEntry(this.riskConfigs, config.venue, JSON.stringify(config));
  }

  loadRiskMarks(venue: string): RiskMarks | undefined {
    const marks = this.riskMarks.get(venue);
    return marks ? { ...marks } : undefined;
  }

  saveRiskMarks(venue: string, marks: RiskMarks): void {
    this.setEntry(this.riskMarks, venue, {
      dayStartEquity: marks.dayStartEquity,
      dayStartedAt: marks.dayStartedAt,
      highWaterMark: marks.highWaterMark,
    });
  }

  loadSettings(): Partial<Settings> {
    return Object.fromEntries([...this.settings].map(([key, value]) => [key, JSON.parse(value) as unknown])) as Partial<Settings>;
  }

  saveSettings(settings: Settings): void {
    const values = Object.entries(settings).map(([key, value]) => {
      const text = JSON.stringify(value) as string | undefined;
      // SQLite refuses the whole save (NOT NULL) when a value has no JSON form.
      if (text === undefined) throw new Error(`Setting ${key} has no value to store`);
      return [key, text] as const;
    });
    for (const [key, text] of values) this.setEntry(this.settings, key, text);
  }

  saveEmergencyReport(report: EmergencyReport): void {
    if (this.emergencyReportIds.has(report.id)) throw new Error(`Journal already has an emergency report ${report.id}`);
    this.emergencyReports.push({ at: report.startedAt, body: JSON.stringify(report) });
    this.emergencyReportIds.add(report.id);
    this.undoLog?.push(() => {
      this.emergencyReports.pop();
      this.emergencyReportIds.delete(report.id);
    });
  }

  listEmergencyReports(limit: number): EmergencyReport[] {
    // Newest start first; of two that started together, the one stored later.
    const order = this.emergencyReports.map((entry, stored) => ({ entry, stored }));
    order.sort((a, b) => b.entry.at - a.entry.at || b.stored - a.stored);
    return order.slice(0, sqlLimit(limit)).map(({ entry }) => JSON.parse(entry.body) as EmergencyReport);
  }

  saveStrategyInstance(row: StrategyInstanceRow): void {
    // The same checks, in the same order, as the SQLite journal's columns get.
    toJsonText(row.params, `Strategy ${row.id} params`);
    toJsonText(row.limits, `Strategy ${row.id} limits`);
    toJsonText(row.state, `Strategy ${row.id} state`);
    const stored: StrategyInstanceRow = {
      id: row.id,
      type: row.type,
      name: row.name,
      venue: row.venue,
      symbol: row.symbol,
      timeframe: row.timeframe,
      params: row.params,
      limits: row.limits,
      status: row.status,
      statusReason: row.statusReason,
      resumeAfterRestart: row.resumeAfterRestart,
      state: row.state,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
    this.setEntry(this.strategyInstances, row.id, JSON.stringify(stored));
  }

  listStrategyInstances(): StrategyInstanceRow[] {
    const rows = [...this.strategyInstances.values()].map((text) => parseJsonText<StrategyInstanceRow>(text, 'strategy instance'));
    return rows.sort((a, b) => a.createdAt - b.createdAt || compareBinary(a.id, b.id));
  }

  deleteStrategyInstance(id: string): boolean {
    const previous = this.strategyInstances.get(id);
    if (previous === undefined) return false;
    this.strategyInstances.delete(id);
    this.undoLog?.push(() => this.strategyInstances.set(id, previous));
    return true;
  }

  /** Sets `map[key]`, and inside a transaction logs how to put back what was there. */
  private setEntry<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.undoLog) {
      if (map.has(key)) {
        const previous = map.get(key) as V;
        this.undoLog.push(() => map.set(key, previous));
      } else {
        this.undoLog.push(() => map.delete(key));
      }
    }
    map.set(key, value);
  }

  /** Index of the first fill whose (timestamp, rowid) is not below the given key. */
  private fillPosition(timestamp: number, rowid: number): number {
    const rows = this.fillsByTime;
    const last = rows[rows.length - 1];
    if (!last || last.timestamp < timestamp || (last.timestamp === timestamp && last.rowid < rowid)) return rows.length;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = rows[mid]!;
      if (r.timestamp < timestamp || (r.timestamp === timestamp && r.rowid < rowid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** SQLite's LIMIT: a negative limit means no limit. */
function sqlLimit(limit: number): number {
  return limit < 0 ? Number.POSITIVE_INFINITY : limit;
}

/**
 * A copy with exactly what a JSON round trip would give back, which is what
 * the SQLite journal's bodies give. Orders, fills and event details are flat
 * records of JSON-safe primitives, so a spread copies them exactly (and keeps
 * V8's fast object shape; building the copy key by key would not); anything
 * else (nested values, undefined, NaN, -0, a toJSON) takes the real round trip.
 */
function jsonCopy<T extends object>(value: T): T {
  return isFlatJson(value) ? { ...value } : (JSON.parse(JSON.stringify(value)) as T);
}

/** Any value as a JSON round trip gives it back (a flat record by a spread, as `jsonCopy`); `NO_DATA` when JSON has no text for it. */
function jsonValueCopy(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && isFlatJson(value)) return { ...value };
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? NO_DATA : (JSON.parse(text) as unknown);
}

function isFlatJson(value: object): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    switch (typeof v) {
      case 'string':
      case 'boolean':
        break;
      case 'number':
        if (!Number.isFinite(v) || Object.is(v, -0)) return false;
        break;
      default:
        if (v !== null) return false;
    }
  }
  return true;
}

/** SQLite's BINARY collation: UTF-8 byte order, which is code point order (not UTF-16 unit order). */
function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
