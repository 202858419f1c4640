/**
 * The live composition of model scoring: versions looked up in the model
 * registry on every score (an activation or a retirement takes effect at
 * the next bar; age is checked against the live clock), rows scored in a
 * worker pool of the ML worker of its own (one worker by default), so a
 * long training in the training pool never delays a decision.
 */
import type { Logger } from '../../engine/ports/logger';
import { locateWorker } from '../../workers/locate';
import { WorkerPool } from '../../workers/pool';
import { errorText } from '../../../shared/errors';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { SignalSink } from '../signals/signalSink';
import type { MlWorkerMethods } from '../worker/mlWorker';
import { ModelScoring } from './modelScoring';
import { RegistryModelSource } from './modelVersions';
import { WorkerRowScorer } from './rowScorers';
import type { ScoringObserver } from './scoringObserver';

export interface LiveModelScoringOptions {
  registry: Pick<ModelRegistry, 'list' | 'bytes'>;
  sink: SignalSink;
  observer?: ScoringObserver;
  /** The engine's clock: a model's age is measured against it. */
  now: () => number;
  /** Starts the scoring pool on the first score. Default: `startScoringPool()`. */
  pool?: () => Promise<WorkerPool<MlWorkerMethods>>;
  /** How long one scoring may take, queue included, before its bar goes without a decision. */
  timeoutMs?: number;
  log?: Logger;
}

/** The scoring pool: ML workers apart from training's; a worker that crashes is replaced, and said so in the log. */
export function startScoringPool(options: { size?: number; log?: Logger } = {}): Promise<WorkerPool<MlWorkerMethods>> {
  return WorkerPool.start<MlWorkerMethods>(locateWorker('mlWorker'), {
    name: 'ml-scoring',
    size: options.size ?? 1,
    ...(options.log ? { onCrash: (error) => options.log?.warn(`[models] a scoring worker crashed and was replaced: ${errorText(error)}`) } : {}),
  });
}

export function createLiveModelScoring(options: LiveModelScoringOptions): ModelScoring {
  const start = options.pool ?? (() => startScoringPool(options.log ? { log: options.log } : {}));
  return new ModelScoring({
    source: new RegistryModelSource(options.registry, options.now),
    scorer: new WorkerRowScorer(start, options.timeoutMs),
    sink: options.sink,
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
