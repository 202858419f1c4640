/**
 * The application menu's Trading items: what they show (the armed hotkey, on
 * the item it triggers, never registered by the menu itself), what they do
 * (the engine directly; re-arm only focuses the window), and that the menu is
 * rebuilt when the settings or the hotkey's registration change.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { fakeEngine, settle, type FakeEngine } from './fakeEngine';
import { installEmergencyHotkey } from '../../src/main/shell/emergencyHotkey';
import { menuTemplate, TRADING_LABELS, type TradingMenu } from '../../src/main/shell/menu';
import { installTradingMenu, type TradingMenuSync } from '../../src/main/shell/tradingMenu';

vi.mock('electron', () => import('./fakeElectron'));

beforeEach(() => fake.resetFakeElectron());

function tradingItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const trading = template.find((m) => m.label === '&Trading');
  if (!trading || !Array.isArray(trading.submenu)) throw new Error('no Trading menu');
  return trading.submenu;
}

function item(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no item "${label}"`);
  return found;
}

function click(target: MenuItemConstructorOptions): void {
  const handler = target.click as unknown as (() => void) | undefined;
  if (!handler) throw new Error(`"${target.label}" has no click handler`);
  handler();
}

/** The Trading items of the menu most recently installed. */
function installedTrading(): MenuItemConstructorOptions[] {
  const template = fake.Menu.buildFromTemplate.mock.calls.at(-1)?.[0];
  if (!template) throw new Error('no menu built');
  expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();
  return tradingItems(template);
}

function trading(overrides: Partial<TradingMenu> = {}): TradingMenu {
  return { hotkey: 'CommandOrControl+Shift+X', flattenByDefault: false, emergencyStop: vi.fn(), rearm: vi.fn(), ...overrides };
}

describe('Trading menu template', () => {
  it('has Emergency stop, Emergency stop and flatten, and Re-arm trading…', () => {
    const items = tradingItems(menuTemplate({ dev: false, platform: 'linux', trading: trading() }));
    expect(items.map((i) => (i.type === 'separator' ? '---' : i.label))).toEqual([
      'Emergency stop',
      'Emergency stop and flatten',
      '---',
      'Re-arm trading…',
    ]);
    expect(items.every((i) => i.enabled !== false)).toBe(true);
  });

  it('sits between View and Window on macOS as well', () => {
    const labels = menuTemplate({ dev: false, platform: 'darwin', trading: trading() }).map((m) => m.label ?? m.role);
    expect(labels).toEqual(['Keel', '&File', '&Edit', '&View', '&Trading', '&Window', 'help']);
  });

  it('shows the hotkey beside the item it triggers, without registering it in the menu', () => {
    const cancelOnly = tradingItems(menuTemplate({ dev: false, trading: trading({ flattenByDefault: false }) }));
    expect(item(cancelOnly, TRADING_LABELS.stop)).toMatchObject({ accelerator: 'CommandOrControl+Shift+X', registerAccelerator: false });
    expect(item(cancelOnly, TRADING_LABELS.flatten).accelerator).toBeUndefined();

    const flattening = tradingItems(menuTemplate({ dev: false, trading: trading({ flattenByDefault: true }) }));
    expect(item(flattening, TRADING_LABELS.flatten)).toMatchObject({ accelerator: 'CommandOrControl+Shift+X', registerAccelerator: false });
    expect(item(flattening, TRADING_LABELS.stop).accelerator).toBeUndefined();
  });

  it('shows no accelerator when the hotkey is not armed, and says so', () => {
    const items = tradingItems(menuTemplate({ dev: false, trading: trading({ hotkey: null }) }));
    expect(items.some((i) => i.accelerator !== undefined)).toBe(false);
    expect(item(items, TRADING_LABELS.hotkeyInactive).enabled).toBe(false);
  });

  it('is disabled while the engine is starting', () => {
    const items = tradingItems(menuTemplate({ dev: false }));
    for (const label of [TRADING_LABELS.stop, TRADING_LABELS.flatten, TRADING_LABELS.rearm]) {
      expect(item(items, label).enabled, label).toBe(false);
    }
  });

  it('routes clicks: the two stops with their flatten, re-arm only to the window', () => {
    const menu = trading();
    const items = tradingItems(menuTemplate({ dev: false, trading: menu }));
    click(item(items, TRADING_LABELS.stop));
    click(item(items, TRADING_LABELS.flatten));
    expect(vi.mocked(menu.emergencyStop).mock.calls).toEqual([[false], [true]]);
    click(item(items, TRADING_LABELS.rearm));
    expect(menu.rearm).toHaveBeenCalledTimes(1);
    expect(menu.emergencyStop).toHaveBeenCalledTimes(2);
  });
});

