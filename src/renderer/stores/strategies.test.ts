import { describe, expect, it } from 'vitest';
import { strategyInstance } from '../../../tests/support/fixtures';
import type { StrategyCatalogEntry } from '../../shared/contract';
import { createKeelStore } from './store';
import { mergeStrategies, replaceStrategies } from './strategies';

const instance = strategyInstance;

function entry(type: string, error: string | null = null): StrategyCatalogEntry {
  return { type, name: type, summary: '', explanation: '', params: [], constraints: [], origin: error ? 'user' : 'builtin', file: null, error };
}

describe('mergeStrategies', () => {
  it('adds new instances in creation order and keeps the newer copy of each', () => {
    const a = instance('a', { createdAt: 2, updatedAt: 5, status: 'running' });
    const b = instance('b', { createdAt: 1 });
    const merged = mergeStrategies([a], [b, instance('a', { createdAt: 2, updatedAt: 4, status: 'stopped' })]);
    expect(merged.map((s) => s.id)).toEqual(['b', 'a']);
    expect(merged[1]!.status).toBe('running');
  });

  it('takes the incoming copy at the same instant (it was sent later) and answers the same array when nothing changed', () => {
    const a = instance('a', { updatedAt: 5 });
    const same = [a];
    expect(mergeStrategies(same, [a])).toBe(same);
    expect(mergeStrategies(same, [instance('a', { updatedAt: 5, status: 'running' })])[0]!.status).toBe('running');
  });
});

describe('replaceStrategies', () => {
  it('drops instances the host no longer has but keeps a newer event copy of the ones it names', () => {
    const current = [instance('a', { updatedAt: 9, status: 'paused' }), instance('gone')];
    const next = replaceStrategies(current, [instance('a', { updatedAt: 3, status: 'running' }), instance('b')]);
    expect(next.map((s) => [s.id, s.status])).toEqual([
      ['a', 'paused'],
      ['b', 'stopped'],
    ]);
  });
});

describe('strategies slice', () => {
  it('routes strategies.updated events through the frame reducer', () => {
    const store = createKeelStore();
    store.getState().applyEvents([{ topic: 'strategies.updated', data: instance('a', { status: 'running' }) }], []);
    expect(store.getState().strategies.map((s) => s.status)).toEqual(['running']);
  });

  it('selects the first loadable catalog entry and keeps the trader choice while it exists', () => {
    const store = createKeelStore();
    store.getState().setStrategyCatalog([entry('broken', 'SyntaxError'), entry('sma'), entry('rsi')]);
    expect(store.getState().selectedStrategyType).toBe('sma');
    store.getState().selectStrategyType('rsi');
    store.getState().setStrategyCatalog([entry('rsi'), entry('sma')]);
    expect(store.getState().selectedStrategyType).toBe('rsi');
  });

  it('opens the strategies view with a draft, each draft numbered anew', () => {
    const store = createKeelStore();
    store.getState().draftStrategy({ type: 'sma', params: { fast: 7 } });
    const first = store.getState().strategyDraft!;
    expect(store.getState().workspaceView).toBe('strategies');
    expect(store.getState().selectedStrategyType).toBe('sma');
    expect(first).toMatchObject({ type: 'sma', params: { fast: 7 }, venue: null });
    store.getState().draftStrategy({ type: 'sma', params: { fast: 7 } });
    expect(store.getState().strategyDraft!.seq).toBeGreaterThan(first.seq);
  });
});
