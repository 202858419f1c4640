import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { serveContractOverIpc } from '../../src/main/host/ipcTransport';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type InvokeOutcome } from '../../src/shared/contract';
import { contractSuite, type ContractClient } from './contractSuite';

// Electron's ipcMain and webContents, mocked down to what the transport touches.
interface FakeIpcEvent {
  senderFrame: { url: string };
}
const handlers = new Map<string, (event: FakeIpcEvent, ...args: unknown[]) => unknown>();
const fakeIpcMain = {
  handle: (channel: string, handler: (event: FakeIpcEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, handler),
  removeHandler: (channel: string) => void handlers.delete(channel),
};

let keel: Keel;
let dataDir: string;
afterAll(async () => {
  await keel?.shutdown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

contractSuite('Electron IPC (electron mocked)', connectIpc, 'manual');

async function connectIpc(): Promise<ContractClient> {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-ipc-'));
  keel = await createKeel({ dataDir, mode: 'desktop', seed: 12, checkResults: true });
  const events: ContractClient['events'] = [];
  const transport = serveContractOverIpc<FakeIpcEvent>({
    server: keel.server,
    ipcMain: fakeIpcMain,
    getWebContents: () => ({
      send: (channel: string, topic: unknown, data: unknown) => {
        if (channel === IPC_EVENT_CHANNEL) events.push({ topic: topic as string, data });
      },
      isDestroyed: () => false,
    }),
    isTrustedSender: (event) => event.senderFrame.url.startsWith('file://'),
  });
  const trusted: FakeIpcEvent = { senderFrame: { url: 'file:///app/out/renderer/index.html' } };
  return {
    events,
    call: async (method, params) => (await handlers.get(IPC_INVOKE_CHANNEL)!(trusted, method, params)) as InvokeOutcome,
    close: async () => transport.close(),
  };
}
