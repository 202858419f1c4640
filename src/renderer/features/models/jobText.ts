/** A training job in words: its status, and how far it has come ("fold 2 of 4 · 29%"). */
import type { JobView } from '../../../shared/contract';

export const JOB_STATUS_LABEL: Record<JobView['status'], string> = {
  running: 'Training',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Percent done, rounded down so a job never reads 100% before it has finished; null before it knows its total. */
export function jobPercent(job: Pick<JobView, 'done' | 'total' | 'status'>): number | null {
  if (job.status === 'done') return 100;
  if (!(job.total > 0)) return null;
  return Math.min(99, Math.floor((job.done / job.total) * 100));
}

export function jobProgressText(job: Pick<JobView, 'done' | 'total' | 'status' | 'message'>): string {
  const pct = jobPercent(job);
  return pct === null ? job.message : `${job.message} · ${pct}%`;
}
