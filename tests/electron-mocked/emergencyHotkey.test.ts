/**
 * The global emergency hotkey against a fake globalShortcut and a fake engine:
 * registration and its failures, re-registration on settings.updated, a
 * callback that calls the engine synchronously, the outcome notification, and
 * release on quit.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { emergencyReport, fakeEngine, settle, type FakeEngine } from './fakeEngine';
import { enableGlobalShortcutsPortal, installEmergencyHotkey, type EmergencyHotkeyOptions } from '../../src/main/shell/emergencyHotkey';
import { parseAccelerator } from '../../src/shared/accelerator';
import type { HotkeyStatus } from '../../src/shared/risk';

vi.mock('electron', () => import('./fakeElectron'));

const DEFAULT = 'CommandOrControl+Shift+X';
let logs: string[];

beforeEach(() => {
  fake.resetFakeElectron();
  logs = [];
});

function install(engine: FakeEngine, options: Partial<EmergencyHotkeyOptions> = {}) {
  return installEmergencyHotkey({ control: engine, log: (message) => logs.push(message), ...options });
}

function pressWithin(engine: FakeEngine, accelerator: string): void {
  engine.within(() => fake.press(accelerator));
}

describe('emergency hotkey: registration', () => {
  it('registers the configured default accelerator at start and reports it armed', () => {
    const engine = fakeEngine();
    const hotkey = install(engine);
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(1);
    expect(fake.globalShortcut.register).toHaveBeenCalledWith(DEFAULT, expect.any(Function));
    const armed: HotkeyStatus = { accelerator: DEFAULT, registered: true, scope: 'global', reason: null };
    expect(engine.setHotkeyStatus).toHaveBeenCalledTimes(1);
    expect(engine.lastStatus()).toEqual(armed);
    expect(hotkey.status()).toEqual(armed);
  });

  it('registers whatever accelerator the settings hold, in its normalized form', () => {
    const engine = fakeEngine({ emergencyHotkey: 'ctrl+alt+k' });
    install(engine);
    expect(fake.globalShortcut.register).toHaveBeenCalledWith('Control+Alt+K', expect.any(Function));
    expect(engine.lastStatus()).toMatchObject({ accelerator: 'Control+Alt+K', registered: true });
  });

  it('reports a hotkey another application holds, with the reason the banner shows', () => {
    fake.heldElsewhere.add(DEFAULT);
    const engine = fakeEngine();
    const hotkey = install(engine);
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(1);
    const status: HotkeyStatus = {
      accelerator: DEFAULT,
      registered: false,
      scope: 'global',
      reason: `Another application holds ${DEFAULT}; choose another in Settings`,
    };
    expect(engine.lastStatus()).toEqual(status);
    expect(hotkey.status()).toEqual(status);
    expect(fake.registeredShortcuts.size).toBe(0);
  });

  it('reports a registration that throws as not registered, with Electron’s message', () => {
    fake.globalShortcut.register.mockImplementationOnce(() => {
      throw new Error('conversion failure');
    });
    const engine = fakeEngine();
    install(engine);
    expect(engine.lastStatus()).toMatchObject({ accelerator: DEFAULT, registered: false, scope: 'global' });
    expect(engine.lastStatus()?.reason).toContain('conversion failure');
    expect(engine.lastStatus()?.reason).toContain('choose another in Settings');
  });

  it('refuses a reserved accelerator without offering it to the OS', () => {
    const engine = fakeEngine({ emergencyHotkey: 'Shift+Escape' });
    install(engine);
    expect(fake.globalShortcut.register).not.toHaveBeenCalled();
    const parsed = parseAccelerator('Shift+Escape');
    if (parsed.ok) throw new Error('Shift+Escape should be reserved');
    expect(engine.lastStatus()).toEqual({ accelerator: 'Shift+Escape', registered: false, scope: 'global', reason: parsed.reason });
  });

  it('refuses a malformed accelerator without offering it to the OS', () => {
    const engine = fakeEngine({ emergencyHotkey: 'Ctrl+' });
    install(engine);
    expect(fake.globalShortcut.register).not.toHaveBeenCalled();
    expect(engine.lastStatus()).toMatchObject({ accelerator: 'Ctrl+', registered: false });
    expect(engine.lastStatus()?.reason).toMatch(/modifier and a key/);
  });
});

describe('emergency hotkey: the key press', () => {
  it('calls engine.emergencyStop inside the OS callback, before anything is awaited', () => {
    const engine = fakeEngine();
    install(engine);
    pressWithin(engine, DEFAULT);
    expect(engine.emergencyStop).toHaveBeenCalledTimes(1);
    expect(engine.emergencyStop).toHaveBeenCalledWith({ flatten: false, trigger: 'hotkey' });
    expect(engine.calledWithin).toEqual([true]);
  });

  it('flattens when the settings say so, read at the moment of the press', () => {
    const engine = fakeEngine({ emergencyFlattenByDefault: true });
    install(engine);
    pressWithin(engine, DEFAULT);
    expect(engine.emergencyStop).toHaveBeenLastCalledWith({ flatten: true, trigger: 'hotkey' });

    engine.updateSettings({ emergencyFlattenByDefault: false });
    pressWithin(engine, DEFAULT);
    expect(engine.emergencyStop).toHaveBeenLastCalledWith({ flatten: false, trigger: 'hotkey' });
    expect(engine.calledWithin).toEqual([true, true]);
  });

  it('still stops, cancel-only, when the settings cannot be read at the press', () => {
    const engine = fakeEngine({ emergencyFlattenByDefault: true });
    install(engine);
    engine.settings.mockImplementation(() => {
      throw new Error('settings unavailable');
    });
    pressWithin(engine, DEFAULT);
    expect(engine.emergencyStop).toHaveBeenCalledWith({ flatten: false, trigger: 'hotkey' });
    expect(logs.join('\n')).toContain('cancel-only');
  });

  it('needs no window: nothing goes through the renderer or IPC', () => {
    const engine = fakeEngine();
    install(engine);
    pressWithin(engine, DEFAULT);
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handle).not.toHaveBeenCalled();
    expect(engine.emergencyStop).toHaveBeenCalledTimes(1);
  });

  it('shows a notification with the outcome once the stop completes', async () => {
    const engine = fakeEngine({ emergencyFlattenByDefault: true }, emergencyReport({ ordersCanceled: 4, positionsClosed: 2 }));
    const focusWindow = vi.fn();
    install(engine, { focusWindow });
    pressWithin(engine, DEFAULT);
    // Not before the stop has answered.
    expect(fake.FakeNotification.instances).toHaveLength(0);
    await settle();
    expect(fake.FakeNotification.instances).toHaveLength(1);
    const notification = fake.FakeNotification.instances[0]!;
    expect(notification.shown).toBe(true);
    expect(notification.options.title).toBe('Keel: trading halted');
    expect(notification.options.body).toContain('4 orders canceled');
    expect(notification.options.body).toContain('2 positions closed');
    notification.emit('click');
    expect(focusWindow).toHaveBeenCalledTimes(1);
  });

  it('says loudly when the venues left actions unconfirmed', async () => {
    const report = emergencyReport({
      ordersCanceled: 1,
      complete: false,
      unconfirmed: [
        { kind: 'cancel', venue: 'paper', target: 'o-7', reason: 'timeout' },
        { kind: 'cancel', venue: 'paper', target: 'o-8', reason: 'timeout' },
      ],
    });
    const engine = fakeEngine({}, report);
    install(engine);
    pressWithin(engine, DEFAULT);
    await settle();
    const notification = fake.FakeNotification.instances[0]!;
    expect(notification.options.title).toContain('2 unconfirmed');
    expect(notification.options.urgency).toBe('critical');
    expect(notification.options.body).toContain('1 order canceled');
    expect(notification.options.body).toContain('positions left open');
  });

  it('shows no notification where the platform has none, and the stop still runs', async () => {
    fake.FakeNotification.isSupported.mockReturnValue(false);
    const engine = fakeEngine();
    install(engine);
    pressWithin(engine, DEFAULT);
    await settle();
    expect(engine.emergencyStop).toHaveBeenCalledTimes(1);
    expect(fake.FakeNotification.instances).toHaveLength(0);
  });

  it('catches a rejected stop, logs it and tells the trader it failed', async () => {
    const engine = fakeEngine();
    engine.emergencyStop.mockRejectedValueOnce(new Error('journal closed'));
    install(engine);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      pressWithin(engine, DEFAULT);
      await settle();
      await settle();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
    expect(logs.join('\n')).toContain('emergency stop (hotkey) failed');
    expect(fake.FakeNotification.instances[0]?.options.title).toBe('Keel: emergency stop FAILED');
    expect(fake.FakeNotification.instances[0]?.options.body).toContain('journal closed');
  });

  it('survives an emergencyStop that throws synchronously', async () => {
    const engine = fakeEngine();
    engine.emergencyStop.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    install(engine);
    expect(() => pressWithin(engine, DEFAULT)).not.toThrow();
    await settle();
    expect(logs.join('\n')).toContain('emergency stop (hotkey) failed');
  });
});

describe('emergency hotkey: settings changes', () => {
  it('registers the new accelerator, then releases the old one', () => {
    const engine = fakeEngine();
    install(engine);
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    expect(fake.globalShortcut.register).toHaveBeenLastCalledWith('Alt+Shift+K', expect.any(Function));
    expect(fake.globalShortcut.unregister).toHaveBeenCalledWith(DEFAULT);
    // No gap: the new key is held before the old one is let go.
    expect(fake.globalShortcut.register.mock.invocationCallOrder[1]).toBeLessThan(
      fake.globalShortcut.unregister.mock.invocationCallOrder[0]!,
    );
    expect([...fake.registeredShortcuts.keys()]).toEqual(['Alt+Shift+K']);
    expect(engine.lastStatus()).toEqual({ accelerator: 'Alt+Shift+K', registered: true, scope: 'global', reason: null });

    pressWithin(engine, 'Alt+Shift+K');
    expect(engine.emergencyStop).toHaveBeenCalledWith({ flatten: false, trigger: 'hotkey' });
    expect(() => fake.press(DEFAULT)).toThrow(/not registered/);
  });

  it('when the new accelerator is taken, releases the old one too and reports no hotkey armed', () => {
    const engine = fakeEngine();
    const hotkey = install(engine);
    fake.heldElsewhere.add('Alt+Shift+K');
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    expect(fake.globalShortcut.unregister).toHaveBeenCalledWith(DEFAULT);
    expect(fake.registeredShortcuts.size).toBe(0);
    expect(hotkey.status()).toEqual({
      accelerator: 'Alt+Shift+K',
      registered: false,
      scope: 'global',
      reason: 'Another application holds Alt+Shift+K; choose another in Settings',
    });

    // Choosing a free one arms it again.
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+J' });
    expect(hotkey.status()).toMatchObject({ accelerator: 'Alt+Shift+J', registered: true, reason: null });
    expect([...fake.registeredShortcuts.keys()]).toEqual(['Alt+Shift+J']);
  });

  it('releases the old accelerator when the new one is reserved', () => {
    const engine = fakeEngine();
    install(engine);
    engine.updateSettings({ emergencyHotkey: 'Shift+Escape' });
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(1);
    expect(fake.globalShortcut.unregister).toHaveBeenCalledWith(DEFAULT);
    expect(engine.lastStatus()).toMatchObject({ accelerator: 'Shift+Escape', registered: false });
  });

  it('does not churn the OS registration when other settings change', () => {
    const engine = fakeEngine();
    install(engine);
    engine.updateSettings({ emergencyFlattenByDefault: true });
    engine.updateSettings({ emergencyHotkey: 'CmdOrCtrl+Shift+X' }); // same combination, other spelling
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(1);
    expect(fake.globalShortcut.unregister).not.toHaveBeenCalled();
    expect(engine.setHotkeyStatus).toHaveBeenCalledTimes(1);
  });

  it('retries the same accelerator after a failure, e.g. once the other app let it go', () => {
    fake.heldElsewhere.add(DEFAULT);
    const engine = fakeEngine();
    install(engine);
    fake.heldElsewhere.delete(DEFAULT);
    engine.updateSettings({ emergencyHotkey: DEFAULT });
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(2);
    expect(engine.lastStatus()).toMatchObject({ registered: true, reason: null });
  });

  it('tells its listener about every status change', () => {
    const engine = fakeEngine();
    const onStatusChange = vi.fn();
    install(engine, { onStatusChange });
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    expect(onStatusChange.mock.calls.map(([status]) => (status as HotkeyStatus).accelerator)).toEqual([DEFAULT, 'Alt+Shift+K']);
  });
});

describe('emergency hotkey: quitting', () => {
  it('releases the shortcut on will-quit and stops following settings', () => {
    const engine = fakeEngine();
    install(engine);
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    expect(fake.globalShortcut.unregister).toHaveBeenCalledWith(DEFAULT);
    expect(fake.registeredShortcuts.size).toBe(0);
    engine.updateSettings({ emergencyHotkey: 'Alt+Shift+K' });
    expect(fake.globalShortcut.register).toHaveBeenCalledTimes(1);
    expect(fake.app.listenerCount('will-quit')).toBe(0);
  });

  it('dispose releases once, however often it is called', () => {
    const engine = fakeEngine();
    const hotkey = install(engine);
    hotkey.dispose();
    hotkey.dispose();
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    expect(fake.globalShortcut.unregister).toHaveBeenCalledTimes(1);
  });
});

describe('Wayland global shortcuts', () => {
  it('turns on the desktop portal on Linux, keeping features already asked for', () => {
    fake.app.commandLine.switches.set('enable-features', 'Foo,Bar');
    enableGlobalShortcutsPortal('linux');
    expect(fake.app.commandLine.appendSwitch).toHaveBeenCalledWith('enable-features', 'Foo,Bar,GlobalShortcutsPortal');
  });

  it('does nothing elsewhere', () => {
    enableGlobalShortcutsPortal('darwin');
    enableGlobalShortcutsPortal('win32');
    expect(fake.app.commandLine.appendSwitch).not.toHaveBeenCalled();
  });
});
