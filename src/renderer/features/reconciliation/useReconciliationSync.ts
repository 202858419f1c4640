/**
 * Loads every venue's latest reconciliation report after each snapshot load
 * (start-up and every reconnect) and when a venue joins; between loads,
 * `reconciliation.updated` keeps them current through the store. Mounted at
 * the app's root because the navigation badge counts blocking differences
 * whichever view is on screen.
 */
import { useEffect } from 'react';
import { errorMessage, type KeelClient } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import type { KeelStore } from '../../stores/store';

export async function loadReconciliations(client: KeelClient, store: KeelStore, venues: readonly string[]): Promise<void> {
  const s = store.getState;
  await Promise.all(
    venues.map((venue) =>
      client.invoke('reconciliation.latest', { venue }).then(
        (report) => s().setReconciliation(venue, report),
        (err: unknown) => s().setReconciliationError(venue, errorMessage(err)),
      ),
    ),
  );
}

/** The venue ids as one string, so the effect reruns when a venue joins or leaves and not on every health event. */
const venueIds = (s: { venues: readonly { venue: string }[] }): string => s.venues.map((v) => v.venue).join('\n');

export function useReconciliationSync(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  const ids = useKeel(venueIds);
  useEffect(() => {
    if (epoch > 0 && ids !== '') void loadReconciliations(client, store, ids.split('\n'));
  }, [client, store, epoch, ids]);
}
