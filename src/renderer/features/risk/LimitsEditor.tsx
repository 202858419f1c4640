/**
 * The limits editor for one venue: a profile to start from, every account
 * limit (empty = off), what happens on a breach, when the daily loss counter
 * restarts, and per-instrument overrides. Field checks run before anything is
 * sent (a refused form sends nothing); the host's own refusal is shown as
 * the host words it.
 */
import { useId, useMemo, useRef, useState, type RefObject } from 'react';
import { BREACH_ACTIONS, type BreachAction, type RiskConfig } from '../../../shared/risk';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { useKeel, useServices } from '../../stores/KeelProvider';
import {
  ACCOUNT_FIELDS,
  BREACH_ACTION_LABEL,
  INSTRUMENT_FIELDS,
  accountKey,
  applyProfile,
  checkLimitsForm,
  findProfile,
  formFromConfig,
  instrumentKey,
  isEditedFromProfile,
  type FieldErrors,
  type LimitsForm,
} from './limitsForm';

interface Props {
  open: boolean;
  config: RiskConfig;
  onClose(): void;
}

export function LimitsEditor({ open, config, onClose }: Props) {
  const firstRef = useRef<HTMLSelectElement>(null);
  return (
    <Modal open={open} title={`Risk limits — ${config.venue}`} onClose={onClose} initialFocus={firstRef} className="dialog-limits">
      <LimitsEditorForm config={config} onDone={onClose} firstRef={firstRef} />
    </Modal>
  );
}

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  try {
    return ['UTC', ...(intl.supportedValuesOf?.('timeZone') ?? [])];
  } catch {
    return ['UTC'];
  }
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {error}
    </span>
  );
}

