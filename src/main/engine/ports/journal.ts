/**
 * What the engine needs from durable storage. The SQLite journal implements
 * it; the engine depends only on this port, so tests and backtests can run
 * on an in-memory journal with the very same engine code.
 */
import type { Activity, Fill, Instrument, LedgerEntry, Order, OrderEvent } from '../../../shared/domain';
import type { ReconciliationAuditEntry, ReconciliationReport, StrategyLimits, StrategyParams, StrategyStatus } from '../../../shared/contract';
import type { LedgerSnapshot } from '../../core/ledger';
import type { EmergencyReport, RiskConfig, RiskStateView, Settings, StateChange } from '../../../shared/risk';

/** Equity reference points the loss limits are measured from, per venue. */
export interface RiskMarks {
  dayStartEquity: string;
  dayStartedAt: number;
  highWaterMark: string;
}

export type NewActivity = Omit<Activity, 'id'>;

export interface ActivityPruneRule {
  /** Epoch ms: rows stamped earlier are due. */
  olderThan: number;
  keepNewest: number;
  /** Most rows one call deletes. */
  limit: number;
}

/**
 * A strategy instance as the journal keeps it: what it was created with, where
 * its lifecycle stands, and the strategy's own key/value state, so an instance
 * picks up where it was after a restart. Accounting is not here: it is derived
 * from the instance's orders and fills, which the journal already holds.
 */
export interface StrategyInstanceRow {
  id: string;
  type: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: string;
  params: StrategyParams;
  limits: StrategyLimits;
  status: StrategyStatus;
  statusReason: string | null;
  resumeAfterRestart: boolean;
  /** The strategy's persisted state; only JSON values (no NaN, Infinity, Dates, Maps) are accepted. */
  state: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** One page of a list and where the next one starts (null: this was the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface EngineJournal {
  /** Runs `fn` atomically: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T;

  saveInstruments(instruments: Instrument[]): void;

  insertOrder(order: Order): void;
  getOrder(orderId: string): Order | undefined;
  getOrderByClientId(clientOrderId: string): Order | undefined;
  /** True when any order, however old, already used this client order id. */
  clientOrderIdExists(clientOrderId: string): boolean;
  updateOrder(order: Order): void;
  /** Every order not in a terminal state, plus the most recent `recentLimit` others. */
  loadOrders(recentLimit: number): Order[];
  /** A page of orders, newest first, continuing after `cursor` (a position this journal handed out). */
  listOrders(options: { openOnly: boolean; limit: number; cursor?: string }): Page<Order>;

  saveReconciliationReport(report: ReconciliationReport): void;
  /** The venue's most recent reconciliation report. */
  latestReconciliationReport(venue: string): ReconciliationReport | undefined;
  /** Writes a saved report again with its items' resolutions; unknown ids are an error. */
  updateReconciliationReport(report: ReconciliationReport): void;
  /** One decision the trader took on a reconciliation difference; answers it with its id. */
  appendReconciliationAudit(entry: Omit<ReconciliationAuditEntry, 'id'>): ReconciliationAuditEntry;
  /** The venue's decisions, newest first. */
  listReconciliationAudit(venue: string, limit: number): ReconciliationAuditEntry[];

  /** Appends one entry to an order's history (call inside the transaction that applies it). */
  appendOrderEvent(event: Omit<OrderEvent, 'id'>): void;
  /** An order's history, oldest first. */
  listOrderEvents(orderId: string): OrderEvent[];

  /** Stores a fill; returns false (and changes nothing) when this venue trade id is already recorded. */
  insertFill(fill: Fill): boolean;
  hasFill(venue: string, tradeId: string): boolean;
  /** Time of the newest fill recorded for a venue, if any. */
  lastFillTimestamp(venue: string): number | undefined;
  /** A page of fills, newest first, continuing after `cursor`. */
  listFills(options: { limit: number; cursor?: string }): Page<Fill>;

  /** Stores a ledger entry that is not a fill (a funding payment); returns false (and changes nothing) when the venue's entry id is already recorded. */
  insertLedgerEntry(entry: LedgerEntry): boolean;
  hasLedgerEntry(venue: string, id: string): boolean;
  /** Time of the newest ledger entry recorded for a venue, if any. */
  lastLedgerEntryTimestamp(venue: string): number | undefined;
  /** Ledger entries, newest first (ties: the later stored first), of one venue or of all. */
  listLedgerEntries(options: { venue?: string; limit: number }): LedgerEntry[];

  saveLedger(venue: string, snapshot: LedgerSnapshot): void;
  loadLedger(venue: string): LedgerSnapshot | undefined;

  appendActivity(entry: NewActivity): Activity;
  listActivity(limit: number): Activity[];
  /**
   * One retention batch, in one transaction: deletes up to `limit` activity
   * rows, oldest first, that are stamped before `olderThan` or are not among
   * the newest `keepNewest`. Returns how many were deleted; fewer than
   * `limit` means nothing more is due.
   */
  pruneActivity(rule: ActivityPruneRule): number;

  loadRiskState(): RiskStateView | undefined;
  /** Saves the state and appends the change to its history, atomically. */
  saveRiskState(state: RiskStateView, change: StateChange): void;
  listStateChanges(limit: number): StateChange[];
  loadRiskConfig(venue: string): RiskConfig | undefined;
  saveRiskConfig(config: RiskConfig): void;
  loadRiskMarks(venue: string): RiskMarks | undefined;
  saveRiskMarks(venue: string, marks: RiskMarks): void;

  loadSettings(): Partial<Settings>;
  saveSettings(settings: Settings): void;

  saveEmergencyReport(report: EmergencyReport): void;
  listEmergencyReports(limit: number): EmergencyReport[];

  /**
   * Inserts the instance or replaces the one with its id, every field. A
   * params, limits or state value JSON cannot carry exactly is refused
   * (VALIDATION_FAILED) and nothing is written.
   */
  saveStrategyInstance(row: StrategyInstanceRow): void;
  /** Every instance, oldest created first (ties by id). */
  listStrategyInstances(): StrategyInstanceRow[];
  /** Removes the instance; false when there was none. Its orders and fills stay. */
  deleteStrategyInstance(id: string): boolean;
}
