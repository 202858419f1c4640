/**
 * Serves a ContractServer over Electron IPC without importing electron: the
 * shell passes in `ipcMain`, a way to reach the window's webContents, and the
 * sender check. Every invoke is refused with UNAUTHORIZED unless the sender
 * frame is trusted; engine events go to the window on one channel, with
 * high-rate state topics coalesced to the latest value per key per frame.
 */
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type InvokeOutcome } from '../../shared/contract';
import type { ContractServer } from './contractServer';
import { EventCoalescer, timerSchedule, type CoalesceKeyOf, type Schedule } from './eventCoalescer';

/** The part of Electron's `ipcMain` this transport uses. */
export interface IpcMainLike<E> {
  handle(channel: string, handler: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of Electron's `WebContents` events are sent through. */
export interface EventSink {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface IpcTransportOptions<E> {
  server: ContractServer;
  ipcMain: IpcMainLike<E>;
  /** The main window's webContents, or null while there is no window (events are then not sent). */
  getWebContents: () => EventSink | null | undefined;
  /** Our main frame at our origin; checked before anything else on every invoke. */
  isTrustedSender: (event: E) => boolean;
  /** Defaults to 16 ms (one frame at 60 Hz). */
  flushIntervalMs?: number;
  /** Defaults to setTimeout. */
  schedule?: Schedule;
  /** Defaults to the contract's `coalescedTopics`. */
  keyOf?: CoalesceKeyOf;
  log?: (message: string, error?: unknown) => void;
}

export interface IpcTransport {
  /** Stops answering invokes and forwarding events. Idempotent. */
  close(): void;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 16;

const UNAUTHORIZED: InvokeOutcome = {
  ok: false,
  error: { code: 'UNAUTHORIZED', message: 'This request did not come from the Keel window and was refused.' },
};

/** Untrusted input goes into logs only shortened and as a quoted string. */
function describeMethod(method: unknown): string {
  return typeof method === 'string' ? JSON.stringify(method.slice(0, 64)) : `<${typeof method}>`;
}

export function serveContractOverIpc<E>(options: IpcTransportOptions<E>): IpcTransport {
  const { server, ipcMain, getWebContents, isTrustedSender } = options;
  const log = options.log ?? ((message: string, error?: unknown) => console.warn(`[keel:ipc] ${message}`, error ?? ''));

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: E, method: unknown, params: unknown): Promise<InvokeOutcome> => {
    let trusted = false;
    try {
      trusted = isTrustedSender(event);
    } catch (error) {
      log('sender check failed; refusing the request', error);
    }
    if (!trusted) {
      log(`refused ${describeMethod(method)} from an untrusted sender`);
      return UNAUTHORIZED;
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: 'The method name must be a string.' } };
    }
    try {
      return await server.invoke(method, params);
    } catch (error) {
      // ContractServer promises never to throw; if it does anyway the
      // renderer still gets a typed answer, and the details stay in the log.
      log(`${describeMethod(method)} threw across the contract`, error);
      return { ok: false, error: { code: 'INTERNAL', message: 'Keel hit an internal error handling this request.' } };
    }
  });

  const coalescer = new EventCoalescer<string>({
    flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    schedule: options.schedule ?? timerSchedule,
    ...(options.keyOf ? { keyOf: options.keyOf } : {}),
    deliver: (topic, data) => {
      const target = getWebContents();
      if (!target || target.isDestroyed()) return;
      target.send(IPC_EVENT_CHANNEL, topic, data);
    },
    onError: (error, topic) => log(`could not send ${JSON.stringify(topic)} to the window`, error),
  });

  const unsubscribe = server.onEvent((topic, data) => coalescer.push(topic, data));

  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      coalescer.dispose();
      ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    },
  };
}
