import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventTopic, type InvokeOutcome } from '../../shared/contract';
import type { ContractServer, EventListener } from './contractServer';
import type { Schedule } from './eventCoalescer';
import { serveContractOverIpc, type EventSink, type IpcMainLike } from './ipcTransport';

interface FakeEvent {
  trusted: boolean;
}
type Handler = (event: FakeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike<FakeEvent> = {
    handle(channel, handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const call = async (event: FakeEvent, ...args: unknown[]): Promise<InvokeOutcome> => {
    const handler = handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler registered');
    return (await handler(event, ...args)) as InvokeOutcome;
  };
  return { ipcMain, handlers, call };
}

function fakeServer(impl?: ContractServer['invoke']) {
  const listeners = new Set<EventListener>();
  const invoke = vi.fn<ContractServer['invoke']>(impl ?? (async (method) => ({ ok: true, result: { echoed: method } })));
  const server: ContractServer = {
    invoke,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (topic: EventTopic, data: unknown) => {
    for (const l of listeners) l(topic, data);
  };
  return { server, invoke, emit, listeners };
}

function fakeWebContents() {
  const sent: unknown[][] = [];
  let destroyed = false;
  const wc: EventSink = {
    send: (channel, ...args) => sent.push([channel, ...args]),
    isDestroyed: () => destroyed,
  };
  return {
    wc,
    sent,
    destroy() {
      destroyed = true;
    },
  };
}

function manualSchedule() {
  const pending: Array<() => void> = [];
  const schedule: Schedule = (fn) => {
    pending.push(fn);
    return () => {
      const i = pending.indexOf(fn);
      if (i >= 0) pending.splice(i, 1);
    };
  };
  return {
    schedule,
    runAll() {
      for (const fn of pending.splice(0)) fn();
    },
  };
}

function setup(opts: { invoke?: ContractServer['invoke']; window?: boolean } = {}) {
  const ipc = fakeIpcMain();
  const srv = fakeServer(opts.invoke);
  const web = fakeWebContents();
  const clock = manualSchedule();
  const logs: string[] = [];
  const transport = serveContractOverIpc<FakeEvent>({
    server: srv.server,
    ipcMain: ipc.ipcMain,
    getWebContents: () => (opts.window === false ? null : web.wc),
    isTrustedSender: (event) => event.trusted,
    schedule: clock.schedule,
    log: (message) => logs.push(message),
  });
  return { ...ipc, ...srv, ...web, clock, logs, transport };
}

describe('serveContractOverIpc: invoke', () => {
  it('answers a trusted invoke with the server outcome', async () => {
    const t = setup();
    const outcome = await t.call({ trusted: true }, 'system.info', {});
    expect(outcome).toEqual({ ok: true, result: { echoed: 'system.info' } });
    expect(t.invoke).toHaveBeenCalledWith('system.info', {});
  });

  it('refuses an untrusted sender with UNAUTHORIZED and never calls the server', async () => {
    const t = setup();
    const outcome = await t.call({ trusted: false }, 'orders.place', { secret: 'x' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(t.invoke).not.toHaveBeenCalled();
    expect(t.logs.join('\n')).toContain('"orders.place"');
    expect(t.logs.join('\n')).not.toContain('secret');
  });

  it('treats a sender check that throws as untrusted', async () => {
    const ipc = fakeIpcMain();
    const srv = fakeServer();
    serveContractOverIpc<FakeEvent>({
      server: srv.server,
      ipcMain: ipc.ipcMain,
      getWebContents: () => null,
      isTrustedSender: () => {
        throw new Error('frame gone');
      },
      log: () => undefined,
    });
    const outcome = await ipc.call({ trusted: true }, 'system.info', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(srv.invoke).not.toHaveBeenCalled();
  });

  it('rejects a non-string method name without reaching the server', async () => {
    const t = setup();
    const outcome = await t.call({ trusted: true }, { toString: 'x' }, {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(t.invoke).not.toHaveBeenCalled();
  });

  it('turns a server that throws into an INTERNAL outcome instead of a rejected invoke', async () => {
    const t = setup({
      invoke: async () => {
        throw new Error('db path /home/me/secret');
      },
    });
    const outcome = await t.call({ trusted: true }, 'orders.list', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(outcome)).not.toContain('secret');
  });

  it('passes typed errors from the server through unchanged', async () => {
    const err: InvokeOutcome = { ok: false, error: { code: 'RISK_REJECTED', message: 'too big', data: { limit: '1' } } };
    const t = setup({ invoke: async () => err });
    expect(await t.call({ trusted: true }, 'orders.place', {})).toEqual(err);
  });
});

describe('serveContractOverIpc: events', () => {
  it('sends non-coalesced events immediately and in order on the event channel', () => {
    const t = setup();
    t.emit('orders.updated', { id: 'a' });
    t.emit('fills.new', { tradeId: '1' });
    t.emit('orders.updated', { id: 'b' });
    expect(t.sent).toEqual([
      [IPC_EVENT_CHANNEL, 'orders.updated', { id: 'a' }],
      [IPC_EVENT_CHANNEL, 'fills.new', { tradeId: '1' }],
      [IPC_EVENT_CHANNEL, 'orders.updated', { id: 'b' }],
    ]);
  });

  it('coalesces coalesced topics to the latest value per key until the frame flushes', () => {
    const t = setup();
    t.emit('market.tick', { venue: 'paper', symbol: 'BTC/USDT', last: '1' });
    t.emit('market.tick', { venue: 'paper', symbol: 'BTC/USDT', last: '2' });
    t.emit('market.tick', { venue: 'paper', symbol: 'ETH/USDT', last: '9' });
    expect(t.sent).toEqual([]);
    t.clock.runAll();
    expect(t.sent).toEqual([
      [IPC_EVENT_CHANNEL, 'market.tick', { venue: 'paper', symbol: 'BTC/USDT', last: '2' }],
      [IPC_EVENT_CHANNEL, 'market.tick', { venue: 'paper', symbol: 'ETH/USDT', last: '9' }],
    ]);
  });

  it('sends nothing while there is no window or the window is destroyed', () => {
    const none = setup({ window: false });
    none.emit('orders.updated', { id: 'a' });
    expect(none.sent).toEqual([]);

    const t = setup();
    t.destroy();
    t.emit('orders.updated', { id: 'a' });
    expect(t.sent).toEqual([]);
  });

  it('close() removes the handler, unsubscribes and drops pending frames', () => {
    const t = setup();
    t.emit('market.tick', { venue: 'paper', symbol: 'BTC/USDT', last: '1' });
    t.transport.close();
    t.transport.close();
    expect(t.handlers.has(IPC_INVOKE_CHANNEL)).toBe(false);
    expect(t.listeners.size).toBe(0);
    t.clock.runAll();
    expect(t.sent).toEqual([]);
  });
});
