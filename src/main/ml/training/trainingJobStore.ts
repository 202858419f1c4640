/**
 * Where training jobs are kept, so the list of jobs outlives a restart. A
 * store keeps each job as last saved and drops the oldest finished ones past
 * its bound; the rules (what a job that was running at a restart becomes)
 * live in TrainingService. Every store passes
 * tests/support/trainingJobStoreConformance.ts.
 */
import type { JobView } from '../../../shared/contract/ml';

/** Jobs kept by default: the newest, running ones always included. */
export const DEFAULT_JOBS_KEPT = 200;

export interface TrainingJobStore {
  /** Saves a job as it is now (a new one, or a later state of one saved before), then drops the oldest finished jobs past the bound. */
  save(job: JobView): void;
  /** The jobs kept, newest started first; of jobs started at the same time, the one first saved last comes first. */
  list(): JobView[];
}
