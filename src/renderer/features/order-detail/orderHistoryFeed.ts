/**
 * Keeps one order and its history fresh while its detail view is open: loads
 * both, and loads them again whenever the engine says the order changed
 * (`orders.updated`), noted something about it that changed nothing (an
 * activity entry naming it: an ignored or refused event), or the connection
 * comes back. Changes come in bursts (a fill and its status), so at most one
 * load runs and one more follows it, however many arrive meanwhile.
 */
import type { Order, OrderEvent } from '../../../shared/domain';
import type { ConnectionState } from '../../api/bridge';
import { errorMessage, type KeelClient } from '../../api/client';

export interface OrderHistoryView {
  order: Order | null;
  /** Oldest first. */
  events: OrderEvent[];
  loading: boolean;
  /** The last load's failure; what was loaded before stays shown. */
  error: string | null;
}

export const EMPTY_HISTORY: OrderHistoryView = { order: null, events: [], loading: true, error: null };

type FeedClient = Pick<KeelClient, 'invoke' | 'onEvent' | 'status' | 'onStatus'>;

function namesOrder(data: unknown, orderId: string): boolean {
  return typeof data === 'object' && data !== null && (data as { orderId?: unknown }).orderId === orderId;
}

/** Starts watching; the returned function stops it (a load still in flight is then dropped). */
export function watchOrderHistory(client: FeedClient, orderId: string, onChange: (view: OrderHistoryView) => void): () => void {
  let view = EMPTY_HISTORY;
  let running = false;
  let again = false;
  let stopped = false;

  async function load(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const [order, events] = await Promise.all([
            client.invoke('orders.get', { orderId }),
            client.invoke('orders.events', { orderId }),
          ]);
          if (stopped) return;
          view = { order, events, loading: false, error: null };
        } catch (err) {
          if (stopped) return;
          view = { ...view, loading: false, error: errorMessage(err) };
        }
        onChange(view);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  }

  const offEvents = client.onEvent((e) => {
    if (e.topic === 'orders.updated' && e.data.id === orderId) void load();
    else if (e.topic === 'orders.history' && e.data.orderId === orderId) void load();
    else if (e.topic === 'activity.new' && namesOrder(e.data.data, orderId)) void load();
  });
  let previous: ConnectionState = client.status().state;
  const offStatus = client.onStatus((s) => {
    if (s.state === 'open' && previous !== 'open') void load();
    previous = s.state;
  });
  void load();

  return () => {
    stopped = true;
    offEvents();
    offStatus();
  };
}
