/**
 * Keeps the signal(s) behind one order fresh while its detail view is open:
 * loads them from `signals.list {orderId}`, follows `signals.new` and
 * `signals.updated` that name the order (a signal is linked to its order
 * just after the order is placed, so the link may arrive after the view
 * opened), and loads again when the connection comes back. What arrives
 * while a load is in flight is laid over its answer.
 */
import type { Signal } from '../../../shared/contract';
import type { ConnectionState } from '../../api/bridge';
import { errorMessage, type KeelClient } from '../../api/client';
import { newestFirst, upsertSignals } from '../../stores/signals';

export interface OrderSignalsView {
  /** Newest first; usually one. */
  signals: Signal[];
  loading: boolean;
  /** The last load's failure; what was loaded before stays shown. */
  error: string | null;
}

export const NO_ORDER_SIGNALS: OrderSignalsView = { signals: [], loading: true, error: null };

/** More than any order has: a strategy links an order to the signal that caused it. */
const MAX_ORDER_SIGNALS = 20;

type FeedClient = Pick<KeelClient, 'invoke' | 'onEvent' | 'status' | 'onStatus'>;

/** Starts watching; the returned function stops it (a load still in flight is then dropped). */
export function watchOrderSignals(client: FeedClient, orderId: string, onChange: (view: OrderSignalsView) => void): () => void {
  const query = { orderId };
  let view = NO_ORDER_SIGNALS;
  let stopped = false;
  let loads = 0;
  /** Signals that arrived during the load in flight. */
  let arrived: Signal[] = [];

  async function load(): Promise<void> {
    const mine = ++loads;
    arrived = [];
    try {
      const { signals } = await client.invoke('signals.list', { orderId, limit: MAX_ORDER_SIGNALS });
      if (stopped || mine !== loads) return;
      const fresh = signals.filter((s) => s.orderIds.includes(orderId)).sort(newestFirst);
      view = { signals: upsertSignals(fresh, arrived, query, MAX_ORDER_SIGNALS), loading: false, error: null };
    } catch (err) {
      if (stopped || mine !== loads) return;
      view = { ...view, loading: false, error: errorMessage(err) };
    }
    onChange(view);
  }

  const offEvents = client.onEvent((e) => {
    if (e.topic !== 'signals.new' && e.topic !== 'signals.updated') return;
    if (!e.data.orderIds.includes(orderId)) return;
    arrived.push(e.data);
    const signals = upsertSignals(view.signals, [e.data], query, MAX_ORDER_SIGNALS);
    if (signals === view.signals) return;
    view = { ...view, signals };
    onChange(view);
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
