import { describe, expect, it } from 'vitest';
import { backtestSettingsSchema, type BacktestResult, type BacktestSummary } from '../../shared/contract';
import { applyProgress, isNewerSummary, mergeBacktests, progressOf, replaceBacktests } from './backtests';
import { createKeelStore } from './store';

function run(id: string, patch: Partial<BacktestSummary> = {}): BacktestSummary {
  return {
    id,
    kind: 'backtest',
    name: id,
    status: 'queued',
    error: null,
    strategy: { type: 'sma', params: {} },
    data: { dataset: 'ds' },
    settings: backtestSettingsSchema.parse({}),
    progress: { done: 0, total: 100 },
    returnPct: null,
    sharpeRatio: null,
    tradeCount: null,
    createdAt: 1,
    finishedAt: null,
    ...patch,
  };
}

describe('isNewerSummary', () => {
  it('moves forward only: queued, running, then a finished status', () => {
    expect(isNewerSummary(run('a', { status: 'running' }), run('a', { status: 'queued' }))).toBe(false);
    expect(isNewerSummary(run('a', { status: 'done' }), run('a', { status: 'running' }))).toBe(false);
    expect(isNewerSummary(run('a', { status: 'queued' }), run('a', { status: 'canceled' }))).toBe(true);
    expect(isNewerSummary(run('a', { status: 'running', progress: { done: 50, total: 100 } }), run('a', { status: 'running', progress: { done: 40, total: 100 } }))).toBe(false);
  });
});

describe('mergeBacktests / replaceBacktests', () => {
  it('keeps runs newest first and never takes a late copy', () => {
    const done = run('a', { status: 'done', createdAt: 1 });
    const merged = mergeBacktests([done], [run('a', { status: 'running' }), run('b', { createdAt: 5 })]);
    expect(merged.map((b) => [b.id, b.status])).toEqual([
      ['b', 'queued'],
      ['a', 'done'],
    ]);
  });

  it('answers the same array when nothing changed', () => {
    const list = [run('a')];
    expect(mergeBacktests(list, [list[0]!])).toBe(list);
  });

  it('drops runs a snapshot no longer has', () => {
    expect(replaceBacktests([run('a'), run('gone')], [run('a', { status: 'running' })]).map((b) => b.id)).toEqual(['a']);
  });
});

describe('progress', () => {
  it('keeps the furthest count per run', () => {
    const p = applyProgress({}, [
      { id: 'a', done: 5, total: 10 },
      { id: 'a', done: 3, total: 10 },
      { id: 'b', done: 1, total: 2 },
    ]);
    expect(p).toEqual({ a: { done: 5, total: 10 }, b: { done: 1, total: 2 } });
    expect(applyProgress(p, [{ id: 'a', done: 5, total: 10 }])).toBe(p);
  });

  it('shows the event count when it is ahead of the summary', () => {
    const r = run('a', { progress: { done: 2, total: 10 } });
    expect(progressOf(r, { done: 7, total: 10 })).toEqual({ done: 7, total: 10 });
    expect(progressOf(r, { done: 1, total: 10 })).toEqual({ done: 2, total: 10 });
    expect(progressOf(r, undefined)).toEqual({ done: 2, total: 10 });
  });
});

describe('backtests slice', () => {
  it('routes run events and progress through the frame reducer', () => {
    const store = createKeelStore();
    store.getState().applyEvents(
      [
        { topic: 'backtests.updated', data: run('a', { status: 'running' }) },
        { topic: 'backtests.progress', data: { id: 'a', done: 40, total: 100 } },
      ],
      [],
    );
    expect(store.getState().backtests.map((b) => b.status)).toEqual(['running']);
    expect(store.getState().backtestProgress.a).toEqual({ done: 40, total: 100 });
  });

  it('forgets everything about a deleted run', () => {
    const store = createKeelStore();
    const s = store.getState;
    const result: BacktestResult = { ...run('a', { status: 'done' }), stats: null, trades: [], equity: [], optimize: null };
    s().setBacktestResult(result);
    s().selectBacktest('a');
    s().toggleCompare('a');
    s().removeBacktest('a');
    expect(s().backtests).toEqual([]);
    expect(s().backtestResults).toEqual({});
    expect(s().selectedBacktest).toBeNull();
    expect(s().compareBacktests).toEqual([]);
  });

  it('toggles runs in and out of the comparison in the order they were ticked', () => {
    const store = createKeelStore();
    const s = store.getState;
    s().toggleCompare('b');
    s().toggleCompare('a');
    expect(s().compareBacktests).toEqual(['b', 'a']);
    s().toggleCompare('b');
    expect(s().compareBacktests).toEqual(['a']);
  });
});
