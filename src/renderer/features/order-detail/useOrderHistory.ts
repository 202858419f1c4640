/** The open order and its history for the detail view, kept fresh by `watchOrderHistory` while mounted. */
import { useEffect, useState } from 'react';
import { useClient } from '../../stores/KeelProvider';
import { EMPTY_HISTORY, watchOrderHistory, type OrderHistoryView } from './orderHistoryFeed';

export function useOrderHistory(orderId: string | null): OrderHistoryView {
  const client = useClient();
  const [loaded, setLoaded] = useState<{ orderId: string; view: OrderHistoryView } | null>(null);

  useEffect(() => {
    if (orderId === null) return;
    return watchOrderHistory(client, orderId, (view) => setLoaded({ orderId, view }));
  }, [client, orderId]);

  // A view loaded for another order is never shown, not even for the frame before the new one loads.
  return loaded !== null && loaded.orderId === orderId ? loaded.view : EMPTY_HISTORY;
}
