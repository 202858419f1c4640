/**
 * Price alerts slice: every alert the engine keeps (active and triggered),
 * newest first, loaded with `alerts.price.list` and then followed through
 * the `alerts.price.*` events.
 */
import type { EventPayload, PriceAlert } from '../../shared/contract';
import type { SliceCreator } from './store';

export interface AlertsSlice {
  priceAlerts: PriceAlert[];
  setPriceAlerts(list: PriceAlert[]): void;
}

export type PriceAlertEvent =
  | { topic: 'alerts.price.updated' | 'alerts.price.triggered'; data: PriceAlert }
  | { topic: 'alerts.price.removed'; data: EventPayload<'alerts.price.removed'> };

const newestFirst = (a: PriceAlert, b: PriceAlert) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

/** The list after some alert events, in arrival order; the same array when nothing changed. */
export function foldPriceAlerts(current: PriceAlert[], events: readonly PriceAlertEvent[]): PriceAlert[] {
  if (events.length === 0) return current;
  const byId = new Map(current.map((a) => [a.id, a]));
  for (const e of events) {
    if (e.topic === 'alerts.price.removed') byId.delete(e.data.id);
    // A late copy must not undo a trigger: once triggered, an alert stays so.
    else if (!(byId.get(e.data.id)?.status === 'triggered' && e.data.status === 'active')) byId.set(e.data.id, e.data);
  }
  return [...byId.values()].sort(newestFirst);
}

export const createAlertsSlice: SliceCreator<AlertsSlice> = (set) => ({
  priceAlerts: [],
  setPriceAlerts: (list) => set({ priceAlerts: [...list].sort(newestFirst) }),
});
