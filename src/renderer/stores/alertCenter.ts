/**
 * Notification centre slice: the most recent alerts the engine raised,
 * newest first, and how many are unread. Loaded with `alerts.list` after
 * every connect and kept current from `alerts.new` and `alerts.read`.
 */
import type { AlertRecord } from '../../shared/contract';
import type { SliceCreator } from './store';

/** Alerts the centre keeps on screen; older ones are a page back in the engine's list. */
export const ALERT_CENTER_SIZE = 100;

export interface AlertCenterSlice {
  alertCenter: { alerts: AlertRecord[]; unread: number };
  setAlertCenter(alerts: AlertRecord[], unread: number): void;
  addAlert(alert: AlertRecord): void;
  setAlertsRead(unread: number): void;
}

/** The list with a new alert in its place, once, at most `ALERT_CENTER_SIZE` long; the same object when it was already there. */
export function withAlert(center: AlertCenterSlice['alertCenter'], alert: AlertRecord): AlertCenterSlice['alertCenter'] {
  if (center.alerts.some((a) => a.id === alert.id)) return center;
  const alerts = [...center.alerts, alert].sort((a, b) => b.id - a.id).slice(0, ALERT_CENTER_SIZE);
  return { alerts, unread: center.unread + (alert.read ? 0 : 1) };
}

/** After a "mark read": with nothing unread every alert shown is read. */
export function withRead(center: AlertCenterSlice['alertCenter'], unread: number): AlertCenterSlice['alertCenter'] {
  return { alerts: unread === 0 ? center.alerts.map((a) => (a.read ? a : { ...a, read: true })) : center.alerts, unread };
}

export const createAlertCenterSlice: SliceCreator<AlertCenterSlice> = (set) => ({
  alertCenter: { alerts: [], unread: 0 },
  setAlertCenter: (alerts, unread) => set({ alertCenter: { alerts: [...alerts].sort((a, b) => b.id - a.id).slice(0, ALERT_CENTER_SIZE), unread } }),
  addAlert: (alert) => set((s) => ({ alertCenter: withAlert(s.alertCenter, alert) })),
  setAlertsRead: (unread) => set((s) => ({ alertCenter: withRead(s.alertCenter, unread) })),
});
