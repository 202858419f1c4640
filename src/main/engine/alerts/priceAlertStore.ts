/**
 * Where price alerts are kept: the journal's table (migration 18) in the
 * app, memory in tests. The book is the only writer.
 */
import type { PriceAlert } from '../../../shared/contract/alerts';

export interface PriceAlertStore {
  /** Every alert kept, in no particular order. */
  all(): PriceAlert[];
  insert(alert: PriceAlert): void;
  /** Replaces a kept alert (it fired). */
  update(alert: PriceAlert): void;
  /** False when there was no such alert. */
  remove(id: string): boolean;
  /** Drops the oldest triggered alerts beyond `keep`. */
  pruneTriggered(keep: number): void;
}

export class MemoryPriceAlertStore implements PriceAlertStore {
  private readonly alerts = new Map<string, PriceAlert>();

  all(): PriceAlert[] {
    return [...this.alerts.values()].map((a) => ({ ...a }));
  }

  insert(alert: PriceAlert): void {
    if (this.alerts.has(alert.id)) throw new Error(`Price alert ${alert.id} is already kept`);
    this.alerts.set(alert.id, { ...alert });
  }

  update(alert: PriceAlert): void {
    if (!this.alerts.has(alert.id)) throw new Error(`No price alert ${alert.id} to update`);
    this.alerts.set(alert.id, { ...alert });
  }

  remove(id: string): boolean {
    return this.alerts.delete(id);
  }

  pruneTriggered(keep: number): void {
    const triggered = [...this.alerts.values()]
      .filter((a) => a.status === 'triggered')
      .sort((a, b) => (b.triggeredAt ?? 0) - (a.triggeredAt ?? 0) || (a.id < b.id ? 1 : -1));
    for (const a of triggered.slice(keep)) this.alerts.delete(a.id);
  }
}
