/**
 * Models through the ML worker: imports of ONNX models (checked there, so a
 * native crash cannot take the engine down), batch predictions, and training
 * jobs. A model is trained in the ML worker pool on bars from a
 * dataset or a venue's history, its progress published as `jobs.progress`,
 * cancellable, and on success registered as a candidate version with its
 * metrics, feature importance and training log. A failed or cancelled job
 * says why and registers nothing. A training may be limited to a date
 * range; a range too short for the folds is refused before a job starts.
 * Jobs are kept in a job store (the journal), so the list outlives a
 * restart; a job that was running when Keel stopped comes back failed, as
 * a worker's work cannot be resumed. A version keeps the data source it
 * was trained on and its features' training reference in its training
 * parameters, so it can be retrained and its drift measured. The
 * permutation importance of an imported model is a job of the same list:
 * measured in the worker, kept with the version when done.
 */
import type { BacktestData } from '../../../shared/contract/backtests';
import { z } from 'zod';
import type { ImportanceParams, ImportModelParams, JobView, PredictBatchResult, TrainModelParams } from '../../../shared/contract/ml';
import type { ModelRecord } from '../../../shared/models';
import { FEATURES_WARMUP, featuresHash } from '../features/featureSet';
import { MIN_IMPORTANCE_ROWS, pipelineProblem } from '../importance/importanceRows';
import type { GoldenRow } from '../onnx';
import { predictBatchCsv } from '../scoring/batchPrediction';
import type { Bar } from '../../../shared/domain';
import { KeelError, errorText } from '../../../shared/errors';
import type { Logger } from '../../engine/ports/logger';
import type { WorkerPool } from '../../workers/pool';
import { packBars } from '../../workers/packedBars';
import { forestParamsSchema, gbdtParamsSchema } from '../trees';
import { parseParams } from '../trees/params';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { ImportanceJob, MlWorkerMethods } from '../worker/mlWorker';
import type { TrainingJobStore } from './trainingJobStore';
import { barsInRange, checkTrainingRange, requireTrainingBars } from './trainingRange';
import { REFERENCE_KEY } from '../drift/featureReference';

/** Where a version keeps the data source it was trained on, in its training parameters. */
export const DATA_KEY = 'data';

/** Where an imported version keeps the golden rows it was checked with, in its training parameters. */
export const GOLDEN_ROWS_KEY = 'goldenRows';

export const DEFAULT_IMPORTANCE_REPEATS = 5;
export const DEFAULT_IMPORTANCE_SEED = 1;

const goldenRowsSchema = z.array(z.object({ input: z.array(z.number()), expected: z.array(z.number()) }));

/** The golden rows an imported version kept (none for an import from before they were kept). */
export function goldenRowsOf(record: ModelRecord): GoldenRow[] {
  const parsed = goldenRowsSchema.safeParse(record.trainingParams[GOLDEN_ROWS_KEY]);
  return parsed.success ? parsed.data : [];
}

/** What a job that was running when Keel stopped says, after the restart. */
export const STOPPED_WHILE_RUNNING = 'Keel stopped while it was running';

export interface TrainingServiceOptions {
  registry: ModelRegistry;
  /** Starts the worker pool, on the first job. */
  pool: () => Promise<WorkerPool<MlWorkerMethods>>;
  loadBars: (data: BacktestData) => Promise<{ symbol: string; bars: readonly Bar[] }>;
  /** Where jobs are kept across restarts. */
  jobs: TrainingJobStore;
  publish: (topic: 'jobs.progress', payload: JobView) => void;
  /** Told when the registry changed (a version registered by a job or an import). */
  onModelsChanged?: () => void;
  now: () => number;
  newId: () => string;
  log: Logger;
}

/** How a retrain differs from a training asked for from the form. */
export interface TrainOptions {
  /** The version this one is trained after; by default the newest version of the name. */
  parentId?: string;
  /** Train on the last this-many milliseconds of the data only (ending at its last bar), before any date range. */
  lastMs?: number;
}

interface Job {
  view: JobView;
  controller: AbortController;
  done: Promise<void>;
}

export class TrainingService {
  /** Jobs still running in this process, with their live progress. */
  private readonly live = new Map<string, Job>();
  private pool: Promise<WorkerPool<MlWorkerMethods>> | null = null;
  private stopping = false;

  constructor(private readonly options: TrainingServiceOptions) {
    // A job the store still has as running was cut off by a stop or a crash: its worker is gone.
    for (const job of options.jobs.list()) {
      if (job.status !== 'running') continue;
      options.jobs.save({ ...job, status: 'failed', message: 'failed', finishedAt: options.now(), error: STOPPED_WHILE_RUNNING });
    }
  }

