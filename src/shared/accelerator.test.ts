import { describe, expect, it } from 'vitest';
import { matchesKeyEvent, parseAccelerator } from './accelerator';

const press = (over: Partial<{ key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({
  key: 'x',
  code: 'KeyX',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe('accelerators', () => {
  it('accepts the default and normalizes aliases', () => {
    expect(parseAccelerator('CommandOrControl+Shift+X')).toMatchObject({ ok: true, text: 'CommandOrControl+Shift+X' });
    expect(parseAccelerator('shift+cmdorctrl+x')).toMatchObject({ ok: true, text: 'CommandOrControl+Shift+X' });
    expect(parseAccelerator('Ctrl+Alt+F9')).toMatchObject({ ok: true, text: 'Control+Alt+F9' });
  });

  it('refuses Escape-style combinations other apps own, saying why', () => {
    for (const text of ['Shift+Escape', 'Ctrl+Esc', 'Alt+F4', 'Alt+Tab', 'CommandOrControl+Q', 'Ctrl+C', 'Control+Alt+Delete', 'Ctrl+PrintScreen']) {
      const result = parseAccelerator(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/cannot be used/);
    }
  });

  it('refuses malformed text', () => {
    for (const text of ['X', '', 'Ctrl+', 'Hyper+X', 'Ctrl+Ctrl+X', 'Shift+X', 'Ctrl+Shift+Banana']) {
      expect(parseAccelerator(text).ok, text).toBe(false);
    }
  });

  it('matches key presses in the window, Ctrl on Linux and Cmd on macOS', () => {
    const result = parseAccelerator('CommandOrControl+Shift+X');
    if (!result.ok) throw new Error(result.reason);
    const a = result.accelerator;
    expect(matchesKeyEvent(a, press({ key: 'X', ctrlKey: true, shiftKey: true }), false)).toBe(true);
    expect(matchesKeyEvent(a, press({ key: 'X', metaKey: true, shiftKey: true }), true)).toBe(true);
    expect(matchesKeyEvent(a, press({ key: 'X', metaKey: true, shiftKey: true }), false)).toBe(false);
    expect(matchesKeyEvent(a, press({ key: 'x', ctrlKey: true }), false)).toBe(false);
    expect(matchesKeyEvent(a, press({ key: 'Y', code: 'KeyY', ctrlKey: true, shiftKey: true }), false)).toBe(false);
    expect(matchesKeyEvent(a, press({ key: 'X', ctrlKey: true, shiftKey: true, altKey: true }), false)).toBe(false);
  });
});
