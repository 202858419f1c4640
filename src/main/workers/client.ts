/**
 * The main-thread side of one worker thread: typed requests with ids,
 * per-request timeouts, cancel through an AbortSignal, progress callbacks,
 * and a drain-then-stop shutdown. Every request gets exactly one answer: the
 * worker's result, its serialized error, or a `WorkerError` when the caller
 * gave up (WORKER_TIMEOUT, WORKER_CANCELED), the thread died (WORKER_CRASHED)
 * or was stopped first (WORKER_STOPPED).
 *
 * A request the caller gave up on still occupies the worker until the worker
 * answers it, so `busy` and the drain wait for that answer; with
 * `killAfterCancelMs` a worker stuck in synchronous work that never looks at
 * its AbortSignal is killed instead (reported as a crash, which a pool
 * answers with a fresh worker).
 */
import { errorText } from '../../shared/errors';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { LiveClock, type Clock, type TimerHandle } from '../engine/ports/clock';
import type { WorkerLaunch } from './locate';
import {
  isFromWorker,
  PROTOCOL_VERSION,
  WORKER_TAG,
  WorkerError,
  type FromWorker,
  type MethodMap,
  type MethodName,
  type ParamsOf,
  type ProgressOf,
  type ResultOf,
  type SerializedError,
  type ToWorker,
} from './protocol';

/** The time source for timeouts and deadlines; tests pass a SimulatedClock. */
export type WorkerClock = Pick<Clock, 'now' | 'after'>;

export interface WorkerClientOptions {
  /** Names the worker in error messages ("the checkpointer worker crashed ..."). */
  name?: string;
  clock?: WorkerClock;
  /** How long the worker may take to load and say it is ready. */
  startTimeoutMs?: number;
  /** The time limit of a request that does not set its own; none by default. */
  timeoutMs?: number;
  /** Kill a worker that has not answered a canceled or timed-out request this long after the cancel. */
  killAfterCancelMs?: number;
  resourceLimits?: ResourceLimits;
  /** Let the process exit while this worker is alive (a background helper, not a job runner). */
  unref?: boolean;
}

export interface RequestOptions<G> {
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (value: G) => void;
}

export interface StopOptions {
  /** How long in-flight requests (and the worker's stop hook) may take before the thread is terminated. */
  deadlineMs?: number;
}

export type WorkerState = 'starting' | 'running' | 'draining' | 'stopped' | 'crashed';

/** How a worker ended: an orderly stop (with the stop hook's failure, if any) or a crash. */
export interface WorkerExit {
  reason: 'stopped' | 'crashed';
  error?: WorkerError;
}

export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_STOP_DEADLINE_MS = 5_000;

interface InFlight {
  readonly id: number;
  readonly method: string;
  /** The caller has its answer (or gave up); the worker has not answered yet. */
  answered: boolean;
  resolve(value: unknown): void;
  reject(error: WorkerError): void;
  onProgress: ((value: unknown) => void) | undefined;
  timers: TimerHandle[];
  detach(): void;
}

export class WorkerClient<M extends MethodMap<M>> {
  private readonly worker: Worker;
  private readonly clock: WorkerClock;
  private readonly label: string;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly exitListeners = new Set<(exit: WorkerExit) => void>();
  private readonly settleListeners = new Set<() => void>();
  private idleWaiters: Array<() => void> = [];
  private nextId = 1;
  private current: WorkerState = 'starting';
  private workerMethods: readonly string[] = [];
  private lastError: Error | undefined;
  private killReason: string | undefined;
  private crash: WorkerError | undefined;
  private exitExpected = false;
  private stopping: Promise<void> | undefined;
  private stoppedAck: ((error: SerializedError | undefined) => void) | undefined;
  private readonly handshake: Promise<void>;
  private endHandshake: (error?: WorkerError) => void = () => {};

  /** Starts a worker and resolves once it has said it is ready. */
  static async start<M extends MethodMap<M>>(launch: WorkerLaunch, options: WorkerClientOptions = {}): Promise<WorkerClient<M>> {
    const client = new WorkerClient<M>(launch, options);
    await client.handshake;
    return client;
  }