  /**
   * Loads the bars, then starts training and answers the job id. Refused at
   * once, starting nothing: bad tree parameters, an empty range, too few
   * bars in the range for the folds.
   */
  async train(params: TrainModelParams, options: TrainOptions = {}): Promise<{ jobId: string }> {
    this.treeParams(params);
    const range = { from: params.from, to: params.to };
    checkTrainingRange(range);
    const loaded = (await this.options.loadBars(params.data)).bars;
    const bars = barsInRange(options.lastMs === undefined ? loaded : lastWindow(loaded, options.lastMs), range);
    requireTrainingBars(bars.length, range, params.target.horizon);
    // Keel may have begun stopping while the bars loaded: a job started now would outlive the workers.
    if (this.stopping) throw new KeelError('INVALID_STATE', 'Keel is stopping; no training is started.');
    return { jobId: this.launch('train', params.name, (job) => this.trainIn(job, params, bars, options)) };
  }

  /**
   * Starts a permutation importance of an imported model in the ML worker and answers the job id; the
   * version keeps the result when it is done. Refused at once, starting nothing: a version trained here
   * (its importance is the trees' gain), one that answers a value, bars its features cannot be made from
   * or too few of them, an import that kept no golden rows when none are given.
   */
  async importance(params: ImportanceParams): Promise<{ jobId: string }> {
    const record = this.options.registry.get(params.id);
    const name = `${record.name} v${record.version}`;
    if (record.algorithm !== 'onnx') throw new KeelError('VALIDATION_FAILED', `${name} was trained here: its importance is the trees' gain. Permutation importance is measured for imported models.`, { id: record.id });
    if (record.metrics.outputKind === 'value') throw new KeelError('VALIDATION_FAILED', `${name} answers one value, not class probabilities: permutation importance here measures a classifier.`, { id: record.id });
    let source: ImportanceJob['source'];
    if (params.data) {
      const problem = pipelineProblem(record.features);
      if (problem) throw new KeelError('VALIDATION_FAILED', `${name} cannot be measured on bars: ${problem}.`, { id: record.id });
      if (record.target.kind !== 'direction') throw new KeelError('VALIDATION_FAILED', `${name} predicts a return: it is measured on bars against a direction target only.`, { id: record.id });
      const range = { from: params.from, to: params.to };
      checkTrainingRange(range);
      const bars = barsInRange((await this.options.loadBars(params.data)).bars, range);
      const needed = FEATURES_WARMUP - 1 + record.target.horizon + MIN_IMPORTANCE_ROWS;
      if (bars.length < needed) {
        throw new KeelError('VALIDATION_FAILED', `Too few bars to measure on: ${bars.length} in the range; at least ${needed} are needed (the features' warm-up of ${FEATURES_WARMUP}, the target's horizon of ${record.target.horizon}).`, { bars: bars.length, needed });
      }
      source = { bars: packBars(bars, { shared: true }), target: record.target };
    } else {
      const golden = goldenRowsOf(record);
      if (golden.length < MIN_IMPORTANCE_ROWS) {
        throw new KeelError('VALIDATION_FAILED', `${name} kept ${golden.length} golden row${golden.length === 1 ? '' : 's'} from its import; choose bars to measure it on.`, { id: record.id, rows: golden.length });
      }
      source = { goldenRows: golden };
    }
    if (this.stopping) throw new KeelError('INVALID_STATE', 'Keel is stopping; no job is started.');
    const metric = params.metric ?? 'logLoss';
    const repeats = params.repeats ?? DEFAULT_IMPORTANCE_REPEATS;
    const seed = params.seed ?? DEFAULT_IMPORTANCE_SEED;
    const jobId = this.launch('importance', name, async (job) => {
      const pool = await this.workers();
      if (job.controller.signal.aborted) throw new KeelError('INVALID_STATE', 'cancelled');
      const outcome = await pool.request(
        'permutationImportance',
        { bytes: this.options.registry.bytes(record.id), features: [...record.features], source, metric, seed, repeats },
        { signal: job.controller.signal, onProgress: (p) => this.progress(job, p.done, p.total, `feature ${p.done} of ${p.total}`) },
      );
      this.options.registry.recordImportance(record.id, {
        kind: 'permutation',
        metric: outcome.metric,
        baseline: outcome.baseline,
        repeats,
        seed,
        rows: outcome.rows,
        source: params.data ? 'bars' : 'golden-rows',
        data: params.data ?? null,
        from: outcome.from,
        to: outcome.to,
        features: outcome.features,
        computedAt: this.options.now(),
      });
      return { modelId: record.id, message: `importance of ${name} measured on ${outcome.rows} rows` };
    });
    return { jobId };
  }

