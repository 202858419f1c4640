/**
 * Settings, in five tabs. Trading: confirmations, how fills announce
 * themselves and the layout (see TradingSettings). Exchanges: the venues, their keys, demo and live
 * (see exchanges/). Email and Alerts: the mail server, the daily report and
 * each alert kind's channels (see alert-center/). General: the emergency hotkey (checked as it is typed, with the same
 * parser the shell registers it with, or recorded by pressing it), what the
 * hotkey, menu and tray do by default, and how long the activity log is
 * kept. Nothing is sent while a field is refused; the host's own refusal is
 * shown as it says it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { parseAccelerator } from '../../../shared/accelerator';
import { DEFAULT_SETTINGS, marginWarningPercent, settingsSchema, type Settings } from '../../../shared/risk';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { Tabs, type TabSpec } from '../../components/Tabs';
import type { SettingsTab } from '../../stores/ui';
import { ExchangesSettings } from './exchanges/ExchangesSettings';
import { TradingSettings } from './TradingSettings';
import { EmailSettings } from '../alert-center/EmailSettings';
import { AlertChannelSettings } from '../alert-center/AlertChannelSettings';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { acceleratorFromKeyEvent, displayAccelerator, isMacPlatform } from '../emergency/hotkey';

const TABS: TabSpec<SettingsTab>[] = [
  { id: 'general', name: 'General', label: 'General' },
  { id: 'trading', name: 'Trading', label: 'Trading' },
  { id: 'exchanges', name: 'Exchanges', label: 'Exchanges' },
  { id: 'email', name: 'Email', label: 'Email' },
  { id: 'alerts', name: 'Alerts', label: 'Alerts' },
];

export function SettingsDialog() {
  const open = useKeel((s) => s.settingsOpen);
  const close = useKeel((s) => s.closeSettings);
  const tab = useKeel((s) => s.settingsTab);
  const setTab = useKeel((s) => s.setSettingsTab);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Modal
      open={open}
      title="Settings"
      onClose={close}
      initialFocus={tab === 'general' ? inputRef : undefined}
      className={tab === 'exchanges' ? 'dialog-settings dialog-exchanges' : 'dialog-settings'}
    >
      <Tabs label="Settings" tabs={TABS} active={tab} onChange={setTab} idPrefix="settings">
        {tab === 'general' ? (
          <SettingsForm inputRef={inputRef} onDone={close} />
        ) : tab === 'trading' ? (
          <TradingSettings onDone={close} />
        ) : tab === 'email' ? (
          <EmailSettings onDone={close} />
        ) : tab === 'alerts' ? (
          <AlertChannelSettings onDone={close} />
        ) : (
          <ExchangesSettings onClose={close} />
        )}
      </Tabs>
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
  const [daysText, setDaysText] = useState(String(initial.activityRetentionDays));
  const [rowsText, setRowsText] = useState(String(initial.activityRetentionRows));
  const [warningText, setWarningText] = useState(String(marginWarningPercent(initial)));
  const [recording, setRecording] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = useId();
  const isMac = isMacPlatform(navigator.platform);

  const check = parseAccelerator(text.trim());
  const days = checkRetention(daysText, 'activityRetentionDays');
  const rows = checkRetention(rowsText, 'activityRetentionRows');
  const warning = checkWarningPercent(warningText);
  const valid = check.ok && days.ok && rows.ok && warning.ok;

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
    if (!check.ok || !days.ok || !rows.ok || !warning.ok || busy) return;
    setBusy(true);
    setServerError(null);
    try {
      const saved = await client.invoke('settings.set', {
        settings: {
          emergencyHotkey: check.text,
          emergencyFlattenByDefault: flatten,
          activityRetentionDays: days.value,
          activityRetentionRows: rows.value,
          marginWarningPercent: warning.value,
        },
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
        <fieldset className="limits-group">
          <legend>Activity log retention</legend>
          <RetentionField
            id={`${ids}-retention-days`}
            label="Keep entries for (days)"
            text={daysText}
            check={days}
            onChange={(value) => {
              setDaysText(value);
              setServerError(null);
            }}
          />
          <RetentionField
            id={`${ids}-retention-rows`}
            label="Keep at most (entries)"
            text={rowsText}
            check={rows}
            onChange={(value) => {
              setRowsText(value);
              setServerError(null);
            }}
          />
          <p className="field-help">
            Older entries, and any beyond the newest ones kept, are removed in the background, hourly and on start.
          </p>
        </fieldset>
        <fieldset className="limits-group">
          <legend>Perpetuals</legend>
          <RetentionField
            id={`${ids}-margin-warning`}
            label="Warn at margin ratio (%)"
            text={warningText}
            check={warning}
            onChange={(value) => {
              setWarningText(value);
              setServerError(null);
            }}
          />
          <p className="field-help">
            A position is liquidated by the venue when its margin ratio reaches 100 %; an alert comes first, when it reaches this level.
          </p>
        </fieldset>
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
        <button type="submit" className="btn btn-primary" disabled={busy || !valid}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

type RetentionKey = 'activityRetentionDays' | 'activityRetentionRows';
type RetentionCheck = { ok: true; value: number } | { ok: false; reason: string };

/** Reads a whole number as typed (digits, optional thousands separators) and checks it with the settings schema. */
function checkRetention(text: string, key: RetentionKey): RetentionCheck {
  const schema = settingsSchema.shape[key];
  const min = schema.minValue ?? 0;
  const max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  const range = `a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d{1,9}$/.test(cleaned)) return { ok: false, reason: `Enter ${range}.` };
  const value = Number(cleaned);
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: `Enter ${range}.` };
}

/** The margin-ratio warning level as typed: a whole percentage the settings schema accepts. */
function checkWarningPercent(text: string): RetentionCheck {
  const cleaned = text.trim().replace(/%$/, '').trim();
  const parsed = /^\d{1,3}$/.test(cleaned) ? settingsSchema.shape.marginWarningPercent.safeParse(Number(cleaned)) : null;
  return parsed?.success && parsed.data !== undefined ? { ok: true, value: parsed.data } : { ok: false, reason: 'Enter a whole number from 50 to 99.' };
}

function RetentionField(props: { id: string; label: string; text: string; check: RetentionCheck; onChange(value: string): void }) {
  const { id, label, text, check, onChange } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-invalid={!check.ok}
        aria-describedby={check.ok ? undefined : `${id}-error`}
        onChange={(e) => onChange(e.target.value)}
      />
      {!check.ok && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {check.reason}
        </p>
      )}
    </div>
  );
}
