/**
 * The tray: its icon, tooltip and menu, emergency items that call the engine
 * directly with the right flatten, and the generated icon files themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { fakeEngine, settle, type FakeEngine } from './fakeEngine';
import { installTray, TRAY_LABELS, trayIconPath, type TrayOptions } from '../../src/main/shell/tray';

vi.mock('electron', () => import('./fakeElectron'));

beforeEach(() => fake.resetFakeElectron());

function install(engine: FakeEngine, overrides: Partial<TrayOptions> = {}) {
  const showWindow = vi.fn();
  const quit = vi.fn();
  const logs: string[] = [];
  const handle = installTray({
    control: engine,
    iconPath: '/opt/keel/resources/tray.png',
    showWindow,
    quit,
    platform: 'linux',
    log: (message) => logs.push(message),
    ...overrides,
  });
  expect(fake.FakeTray.instances).toHaveLength(1);
  const tray = fake.FakeTray.instances[0]!;
  const items = tray.contextMenu?.template ?? [];
  return { handle, tray, items, showWindow, quit, logs };
}

function item(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no tray item "${label}"`);
  return found;
}

/** Clicks a menu item the way Electron does (the arguments are unused by Keel). */
function click(target: MenuItemConstructorOptions): void {
  const handler = target.click as unknown as (() => void) | undefined;
  if (!handler) throw new Error(`"${target.label}" has no click handler`);
  handler();
}

describe('tray', () => {
  it('shows the Keel icon and tooltip', () => {
    const { tray } = install(fakeEngine());
    expect(fake.nativeImage.createFromPath).toHaveBeenCalledWith('/opt/keel/resources/tray.png');
    expect(tray.image.path).toBe('/opt/keel/resources/tray.png');
    expect(tray.toolTip).toBe('Keel');
  });

  it('has the emergency items, a separator, Show Keel and Quit, in that order', () => {
    const { items } = install(fakeEngine());
    expect(items.map((i) => (i.type === 'separator' ? '---' : i.label))).toEqual([
      'Emergency stop — cancel all orders',
      'Emergency stop — cancel and flatten',
      '---',
      'Show Keel',
      'Quit',
    ]);
  });

  it('"cancel all orders" calls engine.emergencyStop directly without flattening', () => {
    const engine = fakeEngine({ emergencyFlattenByDefault: true });
    const { items } = install(engine);
    engine.within(() => click(item(items, TRAY_LABELS.cancel)));
    expect(engine.emergencyStop).toHaveBeenCalledTimes(1);
    expect(engine.emergencyStop).toHaveBeenCalledWith({ flatten: false, trigger: 'tray' });
    expect(engine.calledWithin).toEqual([true]);
  });

  it('"cancel and flatten" calls engine.emergencyStop directly with flatten', () => {
    const engine = fakeEngine({ emergencyFlattenByDefault: false });
    const { items } = install(engine);
    engine.within(() => click(item(items, TRAY_LABELS.flatten)));
    expect(engine.emergencyStop).toHaveBeenCalledWith({ flatten: true, trigger: 'tray' });
    expect(engine.calledWithin).toEqual([true]);
  });

  it('notifies the outcome of a tray stop; clicking the notice shows Keel', async () => {
    const engine = fakeEngine();
    const { items, showWindow } = install(engine);
    click(item(items, TRAY_LABELS.flatten));
    await settle();
    const notification = fake.FakeNotification.instances[0];
    expect(notification?.options.body).toContain('Emergency stop (tray)');
    notification?.emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
  });

  it('Show Keel and Quit reach the app, never the engine', () => {
    const engine = fakeEngine();
    const { items, showWindow, quit } = install(engine);
    click(item(items, TRAY_LABELS.show));
    expect(showWindow).toHaveBeenCalledTimes(1);
    click(item(items, TRAY_LABELS.quit));
    expect(quit).toHaveBeenCalledTimes(1);
    expect(engine.emergencyStop).not.toHaveBeenCalled();
  });

  it('a left click shows Keel on Windows only', () => {
    const windows = install(fakeEngine(), { platform: 'win32' });
    windows.tray.emit('click');
    expect(windows.showWindow).toHaveBeenCalledTimes(1);
    fake.resetFakeElectron();
    const linux = install(fakeEngine(), { platform: 'linux' });
    expect(linux.tray.listenerCount('click')).toBe(0);
  });

  it('says so when the icon file is missing', () => {
    const { logs } = install(fakeEngine(), { iconPath: '/nowhere/missing/tray.png' });
    expect(logs.join('\n')).toContain('/nowhere/missing/tray.png');
  });

  it('is destroyed once by dispose', () => {
    const { handle, tray } = install(fakeEngine());
    handle.dispose();
    handle.dispose();
    expect(tray.destroyed).toBe(true);
  });

  it('finds its icon in resources/ from source and beside the resources when packaged', () => {
    expect(trayIconPath({ isPackaged: false, resourcesPath: '/r', appPath: '/src/keel' })).toBe(join('/src/keel', 'resources', 'tray.png'));
    expect(trayIconPath({ isPackaged: true, resourcesPath: '/opt/Keel/resources', appPath: '/x/app.asar' })).toBe(
      join('/opt/Keel/resources', 'tray.png'),
    );
  });
});

/** Decodes the RGBA PNGs scripts/generate-tray-icons.mjs writes (8-bit RGBA, filter "none"). */
function decodePng(file: string): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | null = null;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error(`${file}: no IHDR`);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([header[8], header[9]]).toEqual([8, 6]); // 8-bit RGBA
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  for (let y = 0; y < height; y++) expect(raw[y * stride]).toBe(0);
  return {
    width,
    height,
    pixel: (x, y) => [...raw.subarray(y * stride + 1 + x * 4, y * stride + 1 + x * 4 + 4)],
  };
}

describe('tray icon files', () => {
  const resources = join(__dirname, '..', '..', 'resources');

  it.each([
    ['tray.png', 16],
    ['tray@2x.png', 32],
  ])('%s is a %ipx amber picture on transparency', (name, size) => {
    const png = decodePng(join(resources, name));
    expect([png.width, png.height]).toEqual([size, size]);
    for (const [x, y] of [[0, 0], [size - 1, 0], [0, size - 1], [size - 1, size - 1]] as const) {
      expect(png.pixel(x, y)[3], `corner ${x},${y}`).toBe(0);
    }
    let opaque = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const [r, g, b, a] = png.pixel(x, y) as [number, number, number, number];
        if (a < 250) continue;
        opaque++;
        // Amber: strong red, medium green, little blue.
        expect(r).toBeGreaterThan(220);
        expect(g).toBeGreaterThan(130);
        expect(g).toBeLessThan(200);
        expect(b).toBeLessThan(80);
      }
    }
    // A visible glyph, not a filled square.
    expect(opaque).toBeGreaterThan(size * size * 0.2);
    expect(opaque).toBeLessThan(size * size * 0.8);
  });
});
