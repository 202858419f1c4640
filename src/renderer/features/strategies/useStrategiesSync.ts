/**
 * Loads the strategy catalog and instances after every snapshot load (start-up
 * and each reconnect, when `syncEpoch` moves); `strategies.updated` events keep
 * them current in between. A failure is the strategies view's to show: it
 * does not mark the trading snapshot incomplete.
 */
import { useEffect } from 'react';
import { errorMessage, type KeelClient } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import type { KeelStore } from '../../stores/store';

export async function loadStrategies(client: KeelClient, store: KeelStore, options: { reloadFiles?: boolean } = {}): Promise<void> {
  const s = store.getState;
  const failures: string[] = [];
  await Promise.all([
    client.invoke('strategies.catalog', options.reloadFiles ? { reload: true } : {}).then(
      (r) => s().setStrategyCatalog(r.entries),
      (err: unknown) => failures.push(`catalog: ${errorMessage(err)}`),
    ),
    client.invoke('strategies.list', {}).then(
      (r) => s().setStrategies(r.strategies),
      (err: unknown) => failures.push(`instances: ${errorMessage(err)}`),
    ),
  ]);
  s().setStrategiesError(failures.length > 0 ? failures.join('; ') : null);
}

export function useStrategiesSync(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  useEffect(() => {
    if (epoch > 0) void loadStrategies(client, store);
  }, [client, store, epoch]);
}
