/**
 * The model monitor's state on the journal's SQLite database (tables from
 * migration 14): one row per stream a model version is scored on, written
 * again after each scored bar and deleted with the version, and one row per
 * retrain schedule. Bodies are JSON; the monitor checks them when it reads
 * them back.
 */
import type Database from 'better-sqlite3';
import type { MonitorStore, StoredStream } from '../ml/monitor/monitorStore';

interface StreamRow {
  venue: string;
  symbol: string;
  timeframe: string;
  body: string;
}

export class SqliteMonitorStore implements MonitorStore {
  private readonly s: Record<string, Database.Statement>;

  constructor(db: Database.Database) {
    this.s = {
      streams: db.prepare('SELECT venue, symbol, timeframe, body FROM model_monitor_streams WHERE model_id = ?'),
      saveStream: db.prepare(
        `INSERT INTO model_monitor_streams (model_id, venue, symbol, timeframe, updated_at, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (model_id, venue, symbol, timeframe) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`,
      ),
      schedules: db.prepare('SELECT body FROM model_retrain_schedules ORDER BY name'),
      saveSchedule: db.prepare('INSERT INTO model_retrain_schedules (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body'),
      deleteSchedule: db.prepare('DELETE FROM model_retrain_schedules WHERE name = ?'),
    };
  }

  streams(modelId: string): StoredStream[] {
    return (this.s.streams!.all(modelId) as StreamRow[]).map((r) => ({ venue: r.venue, symbol: r.symbol, timeframe: r.timeframe, body: parseBody(r.body) }));
  }

  saveStream(modelId: string, stream: StoredStream, updatedAt: number): void {
    this.s.saveStream!.run(modelId, stream.venue, stream.symbol, stream.timeframe, updatedAt, JSON.stringify(stream.body));
  }

  schedules(): unknown[] {
    return (this.s.schedules!.all() as Array<{ body: string }>).map((r) => parseBody(r.body));
  }

  saveSchedule(name: string, body: unknown): void {
    this.s.saveSchedule!.run(name, JSON.stringify(body));
  }

  deleteSchedule(name: string): void {
    this.s.deleteSchedule!.run(name);
  }
}

/** Text that is not JSON reads as null, which the monitor then refuses like any damaged state. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
