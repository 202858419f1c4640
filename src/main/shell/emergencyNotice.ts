/**
 * The system notification that tells the trader what an emergency stop did,
 * because the stop is often fired with Keel's window hidden, minimized or on
 * another screen: orders canceled, positions closed, and anything the venues
 * did not confirm. Clicking it brings Keel forward.
 */
import { Notification } from 'electron';
import type { EmergencyReport } from '../../shared/risk';
import { errorText } from '../../shared/errors';

export interface Notice {
  title: string;
  body: string;
  /** Critical notices stay on screen on Linux until dismissed. */
  urgency: 'normal' | 'critical';
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function describeEmergencyReport(report: EmergencyReport): Notice {
  const canceled = plural(report.ordersCanceled, 'order', 'orders');
  const positions = report.flatten
    ? `${plural(report.positionsClosed, 'position', 'positions')} closed`
    : 'positions left open (cancel only)';
  const unconfirmed = report.unconfirmed.length;
  if (unconfirmed === 0 && report.complete) {
    return {
      title: 'Keel: trading halted',
      body: `Emergency stop (${report.trigger}): ${canceled} canceled, ${positions}. Everything confirmed.`,
      urgency: 'normal',
    };
  }
  const what = unconfirmed === 0 ? 'The venues did not confirm everything' : `${plural(unconfirmed, 'action', 'actions')} not confirmed by the venue`;
  return {
    title: `Keel: emergency stop incomplete${unconfirmed > 0 ? ` (${unconfirmed} unconfirmed)` : ''}`,
    body: `Trading halted. ${canceled} canceled, ${positions}. ${what}: check Keel and the venue now.`,
    urgency: 'critical',
  };
}

export function describeEmergencyFailure(error: unknown): Notice {
  const message = errorText(error);
  return {
    title: 'Keel: emergency stop FAILED',
    body: `The emergency stop could not run (${message}). Open Keel and check your orders and positions on the venue.`,
    urgency: 'critical',
  };
}

export interface NoticeOptions {
  /** Brings the main window forward when the notification is clicked. */
  onClick?: () => void;
}

// Electron drops a notification's click handler once the object is garbage
// collected, so shown notifications are held until they are closed.
const shown = new Set<Notification>();

/** Shows the notice if the platform supports notifications; returns whether it did. */
export function showNotice(notice: Notice, options: NoticeOptions = {}): boolean {
  if (!Notification.isSupported()) return false;
  const notification = new Notification({ title: notice.title, body: notice.body, urgency: notice.urgency });
  shown.add(notification);
  notification.on('click', () => {
    shown.delete(notification);
    options.onClick?.();
  });
  notification.on('close', () => shown.delete(notification));
  notification.show();
  return true;
}

/** Outcome handlers for fireEmergencyStop that tell the trader by notification. */
export function emergencyNotices(options: NoticeOptions = {}): {
  onReport: (report: EmergencyReport) => void;
  onFailure: (error: unknown) => void;
} {
  return {
    onReport: (report) => void showNotice(describeEmergencyReport(report), options),
    onFailure: (error) => void showNotice(describeEmergencyFailure(error), options),
  };
}
