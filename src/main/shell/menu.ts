/**
 * The application menu. Built from standard roles so accelerators and
 * platform conventions (the macOS app menu, Edit shortcuts that text fields
 * rely on) come for free. Force-reload and DevTools exist in development only.
 * The Trading menu holds the emergency stop; tradingMenu.ts rebuilds the menu
 * when the hotkey or the settings change.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export const TRADING_LABELS = {
  stop: 'Emergency stop',
  flatten: 'Emergency stop and flatten',
  rearm: 'Re-arm trading…',
  hotkeyInactive: 'Global hotkey not active — choose one in Settings',
} as const;

export interface TradingMenu {
  /** The global hotkey while the OS has it armed, else null. Shown beside the item it triggers. */
  hotkey: string | null;
  /** Whether the hotkey also flattens, which decides which item shows it. */
  flattenByDefault: boolean;
  emergencyStop: (flatten: boolean) => void;
  /** Only brings the window forward: re-arming needs the confirmation in the window. */
  rearm: () => void;
}

export interface MenuOptions {
  dev: boolean;
  platform?: NodeJS.Platform;
  appName?: string;
  /** Absent while the engine starts: the Trading items are shown, disabled. */
  trading?: TradingMenu;
}

export function tradingMenu(trading: TradingMenu | undefined): MenuItemConstructorOptions {
  // The label is only a reminder: the global shortcut owns the key. Letting the
  // menu register it too would make the key fire twice when Keel has focus.
  const hotkeyFor = (flatten: boolean): Partial<MenuItemConstructorOptions> =>
    trading?.hotkey && trading.flattenByDefault === flatten ? { accelerator: trading.hotkey, registerAccelerator: false } : {};
  const enabled = trading !== undefined;
  return {
    label: '&Trading',
    submenu: [
      { label: TRADING_LABELS.stop, enabled, ...hotkeyFor(false), click: () => trading?.emergencyStop(false) },
      { label: TRADING_LABELS.flatten, enabled, ...hotkeyFor(true), click: () => trading?.emergencyStop(true) },
      { type: 'separator' },
      { label: TRADING_LABELS.rearm, enabled, click: () => trading?.rearm() },
      ...(trading && trading.hotkey === null
        ? ([{ type: 'separator' }, { label: TRADING_LABELS.hotkeyInactive, enabled: false }] satisfies MenuItemConstructorOptions[])
        : []),
    ],
  };
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = (options.platform ?? process.platform) === 'darwin';
  const appName = options.appName ?? 'Keel';

  const macAppMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [mac ? { role: 'close' } : { role: 'quit' }],
  };

  // Without an Edit menu, copy and paste in the order ticket do not work on macOS.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      // Reloading the view is safe: the engine and its orders live in the main process.
      { role: 'reload' },
      ...(options.dev
        ? ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[])
        : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    label: '&Window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ role: 'about', label: `About ${appName}` }],
  };

  return [...(mac ? [macAppMenu] : []), file, edit, view, tradingMenu(options.trading), window, help];
}

export function installApplicationMenu(options: MenuOptions): void {
  app.setAboutPanelOptions({
    applicationName: options.appName ?? 'Keel',
    applicationVersion: app.getVersion(),
    copyright: 'Keel trading workstation',
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
