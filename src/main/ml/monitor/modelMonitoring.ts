/**
 * Model monitoring put together, as the composition root builds it: the
 * monitor (the live scorer's ScoringObserver), retraining, and the retrain
 * schedules, publishing a version's view as `models.drift` at most once a
 * second per version. The contract's handlers call `view`, `retrain` and
 * `setSchedule`.
 */
import type { ModelDrift, RetrainSchedule } from '../../../shared/contract/modelMonitor';
import type { Clock } from '../../engine/ports/clock';
import type { Logger } from '../../engine/ports/logger';
import type { ModelRegistry } from '../registry/modelRegistry';
import { KeyedThrottle } from './keyedThrottle';
import { ModelMonitor } from './modelMonitor';
import type { MonitorStore } from './monitorStore';
import { ModelRetrainer, type TrainingPort } from './retrain';
import { RetrainScheduler } from './retrainScheduler';
import type { MonitorSettings } from './streamMonitor';

/** The most often a version's view is published. */
export const DRIFT_PUBLISH_INTERVAL_MS = 1_000;

export interface ModelMonitoringOptions {
  store: MonitorStore;
  registry: Pick<ModelRegistry, 'get' | 'list'>;
  training: TrainingPort;
  clock: Pick<Clock, 'now' | 'after'>;
  publish: (view: ModelDrift) => void;
  log: Logger;
  settings?: Partial<MonitorSettings>;
}

export interface ModelMonitoring {
  /** Where the live scorer reports each bar it scored. */
  monitor: ModelMonitor;
  view(id: string): ModelDrift;
  retrain(id: string): Promise<{ jobId: string }>;
  setSchedule(name: string, everyHours: number | null): { schedule: RetrainSchedule | null };
  stop(): void;
}

export function createModelMonitoring(options: ModelMonitoringOptions): ModelMonitoring {
  const { registry, clock, log } = options;
  const versions = (name: string) => registry.list().filter((m) => m.name === name);
  const view = (id: string): ModelDrift => {
    const drift = monitor.drift(id);
    return { ...drift, schedule: scheduler.get(drift.name) };
  };
  const throttle = new KeyedThrottle(clock, DRIFT_PUBLISH_INTERVAL_MS, (id) => {
    try {
      options.publish(view(id));
    } catch (error) {
      // The version was deleted in the meantime: nothing to publish.
      log.info(`[models] no drift view for ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const monitor = new ModelMonitor({ registry, store: options.store, now: () => clock.now(), log, ...(options.settings ? { settings: options.settings } : {}), onChanged: (id) => throttle.request(id) });
  const retrainer = new ModelRetrainer(registry, options.training);
  const scheduler = new RetrainScheduler({
    store: options.store,
    clock,
    versions,
    retrain: (id) => retrainer.retrain(id),
    running: (name) => retrainer.running(name),
    reportFailed: (name, error) => options.training.reportFailed(name, error),
    log,
    onChanged: (name) => {
      for (const m of versions(name)) throttle.request(m.id);
    },
  });
  scheduler.start();
  return {
    monitor,
    view,
    retrain: (id) => retrainer.retrain(id),
    setSchedule: (name, everyHours) => ({ schedule: scheduler.set(name, everyHours) }),
    stop: () => {
      scheduler.stop();
      throttle.stop();
    },
  };
}
