/**
 * The IPC sender check end to end on the main side: the real ipcTransport
 * served through (fake) ipcMain, guarded by the real trustedSender check.
 */
import { pathToFileURL } from 'node:url';
import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL, type InvokeOutcome } from '../../src/shared/contract';
import type { ContractServer } from '../../src/main/host/contractServer';
import { serveContractOverIpc } from '../../src/main/host/ipcTransport';
import type { RendererLocation } from '../../src/main/shell/paths';
import { createTrustedSenderCheck, type SenderEvent } from '../../src/main/shell/trustedSender';
import { FakeWebContents, ipcMain, ipcMainHandlers, resetFakeElectron, type FakeFrame } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron'));

const rendererPath = '/opt/keel/out/renderer/index.html';
const fileRenderer: RendererLocation = { kind: 'file', path: rendererPath };
const ourUrl = pathToFileURL(rendererPath).href;

function serve(renderer: RendererLocation = fileRenderer) {
  const ours = new FakeWebContents();
  ours.mainFrame.url = renderer.kind === 'file' ? ourUrl : renderer.url;
  let current: FakeWebContents | null = ours;
  const invoke = vi.fn<ContractServer['invoke']>(async (method) => ({ ok: true, result: { method } }));
  const server: ContractServer = { invoke, onEvent: () => () => undefined };
  const getWebContents = () => current as unknown as WebContents | null;
  const rejections: string[] = [];
  serveContractOverIpc({
    server,
    ipcMain,
    getWebContents,
    isTrustedSender: createTrustedSenderCheck({ getWebContents, renderer, log: (m) => rejections.push(m) }),
    log: () => undefined,
  });
  const call = async (sender: FakeWebContents, frame: FakeFrame | null, method = 'system.info'): Promise<InvokeOutcome> => {
    const handler = ipcMainHandlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('the transport did not register an invoke handler');
    const event = { sender, senderFrame: frame } as unknown as SenderEvent;
    return (await handler(event, method, {})) as InvokeOutcome;
  };
  return {
    ours,
    invoke,
    call,
    rejections,
    closeWindow() {
      current = null;
    },
  };
}

beforeEach(() => resetFakeElectron());

describe('IPC sender check', () => {
  it('answers our main frame on our renderer with the server result', async () => {
    const t = serve();
    expect(await t.call(t.ours, t.ours.mainFrame, 'orders.list')).toEqual({ ok: true, result: { method: 'orders.list' } });
    expect(t.invoke).toHaveBeenCalledTimes(1);
  });

  it('accepts our renderer with a hash route or query', async () => {
    const t = serve();
    t.ours.mainFrame.url = `${ourUrl}?panel=1#/orders`;
    expect(await t.call(t.ours, t.ours.mainFrame)).toMatchObject({ ok: true });
  });

  const untrusted: Array<[string, (t: ReturnType<typeof serve>) => [FakeWebContents, FakeFrame | null]]> = [
    ['a subframe of our window, even at our URL', (t) => [t.ours, t.ours.subframe(ourUrl)]],
    ['our main frame after it navigated to a foreign site', (t) => {
      t.ours.mainFrame.url = 'https://evil.example/';
      return [t.ours, t.ours.mainFrame];
    }],
    ['our main frame on another local file', (t) => {
      t.ours.mainFrame.url = 'file:///tmp/evil.html';
      return [t.ours, t.ours.mainFrame];
    }],
    ['a frame that is gone (senderFrame null)', (t) => [t.ours, null]],
    ['another webContents showing our URL', () => {
      const other = new FakeWebContents();
      other.mainFrame.url = ourUrl;
      return [other, other.mainFrame];
    }],
    ['a frame claiming to be top-level with another routing id', (t) => [
      t.ours,
      { ...t.ours.mainFrame, routingId: t.ours.mainFrame.routingId + 99 },
    ]],
    ['any sender once the window is gone', (t) => {
      t.closeWindow();
      return [t.ours, t.ours.mainFrame];
    }],
  ];

  for (const [name, arrange] of untrusted) {
    it(`refuses ${name} with UNAUTHORIZED and never calls the server`, async () => {
      const t = serve();
      const [sender, frame] = arrange(t);
      const outcome = await t.call(sender, frame, 'orders.place');
      expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(t.invoke).not.toHaveBeenCalled();
      expect(t.rejections).toHaveLength(1);
    });
  }

  it('in development trusts the dev server origin and nothing else', async () => {
    const t = serve({ kind: 'url', url: 'http://localhost:5173/' });
    t.ours.mainFrame.url = 'http://localhost:5173/#/blotter';
    expect(await t.call(t.ours, t.ours.mainFrame)).toMatchObject({ ok: true });

    t.ours.mainFrame.url = 'http://localhost:5174/';
    expect(await t.call(t.ours, t.ours.mainFrame)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    t.ours.mainFrame.url = ourUrl;
    expect(await t.call(t.ours, t.ours.mainFrame)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(t.invoke).toHaveBeenCalledTimes(1);
  });
});
