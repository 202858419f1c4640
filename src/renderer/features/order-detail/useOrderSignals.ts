/** The signal(s) behind the open order, kept fresh by `watchOrderSignals` while mounted. */
import { useEffect, useState } from 'react';
import { useClient } from '../../stores/KeelProvider';
import { NO_ORDER_SIGNALS, watchOrderSignals, type OrderSignalsView } from './orderSignalFeed';

export function useOrderSignals(orderId: string | null): OrderSignalsView {
  const client = useClient();
  const [loaded, setLoaded] = useState<{ orderId: string; view: OrderSignalsView } | null>(null);

  useEffect(() => {
    if (orderId === null) return;
    return watchOrderSignals(client, orderId, (view) => setLoaded({ orderId, view }));
  }, [client, orderId]);

  // Signals loaded for another order are never shown, not even for the frame before the new ones load.
  return loaded !== null && loaded.orderId === orderId ? loaded.view : NO_ORDER_SIGNALS;
}
