/**
 * SQLite persistence of one paper venue (the `PaperVenueStore` port): its
 * orders, account, fill history and market continuity, as JSON bodies in the
 * journal's paper_orders / paper_accounts / paper_fills / paper_market
 * tables (created by the journal migrations). Statements are prepared once;
 * every body read back is checked against the record schema before the venue
 * sees it, so a damaged row fails loudly at start-up instead of corrupting
 * the account.
 */
import type Database from 'better-sqlite3';
import { PAPER_VENUE_ID } from '../venues/paper/instruments';
import {
  paperAccountRecordSchema,
  paperFillRecordSchema,
  paperMarketRecordSchema,
  paperOrderRecordSchema,
  type PaperAccountRecord,
  type PaperFillRecord,
  type PaperMarketRecord,
  type PaperOrderRecord,
  type PaperVenueStore,
} from '../venues/paper/store';

interface BodyRow {
  body: string;
}

function parseBody<T>(row: BodyRow, schema: { parse(value: unknown): T }, what: string): T {
  try {
    return schema.parse(JSON.parse(row.body));
  } catch (error) {
    throw new Error(`Unreadable paper venue ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class PaperVenueRepository implements PaperVenueStore {
  private readonly selectOrders: Database.Statement<[string], BodyRow>;
  private readonly upsertOrder: Database.Statement<[string, string, string]>;
  private readonly deleteOrder: Database.Statement<[string, string]>;
  private readonly selectAccount: Database.Statement<[string], BodyRow>;
  private readonly upsertAccount: Database.Statement<[string, string]>;
  private readonly selectFills: Database.Statement<[string, number], BodyRow>;
  private readonly insertFill: Database.Statement<[string, string, number, string]>;
  private readonly selectMarket: Database.Statement<[string], BodyRow>;
  private readonly upsertMarket: Database.Statement<[string, string, string]>;
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(
    db: Database.Database,
    /** The venue id this store persists (rows of other venues are never touched). */
    readonly venue: string = PAPER_VENUE_ID,
  ) {
    this.selectOrders = db.prepare<[string], BodyRow>('SELECT body FROM paper_orders WHERE venue = ?');
    this.upsertOrder = db.prepare<[string, string, string]>(
      `INSERT INTO paper_orders (venue, client_order_id, body) VALUES (?, ?, ?)
       ON CONFLICT (venue, client_order_id) DO UPDATE SET body = excluded.body`,
    );
    this.deleteOrder = db.prepare<[string, string]>('DELETE FROM paper_orders WHERE venue = ? AND client_order_id = ?');
    this.selectAccount = db.prepare<[string], BodyRow>('SELECT body FROM paper_accounts WHERE venue = ?');
    this.upsertAccount = db.prepare<[string, string]>(
      `INSERT INTO paper_accounts (venue, body) VALUES (?, ?)
       ON CONFLICT (venue) DO UPDATE SET body = excluded.body`,
    );
    // Oldest first; rowid keeps the order fills were saved in among equal timestamps (the index carries it, so no sort).
    this.selectFills = db.prepare<[string, number], BodyRow>(
      'SELECT body FROM paper_fills WHERE venue = ? AND timestamp >= ? ORDER BY timestamp, rowid',
    );
    // A fill is an immutable fact keyed by its trade id: saving it again is a no-op.
    this.insertFill = db.prepare<[string, string, number, string]>(
      `INSERT INTO paper_fills (venue, trade_id, timestamp, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (venue, trade_id) DO NOTHING`,
    );
    this.selectMarket = db.prepare<[string], BodyRow>('SELECT body FROM paper_market WHERE venue = ?');
    this.upsertMarket = db.prepare<[string, string, string]>(
      `INSERT INTO paper_market (venue, symbol, body) VALUES (?, ?, ?)
       ON CONFLICT (venue, symbol) DO UPDATE SET body = excluded.body`,
    );
    // better-sqlite3 nests a transaction inside an open one as a savepoint, so callers may compose them.
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
  }

  loadOrders(): PaperOrderRecord[] {
    return this.selectOrders.all(this.venue).map((row) => parseBody(row, paperOrderRecordSchema, 'order'));
  }

  saveOrder(order: PaperOrderRecord): void {
    this.upsertOrder.run(this.venue, order.clientOrderId, JSON.stringify(order));
  }

  deleteOrders(clientOrderIds: readonly string[]): void {
    if (clientOrderIds.length === 0) return;
    this.transaction(() => {
      for (const id of clientOrderIds) this.deleteOrder.run(this.venue, id);
    });
  }

  loadAccount(): PaperAccountRecord | undefined {
    const row = this.selectAccount.get(this.venue);
    return row && parseBody(row, paperAccountRecordSchema, 'account');
  }

  saveAccount(account: PaperAccountRecord): void {
    this.upsertAccount.run(this.venue, JSON.stringify(account));
  }

  saveFill(fill: PaperFillRecord): void {
    this.insertFill.run(this.venue, fill.tradeId, fill.timestamp, JSON.stringify(fill));
  }

  loadFills(sinceMs: number): PaperFillRecord[] {
    return this.selectFills.all(this.venue, sinceMs).map((row) => parseBody(row, paperFillRecordSchema, 'fill'));
  }

  loadMarket(): PaperMarketRecord[] {
    return this.selectMarket.all(this.venue).map((row) => parseBody(row, paperMarketRecordSchema, 'market state'));
  }

  saveMarket(market: PaperMarketRecord): void {
    this.upsertMarket.run(this.venue, market.symbol, JSON.stringify(market));
  }

  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn) as T;
  }
}
