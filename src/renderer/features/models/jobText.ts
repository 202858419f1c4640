/** A job in words: what it does, its status, and how far it has come ("fold 2 of 4 · 29%"). */
import type { JobView } from '../../../shared/contract';

export const JOB_STATUS_LABEL: Record<JobView['status'], string> = {
  running: 'Training',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What a job does, as its row and its Cancel button name it. */
export const JOB_KIND_LABEL: Record<JobView['kind'], string> = {
  train: 'Training',
  importance: 'Importance of',
};

/** The status badge: a running permutation importance is measuring, not training. */
export function jobStatusLabel(job: Pick<JobView, 'kind' | 'status'>): string {
  return job.status === 'running' && job.kind === 'importance' ? 'Measuring' : JOB_STATUS_LABEL[job.status];
}

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
