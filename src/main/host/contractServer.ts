/**
 * What every transport (Electron IPC, WebSocket) serves: one invoke that
 * validates, runs and answers a result or a typed error (never throws), and
 * one stream of contract events. Transports add framing, auth and
 * coalescing; they never add behaviour.
 */
import type { EventTopic, InvokeOutcome } from '../../shared/contract';

export type EventListener = (topic: EventTopic, data: unknown) => void;

/**
 * Who is calling, as the transport knows it: the workstation UI (the desktop
 * window over IPC, or the page served by the headless host, recognised by its
 * own Origin) is a person at the desk; any other WebSocket client is the
 * automation API, named by the `client` it gave when it connected. Orders
 * carry this as their source, and HALTED lets only a person close out.
 */
export type Caller = { kind: 'manual' } | { kind: 'api'; name?: string };

export const UI_CALLER: Caller = { kind: 'manual' };

export interface ContractServer {
  invoke(method: string, params: unknown, caller?: Caller): Promise<InvokeOutcome>;
  onEvent(listener: EventListener): () => void;
}
