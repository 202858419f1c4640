/**
 * Sends the daily report when the engine clock reaches the configured local
 * time in the configured zone. The wait is re-checked at least every
 * quarter hour rather than trusted in one long timer, so a clock that was
 * set is followed; a machine that slept through the time sends that report
 * once on waking (never a backlog of days). A change of settings reschedules at once.
 */
import type { DailyReportSettings } from '../../shared/contract/alertCenter';
import { errorText } from '../../shared/errors';
import type { Clock, TimerHandle } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import { nextLocalTime, previousLocalDay } from './dailySchedule';
import type { DailyReportRange } from './dailyReport';

/** The longest single wait before the schedule is looked at again. */
export const RECHECK_MS = 15 * 60_000;

export interface DailyReportSchedulerOptions {
  clock: Clock;
  log: Logger;
  settings(): DailyReportSettings;
  /** Builds and queues the report for the day that ends at `range.to`. */
  send(range: DailyReportRange): Promise<void>;
}

export class DailyReportScheduler {
  private timer: TimerHandle | null = null;
  private dueAt: number | null = null;
  private running = false;
  private stopped = false;

  constructor(private readonly options: DailyReportSchedulerOptions) {}

  start(): void {
    this.reschedule();
  }

  /** When the next report goes out; null while it is off. */
  nextAt(): number | null {
    return this.dueAt;
  }

  /** Looks at the settings again (call after they change). */
  reschedule(): void {
    this.timer?.cancel();
    this.timer = null;
    this.dueAt = null;
    if (this.stopped) return;
    const s = this.options.settings();
    if (!s.enabled) return;
    this.dueAt = nextLocalTime(this.options.clock.now(), s.time, s.timeZone);
    this.wait();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.dueAt = null;
  }

  private wait(): void {
    if (this.dueAt === null || this.stopped) return;
    const remaining = this.dueAt - this.options.clock.now();
    this.timer = this.options.clock.after(Math.min(Math.max(0, remaining), RECHECK_MS), () => this.tick());
  }

  private tick(): void {
    this.timer = null;
    const due = this.dueAt;
    if (due === null || this.stopped) return;
    if (this.options.clock.now() < due) {
      this.wait();
      return;
    }
    const s = this.options.settings();
    // After a sleep, the report that was due goes out once, late; days slept through are not sent one by one.
    this.dueAt = nextLocalTime(this.options.clock.now(), s.time, s.timeZone);
    this.wait();
    if (this.running) return;
    this.running = true;
    const range = { from: previousLocalDay(due, s.time, s.timeZone), to: due, timeZone: s.timeZone };
    this.options
      .send(range)
      .catch((error: unknown) => this.options.log.error(`[report] the daily report for ${new Date(due).toISOString()} could not be built: ${errorText(error)}`))
      .finally(() => {
        this.running = false;
      });
  }
}
