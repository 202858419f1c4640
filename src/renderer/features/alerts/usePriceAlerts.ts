/**
 * Keeps the price alerts in the store (the list after every connect; the
 * events keep it current). One that fires is announced with fills and the
 * other alerts (features/announcements).
 */
import { useEffect } from 'react';
import { useKeel, useServices } from '../../stores/KeelProvider';

export function usePriceAlerts(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);

  useEffect(() => {
    if (epoch === 0) return;
    let current = true;
    client.invoke('alerts.price.list', {}).then(
      (r) => {
        if (current) store.getState().setPriceAlerts(r.alerts);
      },
      // The list stays as it was; the next connect asks again.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, store, epoch]);
}
