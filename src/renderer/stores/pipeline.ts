/**
 * Pipeline slice: the board as the host last published it (cards, moves,
 * discoveries), the gate settings, and the last error of a pipeline call.
 * A discovery's progress arrives on its own topic and is folded into the
 * board's list of discoveries.
 */
import type { DiscoveryProgress, GateSettings, PipelineList } from '../../shared/contract';
import type { SliceCreator } from './store';

export interface PipelineSlice {
  pipeline: PipelineList | null;
  pipelineGates: GateSettings | null;
  pipelineError: string | null;
  setPipeline(list: PipelineList): void;
  setPipelineGates(settings: GateSettings): void;
  setPipelineError(error: string | null): void;
}

/** The board with one discovery's newest progress in place of its older one (newest discoveries first). */
export function foldDiscovery(list: PipelineList | null, progress: DiscoveryProgress): PipelineList {
  const board = list ?? { cards: [], moves: [], discoveries: [], schedules: [] };
  return { ...board, discoveries: [progress, ...board.discoveries.filter((d) => d.jobId !== progress.jobId)] };
}

export const createPipelineSlice: SliceCreator<PipelineSlice> = (set) => ({
  pipeline: null,
  pipelineGates: null,
  pipelineError: null,
  setPipeline: (pipeline) => set({ pipeline }),
  setPipelineGates: (pipelineGates) => set({ pipelineGates }),
  setPipelineError: (pipelineError) => set({ pipelineError }),
});
