/**
 * Loads the pipeline board and its gate settings after every snapshot load
 * (start-up and each reconnect, when `syncEpoch` moves) while the Pipeline
 * view is mounted; `pipeline.updated` and `pipeline.discovery` events keep
 * the board current in between.
 */
import { useEffect } from 'react';
import { errorMessage, type KeelClient } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import type { KeelStore } from '../../stores/store';

export async function loadPipeline(client: KeelClient, store: KeelStore): Promise<void> {
  const s = store.getState;
  try {
    const [board, gates] = await Promise.all([client.invoke('pipeline.list', {}), client.invoke('pipeline.gates.get', {})]);
    s().setPipeline(board);
    s().setPipelineGates(gates);
    s().setPipelineError(null);
  } catch (err) {
    s().setPipelineError(`The pipeline could not be loaded: ${errorMessage(err)}`);
  }
}

export function usePipelineSync(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  const visible = useKeel((s) => s.workspaceView === 'pipeline');
  useEffect(() => {
    if (epoch > 0 && visible) void loadPipeline(client, store);
  }, [client, store, epoch, visible]);
}
