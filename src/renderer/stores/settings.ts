/**
 * Settings slice: the engine-held preferences (emergency hotkey, flatten by
 * default) and whether the desktop could register the hotkey with the OS.
 * Both are null until loaded; the in-window hotkey falls back to the
 * contract's defaults so it works even if settings never load.
 */
import type { HotkeyStatus, Settings } from '../../shared/risk';
import type { SliceCreator } from './store';

export interface SettingsSlice {
  settings: Settings | null;
  hotkey: HotkeyStatus | null;
  setSettings(settings: Settings): void;
  setHotkeyStatus(status: HotkeyStatus): void;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: null,
  hotkey: null,
  setSettings: (settings) => set({ settings }),
  setHotkeyStatus: (hotkey) => set({ hotkey }),
});
