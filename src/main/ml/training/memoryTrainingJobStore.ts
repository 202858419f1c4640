/** Training jobs kept in memory (tests): the same behaviour as the SQLite store, with private copies. */
import { jobViewSchema, type JobView } from '../../../shared/contract/ml';
import { DEFAULT_JOBS_KEPT, type TrainingJobStore } from './trainingJobStore';

export class MemoryTrainingJobStore implements TrainingJobStore {
  /** By id, as JSON; `seq` orders jobs saved with the same start time. */
  private readonly jobs = new Map<string, { text: string; startedAt: number; running: boolean; seq: number }>();
  private seq = 0;

  constructor(private readonly keep: number = DEFAULT_JOBS_KEPT) {}

  save(job: JobView): void {
    const checked = jobViewSchema.parse(job);
    const earlier = this.jobs.get(checked.id);
    this.jobs.set(checked.id, { text: JSON.stringify(checked), startedAt: checked.startedAt, running: checked.status === 'running', seq: earlier?.seq ?? ++this.seq });
    const newest = new Set(this.ordered().slice(0, this.keep).map(([id]) => id));
    for (const [id, entry] of this.jobs) if (!entry.running && !newest.has(id)) this.jobs.delete(id);
  }

  list(): JobView[] {
    return this.ordered().map(([, entry]) => jobViewSchema.parse(JSON.parse(entry.text)));
  }

  private ordered() {
    return [...this.jobs].sort(([, a], [, b]) => b.startedAt - a.startedAt || b.seq - a.seq);
  }
}
