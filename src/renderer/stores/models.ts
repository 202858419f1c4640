/**
 * Models slice: the registry's model versions, the training jobs with their
 * live progress (from `jobs.progress`), the version on screen, the two
 * versions ticked for comparison, and the job whose model the trader is
 * waiting for (shown once it is registered). A job only moves forward
 * (running, then done, failed or cancelled), so a late copy never takes it
 * back.
 */
import type { JobView } from '../../shared/contract';
import type { ModelRecord } from '../../shared/models';
import type { SliceCreator } from './store';

export type JobStatus = JobView['status'];

/** How many versions can be compared side by side. */
export const MAX_COMPARED_MODELS = 2;

export interface ModelsSlice {
  /** As the registry lists them. */
  models: ModelRecord[];
  /** Newest first. */
  jobs: JobView[];
  modelsLoaded: boolean;
  modelsError: string | null;
  selectedModel: string | null;
  /** Versions ticked for comparison, oldest tick first; at most MAX_COMPARED_MODELS. */
  compareModels: string[];
  /** A job started from this window: its model is shown once registered. */
  followedJob: string | null;
  setModels(list: ModelRecord[]): void;
  upsertModel(model: ModelRecord): void;
  removeModel(id: string): void;
  setJobs(list: JobView[]): void;
  upsertJobs(list: readonly JobView[]): void;
  setModelsError(error: string | null): void;
  selectModel(id: string | null): void;
  toggleModelCompare(id: string): void;
  clearModelCompare(): void;
  followJob(id: string | null): void;
}

export function isJobFinished(status: JobStatus): boolean {
  return status !== 'running';
}

function fraction(job: JobView): number {
  return job.total > 0 ? job.done / job.total : 0;
}

/** Whether `incoming` may replace `current` (the same job): never from finished back to running, nor backwards in progress. */
export function isNewerJob(current: JobView, incoming: JobView): boolean {
  if (isJobFinished(current.status)) return isJobFinished(incoming.status);
  if (isJobFinished(incoming.status)) return true;
  return fraction(incoming) >= fraction(current);
}

function byStartedDesc(a: JobView, b: JobView): number {
  return b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function mergeJobs(current: JobView[], incoming: readonly JobView[]): JobView[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((j) => [j.id, j]));
  let changed = false;
  for (const job of incoming) {
    const prev = byId.get(job.id);
    if (prev && (prev === job || !isNewerJob(prev, job))) continue;
    byId.set(job.id, job);
    changed = true;
  }
  return changed ? [...byId.values()].sort(byStartedDesc) : current;
}

/** A snapshot replaces the list, except where we already hold a later copy of a job it names. */
export function replaceJobs(current: readonly JobView[], snapshot: readonly JobView[]): JobView[] {
  const byId = new Map(current.map((j) => [j.id, j]));
  return snapshot.map((j) => {
    const prev = byId.get(j.id);
    return prev && !isNewerJob(prev, j) ? prev : j;
  }).sort(byStartedDesc);
}

/** Jobs that registered a model between two lists (finished as done since `before`). */
export function newlyTrained(before: readonly JobView[], now: readonly JobView[]): JobView[] {
  const was = new Map(before.map((j) => [j.id, j.status]));
  return now.filter((j) => j.status === 'done' && j.modelId !== null && was.get(j.id) !== 'done');
}

/** Ticks or unticks a version; a tick beyond the limit lets go of the oldest one. */
export function toggleCompared(list: readonly string[], id: string, max = MAX_COMPARED_MODELS): string[] {
  if (list.includes(id)) return list.filter((x) => x !== id);
  return [...list, id].slice(-max);
}

export const createModelsSlice: SliceCreator<ModelsSlice> = (set) => ({
  models: [],
  jobs: [],
  modelsLoaded: false,
  modelsError: null,
  selectedModel: null,
  compareModels: [],
  followedJob: null,
  setModels: (models) =>
    set((s) => {
      const ids = new Set(models.map((m) => m.id));
      return {
        models,
        modelsLoaded: true,
        selectedModel: s.selectedModel !== null && ids.has(s.selectedModel) ? s.selectedModel : null,
        compareModels: s.compareModels.filter((id) => ids.has(id)),
      };
    }),
  upsertModel: (model) =>
    set((s) => ({
      models: s.models.some((m) => m.id === model.id) ? s.models.map((m) => (m.id === model.id ? model : m)) : [model, ...s.models],
    })),
  removeModel: (id) =>
    set((s) => ({
      models: s.models.filter((m) => m.id !== id),
      selectedModel: s.selectedModel === id ? null : s.selectedModel,
      compareModels: s.compareModels.filter((x) => x !== id),
    })),
  setJobs: (list) => set((s) => ({ jobs: replaceJobs(s.jobs, list) })),
  upsertJobs: (list) => set((s) => ({ jobs: mergeJobs(s.jobs, list) })),
  setModelsError: (modelsError) => set({ modelsError }),
  selectModel: (selectedModel) => set({ selectedModel }),
  toggleModelCompare: (id) => set((s) => ({ compareModels: toggleCompared(s.compareModels, id) })),
  clearModelCompare: () => set({ compareModels: [] }),
  followJob: (followedJob) => set({ followedJob }),
});
