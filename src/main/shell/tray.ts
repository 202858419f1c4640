/**
 * The tray (menu-bar) icon: a second way to stop trading that needs neither
 * the window nor the keyboard. Its emergency items call the engine directly,
 * like the global hotkey; "Show Keel" and "Quit" reach the app. The icon is
 * resources/tray.png (16 px) with tray@2x.png (32 px), which Electron picks on
 * high-DPI screens; scripts/generate-tray-icons.mjs draws them.
 */
import { join } from 'node:path';
import { nativeImage, Menu, Tray, type MenuItemConstructorOptions } from 'electron';
import { fireEmergencyStop, type EmergencyControl } from './emergencyControl';
import { emergencyNotices } from './emergencyNotice';

export const TRAY_ICON_FILE = 'tray.png';

export const TRAY_LABELS = {
  cancel: 'Emergency stop — cancel all orders',
  flatten: 'Emergency stop — cancel and flatten',
  show: 'Show Keel',
  quit: 'Quit',
} as const;

/**
 * Where the tray icon is: beside the app's resources when packaged (the
 * package must ship resources/tray*.png as extra resources), the repository's
 * resources/ folder when run from source.
 */
export function trayIconPath(location: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return location.isPackaged ? join(location.resourcesPath, TRAY_ICON_FILE) : join(location.appPath, 'resources', TRAY_ICON_FILE);
}

export interface TrayOptions {
  control: EmergencyControl;
  iconPath: string;
  showWindow: () => void;
  quit: () => void;
  platform?: NodeJS.Platform;
  log?: (message: string, error?: unknown) => void;
}

export interface KeelTray {
  dispose(): void;
}

export function trayMenuTemplate(options: Pick<TrayOptions, 'control' | 'showWindow' | 'quit' | 'log'>): MenuItemConstructorOptions[] {
  const notices = emergencyNotices({ onClick: options.showWindow });
  const handlers = options.log ? { ...notices, log: options.log } : notices;
  const stop = (flatten: boolean) => (): void => {
    void fireEmergencyStop(options.control, { flatten, trigger: 'tray' }, handlers);
  };
  return [
    { label: TRAY_LABELS.cancel, click: stop(false) },
    { label: TRAY_LABELS.flatten, click: stop(true) },
    { type: 'separator' },
    { label: TRAY_LABELS.show, click: () => options.showWindow() },
    { label: TRAY_LABELS.quit, click: () => options.quit() },
  ];
}

/** Must run after `app` is ready. */
export function installTray(options: TrayOptions): KeelTray {
  const log = options.log ?? ((message: string) => console.warn(`[keel:tray] ${message}`));
  const icon = nativeImage.createFromPath(options.iconPath);
  // An empty image still gives a working (if invisible on some desktops) tray; say why it looks blank.
  if (icon.isEmpty()) log(`tray icon not found at ${options.iconPath}`);
  const tray = new Tray(icon);
  tray.setToolTip('Keel');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(options)));
  // Windows users expect a left click on the tray icon to bring the app back;
  // elsewhere a click opens the menu, and raising the window too would be in the way.
  if ((options.platform ?? process.platform) === 'win32') tray.on('click', () => options.showWindow());
  let disposed = false;
  return {
    dispose: () => {
      if (disposed) return;
      disposed = true;
      tray.destroy();
    },
  };
}
