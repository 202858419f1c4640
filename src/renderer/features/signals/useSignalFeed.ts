/**
 * Keeps the Signals view's feed loaded: from `signals.list` (the newest
 * thousand for its filters) each time the view is opened, its filters
 * change or the connection comes back; `signals.new` and `signals.updated`
 * keep it live in between (see the store's signals slice).
 */
import { useEffect } from 'react';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { SIGNAL_CAPS, feedQuery } from '../../stores/signals';
import { loadSignalList } from './loadSignals';

export function useSignalFeed(): void {
  const { client, store } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  const onScreen = useKeel((s) => s.workspaceView === 'signals');
  const strategyId = useKeel((s) => s.signalFeedFilter.strategyId);
  const symbol = useKeel((s) => s.signalFeedFilter.symbol);

  useEffect(() => {
    if (epoch === 0 || !onScreen) return;
    const query = feedQuery({ strategyId, symbol });
    void loadSignalList(client, store, 'signalFeed', query, { ...query, limit: SIGNAL_CAPS.signalFeed });
  }, [client, store, epoch, onScreen, strategyId, symbol]);
}
