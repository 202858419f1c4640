/**
 * Glue between the shared accelerator parser and the window: which
 * accelerator is in force, whether a key press is it, how to show it on this
 * platform, and how to turn a pressed combination into accelerator text (for
 * the settings dialog's "Record"). Parsing and matching themselves live in
 * src/shared/accelerator.ts so the shell, settings and window never disagree.
 */
import { matchesKeyEvent, parseAccelerator, type KeyLike, type Modifier } from '../../../shared/accelerator';
import { DEFAULT_SETTINGS, type HotkeyStatus, type Settings } from '../../../shared/risk';

export function isMacPlatform(platform: string | undefined): boolean {
  return /mac|iphone|ipad|ipod/i.test(platform ?? '');
}

/** The accelerator in force: the saved setting, else what the host reports, else the default. */
export function effectiveHotkey(settings: Settings | null, status: HotkeyStatus | null): string {
  return settings?.emergencyHotkey ?? status?.accelerator ?? DEFAULT_SETTINGS.emergencyHotkey;
}

export function effectiveFlatten(settings: Settings | null): boolean {
  return settings?.emergencyFlattenByDefault ?? DEFAULT_SETTINGS.emergencyFlattenByDefault;
}

export interface HotkeyPress extends KeyLike {
  repeat?: boolean;
}

/**
 * A predicate for key presses that are this accelerator, or null when the
 * text does not parse (then nothing fires: better no hotkey than a wrong one).
 * Auto-repeat of a held combination is not a second press.
 */
export function hotkeyMatcher(text: string, isMac: boolean): ((e: HotkeyPress) => boolean) | null {
  const check = parseAccelerator(text);
  if (!check.ok) return null;
  const accelerator = check.accelerator;
  return (e) => !e.repeat && matchesKeyEvent(accelerator, e, isMac);
}

const MAC_SYMBOL: Record<Modifier, string> = {
  CommandOrControl: '⌘',
  Command: '⌘',
  Super: '⌘',
  Control: '⌃',
  Alt: '⌥',
  AltGr: '⌥',
  Shift: '⇧',
};

const PC_NAME: Record<Modifier, string> = {
  CommandOrControl: 'Ctrl',
  Command: 'Super',
  Super: 'Super',
  Control: 'Ctrl',
  Alt: 'Alt',
  AltGr: 'AltGr',
  Shift: 'Shift',
};

/** "CommandOrControl+Shift+X" as this platform writes it: "Ctrl+Shift+X", or "⌘⇧X" on a Mac. */
export function displayAccelerator(text: string, isMac: boolean): string {
  const check = parseAccelerator(text);
  if (!check.ok) return text;
  const { modifiers, key } = check.accelerator;
  if (isMac) return `${modifiers.map((m) => MAC_SYMBOL[m]).join('')}${key}`;
  return [...modifiers.map((m) => PC_NAME[m]), key].join('+');
}

const CODE_KEYS: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Escape: 'Escape',
  Pause: 'Pause',
};

/**
 * The accelerator text for a key press, or null while only modifiers are
 * down. The primary modifier is written as CommandOrControl so a setting
 * recorded on one platform means the same on the other.
 */
export function acceleratorFromKeyEvent(e: KeyLike, isMac: boolean): string | null {
  const code = e.code ?? '';
  let key: string | null = null;
  if (/^Key[A-Z]$/.test(code)) key = code.slice(3);
  else if (/^Digit[0-9]$/.test(code)) key = code.slice(5);
  else if (/^F([1-9]|1[0-2])$/.test(code)) key = code;
  else if (CODE_KEYS[code]) key = CODE_KEYS[code];
  else if (/^[a-z0-9]$/i.test(e.key)) key = e.key.toUpperCase();
  if (!key) return null;
  const primary = isMac ? e.metaKey : e.ctrlKey;
  const parts: string[] = [];
  if (primary) parts.push('CommandOrControl');
  if (isMac && e.ctrlKey) parts.push('Control');
  if (!isMac && e.metaKey) parts.push('Super');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}
