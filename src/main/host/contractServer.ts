/**
 * What every transport (Electron IPC, WebSocket) serves: one invoke that
 * validates, runs and answers a result or a typed error (never throws), and
 * one stream of contract events. Transports add framing, auth and
 * coalescing; they never add behaviour.
 */
import type { EventTopic, InvokeOutcome } from '../../shared/contract';

export type EventListener = (topic: EventTopic, data: unknown) => void;

export interface ContractServer {
  invoke(method: string, params: unknown): Promise<InvokeOutcome>;
  onEvent(listener: EventListener): () => void;
}
