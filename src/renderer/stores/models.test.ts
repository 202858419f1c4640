import { describe, expect, it } from 'vitest';
import type { JobView } from '../../shared/contract';
import { modelRecord } from '../features/models/fixtures/modelRecord';
import { isNewerJob, mergeJobs, newlyTrained, replaceJobs, toggleCompared } from './models';
import { createKeelStore } from './store';

function job(id: string, patch: Partial<JobView> = {}): JobView {
  return { id, kind: 'train', name: id, status: 'running', done: 0, total: 5, message: 'fold 1 of 4', startedAt: 1, finishedAt: null, modelId: null, error: null, ...patch };
}

describe('isNewerJob', () => {
  it('moves forward only: running, then finished; progress never backwards', () => {
    expect(isNewerJob(job('a', { done: 2 }), job('a', { done: 1 }))).toBe(false);
    expect(isNewerJob(job('a', { done: 1 }), job('a', { done: 2 }))).toBe(true);
    // "loading data" reports 0 of 1 before the folds report of 5: a fraction, not a count.
    expect(isNewerJob(job('a', { done: 0.5, total: 5 }), job('a', { done: 0, total: 1 }))).toBe(false);
    expect(isNewerJob(job('a', { status: 'cancelled' }), job('a', { done: 3 }))).toBe(false);
    expect(isNewerJob(job('a', { done: 3 }), job('a', { status: 'failed', error: 'x' }))).toBe(true);
  });
});

describe('mergeJobs / replaceJobs', () => {
  it('keeps jobs newest first and never takes a late copy', () => {
    const done = job('a', { status: 'done', startedAt: 1 });
    const merged = mergeJobs([done], [job('a', { done: 4 }), job('b', { startedAt: 5 })]);
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      ['b', 'running'],
      ['a', 'done'],
    ]);
    const same = [job('a')];
    expect(mergeJobs(same, [same[0]!])).toBe(same);
  });

  it('takes a snapshot, keeping a later copy it holds', () => {
    const ahead = job('a', { done: 3 });
    expect(replaceJobs([ahead, job('gone')], [job('a', { done: 1 })])).toEqual([ahead]);
  });
});

describe('newlyTrained', () => {
  it('finds the jobs that registered a model since the last list', () => {
    const before = [job('a'), job('b', { status: 'done', modelId: 'm-b' }), job('c')];
    const now = [job('a', { status: 'done', modelId: 'm-a' }), job('b', { status: 'done', modelId: 'm-b' }), job('c', { status: 'failed' }), job('d', { status: 'done', modelId: 'm-d' })];
    expect(newlyTrained(before, now).map((j) => j.id)).toEqual(['a', 'd']);
  });
});

describe('toggleCompared', () => {
  it('ticks at most two, letting go of the oldest tick', () => {
    expect(toggleCompared(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleCompared(['a', 'b'], 'c')).toEqual(['b', 'c']);
    expect(toggleCompared(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('models slice', () => {
  it('folds jobs.progress events into the jobs', () => {
    const store = createKeelStore();
    store.getState().applyEvents([{ topic: 'jobs.progress', data: job('a', { done: 2 }) }, { topic: 'jobs.progress', data: job('a', { done: 1 }) }], []);
    expect(store.getState().jobs.map((j) => j.done)).toEqual([2]);
  });

  it('lets go of a selection or a tick whose version is gone', () => {
    const store = createKeelStore();
    store.getState().setModels([modelRecord({ id: 'x' }), modelRecord({ id: 'y', version: 2 })]);
    store.getState().selectModel('x');
    store.getState().toggleModelCompare('x');
    store.getState().toggleModelCompare('y');
    store.getState().setModels([modelRecord({ id: 'y', version: 2 })]);
    expect(store.getState().selectedModel).toBeNull();
    expect(store.getState().compareModels).toEqual(['y']);
    store.getState().removeModel('y');
    expect(store.getState().compareModels).toEqual([]);
  });
});