describe('installed Trading menu', () => {
  function setup(engine: FakeEngine): { menu: TradingMenuSync; focusWindow: ReturnType<typeof vi.fn> } {
    const focusWindow = vi.fn();
    let menu: TradingMenuSync | null = null;
    // Wired as the entry wires it: a hotkey status change rebuilds the menu.
    const hotkey = installEmergencyHotkey({ control: engine, focusWindow, onStatusChange: () => menu?.refresh(), log: () => undefined });
    menu = installTradingMenu({ menu: { dev: false, platform: 'linux' }, control: engine, hotkeyStatus: hotkey.status, focusWindow });
    return { menu, focusWindow };
  }

  it('stops trading from the menu by calling the engine directly', async () => {
    const engine = fakeEngine();
    setup(engine);
    engine.within(() => click(item(installedTrading(), TRADING_LABELS.stop)));
    engine.within(() => click(item(installedTrading(), TRADING_LABELS.flatten)));
    expect(engine.emergencyStop.mock.calls).toEqual([[{ flatten: false, trigger: 'menu' }], [{ flatten: true, trigger: 'menu' }]]);
    expect(engine.calledWithin).toEqual([true, true]);
    await settle();
    expect(fake.FakeNotification.instances).toHaveLength(2);
  });

  it('re-arm only brings the window forward', () => {
    const engine = fakeEngine();
    const { focusWindow } = setup(engine);
    click(item(installedTrading(), TRADING_LABELS.rearm));
    expect(focusWindow).toHaveBeenCalledTimes(1);
    expect(engine.emergencyStop).not.toHaveBeenCalled();
  });

  it('is rebuilt with the new hotkey when the settings change', () => {
    const engine = fakeEngine();
    setup(engine);
    expect(item(installedTrading(), TRADING_LABELS.stop).accelerator).toBe('CommandOrControl+Shift+X');
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    expect(item(installedTrading(), TRADING_LABELS.stop).accelerator).toBe('Alt+Shift+K');
  });

  it('moves the hotkey to the flatten item when the hotkey starts flattening', () => {
    const engine = fakeEngine();
    setup(engine);
    engine.updateSettings({ emergencyFlattenByDefault: true });
    const items = installedTrading();
    expect(item(items, TRADING_LABELS.flatten).accelerator).toBe('CommandOrControl+Shift+X');
    expect(item(items, TRADING_LABELS.stop).accelerator).toBeUndefined();
  });

  it('drops the accelerator when the new hotkey could not be registered', () => {
    const engine = fakeEngine();
    setup(engine);
    fake.heldElsewhere.add('Alt+Shift+K');
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    const items = installedTrading();
    expect(items.some((i) => i.accelerator !== undefined)).toBe(false);
    expect(item(items, TRADING_LABELS.hotkeyInactive)).toBeDefined();
  });

  it('after dispose, leaves the Trading items disabled and stops following settings', () => {
    const engine = fakeEngine();
    const { menu } = setup(engine);
    menu.dispose();
    const items = installedTrading();
    expect(item(items, TRADING_LABELS.stop).enabled).toBe(false);
    const builds = fake.Menu.buildFromTemplate.mock.calls.length;
    engine.updateSettings({ emergencyFlattenByDefault: true });
    expect(fake.Menu.buildFromTemplate.mock.calls.length).toBe(builds);
  });
});
