/**
 * The renderer's view of a transport: the contract's `KeelBridge` plus the
 * connection state the header shows. Both transports (Electron preload,
 * headless WebSocket) are adapted to this one shape so nothing above api/
 * knows which one it is talking to.
 */
import type { InvokeOutcome, KeelBridge } from '../../shared/contract';
import { errorText } from '../../shared/errors';

export type ConnectionState = 'connecting' | 'open' | 'closed';
export type TransportKind = 'ipc' | 'ws';

export interface ConnectionStatus {
  state: ConnectionState;
  transport: TransportKind;
  /** Why we are not connected, for a person to read; null when open. */
  detail: string | null;
}

export interface RendererBridge extends KeelBridge {
  readonly kind: TransportKind;
  /** Resolves to an InvokeOutcome, never rejects. */
  invoke(method: string, params: unknown): Promise<InvokeOutcome>;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    keel?: KeelBridge;
  }
}

/** Normalises whatever came back over IPC into an InvokeOutcome (the preload is ours, but a malformed answer must not crash a caller). */
export function toOutcome(value: unknown): InvokeOutcome {
  if (typeof value === 'object' && value !== null && 'ok' in value) {
    const v = value as { ok: unknown; result?: unknown; error?: unknown };
    if (v.ok === true) return { ok: true, result: v.result };
    if (v.ok === false && typeof v.error === 'object' && v.error !== null) {
      const e = v.error as { code?: unknown; message?: unknown; data?: unknown };
      return {
        ok: false,
        error: {
          code: typeof e.code === 'string' ? e.code : 'INTERNAL',
          message: typeof e.message === 'string' ? e.message : 'The host answered with an error',
          ...(e.data !== undefined ? { data: e.data } : {}),
        },
      };
    }
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'The host answered in an unexpected shape' } };
}

/** Electron: the preload's `window.keel`. IPC is up for as long as the window exists. */
export function createIpcBridge(keel: KeelBridge): RendererBridge {
  const status: ConnectionStatus = { state: 'open', transport: 'ipc', detail: null };
  return {
    kind: 'ipc',
    invoke: async (method, params) => {
      try {
        return toOutcome(await keel.invoke(method, params));
      } catch (err) {
        // The preload should never reject, but an IPC failure must still surface as a typed outcome.
        return { ok: false, error: { code: 'INTERNAL', message: errorText(err) } };
      }
    },
    on: (listener) => keel.on(listener),
    status: () => status,
    onStatus: () => () => undefined,
    close: () => undefined,
  };
}
