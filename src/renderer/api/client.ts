/**
 * The typed client: `invoke` is typed from the contract's method map, so a
 * renderer call cannot drift from the host's handler; a typed error arrives
 * as a thrown `KeelError` whose `message` is fit to show a trader.
 */
import {
  events as eventSchemas,
  isEventTopic,
  type EventPayload,
  type EventTopic,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '../../shared/contract';
import { ERROR_CODES, KeelError, type ErrorCode } from '../../shared/errors';
import { createIpcBridge, type ConnectionStatus, type RendererBridge } from './bridge';
import { createMissingTokenBridge, createWsBridge, rpcUrlFromLocation } from './wsBridge';

/** One event, discriminated by topic so a switch narrows its payload. */
export type KeelEvent = { [T in EventTopic]: { topic: T; data: EventPayload<T> } }[EventTopic];

export interface KeelClient {
  invoke<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  onEvent(listener: (event: KeelEvent) => void): () => void;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly transport: RendererBridge['kind'];
}

export const ALL_TOPICS = Object.keys(eventSchemas) as EventTopic[];

function toErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}

export function createKeelClient(bridge: RendererBridge): KeelClient {
  return {
    transport: bridge.kind,
    async invoke<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const outcome = await bridge.invoke(method, params);
      if (!outcome.ok) {
        throw new KeelError(toErrorCode(outcome.error.code), outcome.error.message, outcome.error.data);
      }
      // The host validated the call and built the result from the same typed
      // contract; the renderer is the untrusted side, not the host.
      return outcome.result as MethodResult<M>;
    },
    onEvent(listener) {
      return bridge.on((topic, data) => {
        if (!isEventTopic(topic)) return;
        listener({ topic, data } as KeelEvent);
      });
    },
    status: () => bridge.status(),
    onStatus: (listener) => bridge.onStatus(listener),
  };
}

/** Picks the transport for this page: the Electron preload when present, else the headless host's WebSocket. */
export function connectBridge(win: Window): RendererBridge {
  if (win.keel) return createIpcBridge(win.keel);
  const url = rpcUrlFromLocation(win.location);
  if (!url) return createMissingTokenBridge();
  return createWsBridge({ url, topics: ALL_TOPICS });
}

/** The message to show for any failure of a call. */
export function errorMessage(err: unknown): string {
  if (err instanceof KeelError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
