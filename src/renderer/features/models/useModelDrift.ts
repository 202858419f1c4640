/**
 * A version's live drift, for as long as its detail is open: read with
 * `models.drift` when the version is shown (and after each reconnect), then
 * kept current by the `models.drift` events the engine publishes for it (at
 * most one a second). Kept here rather than in the store: only the open
 * detail needs it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ModelDrift } from '../../../shared/contract/modelMonitor';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';

export interface ModelDriftState {
  drift: ModelDrift | null;
  error: string | null;
  /** Reads the view again (after setting the schedule, say). */
  reload(): void;
}

export function useModelDrift(modelId: string): ModelDriftState {
  const { client } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  const [state, setState] = useState<{ id: string; drift: ModelDrift | null; error: string | null }>({ id: modelId, drift: null, error: null });
  const [reads, setReads] = useState(0);

  useEffect(() => {
    let live = true;
    client.invoke('models.drift', { id: modelId }).then(
      (drift) => live && setState({ id: modelId, drift, error: null }),
      (err: unknown) => live && setState((s) => ({ id: modelId, drift: s.id === modelId ? s.drift : null, error: errorMessage(err) })),
    );
    const off = client.onEvent((event) => {
      if (event.topic === 'models.drift' && event.data.modelId === modelId) setState({ id: modelId, drift: event.data, error: null });
    });
    return () => {
      live = false;
      off();
    };
  }, [client, modelId, epoch, reads]);

  const reload = useCallback(() => setReads((n) => n + 1), []);
  // A view read for the version shown before is not this version's.
  return state.id === modelId ? { drift: state.drift, error: state.error, reload } : { drift: null, error: null, reload };
}
