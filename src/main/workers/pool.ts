/**
 * A small pool of identical workers with a FIFO queue: backtests, parameter
 * searches and ML scoring/training run here, a few at a time, off the main
 * thread. Each worker takes `concurrency` requests at once (one by default:
 * heavy jobs are CPU-bound). A worker that crashes answers what it held with
 * WORKER_CRASHED (the pool does not retry: the same job may crash again) and
 * is replaced; if replacements keep failing to start, the pool gives up and
 * says so to every caller instead of spinning.
 *
 * A request's timeout runs from the moment it is submitted, queue time
 * included: the caller wants an answer within that time, wherever it waits.
 */
import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import {
  DEFAULT_STOP_DEADLINE_MS,
  WorkerClient,
  type RequestOptions,
  type StopOptions,
  type WorkerClientOptions,
  type WorkerClock,
} from './client';
import { LiveClock, type TimerHandle } from '../engine/ports/clock';
import type { WorkerLaunch } from './locate';
import { WorkerError, type MethodMap, type MethodName, type ParamsOf, type ProgressOf, type ResultOf } from './protocol';

export interface WorkerPoolOptions extends WorkerClientOptions {
  /** Number of workers; default 2, or 1 on a single-core machine. */
  size?: number;
  /** Requests one worker runs at once. */
  concurrency?: number;
  /** Replacements that may fail to start in a row before the pool gives up. */
  maxFailedStarts?: number;
  /** Told of each worker crash (for the log); the pool has already started a replacement. */
  onCrash?: (error: WorkerError) => void;
}

export interface WorkerPoolStats {
  size: number;
  live: number;
  busy: number;
  queued: number;
  /** Workers started to replace crashed ones. */
  replaced: number;
  /** Requests workers answered with a result, and with an error (since the pool started). */
  completed: number;
  failed: number;
}

/** One worker's cumulative event-loop utilisation, for the system monitor. */
export interface WorkerLoad {
  threadId: number;
  elu: EventLoopUtilization;
}

