/**
 * Loads the model registry and the training jobs after every snapshot load
 * (start-up and each reconnect); `jobs.progress` keeps the jobs current in
 * between. The registry has no event of its own, so it is read again when a
 * job registers a model, and after this window activates or deletes one.
 * A job started from this window shows its model once registered. A
 * failure is the Models view's to show.
 */
import { useEffect } from 'react';
import { errorMessage, type KeelClient } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { newlyTrained } from '../../stores/models';
import type { KeelStore } from '../../stores/store';

export async function loadModels(client: KeelClient, store: KeelStore): Promise<void> {
  const s = store.getState;
  const failures: string[] = [];
  await Promise.all([
    client.invoke('models.list', {}).then(
      (r) => s().setModels(r.models),
      (err: unknown) => failures.push(`models: ${errorMessage(err)}`),
    ),
    client.invoke('jobs.list', {}).then(
      (r) => s().setJobs(r.jobs),
      (err: unknown) => failures.push(`jobs: ${errorMessage(err)}`),
    ),
  ]);
  s().setModelsError(failures.length > 0 ? failures.join('; ') : null);
}

/** The registry again (statuses change together: activating one version retires another). */
export async function refreshModels(client: KeelClient, store: KeelStore): Promise<void> {
  try {
    const { models } = await client.invoke('models.list', {});
    store.getState().setModels(models);
    store.getState().setModelsError(null);
  } catch (err) {
    store.getState().setModelsError(`models: ${errorMessage(err)}`);
  }
}

export function useModelsSync(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);

  useEffect(() => {
    if (epoch > 0) void loadModels(client, store);
  }, [client, store, epoch]);

  useEffect(
    () =>
      store.subscribe(
        (s) => s.jobs,
        (now, before) => {
          const trained = newlyTrained(before, now);
          if (trained.length === 0) return;
          void refreshModels(client, store).then(() => {
            const s = store.getState();
            const followed = trained.find((j) => j.id === s.followedJob);
            if (followed?.modelId && s.models.some((m) => m.id === followed.modelId)) {
              s.selectModel(followed.modelId);
              s.followJob(null);
            }
          });
        },
      ),
    [client, store],
  );
}
