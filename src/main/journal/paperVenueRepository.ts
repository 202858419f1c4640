/**
 * SQLite persistence of one paper venue (the `PaperVenueStore` port): its
 * orders, account, fill and funding history and market continuity, as JSON
 * bodies in the journal's paper_orders / paper_accounts / paper_fills /
 * paper_funding / paper_market tables, and its markets' closed 1-minute bars as integer rows in
 * paper_bars (all created by the journal migrations). Statements are
 * prepared once; every body read back is checked against the record schema
 * before the venue sees it, so a damaged row fails loudly at start-up
 * instead of corrupting the account.
 *
 * Bars are one row per minute keyed by (venue, symbol, time), prices in
 * ticks and volume in lots: appending the bars that closed is a few small
 * inserts at the end of the key range, pruning is one range delete, and
 * loading a market's history is one range scan in time order. A STRICT
 * table keeps every column an integer, so the load checks values, not types.
 */
import { errorText } from '../../shared/errors';
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';
import { PAPER_VENUE_ID } from '../venues/paper/instruments';
import {
  paperAccountRecordSchema,
  paperFillRecordSchema,
  paperFundingRecordSchema,
  paperMarketRecordSchema,
  paperOrderRecordSchema,
  type PaperAccountRecord,
  type PaperBarRecord,
  type PaperFillRecord,
  type PaperFundingRecord,
  type PaperMarketRecord,
  type PaperOrderRecord,
  type PaperVenueStore,
} from '../venues/paper/store';

interface BodyRow {
  body: string;
}

type BarRow = [time: number, open: number, high: number, low: number, close: number, volume: number];

/** Bars written by one statement: a first start stores days of history, and one call per row would dominate it. */
const BAR_BATCH = 100;
const BAR_COLUMNS = 8;

function upsertBarsSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  return `INSERT INTO paper_bars (venue, symbol, time, open, high, low, close, volume) VALUES ${values}
    ON CONFLICT (venue, symbol, time) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume`;
}

function parseBody<T>(row: BodyRow, schema: { parse(value: unknown): T }, what: string): T {
  try {
    return schema.parse(JSON.parse(row.body));
  } catch (error) {
    throw new Error(`Unreadable paper venue ${what}: ${errorText(error)}`);
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
  private readonly selectFunding: Database.Statement<[string, number], BodyRow>;
  private readonly insertFunding: Database.Statement<[string, string, number, string]>;
  private readonly selectMarket: Database.Statement<[string], BodyRow>;
  private readonly upsertMarket: Database.Statement<[string, string, string]>;
  private readonly selectBars: Database.Statement<[string, string, number], BarRow>;
  private readonly upsertBar: Database.Statement<Array<string | number>>;
  private readonly upsertBarBatch: Database.Statement<Array<string | number>>;
  private readonly deleteBars: Database.Statement<[string, string, number]>;
  private readonly inTransaction: <T>(fn: () => T) => T;

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
    this.selectFunding = db.prepare<[string, number], BodyRow>(
      'SELECT body FROM paper_funding WHERE venue = ? AND timestamp >= ? ORDER BY timestamp, rowid',
    );
    // A funding payment, like a fill, is an immutable fact keyed by its id.
    this.insertFunding = db.prepare<[string, string, number, string]>(
      `INSERT INTO paper_funding (venue, funding_id, timestamp, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (venue, funding_id) DO NOTHING`,
    );
    this.selectMarket = db.prepare<[string], BodyRow>('SELECT body FROM paper_market WHERE venue = ?');
    this.upsertMarket = db.prepare<[string, string, string]>(
      `INSERT INTO paper_market (venue, symbol, body) VALUES (?, ?, ?)
       ON CONFLICT (venue, symbol) DO UPDATE SET body = excluded.body`,
    );
    // Rows as arrays: a market's history is tens of thousands of rows, read at every start.
    this.selectBars = db
      .prepare<[string, string, number], BarRow>(
        'SELECT time, open, high, low, close, volume FROM paper_bars WHERE venue = ? AND symbol = ? AND time >= ? ORDER BY time',
      )
      .raw(true);
    this.upsertBar = db.prepare<Array<string | number>>(upsertBarsSql(1));
    this.upsertBarBatch = db.prepare<Array<string | number>>(upsertBarsSql(BAR_BATCH));
    this.deleteBars = db.prepare<[string, string, number]>('DELETE FROM paper_bars WHERE venue = ? AND symbol = ? AND time < ?');
    this.inTransaction = writeTransactions(db);
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

  saveFunding(funding: PaperFundingRecord): void {
    this.insertFunding.run(this.venue, funding.fundingId, funding.timestamp, JSON.stringify(funding));
  }

  loadFunding(sinceMs: number): PaperFundingRecord[] {
    return this.selectFunding.all(this.venue, sinceMs).map((row) => parseBody(row, paperFundingRecordSchema, 'funding payment'));
  }

  loadMarket(): PaperMarketRecord[] {
    return this.selectMarket.all(this.venue).map((row) => parseBody(row, paperMarketRecordSchema, 'market state'));
  }

  saveMarket(market: PaperMarketRecord): void {
    this.upsertMarket.run(this.venue, market.symbol, JSON.stringify(market));
  }

  loadBars(symbol: string, sinceMs: number): PaperBarRecord[] {
    const rows = this.selectBars.all(this.venue, symbol, sinceMs);
    const bars = new Array<PaperBarRecord>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [time, open, high, low, close, volume] = rows[i]!;
      if (!(open > 0 && high > 0 && low > 0 && close > 0 && volume >= 0 && low <= Math.min(open, close) && high >= Math.max(open, close))) {
        throw new Error(`Unreadable paper venue bar: ${symbol} at ${time} is [${rows[i]!.join(', ')}]`);
      }
      bars[i] = { time, open, high, low, close, volume };
    }
    return bars;
  }

  saveBars(symbol: string, bars: readonly PaperBarRecord[]): void {
    if (bars.length === 0) return;
    this.transaction(() => {
      let i = 0;
      if (bars.length >= BAR_BATCH) {
        const params = new Array<string | number>(BAR_BATCH * BAR_COLUMNS);
        for (; i + BAR_BATCH <= bars.length; i += BAR_BATCH) {
          for (let k = 0; k < BAR_BATCH; k++) this.bindBar(params, k * BAR_COLUMNS, symbol, bars[i + k]!);
          this.upsertBarBatch.run(...params);
        }
      }
      const params = new Array<string | number>(BAR_COLUMNS);
      for (; i < bars.length; i++) {
        this.bindBar(params, 0, symbol, bars[i]!);
        this.upsertBar.run(...params);
      }
    });
  }

  private bindBar(params: Array<string | number>, at: number, symbol: string, bar: PaperBarRecord): void {
    params[at] = this.venue;
    params[at + 1] = symbol;
    params[at + 2] = bar.time;
    params[at + 3] = bar.open;
    params[at + 4] = bar.high;
    params[at + 5] = bar.low;
    params[at + 6] = bar.close;
    params[at + 7] = bar.volume;
  }

  pruneBars(symbol: string, beforeMs: number): void {
    this.deleteBars.run(this.venue, symbol, beforeMs);
  }

  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn);
  }
}