interface Queued {
  method: string;
  params: unknown;
  onProgress: ((value: unknown) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Absolute time by which the caller wants its answer. */
  deadline: number | undefined;
  timer: TimerHandle | undefined;
  resolve(value: unknown): void;
  reject(error: WorkerError): void;
  detach(): void;
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class WorkerPool<M extends MethodMap<M>> {
  private readonly workers = new Set<WorkerClient<M>>();
  private readonly starting = new Set<Promise<void>>();
  private readonly queue: Queued[] = [];
  private readonly clock: WorkerClock;
  private readonly size: number;
  private readonly concurrency: number;
  private readonly maxFailedStarts: number;
  private state: 'running' | 'draining' | 'stopped' | 'broken' = 'running';
  private failedStarts = 0;
  private replaced = 0;
  private completed = 0;
  private failed = 0;
  private brokenBy: WorkerError | undefined;
  private stopping: Promise<void> | undefined;

  /** Starts every worker; fails (stopping the ones that did start) if any of them cannot start. */
  static async start<M extends MethodMap<M>>(launch: WorkerLaunch, options: WorkerPoolOptions = {}): Promise<WorkerPool<M>> {
    const pool = new WorkerPool<M>(launch, options);
    const started = await Promise.allSettled(Array.from({ length: pool.size }, () => WorkerClient.start<M>(launch, options)));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    for (const outcome of started) if (outcome.status === 'fulfilled') pool.adopt(outcome.value);
    if (failure) {
      await pool.stop();
      throw failure.reason;
    }
    return pool;
  }

  private constructor(
    private readonly launch: WorkerLaunch,
    private readonly options: WorkerPoolOptions,
  ) {
    this.clock = options.clock ?? new LiveClock();
    this.size = options.size ?? defaultPoolSize();
    this.concurrency = options.concurrency ?? 1;
    this.maxFailedStarts = options.maxFailedStarts ?? 3;
    if (!(Number.isInteger(this.size) && this.size >= 1)) throw new RangeError(`a worker pool needs at least one worker (got ${this.size})`);
    if (!(Number.isInteger(this.concurrency) && this.concurrency >= 1)) throw new RangeError(`concurrency must be a positive integer (got ${this.concurrency})`);
  }

  get stats(): WorkerPoolStats {
    let busy = 0;
    for (const worker of this.workers) busy += worker.busy;
    return { size: this.size, live: this.workers.size, busy, queued: this.queue.length, replaced: this.replaced, completed: this.completed, failed: this.failed };
  }

  /** Each running worker's event-loop utilisation so far. */
  workerLoads(): WorkerLoad[] {
    return [...this.workers].filter((worker) => worker.state === 'running').map((worker) => ({ threadId: worker.threadId, elu: worker.eventLoopUtilization() }));
  }

  request<K extends MethodName<M>>(method: K, params: ParamsOf<M, K>, options: RequestOptions<ProgressOf<M, K>> = {}): Promise<ResultOf<M, K>> {
    if (this.state === 'broken') return Promise.reject(this.brokenBy);
    if (this.state !== 'running') return Promise.reject(new WorkerError('WORKER_STOPPED', 'the worker pool is stopping and takes no new work'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new WorkerError('WORKER_CANCELED', `${method} was canceled before it was sent`));
    return new Promise<ResultOf<M, K>>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      const job: Queued = {
        method,
        params,
        onProgress: options.onProgress as ((value: unknown) => void) | undefined,
        signal,
        deadline: timeoutMs === undefined ? undefined : this.clock.now() + timeoutMs,
        timer: undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
        detach: () => {},
      };
      if (timeoutMs !== undefined) {
        job.timer = this.clock.after(timeoutMs, () => this.dropQueued(job, new WorkerError('WORKER_TIMEOUT', `${method} got no answer within ${timeoutMs} ms`)));
      }
      if (signal) {
        const onAbort = () => this.dropQueued(job, new WorkerError('WORKER_CANCELED', `${method} was canceled`));
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * Drain, then stop: no new requests; queued ones that no worker has taken
   * get WORKER_STOPPED; every worker finishes what it holds (up to the
   * deadline) and is stopped.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.drainThenStop(options.deadlineMs ?? DEFAULT_STOP_DEADLINE_MS);
    return this.stopping;
  }

  private async drainThenStop(deadlineMs: number): Promise<void> {
    if (this.state === 'running') this.state = 'draining';
    for (const job of this.queue.splice(0)) this.settleQueued(job, new WorkerError('WORKER_STOPPED', `the worker pool stopped before ${job.method} was started`));
    await Promise.allSettled([...this.starting]);
    await Promise.all([...this.workers].map((worker) => worker.stop({ deadlineMs })));
    this.workers.clear();
    if (this.state !== 'broken') this.state = 'stopped';
  }

  private adopt(worker: WorkerClient<M>): void {
    this.workers.add(worker);
    worker.onSettle(() => this.pump());
    worker.onExit((exit) => {
      this.workers.delete(worker);
      if (exit.reason !== 'crashed') return;
      if (exit.error) this.options.onCrash?.(exit.error);
      this.replace();
    });
  }

  private replace(): void {
    if (this.state !== 'running') return;
    const attempt = WorkerClient.start<M>(this.launch, this.options).then(
      (worker) => {
        if (this.state !== 'running') return worker.stop();
        this.failedStarts = 0;
        this.replaced += 1;
        this.adopt(worker);
        this.pump();
        return undefined;
      },
      (error: unknown) => {
        this.failedStarts += 1;
        const failure = error instanceof WorkerError ? error : new WorkerError('WORKER_CRASHED', String(error));
        if (this.failedStarts < this.maxFailedStarts) this.replace();
        else if (this.workers.size === 0) this.breakDown(failure);
      },
    );
    const tracked = attempt.finally(() => this.starting.delete(tracked));
    this.starting.add(tracked);
  }

  /** Nothing can run any more: say so to everyone waiting and to everyone who asks. */
  private breakDown(cause: WorkerError): void {
    if (this.state !== 'running') return;
    this.state = 'broken';
    this.brokenBy = new WorkerError('WORKER_CRASHED', `the worker pool has no workers left: ${cause.message}`, {
      ...(cause.remoteName === undefined ? {} : { name: cause.remoteName }),
    });
    for (const job of this.queue.splice(0)) this.settleQueued(job, this.brokenBy);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.state === 'running') {
      const worker = this.freeWorker();
      if (!worker) return;
      const job = this.queue.shift() as Queued;
      job.timer?.cancel();
      job.detach();
      const timeoutMs = job.deadline === undefined ? undefined : Math.max(0, job.deadline - this.clock.now());
      worker
        .request(job.method as MethodName<M>, job.params as ParamsOf<M, MethodName<M>>, {
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(job.signal === undefined ? {} : { signal: job.signal }),
          ...(job.onProgress === undefined ? {} : { onProgress: job.onProgress as (value: ProgressOf<M, MethodName<M>>) => void }),
        })
        .then(
          (value) => {
            this.completed += 1;
            job.resolve(value);
          },
          (error: WorkerError) => {
            this.failed += 1;
            job.reject(error);
          },
        );
    }
  }

  private freeWorker(): WorkerClient<M> | undefined {
    let best: WorkerClient<M> | undefined;
    for (const worker of this.workers) {
      if (worker.state !== 'running' || worker.busy >= this.concurrency) continue;
      if (!best || worker.busy < best.busy) best = worker;
    }
    return best;
  }

  private dropQueued(job: Queued, error: WorkerError): void {
    const index = this.queue.indexOf(job);
    if (index === -1) return; // already handed to a worker, which now owns its timeout and cancel
    this.queue.splice(index, 1);
    this.settleQueued(job, error);
  }

  private settleQueued(job: Queued, error: WorkerError): void {
    job.timer?.cancel();
    job.detach();
    job.reject(error);
  }
}
