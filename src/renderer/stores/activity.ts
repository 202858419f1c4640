/** Activity slice: the engine's human-readable log, newest first, each entry once. */
import type { Activity } from '../../shared/domain';
import type { SliceCreator } from './store';

export const MAX_ACTIVITY = 5_000;

export interface ActivitySlice {
  activity: Activity[];
  mergeActivity(list: Activity[]): void;
}

export function mergeActivity(current: Activity[], incoming: readonly Activity[]): Activity[] {
  if (incoming.length === 0) return current;
  const seen = new Set(current.map((a) => a.id));
  const fresh = incoming.filter((a) => {
    if (seen.has(a.id)) return false;
    seen.add(a.id);
    return true;
  });
  if (fresh.length === 0) return current;
  const next = [...fresh, ...current];
  next.sort((a, b) => b.id - a.id);
  return next.length > MAX_ACTIVITY ? next.slice(0, MAX_ACTIVITY) : next;
}

export const createActivitySlice: SliceCreator<ActivitySlice> = (set) => ({
  activity: [],
  mergeActivity: (list) => set((s) => ({ activity: mergeActivity(s.activity, list) })),
});
