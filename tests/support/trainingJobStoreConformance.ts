/**
 * What every TrainingJobStore must do, as one suite any implementation runs:
 * `trainingJobStoreConformance('SqliteTrainingJobStore', (keep) => new SqliteTrainingJobStore(db, keep))`.
 * The in-memory store passes the same tests as the SQLite one. A store kept
 * on disk also passes `durable`: it reads back every job after it is closed
 * and opened again.
 */
import { describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/contract/ml';
import type { TrainingJobStore } from '../../src/main/ml/training/trainingJobStore';

const T0 = 1_700_000_000_000;

export function jobView(id: string, patch: Partial<JobView> = {}): JobView {
  return { id, kind: 'train', name: `model ${id}`, status: 'running', done: 0, total: 5, message: 'fold 1 of 4', startedAt: T0, finishedAt: null, modelId: null, error: null, ...patch };
}

export function finishedJob(id: string, startedAt: number, patch: Partial<JobView> = {}): JobView {
  return jobView(id, { status: 'done', done: 5, total: 5, message: 'registered', startedAt, finishedAt: startedAt + 1_000, modelId: `m-${id}`, ...patch });
}

/** A store kept on disk: `open` opens a fresh one; `reopen` closes the one opened last and opens the same store again. */
export interface DurableTrainingJobStore {
  open(keep?: number): { store: TrainingJobStore; reopen(keep?: number): TrainingJobStore };
}

export function trainingJobStoreConformance(name: string, make: (keep?: number) => TrainingJobStore, durable?: DurableTrainingJobStore): void {
  describe(`${name} conforms to TrainingJobStore`, () => {
    it('holds nothing at first', () => {
      expect(make().list()).toEqual([]);
    });

    it('gives back a job exactly as saved, as a private copy', () => {
      const store = make();
      const job = jobView('j1', { name: 'btc ünïcödé "dir"', done: 1.5, total: 5, message: 'fold 2 of 4' });
      store.save(job);
      const [back] = store.list();
      expect(back).toEqual(job);
      back!.status = 'failed';
      job.name = 'changed after saving';
      expect(store.list()[0]).toMatchObject({ status: 'running', name: 'btc ünïcödé "dir"' });
    });

    it('keeps the later state of a job saved twice, in its place', () => {
      const store = make();
      store.save(jobView('a', { startedAt: T0 }));
      store.save(jobView('b', { startedAt: T0 }));
      store.save(finishedJob('a', T0, { status: 'failed', error: 'Too little data', modelId: null }));
      expect(store.list()).toEqual([jobView('b', { startedAt: T0 }), finishedJob('a', T0, { status: 'failed', error: 'Too little data', modelId: null })]);
    });

    it('lists the newest started first and, at the same start, the one created last first', () => {
      const store = make();
      for (const [id, at] of [['a', T0 + 5], ['b', T0], ['c', T0 + 5], ['d', T0 + 9], ['e', T0 + 5]] as const) store.save(finishedJob(id, at));
      expect(store.list().map((j) => j.id)).toEqual(['d', 'e', 'c', 'a', 'b']);
    });

    it('keeps only the newest jobs past its bound, never dropping one that is running', () => {
      const store = make(3);
      store.save(jobView('old-running', { startedAt: T0 }));
      for (let i = 1; i <= 5; i++) store.save(finishedJob(`f${i}`, T0 + i));
      expect(store.list().map((j) => j.id)).toEqual(['f5', 'f4', 'f3', 'old-running']);
      // Once it ends, it is dropped like any other old job.
      store.save(finishedJob('old-running', T0, { status: 'cancelled', modelId: null }));
      expect(store.list().map((j) => j.id)).toEqual(['f5', 'f4', 'f3']);
    });

    it('refuses a job that is not a job view, storing nothing', () => {
      const store = make();
      expect(() => store.save({ ...jobView('bad'), status: 'exploded' } as unknown as JobView)).toThrow();
      expect(() => store.save({ ...jobView('bad'), startedAt: -1 })).toThrow();
      expect(store.list()).toEqual([]);
    });

    if (durable) {
      it('reads back every job after it is closed and opened again, its bound still applied', () => {
        const { store, reopen } = durable.open(2);
        store.save(jobView('running', { startedAt: T0 + 9 }));
        store.save(finishedJob('f1', T0 + 1));
        store.save(finishedJob('f2', T0 + 2));
        const again = reopen(2);
        expect(again.list()).toEqual([jobView('running', { startedAt: T0 + 9 }), finishedJob('f2', T0 + 2)]);
        again.save(finishedJob('f3', T0 + 3));
        expect(again.list().map((j) => j.id)).toEqual(['running', 'f3']);
      });
    }
  });
}
