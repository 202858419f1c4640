/**
 * Training jobs: a model is trained in the ML worker pool on bars from a
 * dataset or a venue's history, its progress published as `jobs.progress`,
 * cancellable, and on success registered as a candidate version with its
 * metrics, feature importance and training log. A failed or cancelled job
 * says why and registers nothing. Jobs live as long as the process; the
 * models they make are in the journal.
 */
import type { BacktestData } from '../../../shared/contract/backtests';
import type { JobView, TrainModelParams } from '../../../shared/contract/ml';
import type { Bar } from '../../../shared/domain';
import { KeelError, errorText } from '../../../shared/errors';
import type { Logger } from '../../engine/ports/logger';
import type { WorkerPool } from '../../workers/pool';
import { packBars } from '../../workers/packedBars';
import { TREE_MODEL_FORMAT } from '../trees';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { MlWorkerMethods } from '../worker/mlWorker';

export interface TrainingServiceOptions {
  registry: ModelRegistry;
  /** Starts the worker pool, on the first job. */
  pool: () => Promise<WorkerPool<MlWorkerMethods>>;
  loadBars: (data: BacktestData) => Promise<{ symbol: string; bars: readonly Bar[] }>;
  publish: (topic: 'jobs.progress', payload: JobView) => void;
  now: () => number;
  newId: () => string;
  log: Logger;
}

interface Job {
  view: JobView;
  controller: AbortController;
  done: Promise<void>;
}

export class TrainingService {
  private readonly jobs = new Map<string, Job>();
  private pool: Promise<WorkerPool<MlWorkerMethods>> | null = null;

  constructor(private readonly options: TrainingServiceOptions) {}

  /** Starts training; answers the job id at once. */
  train(params: TrainModelParams): { jobId: string } {
    const id = this.options.newId();
    const view: JobView = { id, kind: 'train', name: params.name, status: 'running', done: 0, total: 1, message: 'loading data', startedAt: this.options.now(), finishedAt: null, modelId: null, error: null };
    const job: Job = { view, controller: new AbortController(), done: Promise.resolve() };
    this.jobs.set(id, job);
    this.publish(job);
    job.done = this.run(job, params);
    return { jobId: id };
  }

  list(): JobView[] {
    return [...this.jobs.values()].map((j) => ({ ...j.view })).sort((a, b) => b.startedAt - a.startedAt);
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new KeelError('NOT_FOUND', `There is no job ${id}.`, { id });
    if (job.view.status === 'running') job.controller.abort();
  }

  /** Resolves once the job has ended (at once for an unknown id). */
  async settled(id: string): Promise<void> {
    await this.jobs.get(id)?.done;
  }

  async stop(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
    const pool = await this.pool?.catch(() => null);
    await pool?.stop();
    this.pool = null;
  }

  private async run(job: Job, params: TrainModelParams): Promise<void> {
    try {
      const { bars } = await this.options.loadBars(params.data);
      if (job.controller.signal.aborted) throw new KeelError('INVALID_STATE', 'cancelled');
      this.pool ??= this.options.pool();
      const pool = await this.pool;
      const outcome = await pool.request(
        'train',
        { algorithm: params.algorithm, bars: packBars(bars, { shared: true }), target: params.target, ...(params.features ? { features: params.features } : {}), ...(params.params ? { params: params.params } : {}) },
        {
          signal: job.controller.signal,
          onProgress: (p) => {
            job.view = { ...job.view, done: p.done, total: p.total, message: p.message };
            this.publish(job);
          },
        },
      );
      const record = this.options.registry.register(
        {
          name: params.name,
          algorithm: params.algorithm,
          features: outcome.features,
          featuresHash: outcome.featuresHash,
          target: params.target,
          trainingWindow: outcome.trainingWindow,
          dataHash: outcome.dataHash,
          metrics: { ...outcome.summary, rows: outcome.rows, folds: outcome.folds, format: TREE_MODEL_FORMAT },
          featureImportance: outcome.featureImportance,
          trainingLog: outcome.log,
          errors: [],
          parentId: this.latestVersionId(params.name),
          maxAgeMs: params.maxAgeMs ?? null,
        },
        new TextEncoder().encode(outcome.modelJson),
      );
      job.view = { ...job.view, status: 'done', done: job.view.total, message: `registered ${record.name} v${record.version}`, finishedAt: this.options.now(), modelId: record.id };
    } catch (error) {
      const cancelled = job.controller.signal.aborted;
      job.view = { ...job.view, status: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'cancelled' : 'failed', finishedAt: this.options.now(), error: cancelled ? null : errorText(error) };
      if (!cancelled) this.options.log.warn(`[models] training ${params.name} failed: ${errorText(error)}`);
    }
    this.publish(job);
  }

  private latestVersionId(name: string): string | null {
    return this.options.registry.list().find((m) => m.name === name)?.id ?? null;
  }

  private publish(job: Job): void {
    this.options.publish('jobs.progress', { ...job.view });
  }
}