  /** Lists a training that could not even start (a scheduled retrain with nothing to retrain) as a failed job, so it is seen. */
  reportFailed(name: string, error: string): JobView {
    const now = this.options.now();
    const view: JobView = { id: this.options.newId(), kind: 'train', name, status: 'failed', done: 0, total: 1, message: 'failed', startedAt: now, finishedAt: now, modelId: null, error };
    this.finish({ view, controller: new AbortController(), done: Promise.resolve() });
    this.options.publish('jobs.progress', { ...view });
    return { ...view };
  }

  /** The jobs kept, newest first; a running one with its progress. */
  list(): JobView[] {
    const stored = this.options.jobs.list().map((j) => ({ ...(this.live.get(j.id)?.view ?? j) }));
    const unsaved = [...this.live.values()].filter((j) => !stored.some((s) => s.id === j.view.id)).map((j) => ({ ...j.view }));
    return unsaved.length === 0 ? stored : [...stored, ...unsaved].sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Stops a running job; a finished one is left as it is. */
  cancel(id: string): void {
    const job = this.live.get(id);
    if (job) {
      if (job.view.status === 'running') job.controller.abort();
      return;
    }
    if (!this.options.jobs.list().some((j) => j.id === id)) throw new KeelError('NOT_FOUND', `There is no job ${id}.`, { id });
  }

  /** Resolves once the job has ended (at once for an unknown or finished id). */
  async settled(id: string): Promise<void> {
    await this.live.get(id)?.done;
  }

  /** Ends every running job (each is kept as failed: Keel stopped while it was running), then stops the workers. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const job of this.live.values()) job.controller.abort();
    await Promise.all([...this.live.values()].map((j) => j.done));
    const pool = await this.pool?.catch(() => null);
    await pool?.stop();
    this.pool = null;
  }

  /** Starts a job of `kind`: kept and published at once, `work` run in the background. */
  private launch(kind: JobView['kind'], name: string, work: (job: Job) => Promise<{ modelId: string; message: string }>): string {
    const id = this.options.newId();
    const view: JobView = { id, kind, name, status: 'running', done: 0, total: 1, message: 'starting', startedAt: this.options.now(), finishedAt: null, modelId: null, error: null };
    this.options.jobs.save(view);
    const job: Job = { view, controller: new AbortController(), done: Promise.resolve() };
    this.live.set(id, job);
    this.publish(job);
    job.done = this.execute(job, work);
    return id;
  }

  private async execute(job: Job, work: (job: Job) => Promise<{ modelId: string; message: string }>): Promise<void> {
    try {
      const { modelId, message } = await work(job);
      job.view = { ...job.view, status: 'done', done: job.view.total, message, finishedAt: this.options.now(), modelId };
      this.options.onModelsChanged?.();
    } catch (error) {
      const aborted = job.controller.signal.aborted;
      const finishedAt = this.options.now();
      if (aborted && this.stopping) job.view = { ...job.view, status: 'failed', message: 'failed', finishedAt, error: STOPPED_WHILE_RUNNING };
      else if (aborted) job.view = { ...job.view, status: 'cancelled', message: 'cancelled', finishedAt, error: null };
      else job.view = { ...job.view, status: 'failed', message: 'failed', finishedAt, error: errorText(error) };
      if (!aborted) this.options.log.warn(`[models] ${job.view.kind === 'train' ? 'training' : 'importance of'} ${job.view.name} failed: ${errorText(error)}`);
    }
    this.finish(job);
    this.publish(job);
  }

  private progress(job: Job, done: number, total: number, message: string): void {
    job.view = { ...job.view, done, total, message };
    this.publish(job);
  }

  private async trainIn(job: Job, params: TrainModelParams, bars: readonly Bar[], options: TrainOptions): Promise<{ modelId: string; message: string }> {
    const pool = await this.workers();
    if (job.controller.signal.aborted) throw new KeelError('INVALID_STATE', 'cancelled');
    const outcome = await pool.request(
      'train',
      { algorithm: params.algorithm, bars: packBars(bars, { shared: true }), target: params.target, ...(params.features ? { features: params.features } : {}), ...(params.params ? { params: params.params } : {}) },
      { signal: job.controller.signal, onProgress: (p) => this.progress(job, p.done, p.total, p.message) },
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
        metrics: outcome.metrics,
        trainingParams: {
          ...this.treeParams(params),
          folds: outcome.metrics.folds.length,
          features: outcome.features.length,
          [DATA_KEY]: params.data,
          [REFERENCE_KEY]: outcome.reference,
        },
        featureImportance: outcome.featureImportance,
        trainingLog: outcome.log,
        errors: [],
        parentId: options.parentId ?? this.latestVersionId(params.name),
        maxAgeMs: params.maxAgeMs ?? null,
      },
      new TextEncoder().encode(outcome.modelJson),
    );
    return { modelId: record.id, message: `registered ${record.name} v${record.version}` };
  }

