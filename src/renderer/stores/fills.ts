/** Fills slice: every fill, newest first, each once (keyed by trade id, like the engine). */
import type { Fill } from '../../shared/domain';
import type { SliceCreator } from './store';

/** Enough history for a session; older fills stay in the journal. */
export const MAX_FILLS = 10_000;

export interface FillsSlice {
  fills: Fill[];
  mergeFills(list: Fill[]): void;
}

export function mergeFills(current: Fill[], incoming: readonly Fill[]): Fill[] {
  if (incoming.length === 0) return current;
  const seen = new Set(current.map((f) => f.tradeId));
  const fresh = incoming.filter((f) => {
    if (seen.has(f.tradeId)) return false;
    seen.add(f.tradeId);
    return true;
  });
  if (fresh.length === 0) return current;
  const next = [...fresh, ...current];
  next.sort((a, b) => b.timestamp - a.timestamp);
  return next.length > MAX_FILLS ? next.slice(0, MAX_FILLS) : next;
}

export const createFillsSlice: SliceCreator<FillsSlice> = (set) => ({
  fills: [],
  mergeFills: (list) => set((s) => ({ fills: mergeFills(s.fills, list) })),
});
