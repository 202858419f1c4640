/**
 * Keyboard accelerators for the emergency stop, in Electron's syntax
 * ("CommandOrControl+Shift+X"). One parser serves the shell (global
 * shortcut), the settings validation and the in-window hotkey, so the three
 * never disagree about what a combination means.
 */

const MODIFIER_ALIASES: Record<string, Modifier> = {
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  control: 'Control',
  ctrl: 'Control',
  command: 'Command',
  cmd: 'Command',
  super: 'Super',
  meta: 'Super',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
};

export type Modifier = 'CommandOrControl' | 'Control' | 'Command' | 'Super' | 'Alt' | 'AltGr' | 'Shift';

const NAMED_KEYS = new Set([
  'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12',
  'Space', 'Tab', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter', 'Up', 'Down', 'Left', 'Right',
  'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen', 'Pause',
]);

export interface Accelerator {
  modifiers: Modifier[];
  /** Upper-case letter, digit, or a named key ("F5", "Space"). */
  key: string;
}

export type AcceleratorCheck = { ok: true; accelerator: Accelerator; text: string } | { ok: false; reason: string };

/**
 * Combinations the operating system or every app already owns. Taking them
 * would either fail silently or break something the trader relies on.
 */
const RESERVED: Array<{ test: (a: Accelerator) => boolean; why: string }> = [
  { test: (a) => a.key === 'Escape', why: 'Escape belongs to every dialog and app' },
  { test: (a) => a.key === 'F4' && has(a, 'Alt'), why: 'Alt+F4 closes windows' },
  { test: (a) => a.key === 'Tab' && (has(a, 'Alt') || has(a, 'Command') || has(a, 'CommandOrControl')), why: 'it switches applications' },
  { test: (a) => a.key === 'Delete' && has(a, 'Control') && has(a, 'Alt'), why: 'Ctrl+Alt+Delete belongs to the OS' },
  { test: (a) => a.key === 'Space' && (has(a, 'Command') || has(a, 'CommandOrControl')) && a.modifiers.length === 1, why: 'it opens the system search' },
  { test: (a) => a.key === 'PrintScreen', why: 'the OS takes screenshots with it' },
  {
    test: (a) => a.modifiers.length === 1 && isPrimary(a.modifiers[0]!) && ['C', 'V', 'X', 'A', 'Z', 'Y', 'Q', 'W', 'S', 'N', 'T', 'R', 'F'].includes(a.key),
    why: 'every app uses it (copy, paste, quit, close, save...)',
  },
];

function has(a: Accelerator, m: Modifier): boolean {
  return a.modifiers.includes(m);
}

function isPrimary(m: Modifier): boolean {
  return m === 'CommandOrControl' || m === 'Control' || m === 'Command';
}

export function parseAccelerator(text: string): AcceleratorCheck {
  const parts = text.split('+').map((p) => p.trim());
  if (parts.length < 2 || parts.some((p) => p === '')) {
    return { ok: false, reason: `"${text}" needs at least one modifier and a key, such as "CommandOrControl+Shift+X"` };
  }
  const modifiers: Modifier[] = [];
  for (const part of parts.slice(0, -1)) {
    const modifier = MODIFIER_ALIASES[part.toLowerCase()];
    if (!modifier) return { ok: false, reason: `"${part}" is not a modifier (use CommandOrControl, Control, Alt, Shift or Super)` };
    if (modifiers.includes(modifier)) return { ok: false, reason: `"${part}" appears twice` };
    modifiers.push(modifier);
  }
  const rawKey = parts.at(-1)!;
  const key = normalizeKey(rawKey);
  if (!key) return { ok: false, reason: `"${rawKey}" is not a key Keel can bind` };
  const accelerator = { modifiers, key };
  const reserved = RESERVED.find((r) => r.test(accelerator));
  if (reserved) return { ok: false, reason: `${formatAccelerator(accelerator)} cannot be used: ${reserved.why}` };
  if (modifiers.every((m) => m === 'Shift')) {
    return { ok: false, reason: 'Shift alone is not enough: it would fire while typing' };
  }
  return { ok: true, accelerator, text: formatAccelerator(accelerator) };
}

function normalizeKey(raw: string): string | null {
  if (/^[a-z0-9]$/i.test(raw)) return raw.toUpperCase();
  const named = [...NAMED_KEYS].find((k) => k.toLowerCase() === raw.toLowerCase());
  if (!named) return null;
  if (named === 'Esc') return 'Escape';
  if (named === 'Return') return 'Enter';
  return named;
}

export function formatAccelerator(a: Accelerator): string {
  const order: Modifier[] = ['CommandOrControl', 'Control', 'Command', 'Super', 'Alt', 'AltGr', 'Shift'];
  return [...order.filter((m) => a.modifiers.includes(m)), a.key].join('+');
}

/** The fields of a DOM KeyboardEvent the matcher reads. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** True when a key press in the window is this accelerator (for the in-window trigger). */
export function matchesKeyEvent(a: Accelerator, event: KeyLike, isMac: boolean): boolean {
  const wantCtrl = has(a, 'Control') || (has(a, 'CommandOrControl') && !isMac);
  const wantMeta = has(a, 'Command') || has(a, 'Super') || (has(a, 'CommandOrControl') && isMac);
  const wantAlt = has(a, 'Alt') || has(a, 'AltGr');
  if (event.ctrlKey !== wantCtrl || event.metaKey !== wantMeta || event.altKey !== wantAlt || event.shiftKey !== has(a, 'Shift')) {
    return false;
  }
  // With Shift held, event.key is the shifted character; event.code names the physical key.
  if (/^[A-Z]$/.test(a.key)) return event.code === `Key${a.key}` || event.key.toUpperCase() === a.key;
  if (/^[0-9]$/.test(a.key)) return event.code === `Digit${a.key}` || event.key === a.key;
  const named: Record<string, string> = { Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight', Space: ' ' };
  return event.key === (named[a.key] ?? a.key);
}
