/**
 * The machine-learning worker: training runs here, off the main thread, so
 * the engine, the screen and the emergency stop never wait for a model. Bars
 * arrive packed (over a SharedArrayBuffer when the caller shares them);
 * progress goes back as it trains; a cancel stops it between rounds.
 */
import type { ModelTarget } from '../../../shared/models';
import type { Handlers } from '../../workers/protocol';
import { serveWorker } from '../../workers/server';
import { unpackBars } from '../../workers/packedBars';
import { trainModel, type TrainOutcome } from '../training/trainModel';

export interface TrainJob {
  algorithm: 'gbdt' | 'random-forest';
  bars: Float64Array;
  target: ModelTarget;
  features?: string[];
  params?: Record<string, unknown>;
  folds?: number;
}

export interface TrainProgress {
  done: number;
  total: number;
  message: string;
}

export interface MlWorkerMethods {
  train: { params: TrainJob; result: TrainOutcome; progress: TrainProgress };
}

export function createMlHandlers(): Handlers<MlWorkerMethods> {
  return {
    train: (job, { signal, progress }) =>
      trainModel(
        { algorithm: job.algorithm, bars: unpackBars(job.bars), target: job.target, ...(job.features ? { features: job.features } : {}), ...(job.params ? { params: job.params } : {}), ...(job.folds ? { folds: job.folds } : {}) },
        { onProgress: (done, total, message) => progress({ done, total, message }), isCancelled: () => signal.aborted },
      ),
  };
}

serveWorker<MlWorkerMethods>(createMlHandlers());
