/**
 * The trade journal's store on the journal's SQLite database: fills and
 * orders read back for the analytics, the trader's notes and tags on round
 * trips and the regime each opened in (tables from migration 16).
 */
import type Database from 'better-sqlite3';
import type { Fill, Instrument, Order, Timeframe } from '../../shared/domain';
import type { RegimeLabelName } from '../../shared/contract/ml';
import type { RecordedFill, TradeAnnotation, TradeJournalStore } from '../analytics/ports';
import { parseJsonText } from '../core/jsonText';

export class SqliteTradeJournal implements TradeJournalStore {
  private readonly s: Record<string, Database.Statement>;

  constructor(db: Database.Database) {
    this.s = {
      fillsAfter: db.prepare('SELECT rowid AS r, body FROM fills WHERE rowid > ? ORDER BY rowid LIMIT ?'),
      order: db.prepare('SELECT body FROM orders WHERE id = ?'),
      ordersOn: db.prepare('SELECT body FROM orders WHERE venue = ? AND symbol = ? AND created_at BETWEEN ? AND ? ORDER BY created_at, rowid'),
      instrument: db.prepare('SELECT body FROM instruments WHERE venue = ? AND symbol = ?'),
      notes: db.prepare('SELECT trade_id, note, tags, updated_at FROM trade_notes'),
      saveNote: db.prepare(
        `INSERT INTO trade_notes (trade_id, note, tags, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (trade_id) DO UPDATE SET note = excluded.note, tags = excluded.tags, updated_at = excluded.updated_at`,
      ),
      deleteNote: db.prepare('DELETE FROM trade_notes WHERE trade_id = ?'),
      regimes: db.prepare('SELECT trade_id, regime FROM trade_regimes'),
      saveRegime: db.prepare('INSERT OR IGNORE INTO trade_regimes (trade_id, timeframe, regime) VALUES (?, ?, ?)'),
    };
  }

  fillsAfter(row: number, limit: number): RecordedFill[] {
    return (this.s.fillsAfter!.all(row, limit) as Array<{ r: number; body: string }>).map((r) => ({ row: r.r, fill: JSON.parse(r.body) as Fill }));
  }

  order(orderId: string): Order | undefined {
    const row = this.s.order!.get(orderId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Order) : undefined;
  }

  protectiveStops(venue: string, symbol: string, from: number, to: number): Order[] {
    return (this.s.ordersOn!.all(venue, symbol, from, to) as Array<{ body: string }>)
      .map((r) => JSON.parse(r.body) as Order)
      .filter((o) => o.reduceOnly && (o.type === 'stop' || o.type === 'stop_limit') && o.stopPrice !== null);
  }

  instrument(venue: string, symbol: string): Instrument | undefined {
    const row = this.s.instrument!.get(venue, symbol) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Instrument) : undefined;
  }

  annotations(): Map<string, TradeAnnotation> {
    const rows = this.s.notes!.all() as Array<{ trade_id: string; note: string; tags: string; updated_at: number }>;
    return new Map(rows.map((r) => [r.trade_id, { note: r.note, tags: parseJsonText<string[]>(r.tags, `tags of ${r.trade_id}`), updatedAt: r.updated_at }]));
  }

  saveAnnotation(tradeId: string, annotation: TradeAnnotation): void {
    // Nothing left to keep: the row goes, so the table holds only round trips the trader wrote something on.
    if (annotation.note === '' && annotation.tags.length === 0) this.s.deleteNote!.run(tradeId);
    else this.s.saveNote!.run(tradeId, annotation.note, JSON.stringify(annotation.tags), annotation.updatedAt);
  }

  regimes(): Map<string, RegimeLabelName> {
    const rows = this.s.regimes!.all() as Array<{ trade_id: string; regime: RegimeLabelName }>;
    return new Map(rows.map((r) => [r.trade_id, r.regime]));
  }

  saveRegime(tradeId: string, timeframe: Timeframe, regime: RegimeLabelName): void {
    // Read once at entry and kept: a later reading over a slid window must not change it.
    this.s.saveRegime!.run(tradeId, timeframe, regime);
  }
}
