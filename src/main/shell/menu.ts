/**
 * The application menu. Built from standard roles so accelerators and
 * platform conventions (the macOS app menu, Edit shortcuts that text fields
 * rely on) come for free. Force-reload and DevTools exist in development only.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  dev: boolean;
  platform?: NodeJS.Platform;
  appName?: string;
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

  return [...(mac ? [macAppMenu] : []), file, edit, view, window, help];
}

export function installApplicationMenu(options: MenuOptions): void {
  app.setAboutPanelOptions({
    applicationName: options.appName ?? 'Keel',
    applicationVersion: app.getVersion(),
    copyright: 'Keel trading workstation',
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
