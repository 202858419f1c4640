/**
 * Loads one of the store's signal lists from `signals.list`: the load is
 * announced first, so signals that arrive while it is in flight are laid
 * over the answer, and an answer for a query no longer on screen is dropped.
 */
import type { ListSignalsParams } from '../../../shared/contract';
import { errorMessage, type KeelClient } from '../../api/client';
import type { SignalListName, SignalQuery } from '../../stores/signals';
import type { KeelStore } from '../../stores/store';

export async function loadSignalList(
  client: Pick<KeelClient, 'invoke'>,
  store: KeelStore,
  list: SignalListName,
  query: SignalQuery,
  params: ListSignalsParams,
): Promise<void> {
  const s = store.getState;
  s().beginSignalLoad(list, query);
  try {
    const { signals } = await client.invoke('signals.list', params);
    s().finishSignalLoad(list, query, signals);
  } catch (err) {
    s().failSignalLoad(list, query, errorMessage(err));
  }
}
