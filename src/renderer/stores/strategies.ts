/**
 * Strategies slice: the catalog of strategy types, the instances created
 * from it, which of the workspace's views is on screen (trading, strategies,
 * backtests, models, signals, reconciliation, analytics) and a draft that pre-fills the create form (an optimization's
 * trial turned into a strategy). Instances are upserted by id; a stale copy
 * (a snapshot answered late, an action's answer that lands after the event)
 * never overwrites a newer one.
 */
import type { StrategyCatalogEntry, StrategyInstance, StrategyParams } from '../../shared/contract';
import type { Timeframe } from '../../shared/domain';
import type { SliceCreator } from './store';

export type WorkspaceView = 'trade' | 'strategies' | 'backtests' | 'models' | 'signals' | 'reconciliation' | 'analytics' | 'pipeline' | 'monitor';

/** What the create form should start from; `seq` changes with every new draft so the form knows to take it. */
export interface StrategyDraft {
  seq: number;
  type: string;
  params: StrategyParams;
  venue: string | null;
  symbol: string | null;
  timeframe: Timeframe | null;
  name: string | null;
}

export type StrategyDraftInput = Omit<StrategyDraft, 'seq' | 'venue' | 'symbol' | 'timeframe' | 'name'> &
  Partial<Pick<StrategyDraft, 'venue' | 'symbol' | 'timeframe' | 'name'>>;

export interface StrategiesSlice {
  strategyCatalog: StrategyCatalogEntry[];
  /** Oldest first, so rows keep their place as instances change. */
  strategies: StrategyInstance[];
  /** True once strategies.list has answered; the table says "loading" before. */
  strategiesLoaded: boolean;
  /** Why the catalog or the list could not be loaded; null when they were. */
  strategiesError: string | null;
  workspaceView: WorkspaceView;
  /** The catalog entry whose page and create form are shown. */
  selectedStrategyType: string | null;
  strategyDraft: StrategyDraft | null;
  setStrategyCatalog(entries: StrategyCatalogEntry[]): void;
  /** A full list from the host: instances it no longer has are dropped. */
  setStrategies(list: StrategyInstance[]): void;
  upsertStrategies(list: StrategyInstance[]): void;
  removeStrategy(id: string): void;
  setStrategiesError(error: string | null): void;
  setWorkspaceView(view: WorkspaceView): void;
  selectStrategyType(type: string | null): void;
  /** Opens the strategies view with the create form filled from `draft`. */
  draftStrategy(draft: StrategyDraftInput): void;
}

function byCreated(a: StrategyInstance, b: StrategyInstance): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The newer of two copies of one instance; on a tie the incoming one, which was sent later. */
function newer(current: StrategyInstance | undefined, incoming: StrategyInstance): StrategyInstance {
  return current && current.updatedAt > incoming.updatedAt ? current : incoming;
}

export function mergeStrategies(current: StrategyInstance[], incoming: readonly StrategyInstance[]): StrategyInstance[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((s) => [s.id, s]));
  let changed = false;
  for (const s of incoming) {
    const prev = byId.get(s.id);
    const next = newer(prev, s);
    if (next !== prev) {
      byId.set(s.id, next);
      changed = true;
    }
  }
  return changed ? [...byId.values()].sort(byCreated) : current;
}

/** A snapshot replaces the list, except where we already hold a newer copy of an instance it names. */
export function replaceStrategies(current: StrategyInstance[], snapshot: readonly StrategyInstance[]): StrategyInstance[] {
  const byId = new Map(current.map((s) => [s.id, s]));
  return snapshot.map((s) => newer(byId.get(s.id), s)).sort(byCreated);
}

let draftSeq = 0;

export const createStrategiesSlice: SliceCreator<StrategiesSlice> = (set) => ({
  strategyCatalog: [],
  strategies: [],
  strategiesLoaded: false,
  strategiesError: null,
  workspaceView: 'trade',
  selectedStrategyType: null,
  strategyDraft: null,
  setStrategyCatalog: (strategyCatalog) =>
    set((s) => ({
      strategyCatalog,
      // Keep the trader's choice while it still exists and can be created; else the first usable entry.
      selectedStrategyType:
        s.selectedStrategyType && strategyCatalog.some((e) => e.type === s.selectedStrategyType)
          ? s.selectedStrategyType
          : (strategyCatalog.find((e) => e.error === null)?.type ?? null),
    })),
  setStrategies: (list) => set((s) => ({ strategies: replaceStrategies(s.strategies, list), strategiesLoaded: true })),
  upsertStrategies: (list) => set((s) => ({ strategies: mergeStrategies(s.strategies, list) })),
  removeStrategy: (id) => set((s) => ({ strategies: s.strategies.filter((x) => x.id !== id) })),
  setStrategiesError: (strategiesError) => set({ strategiesError }),
  setWorkspaceView: (workspaceView) => set({ workspaceView }),
  selectStrategyType: (selectedStrategyType) => set({ selectedStrategyType }),
  draftStrategy: (draft) =>
    set({
      workspaceView: 'strategies',
      selectedStrategyType: draft.type,
      strategyDraft: {
        seq: ++draftSeq,
        type: draft.type,
        params: draft.params,
        venue: draft.venue ?? null,
        symbol: draft.symbol ?? null,
        timeframe: draft.timeframe ?? null,
        name: draft.name ?? null,
      },
    }),
});
