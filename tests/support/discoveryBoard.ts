/**
 * A pipeline board and a Discovery over a real backtest service, for the
 * discovery journeys: the board publishes each discovery progress report
 * into `progress`, and never starts an instance (discovery does not).
 */
import type { SimulatedClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { BUILTIN_STRATEGIES } from '../../src/main/engine/strategies/catalog';
import { Discovery, type DiscoveryOptions } from '../../src/main/pipeline/discovery';
import { MemoryPipelineStore } from '../../src/main/pipeline/pipelineStore';
import { PipelineService, type PipelineInstances } from '../../src/main/pipeline/pipelineService';
import type { DiscoveryProgress } from '../../src/shared/contract/pipeline';
import { KeelError } from '../../src/shared/errors';

/** Instances for a board that never starts one: every call is refused. */
export const noInstances: PipelineInstances = {
  create: () => {
    throw new KeelError('INVALID_STATE', 'not in this test');
  },
  start: () => Promise.reject(new KeelError('INVALID_STATE', 'not in this test')),
  stop: () => Promise.reject(new KeelError('INVALID_STATE', 'not in this test')),
  get: () => {
    throw new KeelError('NOT_FOUND', 'not in this test');
  },
  delete: () => undefined,
};

export function discoveryBoard(options: {
  backtests: DiscoveryOptions['backtests'];
  clock: SimulatedClock;
  models?: DiscoveryOptions['models'];
  datasetName?: DiscoveryOptions['datasetName'];
}) {
  const { backtests, clock, models, datasetName } = options;
  const store = new MemoryPipelineStore();
  const progress: DiscoveryProgress[] = [];
  let ids = 0;
  const definitions = { get: (type: string) => BUILTIN_STRATEGIES.find((d) => d.type === type) };
  const board = new PipelineService({
    store,
    instances: noInstances,
    definitions,
    venues: () => [],
    facts: { drawdownPct: () => Promise.resolve(null), openDifferences: () => 0, riskRefusals: () => 0 },
    publish: (topic, payload) => {
      if (topic === 'pipeline.discovery') progress.push(payload as DiscoveryProgress);
    },
    now: () => clock.now(),
    newId: (prefix) => `${prefix}-${++ids}`,
    log: silentLogger,
  });
  const discovery = new Discovery({ backtests, definitions, pipeline: board, ...(models ? { models } : {}), ...(datasetName ? { datasetName } : {}), clock, newId: () => `disc-${++ids}`, newScheduleId: () => `sched-${++ids}`, log: silentLogger });
  return { board, store, progress, discovery };
}

/** The job's last report once it is no longer running; fails after `waitMs`. */
export async function discoveryFinished(progress: readonly DiscoveryProgress[], jobId: string, waitMs = 60_000): Promise<DiscoveryProgress> {
  for (let waited = 0; waited < waitMs; waited += 50) {
    const last = progress.filter((p) => p.jobId === jobId).at(-1);
    if (last && last.status !== 'running') return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the discovery did not finish');
}
