/**
 * The Electron entry (src/main/index.ts) with electron and the engine mocked:
 * start-up order, the single-instance lock, IPC wiring, the emergency
 * controls (global hotkey, Trading menu, tray) armed once the engine exists,
 * and a quit that waits for the engine to shut down before releasing them.
 */
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../src/shared/contract';
import type { ContractServer } from '../../src/main/host/contractServer';
import * as fakeElectron from './fakeElectron';
import { fakeEngine } from './fakeEngine';
// Instantiates the `electron` mock now, from the same fakeElectron instance as
// above; the mock then survives vi.resetModules() and the entry sees this fake.
import 'electron';

const engine = vi.hoisted(() => ({
  createKeel: vi.fn(),
}));

vi.mock('electron', () => import('./fakeElectron'));
vi.mock('../../src/main/app', () => ({ createKeel: engine.createKeel }));

type Fake = typeof fakeElectron;

const ENV_KEYS = ['ELECTRON_RENDERER_URL', 'KEEL_SEED', 'KEEL_DATA_DIR'] as const;
const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};
let signals: string[] = [];
let savedResourcesPath: string;

function setResourcesPath(value: string): void {
  Object.defineProperty(process, 'resourcesPath', { value, configurable: true, writable: true });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeKeel(shutdown: () => Promise<void> = () => Promise.resolve()) {
  const server: ContractServer = {
    invoke: vi.fn(async () => ({ ok: true as const, result: 'ok' })),
    onEvent: vi.fn(() => () => undefined),
  };
  return { engine: fakeEngine(), server, shutdown: vi.fn(shutdown) };
}

/**
 * Resets the fake electron, lets `configure` set it up, then runs a fresh copy
 * of the entry. (The mocked `electron` module itself survives resetModules, so
 * the fake is reset in place rather than re-imported.)
 */
async function boot(configure: (fake: Fake) => void = () => undefined): Promise<Fake> {
  vi.resetModules();
  const fake = fakeElectron;
  fake.resetFakeElectron();
  const mocked = (await import('electron')) as unknown as Fake;
  if (mocked.app !== fake.app) throw new Error('the entry would see a different fake electron than the test');
  configure(fake);
  await import('../../src/main/index');
  return fake;
}

/** One macrotask turn: every promise chain the entry has under way runs to its next real wait; no time passes. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  for (const key of ENV_KEYS) {
    savedEnv[key] = process.env[key];
    delete process.env[key];
  }
  engine.createKeel.mockReset();
  // Electron sets process.resourcesPath; plain Node (this test worker) does not.
  savedResourcesPath = process.resourcesPath;
  setResourcesPath('/fake/resources');
  signals = [];
  const realOn = process.on.bind(process);
  // The entry quits on SIGINT/SIGTERM; the test worker must keep its own signal handling.
  vi.spyOn(process, 'on').mockImplementation(((event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (event === 'SIGINT' || event === 'SIGTERM') {
      signals.push(event);
      return process;
    }
    return realOn(event, listener);
  }) as typeof process.on);
});

afterEach(() => {
  setResourcesPath(savedResourcesPath);
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  vi.restoreAllMocks();
});

describe('Electron entry', () => {
  it('hardens the app, starts the engine in userData, serves IPC and opens the built renderer', async () => {
    const keel = fakeKeel();
    engine.createKeel.mockResolvedValue(keel);
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));

    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(engine.createKeel).toHaveBeenCalledWith({ dataDir: '/fake/userData', mode: 'desktop', processMetrics: expect.any(Function), emergencyShownByShell: expect.any(Function) });
    // The stops the hotkey, tray and menu fire are told by the shell's own notice; the alert of any other keeps its desktop notice.
    const { emergencyShownByShell } = engine.createKeel.mock.calls[0]![0] as { emergencyShownByShell: (trigger: string) => boolean };
    expect(['hotkey', 'tray', 'menu', 'button', 'api'].map(emergencyShownByShell)).toEqual([true, true, true, false, false]);
    // The system monitor sees the renderer and GPU processes through Electron; the main process it measures itself.
    const options = engine.createKeel.mock.calls[0]![0] as { processMetrics: () => unknown };
    expect(options.processMetrics()).toEqual([
      { kind: 'renderer', label: 'Renderer', pid: 4242, cpuPercent: 12.5, memoryBytes: 150_000 * 1024 },
      { kind: 'gpu', label: 'GPU', pid: 4243, cpuPercent: 1.5, memoryBytes: 80_000 * 1024 },
    ]);
    expect(fake.ipcMainHandlers.has(IPC_INVOKE_CHANNEL)).toBe(true);
    // Once at ready (Trading disabled), again when the engine exists (Trading live).
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledTimes(2);
    expect(signals.sort()).toEqual(['SIGINT', 'SIGTERM']);

    const win = fake.FakeBrowserWindow.instances[0]!;
    expect(win.loadedFile).toMatch(/renderer[\\/]index\.html$/);
    expect(win.options.webPreferences?.preload).toMatch(/preload[\\/]index\.js$/);
    expect(win.options.webPreferences?.devTools).toBe(true); // unpackaged = development

    // The served handler really reaches the engine for our own window.
    const handler = fake.ipcMainHandlers.get(IPC_INVOKE_CHANNEL)!;
    win.webContents.mainFrame.url = `file://${win.loadedFile}`;
    const outcome = await handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, 'system.info', {});
    expect(outcome).toEqual({ ok: true, result: 'ok' });
    expect(keel.server.invoke).toHaveBeenCalledWith('system.info', {});
  });

  it('loads the dev server when electron-vite provides one', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    engine.createKeel.mockResolvedValue(fakeKeel());
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    expect(fake.FakeBrowserWindow.instances[0]!.loadedUrl).toBe('http://localhost:5173/');
  });

  it('never loads the dev server when packaged', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    engine.createKeel.mockResolvedValue(fakeKeel());
    const fake = await boot((f) => {
      f.app.isPackaged = true;
    });
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    const win = fake.FakeBrowserWindow.instances[0]!;
    expect(win.loadedUrl).toBeNull();
    expect(win.options.webPreferences?.devTools).toBe(false);
  });

  it('passes KEEL_SEED and KEEL_DATA_DIR through, moving userData before taking the lock', async () => {
    process.env.KEEL_SEED = '7';
    process.env.KEEL_DATA_DIR = '/tmp/keel-e2e';
    engine.createKeel.mockResolvedValue(fakeKeel());
    const fake = await boot((f) => {
      f.app.getPath.mockImplementation((name: string) => (name === 'userData' ? '/tmp/keel-e2e' : `/fake/${name}`));
    });
    await vi.waitFor(() => expect(engine.createKeel).toHaveBeenCalled());
    expect(engine.createKeel).toHaveBeenCalledWith({ dataDir: '/tmp/keel-e2e', mode: 'desktop', seed: 7, processMetrics: expect.any(Function), emergencyShownByShell: expect.any(Function) });
    expect(fake.app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      fake.app.requestSingleInstanceLock.mock.invocationCallOrder[0]!,
    );
  });

  it('a second instance quits at once and starts nothing', async () => {
    const fake = await boot((f) => {
      f.app.requestSingleInstanceLock.mockReturnValue(false);
    });
    await settle();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(engine.createKeel).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('the first instance brings its window back when a second one starts', async () => {
    engine.createKeel.mockResolvedValue(fakeKeel());
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    const win = fake.FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    fake.app.emit('second-instance', {}, ['keel'], '/');
    expect(win.minimized).toBe(false);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('quitting waits for the engine to shut down, once, and then quits for real', async () => {
    const gate = deferred();
    const keel = fakeKeel(() => gate.promise);
    engine.createKeel.mockResolvedValue(keel);
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));

    fake.app.quit();
    expect(fake.app.quitCompleted).toBe(false);
    await settle();
    expect(keel.shutdown).toHaveBeenCalledTimes(1);
    expect(fake.ipcMainHandlers.has(IPC_INVOKE_CHANNEL)).toBe(false);

    fake.app.quit(); // impatient second quit while shutting down
    await settle();
    expect(fake.app.quitCompleted).toBe(false);
    expect(keel.shutdown).toHaveBeenCalledTimes(1);

    gate.resolve();
    await vi.waitFor(() => expect(fake.app.quitCompleted).toBe(true));
    expect(keel.shutdown).toHaveBeenCalledTimes(1);
  });

  it('still quits when the engine shutdown fails', async () => {
    const keel = fakeKeel(() => Promise.reject(new Error('disk gone')));
    engine.createKeel.mockResolvedValue(keel);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    fake.app.quit();
    await vi.waitFor(() => expect(fake.app.quitCompleted).toBe(true));
  });

  it('closing the last window quits on Linux and Windows', async () => {
    engine.createKeel.mockResolvedValue(fakeKeel());
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    fake.app.quit.mockImplementation(() => undefined);
    fake.app.emit('window-all-closed');
    if (process.platform === 'darwin') expect(fake.app.quit).not.toHaveBeenCalled();
    else expect(fake.app.quit).toHaveBeenCalledTimes(1);
  });

  it('arms the global hotkey, the Trading menu and the tray once the engine exists, before the window', async () => {
    const keel = fakeKeel();
    engine.createKeel.mockResolvedValue(keel);
    let windowsWhenRegistered: number | null = null;
    const fake = await boot((f) => {
      f.globalShortcut.register.mockImplementationOnce(() => {
        windowsWhenRegistered = f.FakeBrowserWindow.instances.length;
        return true;
      });
    });
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));

    expect(fake.globalShortcut.register).toHaveBeenCalledWith('CommandOrControl+Shift+X', expect.any(Function));
    expect(windowsWhenRegistered).toBe(0);
    expect(keel.engine.lastStatus()).toEqual({ accelerator: 'CommandOrControl+Shift+X', registered: true, scope: 'global', reason: null });

    const tray = fake.FakeTray.instances[0];
    expect(tray?.toolTip).toBe('Keel');
    expect(tray?.image.path).toBe(join('/fake/app', 'resources', 'tray.png'));

    const installed = fake.Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as { template: MenuItemConstructorOptions[] } | undefined;
    const trading = installed?.template.find((m) => m.label === '&Trading');
    const items = Array.isArray(trading?.submenu) ? trading.submenu : [];
    expect(items[0]).toMatchObject({ label: 'Emergency stop', enabled: true, accelerator: 'CommandOrControl+Shift+X' });

    if (process.platform === 'linux') {
      expect(fake.app.commandLine.appendSwitch).toHaveBeenCalledWith('enable-features', 'GlobalShortcutsPortal');
    }
  });

  it('gives Windows the app id its notifications need', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
    try {
      engine.createKeel.mockResolvedValue(fakeKeel());
      const fake = await boot();
      expect(fake.app.setAppUserModelId).toHaveBeenCalledWith('com.keel.workstation');
      expect(fake.app.commandLine.appendSwitch).not.toHaveBeenCalled();
      await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  it('starts even when the tray cannot be created', async () => {
    engine.createKeel.mockResolvedValue(fakeKeel());
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = await boot((f) => {
      f.nativeImage.createFromPath.mockImplementationOnce(() => {
        throw new Error('no image support');
      });
    });
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    expect(fake.FakeTray.instances).toHaveLength(0);
    expect(fake.registeredShortcuts.has('CommandOrControl+Shift+X')).toBe(true);
  });

  it('the hotkey stops trading through the engine with no window open at all', async () => {
    const keel = fakeKeel();
    engine.createKeel.mockResolvedValue(keel);
    const fake = await boot((f) => {
      // Keep the app alive with its window closed, as on macOS.
      f.app.quit.mockImplementation(() => undefined);
    });
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    fake.FakeBrowserWindow.instances[0]!.close();

    keel.engine.within(() => fake.press('CommandOrControl+Shift+X'));
    expect(keel.engine.emergencyStop).toHaveBeenCalledWith({ flatten: false, trigger: 'hotkey' });
    expect(keel.engine.calledWithin).toEqual([true]);
    expect(keel.server.invoke).not.toHaveBeenCalled();
  });

  it('keeps the emergency controls armed while the engine shuts down, then releases them', async () => {
    const gate = deferred();
    const keel = fakeKeel(() => gate.promise);
    engine.createKeel.mockResolvedValue(keel);
    const fake = await boot();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));

    fake.app.quit();
    await settle();
    expect(keel.shutdown).toHaveBeenCalledTimes(1);
    // Open orders may still be canceled on the way out.
    keel.engine.within(() => fake.press('CommandOrControl+Shift+X'));
    expect(keel.engine.emergencyStop).toHaveBeenCalledTimes(1);
    expect(fake.FakeTray.instances[0]?.destroyed).toBe(false);

    gate.resolve();
    await vi.waitFor(() => expect(fake.app.quitCompleted).toBe(true));
    expect(fake.globalShortcut.unregister).toHaveBeenCalledWith('CommandOrControl+Shift+X');
    expect(fake.registeredShortcuts.size).toBe(0);
    expect(fake.FakeTray.instances[0]?.destroyed).toBe(true);
  });

  it('an engine that cannot start is reported in a dialog with a hint, and the app exits', async () => {
    engine.createKeel.mockRejectedValue(
      new Error('better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115'),
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = await boot();
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1));
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith(
      'Keel could not start',
      expect.stringContaining('native-abi.mjs electron'),
    );
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
  });
});
