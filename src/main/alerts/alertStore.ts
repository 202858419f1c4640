/**
 * Where the alert centre keeps alerts and its settings: the journal's tables
 * (SqliteAlertStore) in the app, memory in unit tests. Both behave alike;
 * the centre is their only writer.
 */
import type { AlertChannels, AlertKindName, AlertRecord, AlertSettings } from '../../shared/contract/alertCenter';

export interface NewAlert {
  kind: AlertKindName;
  severity: AlertRecord['severity'];
  title: string;
  body: string;
  venue: string | null;
  symbol: string | null;
  subjectId: string | null;
  raisedAt: number;
  channels: AlertChannels;
}

export interface AlertStore {
  /** Keeps the alert, unread; answers it with its id. */
  insert(alert: NewAlert): AlertRecord;
  /** Newest first; only ids below `before` when given. */
  list(limit: number, before?: number): AlertRecord[];
  unreadCount(): number;
  /** Marks alerts up to `upTo` (all when absent) read. */
  markRead(upTo?: number): void;
  /** Keeps only the newest `keep` alerts. */
  prune(keep: number): void;
  /** The settings as saved (to be checked and completed by the reader), or null before the first save. */
  loadSettings(): unknown;
  saveSettings(settings: AlertSettings, at: number): void;
}

export class MemoryAlertStore implements AlertStore {
  private alerts: AlertRecord[] = [];
  private nextId = 1;
  private settings: AlertSettings | null = null;

  insert(alert: NewAlert): AlertRecord {
    const record: AlertRecord = { ...alert, channels: { ...alert.channels }, id: this.nextId++, read: false };
    this.alerts.push(record);
    return { ...record };
  }

  list(limit: number, before?: number): AlertRecord[] {
    return this.alerts
      .filter((a) => before === undefined || a.id < before)
      .reverse()
      .slice(0, limit)
      .map((a) => ({ ...a }));
  }

  unreadCount(): number {
    return this.alerts.filter((a) => !a.read).length;
  }

  markRead(upTo?: number): void {
    for (const a of this.alerts) if (upTo === undefined || a.id <= upTo) a.read = true;
  }

  prune(keep: number): void {
    this.alerts = this.alerts.slice(Math.max(0, this.alerts.length - Math.max(0, Math.floor(keep))));
  }

  loadSettings(): unknown {
    return this.settings === null ? null : structuredClone(this.settings);
  }

  saveSettings(settings: AlertSettings): void {
    this.settings = structuredClone(settings);
  }
}
