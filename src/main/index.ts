/**
 * Electron entry and the desktop composition root: hardens the app, takes the
 * single-instance lock, builds the engine through createKeel, serves its
 * contract to the window over IPC, arms the emergency controls that work
 * without the window (global hotkey, Trading menu, tray) and shuts the engine
 * down before the process exits. Everything here is wiring; behaviour lives in
 * the modules it wires.
 */
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { createKeel } from './app';
import { serveContractOverIpc, type IpcTransport } from './host/ipcTransport';
import { installProcessGuard } from './host/processGuard';
import { enableGlobalShortcutsPortal, installEmergencyHotkey } from './shell/emergencyHotkey';
import { shownByShell } from './shell/emergencyControl';
import { installApplicationMenu } from './shell/menu';
import { installPriceAlertNotices } from './shell/priceAlertNotice';
import { applyDataDirOverride, isRendererUrl, preloadPath, resolveRenderer, userDataDir } from './shell/paths';
import { installAppSecurity } from './shell/security';
import { processReadings } from './shell/appMetrics';
import { installTradingMenu, type TradingMenuSync } from './shell/tradingMenu';
import { installTray, trayIconPath } from './shell/tray';
import { createTrustedSenderCheck } from './shell/trustedSender';
import { createMainWindow } from './shell/window';
import { errorText } from '../shared/errors';

/** electron-builder.yml `appId`. */
const WINDOWS_APP_ID = 'com.keel.workstation';

/** A journal that cannot close in this long is abandoned rather than hanging the quit forever. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

type Keel = Awaited<ReturnType<typeof createKeel>>;

function errorMessage(error: unknown): string {
  return errorText(error);
}

function startupHint(message: string): string {
  return /NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(message)
    ? '\n\nThe SQLite module is built for Node rather than Electron. Run `node scripts/native-abi.mjs electron` and start again.'
    : '';
}

function seedFromEnv(): { seed: number } | Record<string, never> {
  const raw = process.env.KEEL_SEED;
  if (raw === undefined || raw === '') return {};
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`KEEL_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return { seed };
}

function main(): void {
  // First of all: a stray exception must not take the emergency controls down with it.
  installProcessGuard({ log: (message) => console.error(message), onError: (error) => keel?.onUnexpectedError(error) });
  try {
    applyDataDirOverride();
  } catch (error) {
    console.error(`[keel] ${errorMessage(error)}`);
    app.exit(2);
    return;
  }

  // The lock is keyed on the user-data folder, so it comes after the override.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const dev = !app.isPackaged;
  const renderer = resolveRenderer({
    isPackaged: app.isPackaged,
    devUrl: process.env.ELECTRON_RENDERER_URL,
    warn: (message) => console.warn(`[keel] ${message}`),
  });
  installAppSecurity({ isAllowedNavigation: (url) => isRendererUrl(url, renderer) });
  enableGlobalShortcutsPortal();
  // Windows shows notifications (the emergency-stop outcome) only for an app
  // whose id matches its Start-menu shortcut: electron-builder's appId.
  if (process.platform === 'win32') app.setAppUserModelId(WINDOWS_APP_ID);

  let mainWindow: BrowserWindow | null = null;
  let keel: Keel | null = null;
  let transport: IpcTransport | null = null;
  /** Undo functions of the emergency controls, released once the engine is shut down. */
  let releaseControls: Array<() => void> = [];
  let quitState: 'running' | 'shutting-down' | 'done' = 'running';

  const webContents = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null);

  const openWindow = (): void => {
    const win = createMainWindow({ renderer, preloadPath: preloadPath(), devTools: dev });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };

  const focusWindow = (): void => {
    if (!keel || quitState !== 'running') return;
    if (!mainWindow || mainWindow.isDestroyed()) {
      openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  const start = async (): Promise<void> => {
    await app.whenReady();
    installApplicationMenu({ dev });
    try {
      keel = await createKeel({
        dataDir: userDataDir(),
        mode: 'desktop',
        // The hotkey, tray and menu tell their stop's outcome by a notice of their own, shown even with the window hidden.
        emergencyShownByShell: shownByShell,
        ...seedFromEnv(),
        processMetrics: () => processReadings(app.getAppMetrics(), process.pid),
      });
    } catch (error) {
      const message = errorMessage(error);
      console.error('[keel] the engine could not start:', error);
      dialog.showErrorBox('Keel could not start', `${message}${startupHint(message)}`);
      quitState = 'done';
      app.exit(1);
      return;
    }
    if (quitState !== 'running') return;
    transport = serveContractOverIpc({
      server: keel.server,
      ipcMain,
      getWebContents: webContents,
      isTrustedSender: createTrustedSenderCheck({ getWebContents: webContents, renderer }),
    });
    armEmergencyControls(keel);
    // A price alert that fires with no window open gets a desktop notification from here; a window announces its own.
    releaseControls.push(
      installPriceAlertNotices({
        bus: keel.engine.bus,
        windowOpen: () => !!mainWindow && !mainWindow.isDestroyed(),
        focusWindow,
      }),
    );
    openWindow();
  };

  // Armed before the window opens: stopping trading must never depend on the renderer.
  const armEmergencyControls = ({ engine }: Keel): void => {
    let menu: TradingMenuSync | null = null;
    const hotkey = installEmergencyHotkey({
      control: engine,
      focusWindow,
      onStatusChange: () => menu?.refresh(),
    });
    menu = installTradingMenu({ menu: { dev }, control: engine, hotkeyStatus: hotkey.status, focusWindow });
    releaseControls = [menu.dispose, hotkey.dispose];
    // The tray is one more way in, not a reason to keep Keel from starting.
    try {
      const tray = installTray({
        control: engine,
        iconPath: trayIconPath({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
        showWindow: focusWindow,
        quit: () => app.quit(),
      });
      releaseControls.unshift(tray.dispose);
    } catch (error) {
      console.error('[keel] the tray icon could not be created:', error);
    }
  };
  const started = start();

  const shutdown = async (): Promise<void> => {
    // A quit during start-up waits for the engine to exist, then closes it.
    await started.catch(() => undefined);
    transport?.close();
    transport = null;
    const engine = keel;
    keel = null;
    if (!engine) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SHUTDOWN_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([engine.shutdown().then(() => 'closed' as const), timedOut]);
      if (outcome === 'timeout') console.error(`[keel] engine shutdown took over ${SHUTDOWN_TIMEOUT_MS} ms; quitting anyway`);
    } catch (error) {
      console.error('[keel] engine shutdown failed:', error);
    } finally {
      clearTimeout(timer);
    }
    // Only now: until the engine has closed, the trader may still need to stop trading from the hotkey, tray or menu.
    for (const release of releaseControls) release();
    releaseControls = [];
  };

  app.on('second-instance', focusWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) focusWindow();
  });
  app.on('window-all-closed', () => {
    // macOS keeps the app (and the engine) alive without windows; `activate` reopens one.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitState === 'done') return;
    event.preventDefault();
    if (quitState === 'shutting-down') return;
    quitState = 'shutting-down';
    void shutdown().finally(() => {
      quitState = 'done';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

main();
