/**
 * The paper venue's unit of work: every command and every market change
 * runs to completion synchronously, then one store transaction writes what
 * it changed (orders, evicted orders, fills, funding payments, the account,
 * the market's state) and, inside that transaction, delivers the execution events it
 * caused. Market data goes out after the commit.
 *
 * Delivering execution events inside the transaction is what makes the venue
 * and a journal on the same SQLite connection move together: a listener's
 * synchronous writes join the venue's transaction (a nested better-sqlite3
 * transaction is a savepoint), so a crash never leaves the venue with a fill
 * or cancel that the listener has not recorded. A listener's own command
 * (nested) writes only what it changed, inside the same transaction.
 */
import type { VenueFillReport, VenueFundingReport } from '../../engine/ports/venue';
import type { EventOutbox } from './eventOutbox';
import type { MarketSink } from './marketSource';
import type { PaperOrder } from './paperOrder';
import type { PaperAccountRecord, PaperOrderRecord, PaperVenueStore } from './store';

/** What the exchange changed since the last write. */
export class PendingChanges {
  readonly orders = new Set<PaperOrder>();
  /** Terminal orders dropped from the history, to delete from the store. */
  readonly evicted: string[] = [];
  readonly fills: VenueFillReport[] = [];
  readonly funding: VenueFundingReport[] = [];
  account = false;

  get isEmpty(): boolean {
    return this.orders.size === 0 && !this.account && this.evicted.length === 0 && this.fills.length === 0 && this.funding.length === 0;
  }

  clear(): void {
    this.orders.clear();
    this.evicted.length = 0;
    this.fills.length = 0;
    this.funding.length = 0;
    this.account = false;
  }
}

/** The exchange as the unit of work sees it. */
export interface PersistedExchange {
  readonly changes: PendingChanges;
  /** Work due once a command is over, before it is written (the reduce-only sweep). */
  settle(): void;
  orderRecord(order: PaperOrder): PaperOrderRecord;
  accountRecord(now: number): PaperAccountRecord;
}

/** The market source as the unit of work sees it. */
export interface PersistedMarket {
  readonly needsSave: boolean;
  save(sink: MarketSink, now: number): void;
}

export interface UnitOfWorkParts {
  store: PaperVenueStore;
  outbox: EventOutbox;
  exchange: PersistedExchange;
  market: PersistedMarket;
  now: () => number;
}

export class PaperUnitOfWork {
  private depth = 0;

  constructor(private readonly parts: UnitOfWorkParts) {}

  /**
   * Runs a command; the outermost one then settles, persists what changed
   * and, in the same transaction, delivers the queued execution events;
   * market data follows the commit.
   */
  run(work: () => void): void {
    this.depth++;
    try {
      work();
    } finally {
      this.depth--;
    }
    if (this.depth > 0) return;
    const { outbox } = this.parts;
    try {
      this.parts.exchange.settle();
      this.flush();
    } finally {
      // Only reached with events still queued when the store failed: the changes did happen in memory, so they are still reported.
      if (outbox.hasExecutions) outbox.deliverExecutions();
      outbox.deliverMarket();
    }
  }

  /** Writes what changed and delivers the execution events it caused, in one store transaction. */
  flush(): void {
    const { exchange, market, outbox, store } = this.parts;
    if (exchange.changes.isEmpty && !market.needsSave && !outbox.hasExecutions) return;
    store.transaction(this.commit);
  }

  /** The body of a flush's transaction; bound once so a flush allocates no closure. */
  private readonly commit = (): void => {
    this.write();
    // Cleared before delivery: a listener's own command (nested in this transaction) writes only what it changes.
    this.parts.exchange.changes.clear();
    if (this.parts.outbox.hasExecutions) this.parts.outbox.deliverExecutions();
  };

  private write(): void {
    const { exchange, market, store } = this.parts;
    const changes = exchange.changes;
    const now = this.parts.now();
    // What only a restart reads is neither built nor saved for a store nothing restarts from.
    const restorable = store.restorable !== false;
    if (restorable) for (const order of changes.orders) store.saveOrder(exchange.orderRecord(order));
    if (restorable && changes.evicted.length > 0) store.deleteOrders([...changes.evicted]);
    for (const fill of changes.fills) store.saveFill(fill);
    for (const funding of changes.funding) store.saveFunding(funding);
    if (restorable && changes.account) store.saveAccount(exchange.accountRecord(now));
    // The market's state with the bars closed since its last save, so the stored bars and the stored live bar always meet.
    if (market.needsSave) market.save(store, now);
  }
}