  private constructor(
    launch: WorkerLaunch,
    private readonly options: WorkerClientOptions,
  ) {
    this.clock = options.clock ?? new LiveClock();
    this.label = `the ${options.name ?? 'worker'} thread`;
    this.handshake = new Promise<void>((resolve, reject) => {
      this.endHandshake = (error) => (error ? reject(error) : resolve());
    });
    try {
      this.worker = new Worker(launch.file, {
        ...(launch.execArgv === undefined ? {} : { execArgv: launch.execArgv }),
        workerData: { [WORKER_TAG]: PROTOCOL_VERSION },
        ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      });
    } catch (error) {
      throw new WorkerError('WORKER_CRASHED', `${this.label} could not be started: ${describe(error)}`);
    }
    if (options.unref) this.worker.unref();
    this.worker.on('message', (message: unknown) => this.onMessage(message));
    this.worker.on('messageerror', (error) => this.kill(`${this.label} sent a message that could not be read: ${error.message}`));
    // Without this listener an uncaught error in the worker would be rethrown on the main thread.
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.worker.on('exit', (code) => this.exited(code));
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const timer = this.clock.after(startTimeoutMs, () => {
      if (this.current !== 'starting') return;
      this.abandonStart(new WorkerError('WORKER_TIMEOUT', `${this.label} did not say it was ready within ${startTimeoutMs} ms`));
    });
    this.handshake.then(
      () => timer.cancel(),
      () => timer.cancel(),
    );
  }

  get state(): WorkerState {
    return this.current;
  }

  /** Requests the worker holds, including ones whose caller already gave up. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** The methods the worker announced in its handshake. */
  get methods(): readonly string[] {
    return this.workerMethods;
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** The thread's cumulative event-loop utilisation (Node keeps it per worker; reading it is cheap). */
  eventLoopUtilization(): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization();
  }

