/**
 * Price alerts on the journal's SQLite database (the table from migration
 * 18): one row per alert, its record as JSON beside the columns its upkeep
 * reads. Records are checked against the contract on the way in and out.
 */
import type Database from 'better-sqlite3';
import { priceAlertSchema, type PriceAlert } from '../../shared/contract/alerts';
import { errorText } from '../../shared/errors';
import { toJsonText } from '../core/jsonText';
import type { PriceAlertStore } from '../engine/alerts/priceAlertStore';

function parse(body: string): PriceAlert {
  try {
    return priceAlertSchema.parse(JSON.parse(body));
  } catch (error) {
    throw new Error(`Unreadable price alert in the journal: ${errorText(error)}`);
  }
}

export class SqlitePriceAlertStore implements PriceAlertStore {
  private readonly s: Record<'all' | 'insert' | 'update' | 'remove' | 'prune', Database.Statement>;

  constructor(db: Database.Database) {
    this.s = {
      all: db.prepare('SELECT body FROM price_alerts'),
      insert: db.prepare(
        'INSERT INTO price_alerts (id, venue, symbol, status, created_at, triggered_at, body) VALUES (@id, @venue, @symbol, @status, @createdAt, @triggeredAt, @body)',
      ),
      update: db.prepare('UPDATE price_alerts SET status = @status, triggered_at = @triggeredAt, body = @body WHERE id = @id'),
      remove: db.prepare('DELETE FROM price_alerts WHERE id = ?'),
      prune: db.prepare(
        `DELETE FROM price_alerts WHERE status = 'triggered' AND id NOT IN (
           SELECT id FROM price_alerts WHERE status = 'triggered' ORDER BY triggered_at DESC, id DESC LIMIT ?
         )`,
      ),
    };
  }

  all(): PriceAlert[] {
    return (this.s.all.all() as Array<{ body: string }>).map((r) => parse(r.body));
  }

  insert(alert: PriceAlert): void {
    this.s.insert.run(this.row(alert));
  }

  update(alert: PriceAlert): void {
    const { changes } = this.s.update.run(this.row(alert));
    if (changes === 0) throw new Error(`No price alert ${alert.id} to update`);
  }

  remove(id: string): boolean {
    return this.s.remove.run(id).changes > 0;
  }

  pruneTriggered(keep: number): void {
    this.s.prune.run(Math.max(0, Math.floor(keep)));
  }

  private row(alert: PriceAlert) {
    const checked = priceAlertSchema.parse(alert);
    return {
      id: checked.id,
      venue: checked.venue,
      symbol: checked.symbol,
      status: checked.status,
      createdAt: checked.createdAt,
      triggeredAt: checked.triggeredAt,
      body: toJsonText(checked, `Price alert ${checked.id}`),
    };
  }
}
