/**
 * The alert centre on the journal's SQLite database (the tables from
 * migration 19): one row per alert, its record as JSON beside the columns
 * listing and the unread count read; the settings as one JSON record.
 * Alerts are checked against the contract on the way in and out; the
 * settings are read back as saved and brought up to date by the centre (a
 * kind added since they were saved takes its default).
 */
import type Database from 'better-sqlite3';
import { alertRecordSchema, alertSettingsSchema, type AlertRecord, type AlertSettings } from '../../shared/contract/alertCenter';
import { errorText } from '../../shared/errors';
import { toJsonText } from '../core/jsonText';
import type { AlertStore, NewAlert } from '../alerts/alertStore';

const SETTINGS_KEY = 'settings';
/** What the body column holds: the record without the columns kept beside it. */
const storedAlertSchema = alertRecordSchema.omit({ id: true, read: true });

interface AlertRow {
  id: number;
  read: number;
  body: string;
}

function parse(row: AlertRow): AlertRecord {
  try {
    return { ...storedAlertSchema.parse(JSON.parse(row.body)), id: row.id, read: row.read === 1 };
  } catch (error) {
    throw new Error(`Unreadable alert ${row.id} in the journal: ${errorText(error)}`);
  }
}

export class SqliteAlertStore implements AlertStore {
  private readonly s: Record<'insert' | 'list' | 'listBefore' | 'unread' | 'readAll' | 'readUpTo' | 'prune' | 'loadSettings' | 'saveSettings', Database.Statement>;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare('INSERT INTO alerts (kind, raised_at, read, body) VALUES (?, ?, 0, ?)'),
      list: db.prepare('SELECT id, read, body FROM alerts ORDER BY id DESC LIMIT ?'),
      listBefore: db.prepare('SELECT id, read, body FROM alerts WHERE id < ? ORDER BY id DESC LIMIT ?'),
      unread: db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE read = 0'),
      readAll: db.prepare('UPDATE alerts SET read = 1 WHERE read = 0'),
      readUpTo: db.prepare('UPDATE alerts SET read = 1 WHERE read = 0 AND id <= ?'),
      prune: db.prepare('DELETE FROM alerts WHERE id <= (SELECT id FROM alerts ORDER BY id DESC LIMIT 1 OFFSET ?)'),
      loadSettings: db.prepare('SELECT body FROM alert_settings WHERE key = ?'),
      saveSettings: db.prepare(
        'INSERT INTO alert_settings (key, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
      ),
    };
  }

  insert(alert: NewAlert): AlertRecord {
    const stored = storedAlertSchema.parse(alert);
    const { lastInsertRowid } = this.s.insert.run(stored.kind, stored.raisedAt, toJsonText(stored, 'An alert'));
    return { ...stored, id: Number(lastInsertRowid), read: false };
  }

  list(limit: number, before?: number): AlertRecord[] {
    const rows = (before === undefined ? this.s.list.all(limit) : this.s.listBefore.all(before, limit)) as AlertRow[];
    return rows.map(parse);
  }

  unreadCount(): number {
    return (this.s.unread.get() as { n: number }).n;
  }

  markRead(upTo?: number): void {
    if (upTo === undefined) this.s.readAll.run();
    else this.s.readUpTo.run(upTo);
  }

  prune(keep: number): void {
    this.s.prune.run(Math.max(0, Math.floor(keep)));
  }

  loadSettings(): unknown {
    const row = this.s.loadSettings.get(SETTINGS_KEY) as { body: string } | undefined;
    if (!row) return null;
    try {
      return JSON.parse(row.body) as unknown;
    } catch (error) {
      throw new Error(`Unreadable alert settings in the journal: ${errorText(error)}`);
    }
  }

  saveSettings(settings: AlertSettings, at: number): void {
    const checked = alertSettingsSchema.parse(settings);
    this.s.saveSettings.run(SETTINGS_KEY, toJsonText(checked, 'The alert settings'), at);
  }
}
