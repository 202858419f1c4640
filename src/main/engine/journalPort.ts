/**
 * What the engine needs from durable storage. The SQLite journal implements
 * it; the engine depends only on this port, so tests and backtests can run
 * on an in-memory journal with the very same engine code.
 */
import type { Activity, Fill, Instrument, Order } from '../../shared/domain';
import type { LedgerSnapshot } from './portfolio/ledger';

export type NewActivity = Omit<Activity, 'id'>;

export interface EngineJournal {
  /** Runs `fn` atomically: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T;

  saveInstruments(instruments: Instrument[]): void;

  insertOrder(order: Order): void;
  getOrder(orderId: string): Order | undefined;
  /** True when any order, however old, already used this client order id. */
  clientOrderIdExists(clientOrderId: string): boolean;
  updateOrder(order: Order): void;
  /** Every order not in a terminal state, plus the most recent `recentLimit` others. */
  loadOrders(recentLimit: number): Order[];
  listOrders(options: { openOnly: boolean; limit: number }): Order[];

  /** Stores a fill; returns false (and changes nothing) when this venue trade id is already recorded. */
  insertFill(fill: Fill): boolean;
  hasFill(venue: string, tradeId: string): boolean;
  listFills(limit: number): Fill[];

  saveLedger(venue: string, snapshot: LedgerSnapshot): void;
  loadLedger(venue: string): LedgerSnapshot | undefined;

  appendActivity(entry: NewActivity): Activity;
  listActivity(limit: number): Activity[];
}
