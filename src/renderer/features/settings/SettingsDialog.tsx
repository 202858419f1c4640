/**
 * Settings: the emergency hotkey (checked as it is typed, with the same
 * parser the shell registers it with, or recorded by pressing it) and what
 * the hotkey, menu and tray do by default. Nothing is sent while the hotkey
 * text is refused; the host's own refusal is shown as it says it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { parseAccelerator } from '../../../shared/accelerator';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/risk';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { acceleratorFromKeyEvent, displayAccelerator, isMacPlatform } from '../emergency/hotkey';

export function SettingsDialog() {
  const open = useKeel((s) => s.settingsOpen);
  const close = useKeel((s) => s.closeSettings);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Modal open={open} title="Settings" onClose={close} initialFocus={inputRef} className="dialog-settings">
      <SettingsForm inputRef={inputRef} onDone={close} />
    </Modal>
  );
}

function SettingsForm({ inputRef, onDone }: { inputRef: RefObject<HTMLInputElement | null>; onDone(): void }) {
  const { client, store } = useServices();
  const loaded = useKeel((s) => s.settings);
  const hotkey = useKeel((s) => s.hotkey);
  const setCapture = useKeel((s) => s.setHotkeyCapture);
  const initial: Settings = loaded ?? DEFAULT_SETTINGS;
  const [text, setText] = useState(initial.emergencyHotkey);
  const [flatten, setFlatten] = useState(initial.emergencyFlattenByDefault);
  const [recording, setRecording] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = useId();
  const isMac = isMacPlatform(navigator.platform);

  const check = parseAccelerator(text.trim());

  useEffect(() => {
    setCapture(recording);
    return () => setCapture(false);
  }, [recording, setCapture]);

  function onRecordKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (!recording) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
      setRecording(false);
      return;
    }
    const recorded = acceleratorFromKeyEvent(e, isMac);
    if (!recorded) return;
    setText(recorded);
    setServerError(null);
    setRecording(false);
  }

  async function save(): Promise<void> {
    if (!check.ok || busy) return;
    setBusy(true);
    setServerError(null);
    try {
      const saved = await client.invoke('settings.set', {
        settings: { emergencyHotkey: check.text, emergencyFlattenByDefault: flatten },
      });
      store.getState().setSettings(saved);
      store.getState().notify('success', `Settings saved: emergency hotkey ${displayAccelerator(saved.emergencyHotkey, isMac)}`);
      onDone();
    } catch (err) {
      setServerError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const statusText = !hotkey
    ? 'Hotkey status not reported by the host.'
    : hotkey.registered
      ? hotkey.scope === 'global'
        ? `${displayAccelerator(hotkey.accelerator, isMac)} is registered with the operating system: it works from any application.`
        : `${displayAccelerator(hotkey.accelerator, isMac)} works while this window has focus (browser mode has no OS-wide hotkey).`
      : `${displayAccelerator(hotkey.accelerator, isMac)} is NOT registered with the operating system${hotkey.reason ? `: ${hotkey.reason}` : ''}.`;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <div className="dialog-body settings-body">
        {!loaded && <p className="dialog-warn">Settings could not be loaded from the host; these are the defaults.</p>}
        <div className="field">
          <label htmlFor={`${ids}-hotkey`}>Emergency hotkey</label>
          <div className="hotkey-row">
            <input
              id={`${ids}-hotkey`}
              ref={inputRef}
              type="text"
              autoComplete="off"
              spellCheck={false}
              className={recording ? 'recording' : ''}
              value={recording ? 'Press the combination… (Esc to stop)' : text}
              readOnly={recording}
              aria-invalid={!check.ok}
              aria-describedby={check.ok ? `${ids}-hotkey-help` : `${ids}-hotkey-error ${ids}-hotkey-help`}
              onChange={(e) => {
                setText(e.target.value);
                setServerError(null);
              }}
              onKeyDown={onRecordKey}
              onBlur={() => setRecording(false)}
            />
            <button
              type="button"
              className="btn"
              aria-pressed={recording}
              onMouseDown={(e) => e.preventDefault() /* keep focus in the field that listens */}
              onClick={() => {
                setRecording((r) => !r);
                inputRef.current?.focus();
              }}
            >
              {recording ? 'Stop recording' : 'Record shortcut'}
            </button>
          </div>
          {!check.ok && !recording && (
            <p id={`${ids}-hotkey-error`} className="field-error" role="alert">
              {check.reason}
            </p>
          )}
          <p id={`${ids}-hotkey-help`} className="field-help">
            Electron accelerator syntax, for example CommandOrControl+Shift+X (Ctrl on Windows and Linux, ⌘ on macOS).
            Pressing it stops at once, without a question.
            {check.ok && check.text !== text.trim() && <> Saved as {check.text}.</>}
          </p>
          <p className={`field-help ${hotkey && !hotkey.registered ? 'warn' : ''}`}>{statusText}</p>
        </div>
        <label className="check-row">
          <input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.target.checked)} />
          Flatten positions by default
        </label>
        <p className="field-help">
          What the hotkey, the menu and the tray do: cancel every order only, or cancel and close every position. The
          header button always asks.
        </p>
        {serverError && (
          <p className="dialog-error" role="alert">
            {serverError}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onDone} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !check.ok}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
