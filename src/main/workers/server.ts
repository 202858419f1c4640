/**
 * The worker side of the protocol: a worker entry hands its handlers to
 * `serveWorker` and the rest (request ids, an AbortSignal per request,
 * progress, serialized errors, the ready handshake, refusing work once asked
 * to stop) is done here.
 *
 * A crash is not caught here on purpose: an uncaught error or an exit ends
 * the thread, and the client answers every request it held with
 * WORKER_CRASHED; a pool then starts a replacement.
 */
import { errorText } from '../../shared/errors';
import { parentPort, workerData } from 'node:worker_threads';
import {
  isToWorker,
  PROTOCOL_VERSION,
  serializeError,
  WORKER_TAG,
  WorkerError,
  type FromWorker,
  type Handlers,
  type MethodMap,
  type RequestContext,
} from './protocol';
import { lowerThreadPriority } from './threadPriority';

export interface ServeOptions {
  /** Runs once on an orderly stop, after the last request has been answered (flush, close files). */
  onStop?: () => void | Promise<void>;
  /** Research work: this thread runs behind the engine's main thread (see threadPriority.ts). */
  background?: boolean;
}

/** True when this thread was started by a `WorkerClient`, as opposed to a module merely being imported. */
export function launchedAsWorker(): boolean {
  return parentPort !== null && typeof workerData === 'object' && workerData !== null && WORKER_TAG in workerData;
}

/**
 * Serves `handlers` on this thread. Returns false, doing nothing, when the
 * thread was not launched by a `WorkerClient`: a test (or a bundle chunk)
 * that imports a worker entry for its exports does not start serving.
 */
export function serveWorker<M extends MethodMap<M>>(handlers: Handlers<M>, options: ServeOptions = {}): boolean {
  const port = parentPort;
  if (port === null || !launchedAsWorker()) return false;

  const running = new Map<number, AbortController>();
  let stopping = false;
  let idle: (() => void) | null = null;

  const post = (message: FromWorker): void => {
    try {
      port.postMessage(message);
    } catch (error) {
      // A result or progress value that cannot be cloned must still answer the request.
      if (message.type === 'result' || message.type === 'progress') {
        const reason = errorText(error);
        const failure = new WorkerError('WORKER_FAILED', `the worker's ${message.type} cannot be sent: ${reason}`);
        if (message.type === 'result') port.postMessage({ type: 'error', id: message.id, error: serializeError(failure, 'WORKER_FAILED') });
        else running.get(message.id)?.abort(failure);
      } else {
        throw error;
      }
    }
  };

  const run = async (id: number, method: string, params: unknown): Promise<void> => {
    if (stopping) {
      post({ type: 'error', id, error: serializeError(new WorkerError('WORKER_STOPPED', 'the worker is stopping and takes no new work'), 'WORKER_STOPPED') });
      return;
    }
    const handler = Object.hasOwn(handlers, method) ? (handlers as Record<string, unknown>)[method] : undefined;
    if (typeof handler !== 'function') {
      post({ type: 'error', id, error: serializeError(new WorkerError('WORKER_UNKNOWN_METHOD', `the worker has no method "${method}"`), 'WORKER_UNKNOWN_METHOD') });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const context: RequestContext<unknown> = {
      id,
      signal: controller.signal,
      progress: (value) => {
        if (!controller.signal.aborted) post({ type: 'progress', id, value });
      },
    };
    try {
      const value: unknown = await (handler as (p: unknown, c: RequestContext<unknown>) => unknown)(params, context);
      post({ type: 'result', id, value });
    } catch (error) {
      post({ type: 'error', id, error: serializeError(error, controller.signal.aborted ? 'WORKER_CANCELED' : 'WORKER_FAILED') });
    } finally {
      running.delete(id);
      if (running.size === 0) idle?.();
    }
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    // The client only asks once nothing is in flight; this covers a request that crossed the stop on the way.
    if (running.size > 0) await new Promise<void>((resolve) => (idle = resolve));
    let failure: unknown;
    try {
      await options.onStop?.();
    } catch (error) {
      failure = error;
    }
    post(failure === undefined ? { type: 'stopped' } : { type: 'stopped', error: serializeError(failure, 'WORKER_FAILED') });
  };

  port.on('message', (message: unknown) => {
    // Only the client posts on this port; anything else is a bug worth crashing on.
    if (!isToWorker(message)) throw new Error(`the worker got a message it does not understand: ${JSON.stringify(message)?.slice(0, 200)}`);
    switch (message.type) {
      case 'request':
        void run(message.id, message.method, message.params);
        break;
      case 'cancel':
        running.get(message.id)?.abort(new WorkerError('WORKER_CANCELED', 'the request was canceled'));
        break;
      case 'stop':
        if (!stopping) void stop();
        break;
    }
  });
  if (options.background) lowerThreadPriority();
  post({ type: 'ready', protocol: PROTOCOL_VERSION, methods: Object.keys(handlers) });
  return true;
}
