/**
 * Loads datasets and backtest runs after every snapshot load (start-up and
 * each reconnect); `backtests.updated` and `backtests.progress` keep them
 * current in between. A failure is the backtests view's to show.
 */
import { useEffect } from 'react';
import { errorMessage, type KeelClient } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import type { KeelStore } from '../../stores/store';

export async function loadBacktests(client: KeelClient, store: KeelStore): Promise<void> {
  const s = store.getState;
  const failures: string[] = [];
  await Promise.all([
    client.invoke('datasets.list', {}).then(
      (r) => s().setDatasets(r.datasets),
      (err: unknown) => failures.push(`datasets: ${errorMessage(err)}`),
    ),
    client.invoke('backtests.list', {}).then(
      (r) => s().setBacktests(r.backtests),
      (err: unknown) => failures.push(`runs: ${errorMessage(err)}`),
    ),
  ]);
  s().setBacktestsError(failures.length > 0 ? failures.join('; ') : null);
}

export function useBacktestsSync(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  useEffect(() => {
    if (epoch > 0) void loadBacktests(client, store);
  }, [client, store, epoch]);
}
