/**
 * The desktop notification of a price alert that fired while Keel has no
 * window open (macOS keeps the engine running without one): with a window,
 * the window announces it itself, as it does fills. Like the emergency
 * stop's outcome, it is shown by the main process from the engine's event,
 * so it needs no renderer. Clicking it opens Keel.
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
  /** True while a Keel window is open: it announces the alert itself then. */
  windowOpen(): boolean;
  focusWindow(): void;
}

/** Notifies each alert that fires; returns the unsubscribe. */
export function installPriceAlertNotices(options: PriceAlertNoticeOptions): () => void {
  return options.bus.subscribe(
    (_topic, payload) => {
      if (!options.windowOpen()) showNotice(describePriceAlert(payload as PriceAlert), { onClick: options.focusWindow });
    },
    ['alerts.price.triggered'],
  );
}
