import { describe, expect, it } from 'vitest';
import { parseAccelerator } from '../../../shared/accelerator';
import { DEFAULT_SETTINGS } from '../../../shared/risk';
import {
  acceleratorFromKeyEvent,
  displayAccelerator,
  effectiveFlatten,
  effectiveHotkey,
  hotkeyMatcher,
  isMacPlatform,
  type HotkeyPress,
} from './hotkey';

const press = (patch: Partial<HotkeyPress>): HotkeyPress => ({
  key: 'x',
  code: 'KeyX',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...patch,
});

describe('hotkeyMatcher', () => {
  it('matches CommandOrControl with Ctrl off the Mac and Cmd on it, whatever Shift does to the key', () => {
    const pc = hotkeyMatcher('CommandOrControl+Shift+X', false)!;
    expect(pc(press({ key: 'X', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(pc(press({ key: 'X', metaKey: true, shiftKey: true }))).toBe(false);
    expect(pc(press({ key: 'x', ctrlKey: true }))).toBe(false);
    const mac = hotkeyMatcher('CommandOrControl+Shift+X', true)!;
    expect(mac(press({ key: 'X', metaKey: true, shiftKey: true }))).toBe(true);
    expect(mac(press({ key: 'X', ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('does not fire again on auto-repeat of a held combination', () => {
    const m = hotkeyMatcher('Control+Alt+K', false)!;
    const e = press({ key: 'k', code: 'KeyK', ctrlKey: true, altKey: true });
    expect(m(e)).toBe(true);
    expect(m({ ...e, repeat: true })).toBe(false);
  });

  it('gives no matcher for text the parser refuses', () => {
    expect(hotkeyMatcher('X', false)).toBeNull();
    expect(hotkeyMatcher('Control+C', false)).toBeNull();
    expect(hotkeyMatcher('Hyper+X', false)).toBeNull();
  });
});

describe('effective settings', () => {
  it('prefers saved settings, then the host status, then the default', () => {
    const status = { accelerator: 'Alt+F9', registered: true, scope: 'global' as const, reason: null };
    expect(effectiveHotkey({ ...DEFAULT_SETTINGS, emergencyHotkey: 'Control+Alt+S', emergencyFlattenByDefault: true }, status)).toBe('Control+Alt+S');
    expect(effectiveHotkey(null, status)).toBe('Alt+F9');
    expect(effectiveHotkey(null, null)).toBe(DEFAULT_SETTINGS.emergencyHotkey);
    expect(effectiveFlatten(null)).toBe(DEFAULT_SETTINGS.emergencyFlattenByDefault);
    expect(effectiveFlatten({ ...DEFAULT_SETTINGS, emergencyHotkey: 'x', emergencyFlattenByDefault: true })).toBe(true);
  });
});

describe('displayAccelerator', () => {
  it('writes the combination as the platform does', () => {
    expect(displayAccelerator('CommandOrControl+Shift+X', false)).toBe('Ctrl+Shift+X');
    expect(displayAccelerator('CmdOrCtrl+Shift+X', true)).toBe('⌘⇧X');
    expect(displayAccelerator('nonsense', false)).toBe('nonsense');
  });
});

describe('acceleratorFromKeyEvent', () => {
  it('records the physical key with the primary modifier written portably, and round-trips through the parser', () => {
    const pc = acceleratorFromKeyEvent(press({ key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true }), false);
    expect(pc).toBe('CommandOrControl+Shift+K');
    const mac = acceleratorFromKeyEvent(press({ key: '˚', code: 'KeyK', metaKey: true, altKey: true }), true);
    expect(mac).toBe('CommandOrControl+Alt+K');
    expect(acceleratorFromKeyEvent(press({ key: 'F9', code: 'F9', altKey: true }), false)).toBe('Alt+F9');
    expect(acceleratorFromKeyEvent(press({ key: 'ArrowUp', code: 'ArrowUp', ctrlKey: true, altKey: true }), false)).toBe(
      'CommandOrControl+Alt+Up',
    );
    for (const text of [pc!, mac!]) expect(parseAccelerator(text).ok).toBe(true);
    // A recorded combination matches the very press that produced it.
    const e = press({ key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true });
    expect(hotkeyMatcher(acceleratorFromKeyEvent(e, false)!, false)!(e)).toBe(true);
  });

  it('waits while only modifiers are down', () => {
    expect(acceleratorFromKeyEvent(press({ key: 'Shift', code: 'ShiftLeft', shiftKey: true }), false)).toBeNull();
    expect(acceleratorFromKeyEvent(press({ key: 'Control', code: 'ControlLeft', ctrlKey: true }), false)).toBeNull();
  });
});

describe('isMacPlatform', () => {
  it('recognises the platforms navigator.platform reports', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
    expect(isMacPlatform(undefined)).toBe(false);
  });
});
