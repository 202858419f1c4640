import { describe, expect, it } from 'vitest';
import type { ListSignalsParams, MethodName, MethodParams, MethodResult, Signal } from '../../../shared/contract';
import { KeelError } from '../../../shared/errors';
import type { ConnectionStatus } from '../../api/bridge';
import type { KeelClient, KeelEvent } from '../../api/client';
import { fmtDateTime } from '../../lib/format';
import { MINUTE, SIGNAL_T0 as T0, signal } from '../signals/fixtures/signal';
import { watchOrderSignals, type OrderSignalsView } from './orderSignalFeed';
import { orderSignalFacts } from './orderSignalText';

interface Call {
  params: ListSignalsParams;
  answer(list: Signal[]): void;
  fail(err: unknown): void;
}

/** A client whose signals.list answers wait for the test, with events and connection changes the test sends. */
function fakeClient() {
  const calls: Call[] = [];
  const listeners = new Set<(e: KeelEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const client: Pick<KeelClient, 'invoke' | 'onEvent' | 'status' | 'onStatus'> = {
    invoke<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      expect(method).toBe('signals.list');
      return new Promise((resolve, reject) => {
        calls.push({ params: params as ListSignalsParams, answer: (list) => resolve({ signals: list } as MethodResult<M>), fail: reject });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({ state: 'open', transport: 'ws', detail: null }),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
  return {
    client,
    calls,
    emit: (event: KeelEvent) => listeners.forEach((l) => l(event)),
    setStatus: (state: ConnectionStatus['state']) => statusListeners.forEach((l) => l({ state, transport: 'ws', detail: null })),
    listening: () => listeners.size + statusListeners.size,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchOrderSignals', () => {
  it("loads the order's signal with signals.list {orderId}", async () => {
    const fake = fakeClient();
    const views: OrderSignalsView[] = [];
    watchOrderSignals(fake.client, 'o-1', (v) => views.push(v));
    expect(fake.calls[0]!.params).toMatchObject({ orderId: 'o-1' });
    fake.calls[0]!.answer([signal('a', { acted: true, orderIds: ['o-1'] })]);
    await settle();
    expect(views.at(-1)).toEqual({ signals: [signal('a', { acted: true, orderIds: ['o-1'] })], loading: false, error: null });
  });

  it('shows a signal linked to the order after the view opened, and follows its updates; others are ignored', async () => {
    const fake = fakeClient();
    const views: OrderSignalsView[] = [];
    watchOrderSignals(fake.client, 'o-1', (v) => views.push(v));
    fake.calls[0]!.answer([]);
    await settle();
    expect(views.at(-1)!.signals).toEqual([]);
    fake.emit({ topic: 'signals.updated', data: signal('x', { orderIds: ['o-2'] }) });
    fake.emit({ topic: 'signals.new', data: signal('a') });
    expect(views.at(-1)!.signals).toEqual([]);
    fake.emit({ topic: 'signals.updated', data: signal('a', { acted: true, orderIds: ['o-1'] }) });
    expect(views.at(-1)!.signals).toEqual([signal('a', { acted: true, orderIds: ['o-1'] })]);
    fake.emit({ topic: 'signals.updated', data: signal('a', { acted: true, orderIds: ['o-1', 'o-3'] }) });
    expect(views.at(-1)!.signals[0]!.orderIds).toEqual(['o-1', 'o-3']);
  });

  it('lays a link that arrives during the load over its answer', async () => {
    const fake = fakeClient();
    const views: OrderSignalsView[] = [];
    watchOrderSignals(fake.client, 'o-1', (v) => views.push(v));
    fake.emit({ topic: 'signals.updated', data: signal('a', { orderIds: ['o-1', 'o-2'] }) });
    fake.calls[0]!.answer([signal('a', { orderIds: ['o-1'] })]);
    await settle();
    expect(views.at(-1)).toMatchObject({ loading: false, signals: [signal('a', { orderIds: ['o-1', 'o-2'] })] });
  });

  it('says why a load failed, keeps what it showed, and loads again when the connection comes back', async () => {
    const fake = fakeClient();
    const views: OrderSignalsView[] = [];
    watchOrderSignals(fake.client, 'o-1', (v) => views.push(v));
    fake.calls[0]!.answer([signal('a', { orderIds: ['o-1'] })]);
    await settle();
    fake.setStatus('closed');
    fake.setStatus('open');
    expect(fake.calls).toHaveLength(2);
    fake.calls[1]!.fail(new KeelError('INTERNAL', 'signals.list failed'));
    await settle();
    expect(views.at(-1)).toEqual({ signals: [signal('a', { orderIds: ['o-1'] })], loading: false, error: 'signals.list failed' });
  });

  it('stops listening when stopped and drops the answer still on its way', async () => {
    const fake = fakeClient();
    const views: OrderSignalsView[] = [];
    const stop = watchOrderSignals(fake.client, 'o-1', (v) => views.push(v));
    stop();
    expect(fake.listening()).toBe(0);
    fake.calls[0]!.answer([signal('a', { orderIds: ['o-1'] })]);
    await settle();
    expect(views).toEqual([]);
  });
});

describe('the signal behind an order, in words', () => {
  it('names the model and version, direction, confidence, shortened features hash, bar, regime, strategy and decision', () => {
    const s = signal('a', { direction: 'short', confidence: 0.912, acted: true, note: 'confidence 0.91 above 0.85', timeframe: '5m', orderIds: ['o-1'] });
    const facts = orderSignalFacts(s, [{ id: 's-1', name: 'BTC ML scalper' }]);
    expect(facts.map((f) => [f.label, f.text])).toEqual([
      ['Model', 'btc-direction v3'],
      ['Direction', 'Short'],
      ['Confidence', '91.2%'],
      ['Features', 'f3a9c2d1e0…'],
      ['Regime', 'Trending up'],
      ['Bar', `${fmtDateTime(T0)} · 5m`],
      ['Strategy', 'BTC ML scalper'],
      ['Decision', 'Acted: confidence 0.91 above 0.85'],
    ]);
    expect(facts.find((f) => f.label === 'Features')!.title).toBe('f3a9c2d1e0b4a5c6d7e8f901');
    expect(facts.find((f) => f.label === 'Direction')!.className).toBe('neg');
    expect(facts.find((f) => f.label === 'Decision')!.title).toBe('confidence 0.91 above 0.85');
    expect(facts.find((f) => f.label === 'Bar')!.title).toBe(`BTC/USDT:USDT on paper, scored ${fmtDateTime(T0 + MINUTE + 5)}`);
  });

  it('says "Acted" alone when the strategy left no note', () => {
    const facts = orderSignalFacts(signal('a', { acted: true, note: '', orderIds: ['o-1'] }), []);
    expect(facts.find((f) => f.label === 'Decision')!.text).toBe('Acted');
  });
});
