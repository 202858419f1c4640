/**
 * Models through the ML worker: imports of ONNX models (checked there, so a
 * native crash cannot take the engine down), batch predictions, and training
 * jobs. A model is trained in the ML worker pool on bars from a
 * dataset or a venue's history, its progress published as `jobs.progress`,
 * cancellable, and on success registered as a candidate version with its
 * metrics, feature importance and training log. A failed or cancelled job
 * says why and registers nothing. Jobs live as long as the process; the
 * models they make are in the journal. A version keeps the data source it
 * was trained on and its features' training reference in its training
 * parameters, so it can be retrained and its drift measured.
 */
import type { BacktestData } from '../../../shared/contract/backtests';
import type { ImportModelParams, JobView, PredictBatchResult, TrainModelParams } from '../../../shared/contract/ml';
import type { ModelRecord } from '../../../shared/models';
import { parseOhlcvCsv } from '../../backtest/datasets/ohlcvCsv';
import { featuresHash } from '../features/featureSet';
import type { StoredModel } from '../scoring/scoreBars';
import type { Bar } from '../../../shared/domain';
import { KeelError, errorText } from '../../../shared/errors';
import type { Logger } from '../../engine/ports/logger';
import type { WorkerPool } from '../../workers/pool';
import { packBars } from '../../workers/packedBars';
import { forestParamsSchema, gbdtParamsSchema, TREE_MODEL_FORMAT } from '../trees';
import { parseParams } from '../trees/params';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { MlWorkerMethods } from '../worker/mlWorker';
import { REFERENCE_KEY } from '../drift/featureReference';

/** Where a version keeps the data source it was trained on, in its training parameters. */
export const DATA_KEY = 'data';

export interface TrainingServiceOptions {
  registry: ModelRegistry;
  /** Starts the worker pool, on the first job. */
  pool: () => Promise<WorkerPool<MlWorkerMethods>>;
  loadBars: (data: BacktestData) => Promise<{ symbol: string; bars: readonly Bar[] }>;
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
  /** Train on the last this-many milliseconds of the data only (ending at its last bar). */
  lastMs?: number;
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

  /** Starts training; answers the job id at once. Tree parameters are checked first: a bad value is refused, not a failed job. */
  train(params: TrainModelParams, options: TrainOptions = {}): { jobId: string } {
    this.treeParams(params);
    const id = this.options.newId();
    const view: JobView = { id, kind: 'train', name: params.name, status: 'running', done: 0, total: 1, message: 'loading data', startedAt: this.options.now(), finishedAt: null, modelId: null, error: null };
    const job: Job = { view, controller: new AbortController(), done: Promise.resolve() };
    this.jobs.set(id, job);
    this.publish(job);
    job.done = this.run(job, params, options);
    return { jobId: id };
  }

  /** Lists a training that could not even start (a scheduled retrain with nothing to retrain) as a failed job, so it is seen. */
  reportFailed(name: string, error: string): JobView {
    const now = this.options.now();
    const view: JobView = { id: this.options.newId(), kind: 'train', name, status: 'failed', done: 0, total: 1, message: 'failed', startedAt: now, finishedAt: now, modelId: null, error };
    const job: Job = { view, controller: new AbortController(), done: Promise.resolve() };
    this.jobs.set(view.id, job);
    this.publish(job);
    return { ...view };
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

  private async run(job: Job, params: TrainModelParams, options: TrainOptions): Promise<void> {
    try {
      const loaded = (await this.options.loadBars(params.data)).bars;
      const bars = options.lastMs === undefined ? loaded : lastWindow(loaded, options.lastMs);
      if (job.controller.signal.aborted) throw new KeelError('INVALID_STATE', 'cancelled');
      const pool = await this.workers();
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
          trainingParams: { ...this.treeParams(params), folds: outcome.folds.length, features: outcome.features.length, [DATA_KEY]: params.data, [REFERENCE_KEY]: outcome.reference },
          featureImportance: outcome.featureImportance,
          trainingLog: outcome.log,
          errors: [],
          parentId: options.parentId ?? this.latestVersionId(params.name),
          maxAgeMs: params.maxAgeMs ?? null,
        },
        new TextEncoder().encode(outcome.modelJson),
      );
      job.view = { ...job.view, status: 'done', done: job.view.total, message: `registered ${record.name} v${record.version}`, finishedAt: this.options.now(), modelId: record.id };
      this.options.onModelsChanged?.();
    } catch (error) {
      const cancelled = job.controller.signal.aborted;
      job.view = { ...job.view, status: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'cancelled' : 'failed', finishedAt: this.options.now(), error: cancelled ? null : errorText(error) };
      if (!cancelled) this.options.log.warn(`[models] training ${params.name} failed: ${errorText(error)}`);
    }
    this.publish(job);
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
        trainingParams: {},
        featureImportance: [],
        trainingLog: [`imported${checked.producer ? ` from ${checked.producer}` : ''}; ${params.goldenRows?.length ?? 0} golden row(s) matched`, ...checked.warnings],
        errors: [],
        parentId: this.latestVersionId(params.name),
        maxAgeMs: params.maxAgeMs ?? null,
      },
      bytes,
    );
  }

  /** Scores a CSV of bars with a stored model: one row per bar past the feature pipeline's warm-up. */
  async predictBatch(id: string, csv: string): Promise<PredictBatchResult> {
    const record = this.options.registry.get(id);
    const bytes = this.options.registry.bytes(id);
    const { bars } = parseOhlcvCsv(csv);
    const model: StoredModel = record.algorithm === 'onnx' ? { format: 'onnx', bytes, features: record.features } : { format: 'trees', json: new TextDecoder().decode(bytes), features: record.features };
    const scored = await (await this.workers()).request('scoreBars', { model, bars: packBars(bars) });
    const outputs = scored.width === 1 ? ['value'] : record.target.kind === 'direction' && scored.width === 3 ? ['p_long', 'p_short', 'p_neutral'] : Array.from({ length: scored.width }, (_, i) => `p_${i}`);
    const columns = ['time', ...outputs];
    const rows = Array.from(scored.times, (time, r) => [time, ...Array.from(scored.values.subarray(r * scored.width, (r + 1) * scored.width))]);
    const csvOut = [columns.join(','), ...rows.map((row) => row.map((v, i) => (i === 0 ? String(v) : Number(v.toFixed(6)).toString())).join(','))].join('\n');
    return { columns, rows, csv: csvOut, skipped: scored.skipped };
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

/** The bars of the last `ms` milliseconds, ending at the last bar. */
function lastWindow(bars: readonly Bar[], ms: number): readonly Bar[] {
  const end = bars.at(-1)?.time;
  return end === undefined ? bars : bars.filter((b) => b.time >= end - ms);
}
