import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type KeelBridge } from '../../src/shared/contract';
import * as fake from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron'));

let bridge: KeelBridge;

beforeAll(async () => {
  fake.resetFakeElectron();
  await import('../../src/preload/index');
  expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  bridge = fake.exposedInMainWorld.get('keel') as KeelBridge;
});

describe('preload', () => {
  it('exposes window.keel and nothing else', () => {
    expect([...fake.exposedInMainWorld.keys()]).toEqual(['keel']);
  });

  it('window.keel has exactly two functions: invoke and on', () => {
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
    // Nothing of Electron leaks through any property of the bridge.
    for (const value of Object.values(bridge)) {
      expect(value).not.toBe(fake.ipcRenderer);
    }
  });

  it('invoke forwards method and params on the invoke channel and resolves the outcome', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { name: 'Keel' } });
    await expect(bridge.invoke('system.info', { a: 1 })).resolves.toEqual({ ok: true, result: { name: 'Keel' } });
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_INVOKE_CHANNEL, 'system.info', { a: 1 });
    expect(IPC_INVOKE_CHANNEL).toBe('keel:invoke');
  });

  it('on delivers (topic, data) without the IPC event, and unsubscribes exactly its own listener', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = bridge.on(first);
    const offSecond = bridge.on(second);
    expect(fake.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(2);

    const ipcEvent = { sender: fake.ipcRenderer, ports: [] };
    fake.ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'orders.updated', { id: 'o1' });
    expect(first).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith('orders.updated', { id: 'o1' });
    expect(first.mock.calls[0]).toHaveLength(2);

    offFirst();
    fake.ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'fills.new', { tradeId: 't' });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);

    offSecond();
    expect(fake.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('ignores malformed event frames', () => {
    const listener = vi.fn();
    const off = bridge.on(listener);
    fake.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 42, 'x');
    expect(listener).not.toHaveBeenCalled();
    off();
  });

  it('listens on nothing but the contract event channel', () => {
    const off = bridge.on(() => undefined);
    expect(fake.ipcRenderer.eventNames()).toEqual([IPC_EVENT_CHANNEL]);
    off();
  });
});
