import { describe, expect, it } from 'vitest';
import type { ListSignalsParams, MethodName, MethodParams, MethodResult, Signal } from '../../../shared/contract';
import { KeelError } from '../../../shared/errors';
import type { KeelClient } from '../../api/client';
import { createKeelStore } from '../../stores/store';
import { MINUTE, SIGNAL_T0 as T0, signal } from './fixtures/signal';
import { loadSignalList } from './loadSignals';

/** A client whose signals.list answers wait until the test releases them. */
function fakeClient() {
  const calls: Array<{ params: ListSignalsParams; answer(list: Signal[]): void; fail(err: unknown): void }> = [];
  const client: Pick<KeelClient, 'invoke'> = {
    invoke<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      expect(method).toBe('signals.list');
      return new Promise((resolve, reject) => {
        calls.push({ params: params as ListSignalsParams, answer: (list) => resolve({ signals: list } as MethodResult<M>), fail: reject });
      });
    },
  };
  return { client, calls };
}

const ids = (rows: readonly Signal[]) => rows.map((s) => s.id);

describe('loadSignalList', () => {
  it('asks signals.list with its params and shows the answer, with what arrived meanwhile laid over it', async () => {
    const store = createKeelStore();
    const { client, calls } = fakeClient();
    const loading = loadSignalList(client, store, 'signalFeed', { strategyId: 's-1' }, { strategyId: 's-1', limit: 1_000 });
    expect(calls[0]!.params).toEqual({ strategyId: 's-1', limit: 1_000 });
    expect(store.getState().signalFeed.loaded).toBe(false);
    // While the answer is on its way, the signal is acted on and a newer one arrives.
    store.getState().applyEvents(
      [
        { topic: 'signals.updated', data: signal('a', { acted: true, note: 'acted', orderIds: ['o-1'] }) },
        { topic: 'signals.new', data: signal('n', { time: T0 + 2 * MINUTE }) },
        { topic: 'signals.new', data: signal('other', { strategyId: 's-2', time: T0 + 3 * MINUTE }) },
      ],
      [],
    );
    calls[0]!.answer([signal('b', { time: T0 + MINUTE }), signal('a')]);
    await loading;
    const feed = store.getState().signalFeed;
    expect(ids(feed.rows)).toEqual(['n', 'b', 'a']);
    expect(feed.rows[2]).toMatchObject({ acted: true, orderIds: ['o-1'] });
    expect(feed).toMatchObject({ loaded: true, error: null });
  });

  it('drops a late answer for a query the screen has left', async () => {
    const store = createKeelStore();
    const { client, calls } = fakeClient();
    const first = loadSignalList(client, store, 'chartSignals', { symbol: 'BTC/USDT:USDT' }, { symbol: 'BTC/USDT:USDT' });
    const second = loadSignalList(client, store, 'chartSignals', { symbol: 'ETH/USDT:USDT' }, { symbol: 'ETH/USDT:USDT' });
    calls[1]!.answer([signal('eth', { symbol: 'ETH/USDT:USDT' })]);
    await second;
    calls[0]!.answer([signal('btc')]);
    await first;
    expect(ids(store.getState().chartSignals.rows)).toEqual(['eth']);
  });

  it('says why a load failed and keeps what it showed', async () => {
    const store = createKeelStore();
    const { client, calls } = fakeClient();
    const ok = loadSignalList(client, store, 'signalFeed', {}, {});
    calls[0]!.answer([signal('a')]);
    await ok;
    const failing = loadSignalList(client, store, 'signalFeed', {}, {});
    calls[1]!.fail(new KeelError('INTERNAL', 'signals.list failed unexpectedly; the error was logged.'));
    await failing;
    expect(store.getState().signalFeed).toMatchObject({ error: 'signals.list failed unexpectedly; the error was logged.', loaded: true });
    expect(ids(store.getState().signalFeed.rows)).toEqual(['a']);
  });
});
