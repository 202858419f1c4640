/**
 * Builds the pipeline around the running engine: the board (kept in the
 * journal), discovery on the backtest service, the facts a running card's
 * evidence is read from (analytics for its drawdown, the latest
 * reconciliation for open differences, the activity for risk refusals),
 * and the periodic refresh that makes automatic moves.
 */
import type { EventPayload } from '../../shared/contract';
import { errorText } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import type { Clock } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import type { StrategyDefinition } from '../engine/strategies/definition';
import type { PipelineStore } from './pipelineStore';
import { Discovery, type DiscoveryBacktests } from './discovery';
import { PipelineService, type ParityPort, type PipelineInstances, type PipelineTopic, type RunFacts } from './pipelineService';

/** Activity entries read when counting an instance's risk refusals. */
const ACTIVITY_READ = 5_000;
/** How often running cards' evidence is read again. */
export const PIPELINE_REFRESH_MS = 60_000;

export interface PipelineDeps {
  engine: Pick<Engine, 'latestReconciliation' | 'listActivity' | 'venueStatuses'>;
  store: PipelineStore;
  instances: PipelineInstances;
  catalog: { get(type: string): StrategyDefinition };
  backtests: DiscoveryBacktests;
  /** A strategy's own drawdown since a time, in percent. */
  drawdownPct: (strategyId: string, since: number) => Promise<number | null>;
  models?: { pin(ref: string): { id: string; name: string; version: number } };
  /** A dataset's name, so a discovery says what it searched in words. */
  datasetName?: (id: string) => string | undefined;
  parity?: ParityPort;
  publish<T extends PipelineTopic>(topic: T, payload: EventPayload<T>): void;
  clock: Clock;
  newId: (prefix: string) => string;
  log: Logger;
  refreshEveryMs?: number;
}

export interface InstalledPipeline {
  board: PipelineService;
  discovery: Discovery;
  dispose(): Promise<void>;
}

export function installPipeline(deps: PipelineDeps): InstalledPipeline {
  const definitions = {
    get: (type: string): StrategyDefinition | null => {
      try {
        return deps.catalog.get(type);
      } catch {
        return null;
      }
    },
  };
  const facts: RunFacts = {
    drawdownPct: deps.drawdownPct,
    openDifferences: (venue) => (deps.engine.latestReconciliation(venue)?.items ?? []).filter((item) => item.kind !== 'matched' && item.resolution === null).length,
    riskRefusals: (instanceId, since) => deps.engine.listActivity(ACTIVITY_READ).filter((entry) => entry.timestamp >= since && isDenialOf(entry.data, instanceId)).length,
  };
  const board = new PipelineService({
    store: deps.store,
    instances: deps.instances,
    definitions,
    venues: () => deps.engine.venueStatuses(),
    facts,
    ...(deps.parity ? { parity: deps.parity } : {}),
    publish: deps.publish,
    now: () => deps.clock.now(),
    newId: deps.newId,
    log: deps.log,
  });
  const discovery = new Discovery({
    backtests: deps.backtests,
    definitions,
    pipeline: board,
    ...(deps.models ? { models: deps.models } : {}),
    ...(deps.datasetName ? { datasetName: deps.datasetName } : {}),
    clock: deps.clock,
    newId: () => deps.newId('disc'),
    newScheduleId: () => deps.newId('sched'),
    log: deps.log,
  });
  // The schedules kept in the journal run on again; the discoveries Keel stopped during end failed.
  discovery.restore();
  const timer = deps.clock.every(deps.refreshEveryMs ?? PIPELINE_REFRESH_MS, () => {
    board.refresh().catch((error: unknown) => deps.log.warn(`[pipeline] refreshing the board failed: ${errorText(error)}`));
  });
  return {
    board,
    discovery,
    dispose: async () => {
      timer.cancel();
      await discovery.stop();
    },
  };
}

/** A risk refusal's activity entry carries the source of the refused order. */
function isDenialOf(data: unknown, instanceId: string): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const fields = data as { source?: unknown; sourceId?: unknown; code?: unknown };
  return fields.source === 'strategy' && fields.sourceId === instanceId && typeof fields.code === 'string';
}
