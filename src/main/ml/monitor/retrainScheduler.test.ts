import { describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '../../engine/ports/clock';
import type { Logger } from '../../engine/ports/logger';
import type { ModelRecord } from '../../../shared/models';
import { HOUR, registerTestModel, T0, testRegistry } from './fixtures/models';
import { MemoryMonitorStore } from './memoryMonitorStore';
import { RetrainScheduler } from './retrainScheduler';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(store = new MemoryMonitorStore(), clock = new SimulatedClock(T0)) {
  const registry = testRegistry();
  const v1 = registerTestModel(registry);
  const v2 = registerTestModel(registry);
  registry.activate(v1.id);
  const retrained: string[] = [];
  const failed: Array<[string, string]> = [];
  let running = false;
  let refuse: Error | null = null;
  let jobs = 0;
  const scheduler = new RetrainScheduler({
    store,
    clock,
    versions: (name) => registry.list().filter((m) => m.name === name),
    retrain: async (id) => {
      if (refuse) throw refuse;
      retrained.push(id);
      return { jobId: `job${++jobs}` };
    },
    running: () => running,
    reportFailed: (name, error) => {
      failed.push([name, error]);
      return { id: `failed${failed.length}` };
    },
    log: quiet,
  });
  scheduler.start();
  return {
    registry, v1, v2, scheduler, clock, store, retrained, failed,
    setRunning: (value: boolean) => (running = value),
    setRefusal: (error: Error | null) => (refuse = error),
  };
}

describe('retraining on a schedule', () => {
  it('retrains the active version every N hours of engine time', async () => {
    const { scheduler, clock, v1, retrained } = setup();
    expect(scheduler.set('btc-direction', 6)).toEqual({ name: 'btc-direction', everyHours: 6, nextRunAt: T0 + 6 * HOUR, lastRunAt: null, lastJobId: null, lastError: null });
    await clock.advanceAndSettle(6 * HOUR - 1);
    expect(retrained).toEqual([]);
    await clock.advanceAndSettle(1);
    expect(retrained).toEqual([v1.id]);
    expect(scheduler.get('btc-direction')).toMatchObject({ lastRunAt: T0 + 6 * HOUR, nextRunAt: T0 + 12 * HOUR, lastJobId: 'job1', lastError: null });
    await clock.advanceAndSettle(12 * HOUR);
    expect(retrained).toEqual([v1.id, v1.id, v1.id]);
  });

  it('retrains the newest version when none is active', async () => {
    const { scheduler, clock, registry, v1, v2, retrained } = setup();
    registry.retire(v1.id);
    scheduler.set('btc-direction', 1);
    await clock.advanceAndSettle(HOUR);
    expect(retrained).toEqual([v2.id]);
  });

  it('survives a restart: the schedule is saved and armed again, and a run missed while closed runs at once', async () => {
    const store = new MemoryMonitorStore();
    const first = setup(store);
    first.scheduler.set('btc-direction', 2);
    first.scheduler.stop();
    await first.clock.advanceAndSettle(5 * HOUR);
    expect(first.retrained).toEqual([]);
    const second = setup(store, new SimulatedClock(T0 + 5 * HOUR));
    expect(second.scheduler.get('btc-direction')).toMatchObject({ everyHours: 2, nextRunAt: T0 + 2 * HOUR });
    await second.clock.advanceAndSettle(0);
    expect(second.retrained).toHaveLength(1);
    expect(second.scheduler.get('btc-direction')).toMatchObject({ lastRunAt: T0 + 5 * HOUR, nextRunAt: T0 + 7 * HOUR });
  });

  it('never starts a second training of a name: a run while one is running is skipped, and says so', async () => {
    const { scheduler, clock, retrained, setRunning } = setup();
    scheduler.set('btc-direction', 1);
    setRunning(true);
    await clock.advanceAndSettle(HOUR);
    expect(retrained).toEqual([]);
    expect(scheduler.get('btc-direction')!.lastError).toMatch(/Skipped at .*: a training of btc-direction was already running/);
    setRunning(false);
    await clock.advanceAndSettle(HOUR);
    expect(retrained).toHaveLength(1);
    expect(scheduler.get('btc-direction')!.lastError).toBeNull();
  });

  it('lists a run that could not start as a failed job, and ends the schedule when no version is left', async () => {
    const { scheduler, clock, registry, v1, v2, failed, store, setRefusal } = setup();
    scheduler.set('btc-direction', 1);
    setRefusal(new Error('btc-direction v1 does not record the data it was trained on'));
    await clock.advanceAndSettle(HOUR);
    expect(failed).toEqual([['btc-direction', 'Scheduled retraining of btc-direction v1 could not start: btc-direction v1 does not record the data it was trained on']]);
    expect(scheduler.get('btc-direction')).toMatchObject({ lastJobId: 'failed1', lastError: expect.stringMatching(/could not start/), nextRunAt: T0 + 2 * HOUR });
    registry.retire(v1.id);
    registry.delete(v1.id);
    registry.delete(v2.id);
    await clock.advanceAndSettle(HOUR);
    expect(failed[1]).toEqual(['btc-direction', 'Scheduled retraining of btc-direction stopped: no version of it is left.']);
    expect(scheduler.get('btc-direction')).toBeNull();
    expect(store.schedules()).toEqual([]);
  });

  it('turns off, and refuses an unknown name or a bad interval with a typed error', async () => {
    const { scheduler, clock, retrained, store } = setup();
    scheduler.set('btc-direction', 1);
    expect(scheduler.set('btc-direction', null)).toBeNull();
    expect(store.schedules()).toEqual([]);
    await clock.advanceAndSettle(3 * HOUR);
    expect(retrained).toEqual([]);
    expect(() => scheduler.set('nope', 2)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => scheduler.set('btc-direction', 0)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => scheduler.set('btc-direction', 1.5)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(scheduler.get('btc-direction')).toBeNull();
  });

  it('counts the next run from the last when the interval changes, and ignores a damaged saved schedule', async () => {
    const store = new MemoryMonitorStore();
    store.saveSchedule('broken', { name: 'broken', everyHours: -1 });
    const warn = vi.fn();
    const registry = testRegistry();
    registerTestModel(registry);
    const clock = new SimulatedClock(T0);
    const scheduler = new RetrainScheduler({ store, clock, versions: (n) => registry.list().filter((m: ModelRecord) => m.name === n), retrain: async () => ({ jobId: 'j' }), running: () => false, reportFailed: () => ({ id: 'f' }), log: { ...quiet, warn } });
    scheduler.start();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/unreadable retrain schedule/));
    expect(scheduler.get('broken')).toBeNull();
    scheduler.set('btc-direction', 4);
    clock.advanceBy(4 * HOUR);
    expect(scheduler.get('btc-direction')).toMatchObject({ lastRunAt: T0 + 4 * HOUR });
    await Promise.resolve(); // the job id is known once the retrain has started
    clock.advanceBy(HOUR);
    expect(scheduler.set('btc-direction', 2)).toMatchObject({ everyHours: 2, nextRunAt: T0 + 6 * HOUR, lastRunAt: T0 + 4 * HOUR, lastJobId: 'j' });
    expect(scheduler.set('btc-direction', 24)).toMatchObject({ nextRunAt: T0 + 28 * HOUR });
  });
});
