/**
 * Keeps the application menu's Trading items live: they call the engine
 * directly (like the hotkey and the tray), and the menu is rebuilt whenever
 * the settings or the hotkey's registration change, so the accelerator shown
 * is the one that actually works and sits on the item it triggers.
 */
import type { HotkeyStatus } from '../../shared/risk';
import { fireEmergencyStop, flattenByDefault, onSettingsUpdated, type EmergencyControl } from './emergencyControl';
import { emergencyNotices } from './emergencyNotice';
import { installApplicationMenu, type MenuOptions, type TradingMenu } from './menu';

export interface TradingMenuOptions {
  menu: Omit<MenuOptions, 'trading'>;
  control: EmergencyControl;
  hotkeyStatus: () => HotkeyStatus;
  focusWindow: () => void;
  log?: (message: string, error?: unknown) => void;
}

export interface TradingMenuSync {
  /** Rebuilds the menu from the current settings and hotkey status. */
  refresh(): void;
  /** Stops following the engine and leaves the Trading items disabled. */
  dispose(): void;
}

export function installTradingMenu(options: TradingMenuOptions): TradingMenuSync {
  const { control } = options;
  const notices = emergencyNotices({ onClick: options.focusWindow });
  const handlers = options.log ? { ...notices, log: options.log } : notices;
  let disposed = false;

  const trading = (): TradingMenu => {
    const status = options.hotkeyStatus();
    return {
      hotkey: status.registered ? status.accelerator : null,
      flattenByDefault: flattenByDefault(control, options.log),
      emergencyStop: (flatten) => {
        if (!disposed) void fireEmergencyStop(control, { flatten, trigger: 'menu' }, handlers);
      },
      rearm: () => options.focusWindow(),
    };
  };

  const refresh = (): void => {
    if (!disposed) installApplicationMenu({ ...options.menu, trading: trading() });
  };

  const unsubscribe = onSettingsUpdated(control, refresh);
  refresh();

  return {
    refresh,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      installApplicationMenu(options.menu);
    },
  };
}
