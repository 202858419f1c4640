/**
 * The activity log: everything that happened, journaled and published, in
 * words a trader reads.
 */
import type { Activity } from '../../shared/domain';
import type { EventBus } from './bus';
import type { Clock } from './clock';
import type { EngineJournal } from './journalPort';

export class ActivityLog {
  constructor(
    private readonly journal: EngineJournal,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  record(level: Activity['level'], category: Activity['category'], message: string, data?: unknown): Activity {
    const entry = this.journal.appendActivity({
      timestamp: this.clock.now(),
      level,
      category,
      message,
      ...(data === undefined ? {} : { data }),
    });
    this.bus.publish('activity.new', entry);
    return entry;
  }
}
