/**
 * Scoring one row of a model's features: in a worker pool of the ML worker
 * (live: the engine's thread never runs a model, and a scoring that fails,
 * times out or takes its worker down answers an error, not a hang), or in
 * this thread (a backtest, which runs in a worker of its own already). Both
 * run the same prediction code on the same float32 row, so they answer the
 * same numbers.
 */
import { KeelError } from '../../../shared/errors';
import type { WorkerPool } from '../../workers/pool';
import { importOnnxModel, type OnnxModel } from '../onnx';
import { matrix, modelFromJsonText, predict, type TreeModel } from '../trees';
import type { MlWorkerMethods } from '../worker/mlWorker';
import type { ResolvedModel } from './modelVersions';

export interface RowScorer {
  /** The model's outputs (a probability per class) for one row of its features, in its feature order. */
  score(model: ResolvedModel, row: Float32Array): Promise<Float64Array>;
  /** Frees what it holds (ONNX sessions, its workers). */
  close(): Promise<void>;
}

/** How long a live scoring may take, queue time included, before the bar goes without a decision. */
export const DEFAULT_SCORING_TIMEOUT_MS = 5_000;

/** Scores in the ML worker pool: tree models through `scoreRows`, ONNX models through `scoreOnnxRows`, each parsed once per worker. */
export class WorkerRowScorer implements RowScorer {
  private pool: Promise<WorkerPool<MlWorkerMethods>> | null = null;
  private closed = false;

  constructor(
    private readonly startPool: () => Promise<WorkerPool<MlWorkerMethods>>,
    private readonly timeoutMs = DEFAULT_SCORING_TIMEOUT_MS,
  ) {}

  async score({ record, stored }: ResolvedModel, row: Float32Array): Promise<Float64Array> {
    const pool = await this.workers();
    const cols = row.length;
    const options = { timeoutMs: this.timeoutMs };
    if (stored.format === 'trees') return pool.request('scoreRows', { key: record.id, json: stored.json, rows: row, cols }, options);
    return pool.request('scoreOnnxRows', { key: record.id, bytes: stored.bytes, features: stored.features, rows: row, cols }, options);
  }

  /** Drains the pool: scorings in flight finish, none is taken after. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool?.catch(() => null);
    await pool?.stop();
  }

  private workers(): Promise<WorkerPool<MlWorkerMethods>> {
    if (this.closed) return Promise.reject(new KeelError('INVALID_STATE', 'model scoring has stopped'));
    if (this.pool === null) {
      const starting = this.startPool();
      this.pool = starting;
      // A pool that could not start fails the scorings that waited for it; the next bar tries again.
      starting.catch(() => {
        if (this.pool === starting) this.pool = null;
      });
    }
    return this.pool;
  }
}

/** Scores in this thread, each model parsed (or its ONNX session opened) once. */
export class InProcessRowScorer implements RowScorer {
  private readonly trees = new Map<string, TreeModel>();
  private readonly onnx = new Map<string, Promise<OnnxModel>>();

  async score({ record, stored }: ResolvedModel, row: Float32Array): Promise<Float64Array> {
    if (stored.format === 'trees') {
      let model = this.trees.get(record.id);
      if (!model) {
        model = modelFromJsonText(stored.json);
        this.trees.set(record.id, model);
      }
      return predict(model, matrix(row, 1, row.length));
    }
    let session = this.onnx.get(record.id);
    if (!session) {
      session = importOnnxModel({ bytes: stored.bytes, features: stored.features });
      this.onnx.set(record.id, session);
    }
    return Float64Array.from(await (await session).predict(row, 1));
  }

  async close(): Promise<void> {
    const sessions = [...this.onnx.values()];
    this.onnx.clear();
    this.trees.clear();
    await Promise.allSettled(sessions.map(async (s) => (await s).close()));
  }
}
