/**
 * The in-window emergency hotkey. It listens on the window in the capture
 * phase, so it fires before any field, the ticket's own keys or a dialog can
 * swallow the press, and it stops immediately: no confirmation, it is for
 * panic. In the desktop app the OS-wide shortcut may fire as well; the stop
 * is idempotent, so a double trigger is harmless.
 */
import { useEffect, useMemo } from 'react';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { effectiveFlatten, effectiveHotkey, hotkeyMatcher, isMacPlatform } from './hotkey';
import { triggerEmergencyStop } from './emergencyActions';

export function useEmergencyHotkey(): void {
  const { client, store } = useServices();
  const text = useKeel((s) => effectiveHotkey(s.settings, s.hotkey));
  const matches = useMemo(() => hotkeyMatcher(text, isMacPlatform(navigator.platform)), [text]);

  useEffect(() => {
    if (!matches) return;
    const onKey = (e: KeyboardEvent) => {
      if (!matches(e)) return;
      const s = store.getState();
      if (s.hotkeyCapture) return; // The settings dialog is recording this very combination.
      e.preventDefault();
      e.stopPropagation();
      // Read at press time: the setting may have changed since this listener was attached.
      const flatten = effectiveFlatten(s.settings);
      s.notify('info', flatten ? 'Emergency stop (hotkey): canceling orders and flattening…' : 'Emergency stop (hotkey): canceling orders…');
      void triggerEmergencyStop(client, store, flatten, 'window-hotkey').catch(() => undefined); // The failure is shown by the store.
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [client, store, matches]);
}