function LimitsEditorForm({
  config,
  onDone,
  firstRef,
}: {
  config: RiskConfig;
  onDone(): void;
  firstRef: RefObject<HTMLSelectElement | null>;
}) {
  const { client, store } = useServices();
  const profiles = useKeel((s) => s.riskProfiles);
  const instruments = useKeel((s) => s.instruments);
  const currency = useKeel((s) => s.accounts[config.venue]?.currency ?? '');
  const symbols = useMemo(
    () => instruments.filter((i) => i.venue === config.venue).map((i) => i.symbol),
    [instruments, config.venue],
  );
  const [form, setForm] = useState<LimitsForm>(() => formFromConfig(config, symbols));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = useId();
  const zones = useMemo(timeZones, []);

  const check = checkLimitsForm(form);
  const errors: FieldErrors = attempted && !check.ok ? check.errors : {};
  const profile = findProfile(profiles, form.profile);
  const edited = isEditedFromProfile(form, profile);

  function edit(patch: Partial<LimitsForm>): void {
    setForm((f) => ({ ...f, ...patch }));
    setServerError(null);
  }

  async function save(): Promise<void> {
    setAttempted(true);
    setServerError(null);
    if (!check.ok || busy) return;
    setBusy(true);
    try {
      const saved = await client.invoke('risk.limits.set', { config: check.config });
      store.getState().setRiskConfig(saved);
      store.getState().notify('success', `Risk limits saved for ${saved.venue}`);
      onDone();
    } catch (err) {
      setServerError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const unit = (u: string) => (u === '$' ? currency || 'quote' : u);
  const errorCount = Object.keys(errors).length;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <div className="dialog-body limits-body">
        <div className="limits-top">
          <div className="field">
            <label htmlFor={`${ids}-profile`}>Profile</label>
            <select
              id={`${ids}-profile`}
              ref={firstRef}
              value={profile?.id ?? form.profile}
              onChange={(e) => {
                const p = profiles.find((x) => x.id === e.target.value);
                if (p) {
                  setForm((f) => applyProfile(f, p));
                  setServerError(null);
                }
              }}
            >
              {!profile && <option value={form.profile}>{form.profile || 'Custom'}</option>}
              {profiles.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <p className="field-help profile-help">
            {profile ? profile.description : 'Limits not from a listed profile.'}
            {edited && <b className="warn"> Edited from the profile.</b>} Choosing a profile fills the account limits and
            the breach action; overrides and the daily reset stay.
          </p>
        </div>

        <fieldset className="limits-group">
          <legend>Account limits (empty = off)</legend>
          <div className="limits-grid">
            {ACCOUNT_FIELDS.map((f) => {
              const key = accountKey(f.key);
              const id = `${ids}-${f.key}`;
              const error = errors[key];
              return (
                <div className={`field ${error ? 'has-error' : ''}`} key={f.key}>
                  <label htmlFor={id} title={f.help}>
                    {f.label}
                  </label>
                  <div className="input-affix">
                    <input
                      id={id}
                      type="text"
                      inputMode={f.kind === 'count' ? 'numeric' : 'decimal'}
                      autoComplete="off"
                      spellCheck={false}
                      placeholder="off"
                      value={form.account[f.key]}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-error` : undefined}
                      onChange={(e) => edit({ account: { ...form.account, [f.key]: e.target.value } })}
                    />
                    <span className="affix">{unit(f.unit)}</span>
                  </div>
                  <FieldError id={`${id}-error`} error={error} />
                </div>
              );
            })}
          </div>
        </fieldset>

        <div className="limits-row">
          <div className="field field-wide">
            <label htmlFor={`${ids}-breach`}>Breach action</label>
            <select
              id={`${ids}-breach`}
              value={form.breachAction}
              onChange={(e) => edit({ breachAction: e.target.value as BreachAction })}
            >
              {BREACH_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {BREACH_ACTION_LABEL[a]}
                </option>
              ))}
            </select>
          </div>
          <div className={`field ${errors.resetTime ? 'has-error' : ''}`}>
            <label htmlFor={`${ids}-reset`}>Daily reset time</label>
            <input
              id={`${ids}-reset`}
              type="text"
              placeholder="HH:MM"
              autoComplete="off"
              value={form.resetTime}
              aria-invalid={errors.resetTime ? true : undefined}
              aria-describedby={errors.resetTime ? `${ids}-reset-error` : undefined}
              onChange={(e) => edit({ resetTime: e.target.value })}
            />
            <FieldError id={`${ids}-reset-error`} error={errors.resetTime} />
          </div>
          <div className={`field ${errors.timeZone ? 'has-error' : ''}`}>
            <label htmlFor={`${ids}-tz`}>Time zone</label>
            <input
              id={`${ids}-tz`}
              type="text"
              list={`${ids}-zones`}
              autoComplete="off"
              spellCheck={false}
              value={form.timeZone}
              aria-invalid={errors.timeZone ? true : undefined}
              aria-describedby={errors.timeZone ? `${ids}-tz-error` : undefined}
              onChange={(e) => edit({ timeZone: e.target.value })}
            />
            <datalist id={`${ids}-zones`}>
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <FieldError id={`${ids}-tz-error`} error={errors.timeZone} />
          </div>
        </div>

        <fieldset className="limits-group">
          <legend>Per-instrument overrides (empty = account limit applies)</legend>
          <div className="overrides-scroll">
            <table className="grid overrides" aria-label="Per-instrument overrides">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  {INSTRUMENT_FIELDS.map((f) => (
                    <th scope="col" key={f.key}>
                      {f.column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Object.entries(form.instruments).map(([symbol, row]) => (
                  <tr key={symbol}>
                    <th scope="row">{symbol}</th>
                    {INSTRUMENT_FIELDS.map((f) => {
                      const key = instrumentKey(symbol, f.key);
                      const error = errors[key];
                      const id = `${ids}-${symbol.replace(/[^A-Za-z0-9]/g, '-')}-${f.key}`;
                      return (
                        <td key={f.key} className={error ? 'has-error' : ''}>
                          <input
                            type="text"
                            inputMode="decimal"
                            autoComplete="off"
                            spellCheck={false}
                            placeholder="—"
                            aria-label={f.label(symbol)}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? `${id}-error` : undefined}
                            value={row[f.key]}
                            onChange={(e) =>
                              edit({ instruments: { ...form.instruments, [symbol]: { ...row, [f.key]: e.target.value } } })
                            }
                          />
                          <FieldError id={`${id}-error`} error={error} />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>

        {errorCount > 0 && (
          <p className="dialog-error">
            {errorCount} field{errorCount === 1 ? ' needs' : 's need'} attention; nothing was sent.
          </p>
        )}
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
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
