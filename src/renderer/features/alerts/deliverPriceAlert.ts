/**
 * How the trader hears of a price alert that fired: the one place the
 * renderer announces it, through the same notices fills and other events
 * use (today the toast; the desktop notification is the main process's, see
 * shell/priceAlertNotice.ts). Point this at another notification service and
 * every alert follows.
 */
import type { PriceAlert } from '../../../shared/contract';
import type { KeelStore } from '../../stores/store';
import { alertNotice } from './alertText';

export function deliverPriceAlert(store: KeelStore, alert: PriceAlert): void {
  store.getState().notify('info', alertNotice(alert));
}
