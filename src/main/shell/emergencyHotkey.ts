/**
 * The global emergency-stop hotkey: an OS-wide shortcut registered from the
 * main process, so it works with Keel's window unfocused, minimized or its
 * renderer hung. Its callback calls the engine directly (never the renderer,
 * never IPC). Every registration outcome is published as a HotkeyStatus, from
 * which the renderer shows a persistent banner when the hotkey is not armed.
 *
 * Changing the hotkey in Settings: the new accelerator is registered first,
 * and only then is the old one released, so a successful change never leaves
 * a moment without a hotkey. If the new one cannot be registered, the old one
 * is released anyway and the status says the hotkey is not registered. The
 * hotkey Settings shows is then the only one that can ever be armed: keeping
 * the old combination alive behind the trader's back would stop trading from a
 * key they believe they reassigned, and would vanish at the next restart
 * (which only knows the new setting) just when they have come to rely on it.
 * The banner stays until a working hotkey is chosen; the tray, the Trading
 * menu and the in-window hotkey still stop trading meanwhile.
 */
import { app, globalShortcut } from 'electron';
import { parseAccelerator } from '../../shared/accelerator';
import { DEFAULT_SETTINGS, type HotkeyStatus } from '../../shared/risk';
import { fireEmergencyStop, flattenByDefault, onSettingsUpdated, type EmergencyControl } from './emergencyControl';
import { emergencyNotices } from './emergencyNotice';
import { errorText } from '../../shared/errors';

export interface EmergencyHotkeyOptions {
  control: EmergencyControl;
  /** Brings Keel forward when the outcome notification is clicked. */
  focusWindow?: () => void;
  /** Called after each status change (the Trading menu shows the armed hotkey). */
  onStatusChange?: (status: HotkeyStatus) => void;
  log?: (message: string, error?: unknown) => void;
}

export interface EmergencyHotkey {
  status(): HotkeyStatus;
  /** Releases the shortcut and stops following settings. Safe to call twice. */
  dispose(): void;
}

const defaultLog = (message: string, error?: unknown): void => console.warn(`[keel:hotkey] ${message}`, error ?? '');

export function heldByAnotherApp(accelerator: string): string {
  return `Another application holds ${accelerator}; choose another in Settings`;
}

/** Must run after `app` is ready: globalShortcut cannot be used before. */
export function installEmergencyHotkey(options: EmergencyHotkeyOptions): EmergencyHotkey {
  const { control } = options;
  const log = options.log ?? defaultLog;
  const notices = emergencyNotices(options.focusWindow ? { onClick: options.focusWindow } : {});
  /** The normalized accelerator Keel holds with the OS right now, if any. */
  let held: string | null = null;
  let status: HotkeyStatus = { accelerator: '', registered: false, scope: 'global', reason: 'not registered yet' };
  let disposed = false;

  // Nothing may be awaited before emergencyStop: fireEmergencyStop calls it in this tick.
  const onPress = (): void => {
    void fireEmergencyStop(control, { flatten: flattenByDefault(control, log), trigger: 'hotkey' }, { ...notices, log });
  };

  const publish = (next: HotkeyStatus): void => {
    status = next;
    try {
      control.setHotkeyStatus(next);
    } catch (error) {
      log('could not publish the hotkey status', error);
    }
    options.onStatusChange?.(next);
  };

  const release = (): void => {
    if (held === null) return;
    const accelerator = held;
    held = null;
    try {
      globalShortcut.unregister(accelerator);
    } catch (error) {
      log(`could not release ${accelerator}`, error);
    }
  };

  const apply = (configured: string): void => {
    const parsed = parseAccelerator(configured);
    if (!parsed.ok) {
      // Reserved or malformed: never offered to the OS.
      release();
      publish({ accelerator: configured, registered: false, scope: 'global', reason: parsed.reason });
      return;
    }
    const accelerator = parsed.text;
    if (accelerator === held) return; // already armed; re-registering would only churn
    let reason: string | null;
    try {
      reason = globalShortcut.register(accelerator, onPress) ? null : heldByAnotherApp(accelerator);
    } catch (error) {
      const detail = errorText(error);
      reason = `${accelerator} could not be registered (${detail}); choose another in Settings`;
    }
    release();
    if (reason === null) held = accelerator;
    else log(`emergency hotkey not registered: ${reason}`);
    publish({ accelerator, registered: reason === null, scope: 'global', reason });
  };

  const configuredHotkey = (): string => {
    try {
      return control.settings().emergencyHotkey;
    } catch (error) {
      log('could not read settings; using the default emergency hotkey', error);
      return DEFAULT_SETTINGS.emergencyHotkey;
    }
  };

  const unsubscribe = onSettingsUpdated(control, (settings) => {
    if (!disposed) apply(settings.emergencyHotkey);
  });

  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    app.off('will-quit', dispose);
    release();
  };
  app.on('will-quit', dispose);

  apply(configuredHotkey());
  return { status: () => status, dispose };
}

/**
 * On Linux under Wayland, global shortcuts only work through the desktop
 * portal (GlobalShortcutsPortal); without it registration may "succeed" and
 * never fire. Must run before `app` is ready. Keeps any features already asked
 * for on the command line, since a second --enable-features replaces the first.
 */
export function enableGlobalShortcutsPortal(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux') return;
  const existing = app.commandLine.getSwitchValue('enable-features');
  const features = existing.split(',').filter((feature) => feature !== '' && feature !== 'GlobalShortcutsPortal');
  app.commandLine.appendSwitch('enable-features', [...features, 'GlobalShortcutsPortal'].join(','));
}
