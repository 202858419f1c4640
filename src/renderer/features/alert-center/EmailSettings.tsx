/**
 * Settings → Email: the mail server alerts and the daily report go out
 * through (its password goes to the keychain and never comes back: the form
 * only says whether one is kept), "Send test" with the server's own answer,
 * how delivery is going, and the daily report's local time and time zone.
 */
import { useEffect, useId, useState } from 'react';
import type { AlertSettingsView, SetAlertSettingsParams } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { fmtDateTime } from '../../lib/format';
import { useServices } from '../../stores/KeelProvider';
import { DEFAULT_PORT, describeTestAnswer, draftOf, readEmailForm, type EmailDraft } from './alertForms';
import './alertCenter.css';

const ZONES: readonly string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
})();

export function EmailSettings({ onDone }: { onDone(): void }) {
  const { client, store } = useServices();
  const [view, setView] = useState<AlertSettingsView | null>(null);
  const [draft, setDraft] = useState<EmailDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const ids = useId();

  useEffect(() => {
    let current = true;
    client.invoke('alerts.settings.get', {}).then(
      (v) => {
        if (!current) return;
        setView(v);
        setDraft(draftOf(v));
      },
      (err: unknown) => current && setLoadError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  if (loadError) return <p className="dialog-warn dialog-body">The email settings could not be loaded: {loadError}</p>;
  if (!view || !draft) return <p className="dialog-body">Loading…</p>;

  const read = readEmailForm(draft);
  const problems = !read.ok && touched ? read.problems : {};
  const edit = (patch: Partial<EmailDraft>) => {
    setDraft({ ...draft, ...patch });
    setServerError(null);
  };

  async function save(extra: Partial<SetAlertSettingsParams> = {}): Promise<boolean> {
    setTouched(true);
    if (!read.ok || busy) return false;
    setBusy(true);
    setServerError(null);
    try {
      const saved = await client.invoke('alerts.settings.set', {
        smtp: read.smtp,
        dailyReport: read.dailyReport,
        ...(draft!.password !== '' ? { smtpPassword: draft!.password } : {}),
        ...extra,
      });
      setView(saved);
      setDraft({ ...draftOf(saved) });
      setTouched(false);
      return true;
    } catch (err) {
      setServerError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function sendTest(): Promise<void> {
    setAnswer(null);
    // The test goes out with what is on screen: saved first.
    if (!(await save())) return;
    setTesting(true);
    try {
      const result = await client.invoke('email.test', {});
      setAnswer(describeTestAnswer({ ok: true, result }));
    } catch (error) {
      setAnswer(describeTestAnswer({ ok: false, error }));
    } finally {
      setTesting(false);
    }
  }

  const field = (key: 'host' | 'port' | 'user' | 'from' | 'to', label: string, props: { type?: string; placeholder?: string; help?: string } = {}) => (
    <div className="field">
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input
        id={`${ids}-${key}`}
        type={props.type ?? 'text'}
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={draft[key]}
        aria-invalid={!!problems[key]}
        onChange={(e) => edit({ [key]: e.target.value })}
      />
      {problems[key] && (
        <p className="field-error" role="alert">
          {problems[key]}
        </p>
      )}
      {props.help && <p className="field-help">{props.help}</p>}
    </div>
  );

  const d = view.delivery;
  return (
    <form
      aria-label="Email settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save().then((ok) => ok && store.getState().notify('success', 'Email settings saved'));
      }}
    >
      <div className="dialog-body settings-body">
        <fieldset className="limits-group">
          <legend>Mail server (SMTP)</legend>
          {field('host', 'Server', { placeholder: 'smtp.example.com' })}
          <div className="field">
            <label htmlFor={`${ids}-security`}>Security</label>
            <select
              id={`${ids}-security`}
              value={draft.security}
              onChange={(e) => {
                const security = e.target.value as EmailDraft['security'];
                // The usual port follows the security unless another was typed.
                const port = Object.values(DEFAULT_PORT).includes(draft.port) ? DEFAULT_PORT[security] : draft.port;
                edit({ security, port });
              }}
            >
              <option value="starttls">STARTTLS (usually port 587)</option>
              <option value="tls">TLS from the start (usually port 465)</option>
              <option value="none">None (a relay on this machine)</option>
            </select>
          </div>
          {field('port', 'Port')}
          {field('user', 'User name', { help: 'Leave empty for a server that takes mail without logging in.' })}
          <div className="field">
            <label htmlFor={`${ids}-password`}>Password</label>
            <input
              id={`${ids}-password`}
              type="password"
              autoComplete="new-password"
              placeholder={view.smtpPasswordSet ? 'Kept in the keychain (type to replace)' : 'Not set'}
              value={draft.password}
              onChange={(e) => edit({ password: e.target.value })}
            />
            <p className="field-help">
              {view.smtpPasswordSet ? 'A password is kept' : 'No password is kept'} in {view.keychain}. It is never shown again.
              {view.smtpPasswordSet && (
                <>
                  {' '}
                  <button type="button" className="btn btn-xs" disabled={busy} onClick={() => void save({ smtpPassword: null })}>
                    Forget it
                  </button>
                </>
              )}
            </p>
          </div>
          {field('from', 'From', { placeholder: 'keel@example.com' })}
          {field('to', 'To', { placeholder: 'me@example.com', help: 'One or more addresses, separated by commas.' })}
          <div className="check-row">
            <button type="button" className="btn" disabled={busy || testing} onClick={() => void sendTest()}>
              {testing ? 'Sending…' : 'Send test'}
            </button>
            <span className="field-help">Saves, then sends a test message now and shows what the server answered.</span>
          </div>
          {answer && (
            <p className={`email-answer ${answer.ok ? 'ok' : 'failed'}`} role="status" aria-label="Mail server answer">
              {answer.text}
            </p>
          )}
          <p className={`field-help ${d.lastError ? 'warn' : ''}`} aria-label="Delivery status">
            {d.queued > 0 ? `${d.queued} message${d.queued === 1 ? '' : 's'} waiting. ` : 'Nothing waiting. '}
            {d.lastError ? `Last failure${d.lastFailedAt ? ` ${fmtDateTime(d.lastFailedAt)}` : ''}: ${d.lastError}` : ''}
            {d.lastSentAt ? ` Last sent ${fmtDateTime(d.lastSentAt)}.` : ''}
            {d.dropped > 0 ? ` ${d.dropped} given up on.` : ''}
          </p>
        </fieldset>

        <fieldset className="limits-group">
          <legend>Daily report</legend>
          <label className="check-row">
            <input type="checkbox" checked={draft.reportEnabled} onChange={(e) => edit({ reportEnabled: e.target.checked })} />
            <span>
              Email a daily report
              <span className="field-help check-help">PnL, trades, each strategy, risk usage and reconciliation, with the day&apos;s trades as CSV.</span>
            </span>
          </label>
          <div className="field">
            <label htmlFor={`${ids}-time`}>At (HH:MM, 24-hour)</label>
            <input id={`${ids}-time`} type="text" inputMode="numeric" value={draft.reportTime} aria-invalid={!!problems.reportTime} onChange={(e) => edit({ reportTime: e.target.value })} />
            {problems.reportTime && (
              <p className="field-error" role="alert">
                {problems.reportTime}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-zone`}>Time zone</label>
            <input id={`${ids}-zone`} type="text" list={`${ids}-zones`} spellCheck={false} value={draft.reportZone} aria-invalid={!!problems.reportZone} onChange={(e) => edit({ reportZone: e.target.value })} />
            <datalist id={`${ids}-zones`}>
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            {problems.reportZone && (
              <p className="field-error" role="alert">
                {problems.reportZone}
              </p>
            )}
          </div>
          <p className="field-help">{view.nextReportAt ? `Next report: ${fmtDateTime(view.nextReportAt)} (this computer's time).` : 'The daily report is off.'}</p>
        </fieldset>
        {problems.form && (
          <p className="field-error" role="alert">
            {problems.form}
          </p>
        )}
        {serverError && (
          <p className="field-error" role="alert">
            {serverError}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
