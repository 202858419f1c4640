/**
 * Retraining on a schedule: a model name's active version (its newest when
 * none is active) is retrained every N hours of engine time. Schedules are
 * kept in the journal and armed again at start-up; a run missed while Keel
 * was closed runs at once. A run never starts while a training of the same
 * name is running (it is skipped, and says so). A run that cannot start (no
 * version left, nothing recorded to retrain from) is listed as a failed job,
 * like any training that fails.
 */
import { MAX_RETRAIN_EVERY_HOURS, retrainScheduleSchema, type RetrainSchedule } from '../../../shared/contract/modelMonitor';
import { KeelError, errorText } from '../../../shared/errors';
import type { ModelRecord } from '../../../shared/models';
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type { Logger } from '../../engine/ports/logger';
import type { MonitorStore } from './monitorStore';

const HOUR_MS = 3_600_000;

export interface RetrainSchedulerOptions {
  store: Pick<MonitorStore, 'schedules' | 'saveSchedule' | 'deleteSchedule'>;
  clock: Pick<Clock, 'now' | 'after'>;
  /** Every version of a name. */
  versions: (name: string) => ModelRecord[];
  retrain: (id: string) => Promise<{ jobId: string }>;
  /** True while a training of the name runs. */
  running: (name: string) => boolean;
  /** Lists a run that could not start as a failed job; answers its id. */
  reportFailed: (name: string, error: string) => { id: string };
  log: Logger;
  /** Told after a name's schedule changed or ran. */
  onChanged?: (name: string) => void;
}

export class RetrainScheduler {
  private readonly schedules = new Map<string, RetrainSchedule>();
  private readonly timers = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(private readonly options: RetrainSchedulerOptions) {}

  /** Reads the saved schedules and arms them. */
  start(): void {
    for (const body of this.options.store.schedules()) {
      const parsed = retrainScheduleSchema.safeParse(body);
      if (!parsed.success) {
        this.options.log.warn(`[models] an unreadable retrain schedule was ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        continue;
      }
      this.schedules.set(parsed.data.name, parsed.data);
      this.arm(parsed.data);
    }
  }

  get(name: string): RetrainSchedule | null {
    const schedule = this.schedules.get(name);
    return schedule ? { ...schedule } : null;
  }

  /** Retrains `name` every `everyHours` hours from its last run (or from now); null turns it off. */
  set(name: string, everyHours: number | null): RetrainSchedule | null {
    if (everyHours !== null && !(Number.isInteger(everyHours) && everyHours >= 1 && everyHours <= MAX_RETRAIN_EVERY_HOURS)) {
      throw new KeelError('VALIDATION_FAILED', `A schedule is a whole number of hours from 1 to ${MAX_RETRAIN_EVERY_HOURS}, got ${everyHours}.`);
    }
    if (this.options.versions(name).length === 0) throw new KeelError('NOT_FOUND', `There is no model named ${name}.`, { name });
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
    if (everyHours === null) {
      this.schedules.delete(name);
      this.options.store.deleteSchedule(name);
      this.options.onChanged?.(name);
      return null;
    }
    const now = this.options.clock.now();
    const before = this.schedules.get(name);
    const lastRunAt = before?.lastRunAt ?? null;
    const schedule: RetrainSchedule = {
      name,
      everyHours,
      nextRunAt: Math.max(now, (lastRunAt ?? now) + everyHours * HOUR_MS),
      lastRunAt,
      lastJobId: before?.lastJobId ?? null,
      lastError: before?.lastError ?? null,
    };
    this.save(schedule);
    this.arm(schedule);
    return { ...schedule };
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private arm(schedule: RetrainSchedule): void {
    if (this.stopped) return;
    const delay = Math.max(0, schedule.nextRunAt - this.options.clock.now());
    this.timers.set(
      schedule.name,
      this.options.clock.after(delay, () => {
        this.timers.delete(schedule.name);
        this.run(schedule.name);
      }),
    );
  }

  private run(name: string): void {
    const schedule = this.schedules.get(name);
    if (!schedule || this.stopped) return;
    const now = this.options.clock.now();
    const next = (fields: Partial<RetrainSchedule>) => {
      const updated: RetrainSchedule = { ...schedule, lastRunAt: now, nextRunAt: now + schedule.everyHours * HOUR_MS, ...fields };
      this.save(updated);
      this.arm(updated);
    };
    const versions = this.options.versions(name);
    const version = versions.find((m) => m.status === 'active') ?? [...versions].sort((a, b) => b.version - a.version)[0];
    if (!version) {
      // Every version was deleted: the schedule has nothing left to retrain.
      const job = this.options.reportFailed(name, `Scheduled retraining of ${name} stopped: no version of it is left.`);
      this.schedules.delete(name);
      this.options.store.deleteSchedule(name);
      this.options.log.warn(`[models] the retrain schedule of ${name} ended (job ${job.id}): no version is left`);
      this.options.onChanged?.(name);
      return;
    }
    if (this.options.running(name)) {
      next({ lastError: `Skipped at ${new Date(now).toISOString()}: a training of ${name} was already running.`, lastJobId: schedule.lastJobId });
      return;
    }
    // The next run is set now; the job (or why none started) is known once the data has loaded.
    next({ lastJobId: schedule.lastJobId, lastError: null });
    this.options.retrain(version.id).then(
      ({ jobId }) => this.record(name, { lastJobId: jobId, lastError: null }),
      (error: unknown) => {
        const message = `Scheduled retraining of ${name} v${version.version} could not start: ${errorText(error)}`;
        const job = this.options.reportFailed(name, message);
        this.record(name, { lastJobId: job.id, lastError: message });
      },
    );
  }

  /** What a run came to, kept with its schedule if the schedule still exists. */
  private record(name: string, outcome: Pick<RetrainSchedule, 'lastJobId' | 'lastError'>): void {
    const schedule = this.schedules.get(name);
    if (!schedule || this.stopped) return;
    this.save({ ...schedule, ...outcome });
  }

  private save(schedule: RetrainSchedule): void {
    this.schedules.set(schedule.name, schedule);
    this.options.store.saveSchedule(schedule.name, schedule);
    this.options.onChanged?.(schedule.name);
  }
}
