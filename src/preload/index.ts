/**
 * The preload: exposes `window.keel` = { invoke, on } and nothing else. The
 * renderer never sees ipcRenderer or an IPC event object; it gets call
 * outcomes and (topic, data) pairs. Adding a contract method never changes
 * this file.
 *
 * Only `import type` from src/shared: a sandboxed preload can require nothing
 * but a few Electron modules, so pulling in the contract's runtime (zod) here
 * would break it. The channel names are typed against the contract's
 * constants, so a rename there fails the type check here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  IPC_EVENT_CHANNEL as ContractEventChannel,
  IPC_INVOKE_CHANNEL as ContractInvokeChannel,
  InvokeOutcome,
  KeelBridge,
} from '../shared/contract';

const INVOKE_CHANNEL: typeof ContractInvokeChannel = 'keel:invoke';
const EVENT_CHANNEL: typeof ContractEventChannel = 'keel:event';

const bridge: KeelBridge = {
  invoke(method: string, params: unknown): Promise<InvokeOutcome> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, params) as Promise<InvokeOutcome>;
  },
  on(listener: (topic: string, data: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('keel.on needs a listener function');
    const forward = (_event: IpcRendererEvent, topic: unknown, data: unknown): void => {
      if (typeof topic === 'string') listener(topic, data);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('keel', bridge);
