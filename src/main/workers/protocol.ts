/**
 * The one protocol every Keel worker thread speaks: tagged messages with
 * request ids, progress, cancel, serialized errors, a ready handshake and a
 * drain-then-stop shutdown. The client side (`client.ts`, `pool.ts`) and the
 * worker side (`server.ts`) are both typed from one method map, so a call
 * and its handler cannot drift:
 *
 *   interface ScoringMethods {
 *     score: { params: { rows: number[][] }; result: number[] };
 *     train: { params: TrainSpec; result: ModelBlob; progress: { epoch: number } };
 *   }
 *
 * Everything here is plain data and types: it runs on both sides of the
 * boundary. Values cross by structured clone, so class instances (a `Dec`)
 * lose their prototype; send the contract's string DTOs instead.
 */

/** Bumped when a message changes shape; a client refuses a worker that speaks another version. */
export const PROTOCOL_VERSION = 1;

/** Put in `workerData` by the client, so a worker entry can tell it was launched as a Keel worker. */
export const WORKER_TAG = 'keelWorkerProtocol';

/**
 * Stable codes callers branch on:
 * - WORKER_TIMEOUT: no answer within the request's (or the start-up) time limit.
 * - WORKER_CANCELED: the caller canceled, or the handler stopped because of it.
 * - WORKER_CRASHED: the thread died (exit, uncaught error, out of memory) or was
 *   killed for ignoring a cancel; every request it held gets this.
 * - WORKER_FAILED: the handler threw; `remoteName` / `remoteStack` say what.
 * - WORKER_STOPPED: the worker is shutting down and took no new work, or was
 *   stopped before it answered.
 * - WORKER_UNKNOWN_METHOD: the worker has no handler of that name.
 */
export type WorkerErrorCode =
  | 'WORKER_TIMEOUT'
  | 'WORKER_CANCELED'
  | 'WORKER_CRASHED'
  | 'WORKER_FAILED'
  | 'WORKER_STOPPED'
  | 'WORKER_UNKNOWN_METHOD';

const ERROR_CODES: ReadonlySet<string> = new Set<WorkerErrorCode>([
  'WORKER_TIMEOUT',
  'WORKER_CANCELED',
  'WORKER_CRASHED',
  'WORKER_FAILED',
  'WORKER_STOPPED',
  'WORKER_UNKNOWN_METHOD',
]);

/** An error as it crosses the boundary. */
export interface SerializedError {
  code: WorkerErrorCode;
  message: string;
  /** The class name of the error thrown in the worker (`SqliteError`, `RangeError`, ...). */
  name: string;
  stack?: string;
}

/** What a caller gets for every failure of a worker request. */
export class WorkerError extends Error {
  override readonly name = 'WorkerError';
  readonly code: WorkerErrorCode;
  /** Name of the error the worker threw, when it threw one. */
  readonly remoteName: string | undefined;
  /** Its stack inside the worker; this error's own `stack` is the caller's. */
  readonly remoteStack: string | undefined;

  constructor(code: WorkerErrorCode, message: string, remote: { name?: string; stack?: string } = {}) {
    super(message);
    this.code = code;
    this.remoteName = remote.name;
    this.remoteStack = remote.stack;
  }

  static fromSerialized(error: SerializedError): WorkerError {
    return new WorkerError(error.code, error.message, { name: error.name, ...(error.stack === undefined ? {} : { stack: error.stack }) });
  }
}

export function isWorkerError(error: unknown, code?: WorkerErrorCode): error is WorkerError {
  return error instanceof WorkerError && (code === undefined || error.code === code);
}

/**
 * Turns whatever a handler threw into data. A `WorkerError` keeps its code;
 * anything else gets `fallback` (WORKER_FAILED, or WORKER_CANCELED when the
 * request had been canceled).
 */
export function serializeError(error: unknown, fallback: WorkerErrorCode): SerializedError {
  if (error instanceof Error) {
    const code = error instanceof WorkerError ? error.code : fallback;
    const name = error instanceof WorkerError ? (error.remoteName ?? error.name) : error.name;
    return { code, message: error.message, name, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  }
  return { code: fallback, message: typeof error === 'string' ? error : safeString(error), name: 'Error' };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be printed';
  }
}

// ---- method maps ------------------------------------------------------------

/** What one method takes, returns and reports while it runs. `progress` is optional. */
export interface MethodSpec {
  params: unknown;
  result: unknown;
  progress?: unknown;
}

/** Constrains a method map; written this way so interfaces (no index signature) qualify. */
export type MethodMap<M> = { [K in keyof M]: MethodSpec };

export type MethodName<M> = keyof M & string;
export type ParamsOf<M, K extends keyof M> = M[K] extends { params: infer P } ? P : never;
export type ResultOf<M, K extends keyof M> = M[K] extends { result: infer R } ? R : never;
export type ProgressOf<M, K extends keyof M> = M[K] extends { progress: infer G } ? G : never;

/** What a handler gets besides its params. */
export interface RequestContext<G> {
  readonly id: number;
  /** Aborted when the caller cancels or times out; long work should check it between steps. */
  readonly signal: AbortSignal;
  /** Sends a progress value to the caller; ignored once the request is canceled. */
  progress(value: G): void;
}

export type Handler<M, K extends keyof M> = (
  params: ParamsOf<M, K>,
  context: RequestContext<ProgressOf<M, K>>,
) => ResultOf<M, K> | Promise<ResultOf<M, K>>;

/** The worker side of a method map: one handler per method. */
export type Handlers<M> = { [K in MethodName<M>]: Handler<M, K> };

// ---- messages ---------------------------------------------------------------

/** Main thread -> worker. */
export type ToWorker =
  | { type: 'request'; id: number; method: string; params: unknown }
  | { type: 'cancel'; id: number }
  /** Sent once nothing is in flight: refuse new work, run the stop hook, answer `stopped`. */
  | { type: 'stop' };

/** Worker -> main thread. */
export type FromWorker =
  | { type: 'ready'; protocol: number; methods: string[] }
  | { type: 'progress'; id: number; value: unknown }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'stopped'; error?: SerializedError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

export function isSerializedError(value: unknown): value is SerializedError {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    ERROR_CODES.has(value.code) &&
    typeof value.message === 'string' &&
    typeof value.name === 'string' &&
    (value.stack === undefined || typeof value.stack === 'string')
  );
}

export function isFromWorker(value: unknown): value is FromWorker {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return typeof value.protocol === 'number' && Array.isArray(value.methods);
    case 'progress':
    case 'result':
      return isId(value.id) && 'value' in value;
    case 'error':
      return isId(value.id) && isSerializedError(value.error);
    case 'stopped':
      return value.error === undefined || isSerializedError(value.error);
    default:
      return false;
  }
}

export function isToWorker(value: unknown): value is ToWorker {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'request':
      return isId(value.id) && typeof value.method === 'string';
    case 'cancel':
      return isId(value.id);
    case 'stop':
      return true;
    default:
      return false;
  }
}
