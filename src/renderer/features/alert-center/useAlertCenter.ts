/**
 * Keeps the notification centre in the store: the recent alerts after every
 * connect, then each alert the engine raises and each "mark read" (from any
 * window) as it happens.
 */
import { useEffect } from 'react';
import { ALERT_CENTER_SIZE } from '../../stores/alertCenter';
import { useKeel, useServices } from '../../stores/KeelProvider';

export function useAlertCenter(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);

  useEffect(() => {
    if (epoch === 0) return;
    let current = true;
    client.invoke('alerts.list', { limit: ALERT_CENTER_SIZE }).then(
      (r) => {
        if (current) store.getState().setAlertCenter(r.alerts, r.unread);
      },
      // The list stays as it was; the next connect asks again.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, store, epoch]);

  useEffect(
    () =>
      client.onEvent((e) => {
        if (e.topic === 'alerts.new') store.getState().addAlert(e.data);
        else if (e.topic === 'alerts.read') store.getState().setAlertsRead(e.data.unread);
      }),
    [client, store],
  );
}