  /** Keeps a finished job; if the store cannot take it, the process keeps it for as long as it runs. */
  private finish(job: Job): void {
    try {
      this.options.jobs.save(job.view);
      this.live.delete(job.view.id);
    } catch (error) {
      this.options.log.error(`[models] training job ${job.view.id} could not be kept: ${errorText(error)}`);
    }
  }

  /** Checks an ONNX model in the worker and registers it as a candidate. */
  async importOnnx(params: ImportModelParams): Promise<ModelRecord> {
    const bytes = Uint8Array.from(Buffer.from(params.onnxBase64, 'base64'));
    let checked;
    try {
      checked = await (await this.workers()).request('importOnnx', { bytes, features: params.features, ...(params.goldenRows ? { goldenRows: params.goldenRows } : {}) });
    } catch (error) {
      throw new KeelError('VALIDATION_FAILED', `The model was refused: ${errorText(error)}`);
    }
    return this.options.registry.register(
      {
        name: params.name,
        algorithm: 'onnx',
        features: checked.features,
        featuresHash: featuresHash(checked.features),
        target: params.target ?? { kind: 'direction', horizon: 1, threshold: 0 },
        trainingWindow: null,
        dataHash: null,
        metrics: { outputKind: checked.outputKind, outputs: checked.width, goldenRows: params.goldenRows?.length ?? 0 },
        // The golden rows are kept: a permutation importance is measured on them when no bars are chosen.
        trainingParams: params.goldenRows ? { [GOLDEN_ROWS_KEY]: params.goldenRows } : {},
        featureImportance: [],
        trainingLog: [`imported${checked.producer ? ` from ${checked.producer}` : ''}; ${params.goldenRows?.length ?? 0} golden row(s) matched`, ...checked.warnings],
        errors: [],
        parentId: this.latestVersionId(params.name),
        maxAgeMs: params.maxAgeMs ?? null,
      },
      bytes,
    );
  }

  /**
   * Scores a CSV with a stored model in the ML worker: bars (one row per bar
   * past the feature pipeline's warm-up) or rows of the model's features.
   */
  async predictBatch(id: string, csv: string): Promise<PredictBatchResult> {
    const record = this.options.registry.get(id);
    return predictBatchCsv(record, this.options.registry.bytes(id), csv, {
      bars: async (model, bars) => (await this.workers()).request('scoreBars', { model, bars: packBars(bars) }),
      features: async (model, rows, count) => (await this.workers()).request('scoreFeatures', { model, rows, count }),
    });
  }

  /** The tree parameters a training will use, defaults filled in, with the objective its target implies. */
  private treeParams(params: TrainModelParams): Record<string, unknown> {
    const classes = params.target.kind === 'direction' ? { numClasses: 3 } : {};
    if (params.algorithm === 'gbdt') {
      return parseParams(gbdtParamsSchema, { ...params.params, objective: params.target.kind === 'direction' ? 'multiclass' : 'regression', ...classes }, 'boosting parameters');
    }
    return parseParams(forestParamsSchema, { ...params.params, task: params.target.kind === 'direction' ? 'classification' : 'regression', ...classes }, 'forest parameters');
  }

  private workers(): Promise<WorkerPool<MlWorkerMethods>> {
    this.pool ??= this.options.pool();
    return this.pool;
  }

  private latestVersionId(name: string): string | null {
    return this.options.registry.list().find((m) => m.name === name)?.id ?? null;
  }

  private publish(job: Job): void {
    this.options.publish('jobs.progress', { ...job.view });
  }
}

function lastWindow(bars: readonly Bar[], ms: number): readonly Bar[] {
  const end = bars.at(-1)?.time;
  return end === undefined ? bars : bars.filter((b) => b.time >= end - ms);
}
