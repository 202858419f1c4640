/**
 * A small stand-in for the parts of `electron` the shell, the preload and the
 * entry use, so they can be tested without the Electron binary. Each test file
 * mocks `electron` with this module (`vi.mock('electron', () => import('./fakeElectron'))`)
 * and inspects what the code under test did to it. `resetFakeElectron()`
 * restores a clean state between tests.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, NotificationConstructorOptions } from 'electron';
import { vi } from 'vitest';

export interface FakeFrame {
  processId: number;
  routingId: number;
  parent: FakeFrame | null;
  url: string;
}

export interface HeadersDetails {
  url: string;
  resourceType?: string;
  responseHeaders?: Record<string, string[]>;
}
export type HeadersCallback = (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void;

export class FakeSession {
  headersListener: ((details: HeadersDetails, callback: HeadersCallback) => void) | null = null;
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null =
    null;
  permissionCheckHandler: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: (details: HeadersDetails, callback: HeadersCallback) => void) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = handler;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly session = new FakeSession();
  readonly mainFrame: FakeFrame = { processId: 7, routingId: this.id * 10, parent: null, url: '' };
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** A child frame of the main frame, e.g. an injected iframe. */
  subframe(url: string): FakeFrame {
    return { processId: this.mainFrame.processId, routingId: this.mainFrame.routingId + 1, parent: this.mainFrame, url };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }

  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(path: string): Promise<void> {
    this.loadedFile = path;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly enableSandbox = vi.fn();
  readonly getPath = vi.fn((name: string) => `/fake/${name}`);
  readonly setPath = vi.fn();
  readonly getVersion = vi.fn(() => '0.1.0');
  readonly setAboutPanelOptions = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly whenReady = vi.fn(() => Promise.resolve());
  readonly quit = vi.fn(() => {
    // Like Electron: quit asks first; a listener may cancel with preventDefault().
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitCompleted = true;
  });
  readonly exit = vi.fn();
  readonly getAppPath = vi.fn(() => '/fake/app');
  readonly setAppUserModelId = vi.fn();
  /** What Electron reports of its processes: the browser (main) process, a window's renderer and the GPU process. */
  readonly getAppMetrics = vi.fn(() => [
    { pid: process.pid, type: 'Browser', creationTime: 0, cpu: { percentCPUUsage: 3, idleWakeupsPerSecond: 0 }, memory: { workingSetSize: 90_000, peakWorkingSetSize: 90_000 }, sandboxed: false },
    { pid: 4242, type: 'Tab', creationTime: 0, cpu: { percentCPUUsage: 12.5, idleWakeupsPerSecond: 0 }, memory: { workingSetSize: 150_000, peakWorkingSetSize: 160_000 }, sandboxed: true },
    { pid: 4243, type: 'GPU', creationTime: 0, cpu: { percentCPUUsage: 1.5, idleWakeupsPerSecond: 0 }, memory: { workingSetSize: 80_000, peakWorkingSetSize: 80_000 }, sandboxed: true },
  ]);
  readonly commandLine = new FakeCommandLine();
  quitCompleted = false;
}

class FakeCommandLine {
  readonly switches = new Map<string, string>();
  readonly appendSwitch = vi.fn((name: string, value = '') => {
    this.switches.set(name, value);
  });
  readonly getSwitchValue = vi.fn((name: string) => this.switches.get(name) ?? '');
}

export let app = new FakeApp();

export const Menu = {
  buildFromTemplate: vi.fn((template: MenuItemConstructorOptions[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export const dialog = { showErrorBox: vi.fn() };

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMainHandlers = new Map<string, InvokeHandler>();
export const ipcMain = {
  handle: vi.fn((channel: string, handler: InvokeHandler) => {
    if (ipcMainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMainHandlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMainHandlers.delete(channel);
  }),
};

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn((_channel: string, ..._args: unknown[]) => Promise.resolve<unknown>({ ok: true, result: 'pong' }));
}
export let ipcRenderer = new FakeIpcRenderer();

export const exposedInMainWorld = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposedInMainWorld.set(key, api);
  }),
};

export const BrowserWindow = FakeBrowserWindow;

/**
 * globalShortcut: `register` succeeds unless the accelerator is in
 * `heldElsewhere` (another app owns it, so Electron answers false); a test can
 * also make it throw with mockImplementationOnce. `press` fires a registered
 * shortcut the way the OS would.
 */
export const registeredShortcuts = new Map<string, () => void>();
export const heldElsewhere = new Set<string>();
function registerShortcut(accelerator: string, callback: () => void): boolean {
  if (heldElsewhere.has(accelerator) || registeredShortcuts.has(accelerator)) return false;
  registeredShortcuts.set(accelerator, callback);
  return true;
}
export const globalShortcut = {
  register: vi.fn(registerShortcut),
  unregister: vi.fn((accelerator: string) => {
    registeredShortcuts.delete(accelerator);
  }),
  unregisterAll: vi.fn(() => {
    registeredShortcuts.clear();
  }),
  isRegistered: vi.fn((accelerator: string) => registeredShortcuts.has(accelerator)),
};
export function press(accelerator: string): void {
  const callback = registeredShortcuts.get(accelerator);
  if (!callback) throw new Error(`${accelerator} is not registered`);
  callback();
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static readonly isSupported = vi.fn(() => true);
  shown = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
}
export const Notification = FakeNotification;

export class FakeNativeImage {
  constructor(
    readonly path: string,
    private readonly empty: boolean,
  ) {}
  isEmpty(): boolean {
    return this.empty;
  }
}
export const nativeImage = {
  /** Like Electron: a missing file gives an empty image, not an error. */
  createFromPath: vi.fn((path: string) => new FakeNativeImage(path, path.includes('missing'))),
};

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  toolTip = '';
  contextMenu: { template: MenuItemConstructorOptions[] } | null = null;
  destroyed = false;
  constructor(readonly image: FakeNativeImage) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}
export const Tray = FakeTray;

export function resetFakeElectron(): void {
  app = new FakeApp();
  ipcRenderer = new FakeIpcRenderer();
  FakeBrowserWindow.instances = [];
  FakeNotification.instances = [];
  FakeNotification.isSupported.mockReset();
  FakeNotification.isSupported.mockReturnValue(true);
  FakeTray.instances = [];
  registeredShortcuts.clear();
  heldElsewhere.clear();
  ipcMainHandlers.clear();
  exposedInMainWorld.clear();
  for (const fn of [
    Menu.buildFromTemplate,
    Menu.setApplicationMenu,
    dialog.showErrorBox,
    ipcMain.handle,
    ipcMain.removeHandler,
    contextBridge.exposeInMainWorld,
    globalShortcut.unregister,
    globalShortcut.unregisterAll,
    globalShortcut.isRegistered,
    nativeImage.createFromPath,
  ]) {
    fn.mockClear();
  }
  // register may have a test's one-off implementation queued (a throw); drop it.
  globalShortcut.register.mockReset();
  globalShortcut.register.mockImplementation(registerShortcut);
}

/** An Electron-like event whose preventDefault can be observed. */
export function fakeEvent<T extends object>(fields: T): T & { preventDefault: ReturnType<typeof vi.fn>; defaultPrevented: () => boolean } {
  const preventDefault = vi.fn();
  return Object.assign(fields, { preventDefault, defaultPrevented: () => preventDefault.mock.calls.length > 0 });
}
