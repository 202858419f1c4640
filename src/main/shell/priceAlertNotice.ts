/**
 * The desktop notification of a price alert that fired while Keel's window
 * is not in front (in front, the window's own toast says it). Like the
 * emergency stop's outcome, it is shown by the main process from the engine's
 * event, so it needs no renderer. Clicking it brings Keel forward.
 */
import type { PriceAlert } from '../../shared/contract/alerts';
import type { EventBus } from '../engine/bus';
import { showNotice, type Notice } from './emergencyNotice';

export function describePriceAlert(alert: PriceAlert): Notice {
  return {
    title: `Keel: price alert, ${alert.symbol}`,
    body: `${alert.message ?? `${alert.symbol} reached its alert`}${alert.note ? ` (${alert.note})` : ''} on ${alert.venue}.`,
    urgency: 'normal',
  };
}

export interface PriceAlertNoticeOptions {
  bus: Pick<EventBus, 'subscribe'>;
  /** True while Keel's window is focused: its toast is enough then. */
  windowFocused(): boolean;
  focusWindow(): void;
}

/** Notifies each alert that fires; returns the unsubscribe. */
export function installPriceAlertNotices(options: PriceAlertNoticeOptions): () => void {
  return options.bus.subscribe(
    (_topic, payload) => {
      if (!options.windowFocused()) showNotice(describePriceAlert(payload as PriceAlert), { onClick: options.focusWindow });
    },
    ['alerts.price.triggered'],
  );
}