  /** Told once, when the worker ends; returns an unsubscribe function. */
  onExit(listener: (exit: WorkerExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Told each time the worker lets go of a request (a pool uses it to hand out the next one). */
  onSettle(listener: () => void): () => void {
    this.settleListeners.add(listener);
    return () => this.settleListeners.delete(listener);
  }

  request<K extends MethodName<M>>(method: K, params: ParamsOf<M, K>, options: RequestOptions<ProgressOf<M, K>> = {}): Promise<ResultOf<M, K>> {
    if (this.current !== 'running') return Promise.reject(this.refusal());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new WorkerError('WORKER_CANCELED', `${method} was canceled before it was sent`));
    return new Promise<ResultOf<M, K>>((resolve, reject) => {
      const id = this.nextId;
      this.nextId += 1;
      try {
        this.worker.postMessage({ type: 'request', id, method, params } satisfies ToWorker);
      } catch (error) {
        reject(new WorkerError('WORKER_FAILED', `${method}: its params cannot be sent to a worker: ${describe(error)}`));
        return;
      }
      const entry: InFlight = {
        id,
        method,
        answered: false,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: options.onProgress as ((value: unknown) => void) | undefined,
        timers: [],
        detach: () => {},
      };
      this.inFlight.set(id, entry);
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      if (timeoutMs !== undefined) {
        entry.timers.push(this.clock.after(timeoutMs, () => this.giveUp(entry, new WorkerError('WORKER_TIMEOUT', `${method} got no answer within ${timeoutMs} ms`))));
      }
      if (signal) {
        const onAbort = () => this.giveUp(entry, new WorkerError('WORKER_CANCELED', `${method} was canceled`));
        signal.addEventListener('abort', onAbort, { once: true });
        entry.detach = () => signal.removeEventListener('abort', onAbort);
      }
    });
  }

  /**
   * Drain, then stop: refuses new requests at once, waits for the ones in
   * flight, lets the worker run its stop hook, then terminates the thread.
   * Whatever is still unanswered at the deadline gets WORKER_STOPPED.
   * Calling it again returns the same promise.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.drainThenStop(options.deadlineMs ?? DEFAULT_STOP_DEADLINE_MS);
    return this.stopping;
  }

  private async drainThenStop(deadlineMs: number): Promise<void> {
    if (this.current === 'starting') await this.handshake.catch(() => undefined);
    if (this.current !== 'running') return;
    this.current = 'draining';
    let expired = false;
    let wake = () => {};
    const deadline = new Promise<void>((resolve) => (wake = resolve));
    const timer = this.clock.after(deadlineMs, () => {
      expired = true;
      wake();
    });
    await Promise.race([this.whenIdle(), deadline]);
    let stopFailure: SerializedError | undefined;
    if (!expired && this.current === 'draining') {
      const acknowledged = new Promise<SerializedError | undefined>((resolve) => (this.stoppedAck = resolve));
      this.post({ type: 'stop' });
      stopFailure = await Promise.race([acknowledged, deadline.then(() => undefined)]);
    }
    timer.cancel();
    if (this.current !== 'draining') return; // it crashed meanwhile; the crash has been reported
    this.exitExpected = true;
    this.failAll(new WorkerError('WORKER_STOPPED', `${this.label} was stopped before it answered`));
    await this.worker.terminate();
    this.current = 'stopped';
    this.emitExit({ reason: 'stopped', ...(stopFailure ? { error: WorkerError.fromSerialized(stopFailure) } : {}) });
  }

  private onMessage(message: unknown): void {
    if (!isFromWorker(message)) {
      this.kill(`${this.label} sent a message outside the protocol`);
      return;
    }
    this.handle(message);
  }

  private handle(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        if (this.current !== 'starting') return;
        if (message.protocol !== PROTOCOL_VERSION) {
          this.abandonStart(new WorkerError('WORKER_FAILED', `${this.label} speaks protocol ${message.protocol}, this side ${PROTOCOL_VERSION}`));
          return;
        }
        this.workerMethods = message.methods.map(String);
        this.current = 'running';
        this.endHandshake();
        return;
      case 'progress': {
        const entry = this.inFlight.get(message.id);
        if (!entry || entry.answered || !entry.onProgress) return;
        try {
          entry.onProgress(message.value);
        } catch (error) {
          this.giveUp(entry, new WorkerError('WORKER_FAILED', `${entry.method}: its progress listener threw: ${describe(error)}`));
        }
        return;
      }
      case 'result':
        this.finish(message.id, (entry) => entry.resolve(message.value));
        return;
      case 'error': {
        const error = WorkerError.fromSerialized(message.error);
        this.finish(message.id, (entry) => entry.reject(error));
        return;
      }
      case 'stopped':
        this.stoppedAck?.(message.error);
        return;
    }
  }

  /** The worker answered: the request leaves the worker, and its caller hears, unless it gave up already. */
  private finish(id: number, answer: (entry: InFlight) => void): void {
    const entry = this.inFlight.get(id);
    if (!entry) return;
    this.inFlight.delete(id);
    for (const timer of entry.timers) timer.cancel();
    if (!entry.answered) {
      entry.answered = true;
      entry.detach();
      answer(entry);
    }
    this.settled();
  }

  /** The caller stops waiting (timeout, cancel); the worker is asked to stop and still owes an answer. */
  private giveUp(entry: InFlight, error: WorkerError): void {
    if (entry.answered || this.inFlight.get(entry.id) !== entry) return;
    entry.answered = true;
    entry.detach();
    for (const timer of entry.timers) timer.cancel();
    entry.timers = [];
    entry.reject(error);
    this.post({ type: 'cancel', id: entry.id });
    const graceMs = this.options.killAfterCancelMs;
    if (graceMs !== undefined) {
      entry.timers.push(
        this.clock.after(graceMs, () => {
          if (this.inFlight.get(entry.id) === entry) this.kill(`${this.label} was killed: ${entry.method} ignored its cancel for ${graceMs} ms`);
        }),
      );
    }
  }

  private exited(code: number): void {
    if (this.exitExpected) return;
    const cause = this.killReason ?? (this.lastError ? describe(this.lastError) : undefined);
    const error = new WorkerError('WORKER_CRASHED', `${this.label} crashed (exit code ${code})${cause ? `: ${cause}` : ''}`, {
      ...(this.lastError ? { name: this.lastError.name } : {}),
      ...(this.lastError?.stack === undefined ? {} : { stack: this.lastError.stack }),
    });
    const wasStarting = this.current === 'starting';
    this.current = 'crashed';
    this.crash = error;
    if (wasStarting) this.endHandshake(error);
    this.failAll(error);
    this.stoppedAck?.(undefined);
    this.emitExit({ reason: 'crashed', error });
  }

  /** The worker is beyond use: end it; the exit is then reported as a crash with this reason. */
  private kill(reason: string): void {
    if (this.current === 'crashed' || this.current === 'stopped' || this.killReason !== undefined) return;
    this.killReason = reason;
    void this.worker.terminate();
  }

  private abandonStart(error: WorkerError): void {
    this.exitExpected = true;
    this.current = 'crashed';
    this.crash = error;
    this.endHandshake(error);
    void this.worker.terminate();
  }

  private failAll(error: WorkerError): void {
    const entries = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const entry of entries) {
      for (const timer of entry.timers) timer.cancel();
      if (!entry.answered) {
        entry.answered = true;
        entry.detach();
        entry.reject(error);
      }
    }
    if (entries.length > 0) this.settled();
  }

  private settled(): void {
    if (this.inFlight.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    for (const listener of [...this.settleListeners]) listener();
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private refusal(): WorkerError {
    if (this.current === 'crashed') return this.crash ?? new WorkerError('WORKER_CRASHED', `${this.label} has crashed`);
    return new WorkerError('WORKER_STOPPED', `${this.label} is stopping and takes no new work`);
  }

  private post(message: ToWorker): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // The thread is gone; its exit answers everything that was waiting.
    }
  }

  private emitExit(exit: WorkerExit): void {
    for (const listener of [...this.exitListeners]) listener(exit);
    this.exitListeners.clear();
  }
}

function describe(error: unknown): string {
  return errorText(error);
}
