import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { installApplicationMenu, menuTemplate } from '../../src/main/shell/menu';
import { applyDataDirOverride, isRendererUrl, preloadPath, resolveRenderer, rendererUrl, userDataDir } from '../../src/main/shell/paths';

vi.mock('electron', () => import('./fakeElectron'));

beforeEach(() => fake.resetFakeElectron());

function roles(template: MenuItemConstructorOptions[]): string[] {
  const out: string[] = [];
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.role) out.push(item.role);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return out;
}

function menu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const found = template.find((m) => m.label?.replace('&', '') === label || (label === 'Help' && m.role === 'help'));
  if (!found || !Array.isArray(found.submenu)) throw new Error(`no ${label} menu`);
  return found.submenu;
}

describe('application menu', () => {
  it('has File/Quit, View with reload and zoom, Trading, Window and Help/About', () => {
    const template = menuTemplate({ dev: false, platform: 'linux' });
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Trading', '&Window', 'help']);
    expect(roles(menu(template, 'File'))).toEqual(['quit']);
    expect(roles(menu(template, 'View'))).toEqual(expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut']));
    expect(roles(menu(template, 'Help'))).toEqual(['about']);
    expect(roles(menu(template, 'Edit'))).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll']));
  });

  it('offers DevTools and force-reload in development only', () => {
    expect(roles(menuTemplate({ dev: true, platform: 'linux' }))).toEqual(expect.arrayContaining(['toggleDevTools', 'forceReload']));
    const production = roles(menuTemplate({ dev: false, platform: 'linux' }));
    expect(production).not.toContain('toggleDevTools');
    expect(production).not.toContain('forceReload');
  });

  it('follows macOS conventions there (app menu first, quit inside it)', () => {
    const template = menuTemplate({ dev: false, platform: 'darwin' });
    expect(template[0]?.label).toBe('Keel');
    expect(roles([template[0]!])).toContain('quit');
    expect(roles(menu(template, 'File'))).toEqual(['close']);
  });

  it('installs the menu and the About panel', () => {
    installApplicationMenu({ dev: false, platform: 'linux' });
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    expect(fake.app.setAboutPanelOptions).toHaveBeenCalledWith(expect.objectContaining({ applicationName: 'Keel', applicationVersion: '0.1.0' }));
  });
});

describe('paths', () => {
  it('keeps user data in Electron userData', () => {
    expect(userDataDir()).toBe('/fake/userData');
    expect(fake.app.getPath).toHaveBeenCalledWith('userData');
  });

  it('KEEL_DATA_DIR moves userData, and must be absolute', () => {
    expect(applyDataDirOverride({})).toBeUndefined();
    expect(fake.app.setPath).not.toHaveBeenCalled();
    expect(applyDataDirOverride({ KEEL_DATA_DIR: '/tmp/keel-a' })).toBe('/tmp/keel-a');
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', '/tmp/keel-a');
    expect(() => applyDataDirOverride({ KEEL_DATA_DIR: 'relative/dir' })).toThrow(/absolute/);
  });

  it('puts preload and renderer next to the bundled main', () => {
    expect(preloadPath('/app/out/main')).toBe(join('/app/out/preload/index.js'));
    expect(resolveRenderer({ isPackaged: true, devUrl: undefined, mainDir: '/app/out/main' })).toEqual({
      kind: 'file',
      path: join('/app/out/renderer/index.html'),
    });
  });

  it('uses the dev server only when unpackaged and on loopback', () => {
    const warn = vi.fn();
    expect(resolveRenderer({ isPackaged: false, devUrl: 'http://localhost:5173', mainDir: '/m', warn })).toEqual({
      kind: 'url',
      url: 'http://localhost:5173/',
    });
    expect(resolveRenderer({ isPackaged: true, devUrl: 'http://localhost:5173', mainDir: '/m' }).kind).toBe('file');
    expect(resolveRenderer({ isPackaged: false, devUrl: 'https://evil.example/', mainDir: '/m', warn }).kind).toBe('file');
    expect(resolveRenderer({ isPackaged: false, devUrl: 'file:///etc/passwd', mainDir: '/m', warn }).kind).toBe('file');
    expect(resolveRenderer({ isPackaged: false, devUrl: '::nonsense', mainDir: '/m', warn }).kind).toBe('file');
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('recognises exactly our renderer URL', () => {
    const file = { kind: 'file', path: '/app/out/renderer/index.html' } as const;
    expect(rendererUrl(file)).toBe('file:///app/out/renderer/index.html');
    expect(isRendererUrl('file:///app/out/renderer/index.html#/x', file)).toBe(true);
    expect(isRendererUrl('file:///app/out/renderer/index.htm', file)).toBe(false);
    expect(isRendererUrl('file://host/app/out/renderer/index.html', file)).toBe(false);
    expect(isRendererUrl('keel:///app/out/renderer/index.html', file)).toBe(false);
    expect(isRendererUrl('http://localhost:5173/', file)).toBe(false);
    const dev = { kind: 'url', url: 'http://localhost:5173/' } as const;
    expect(isRendererUrl('http://localhost:5173/any/path', dev)).toBe(true);
    expect(isRendererUrl('http://user:pw@localhost:5173/', dev)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
