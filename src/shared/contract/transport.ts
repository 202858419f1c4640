/** What carries the contract: the bridge the preload exposes, the invoke envelope, and the IPC channel names. */

/** The shape the preload exposes as `window.keel` and the browser client mimics. */
export interface KeelBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  on(listener: (topic: string, data: unknown) => void): () => void;
}

/** What travels back over IPC for every invoke: never a thrown error. */
export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; data?: unknown } };

export const IPC_INVOKE_CHANNEL = 'keel:invoke';
export const IPC_EVENT_CHANNEL = 'keel:event';
