/**
 * SQLite persistence of the real venues a trader added (`VenueConfigStore`):
 * one row per venue in venue_configs, the body checked against its schema
 * when read, so a damaged row fails loudly instead of starting a venue with
 * settings nobody chose.
 */
import type Database from 'better-sqlite3';
import { errorText } from '../../shared/errors';
import { venueConfigSchema, type VenueConfig, type VenueConfigStore } from '../venues/venueConfig';

interface BodyRow {
  body: string;
}

function parse(row: BodyRow): VenueConfig {
  try {
    return venueConfigSchema.parse(JSON.parse(row.body));
  } catch (error) {
    throw new Error(`Unreadable venue settings in the journal: ${errorText(error)}`);
  }
}

export class VenueConfigRepository implements VenueConfigStore {
  private readonly selectAll: Database.Statement<[], BodyRow>;
  private readonly selectOne: Database.Statement<[string], BodyRow>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.selectAll = db.prepare('SELECT body FROM venue_configs ORDER BY created_at, id');
    this.selectOne = db.prepare('SELECT body FROM venue_configs WHERE id = ?');
    this.upsert = db.prepare('INSERT INTO venue_configs (id, body, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body');
    this.remove = db.prepare('DELETE FROM venue_configs WHERE id = ?');
  }

  list(): VenueConfig[] {
    return this.selectAll.all().map(parse);
  }

  get(id: string): VenueConfig | undefined {
    const row = this.selectOne.get(id);
    return row ? parse(row) : undefined;
  }

  save(config: VenueConfig): void {
    const checked = venueConfigSchema.parse(config);
    this.upsert.run(checked.id, JSON.stringify(checked), checked.createdAt);
  }

  delete(id: string): boolean {
    return this.remove.run(id).changes > 0;
  }
}
