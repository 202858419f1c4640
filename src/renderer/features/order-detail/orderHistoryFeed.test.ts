import { describe, expect, it } from 'vitest';
import type { MethodName, MethodParams, MethodResult } from '../../../shared/contract';
import type { Order, OrderEvent } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ConnectionStatus } from '../../api/bridge';
import type { KeelClient, KeelEvent } from '../../api/client';
import { watchOrderHistory, type OrderHistoryView } from './orderHistoryFeed';
import { RESTING_ORDER } from '../../../../tests/support/fixtures';

const order: Order = {
  ...RESTING_ORDER,
  quantity: '0.01',
  price: '59000',
  createdAt: 1,
  updatedAt: 1,
};

const event = (id: number, type: OrderEvent['type'], status: OrderEvent['status']): OrderEvent => ({
  id,
  orderId: 'o-1',
  timestamp: id,
  type,
  outcome: 'applied',
  status,
  detail: {},
});

interface Call {
  method: MethodName;
  resolve(): void;
  reject(err: unknown): void;
}

/** A client whose calls wait until the test answers them, with the history it holds at that moment. */
function fakeClient(state: ConnectionStatus['state'] = 'open') {
  const calls: Call[] = [];
  const listeners = new Set<(e: KeelEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let events: OrderEvent[] = [event(1, 'OrderSubmitted', 'pending_new')];
  let current = { ...order, status: 'pending_new' as Order['status'] };
  const client: Pick<KeelClient, 'invoke' | 'onEvent' | 'status' | 'onStatus'> = {
    invoke<M extends MethodName>(method: M, _params: MethodParams<M>): Promise<MethodResult<M>> {
      return new Promise((resolve, reject) => {
        calls.push({
          method,
          resolve: () => resolve((method === 'orders.get' ? current : events) as MethodResult<M>),
          reject,
        });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({ state, transport: 'ws', detail: null }),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
  return {
    client,
    calls,
    listeners,
    emit: (e: KeelEvent) => listeners.forEach((l) => l(e)),
    setStatus: (s: ConnectionStatus['state']) => statusListeners.forEach((l) => l({ state: s, transport: 'ws', detail: null })),
    advance(next: OrderEvent, status: Order['status']) {
      events = [...events, next];
      current = { ...current, status };
    },
    /** Answers every call made so far. */
    async answerAll() {
      for (const c of calls.splice(0)) c.resolve();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('watchOrderHistory', () => {
  it('loads the order and its history, and loads again when the order is updated', async () => {
    const f = fakeClient();
    const views: OrderHistoryView[] = [];
    const stop = watchOrderHistory(f.client, 'o-1', (v) => views.push(v));
    expect(f.calls.map((c) => c.method).sort()).toEqual(['orders.events', 'orders.get']);
    await f.answerAll();
    expect(views.at(-1)).toMatchObject({ loading: false, error: null, order: { status: 'pending_new' } });
    expect(views.at(-1)!.events).toHaveLength(1);

    // Another order's update is not ours.
    f.emit({ topic: 'orders.updated', data: { ...order, id: 'o-2' } });
    expect(f.calls).toHaveLength(0);

    f.advance(event(2, 'OrderAccepted', 'open'), 'open');
    f.emit({ topic: 'orders.updated', data: { ...order, status: 'open' } });
    await f.answerAll();
    expect(views.at(-1)!.events.map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderAccepted']);
    expect(views.at(-1)!.order?.status).toBe('open');
    stop();
  });

  it('coalesces a burst into one more load after the one in flight', async () => {
    const f = fakeClient();
    const views: OrderHistoryView[] = [];
    const stop = watchOrderHistory(f.client, 'o-1', (v) => views.push(v));
    for (let i = 0; i < 5; i++) f.emit({ topic: 'orders.updated', data: order });
    expect(f.calls).toHaveLength(2); // only the first load's two calls
    await f.answerAll();
    expect(f.calls).toHaveLength(2); // one follow-up load
    await f.answerAll();
    expect(f.calls).toHaveLength(0);
    expect(views).toHaveLength(2);
    stop();
  });

  it('reloads for an activity entry naming the order (an ignored event changes no order) and after a reconnect', async () => {
    const f = fakeClient();
    const stop = watchOrderHistory(f.client, 'o-1', () => undefined);
    await f.answerAll();
    f.emit({ topic: 'activity.new', data: { id: 1, timestamp: 1, level: 'error', category: 'anomaly', message: 'x', data: { orderId: 'o-2' } } });
    expect(f.calls).toHaveLength(0);
    f.emit({ topic: 'activity.new', data: { id: 2, timestamp: 1, level: 'error', category: 'anomaly', message: 'x', data: { orderId: 'o-1' } } });
    expect(f.calls).toHaveLength(2);
    await f.answerAll();

    f.setStatus('closed');
    expect(f.calls).toHaveLength(0);
    f.setStatus('open');
    expect(f.calls).toHaveLength(2);
    await f.answerAll();
    stop();
  });

  it('reloads when a new history entry names the order, even one that changed nothing (an ignored late report)', async () => {
    const f = fakeClient();
    const stop = watchOrderHistory(f.client, 'o-1', () => undefined);
    await f.answerAll();
    f.emit({ topic: 'orders.history', data: { orderId: 'o-2', timestamp: 2, type: 'OrderCanceled', outcome: 'ignored', status: 'filled', detail: {} } });
    expect(f.calls).toHaveLength(0);
    f.emit({ topic: 'orders.history', data: { orderId: 'o-1', timestamp: 2, type: 'OrderCanceled', outcome: 'ignored', status: 'filled', detail: {} } });
    expect(f.calls).toHaveLength(2);
    await f.answerAll();
    stop();
  });

  it('keeps what it had and says why when a load fails, and drops answers after it stops', async () => {
    const f = fakeClient();
    const views: OrderHistoryView[] = [];
    const stop = watchOrderHistory(f.client, 'o-1', (v) => views.push(v));
    await f.answerAll();
    f.emit({ topic: 'orders.updated', data: order });
    for (const c of f.calls.splice(0)) c.reject(new KeelError('NOT_FOUND', 'no such order'));
    await new Promise((r) => setTimeout(r, 0));
    expect(views.at(-1)).toMatchObject({ error: 'no such order', loading: false });
    expect(views.at(-1)!.events).toHaveLength(1);

    f.emit({ topic: 'orders.updated', data: order });
    stop();
    const seen = views.length;
    await f.answerAll();
    expect(views).toHaveLength(seen);
    f.emit({ topic: 'orders.updated', data: order });
    expect(f.calls).toHaveLength(0);
  });
});
