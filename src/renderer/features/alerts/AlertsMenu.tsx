/**
 * The chart's Alerts menu: set a price alert on the instrument (a price to
 * cross, or a move of some percent within a window), see its alerts, active
 * and fired, and remove them. The engine keeps and watches them.
 */
import { useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import { fmtDateTime, fmtPrice } from '../../lib/format';
import { usePopover } from '../../lib/usePopover';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';
import { EMPTY_ALERT_DRAFT, parseAlertForm, type AlertDraft } from './alertForm';
import { describeAlert } from './alertText';
import { useShallow } from 'zustand/react/shallow';
import './alerts.css';

export function AlertsMenu() {
  const { client, store } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const inst = useKeel(selectActiveInstrument);
  const alerts = useKeel(useShallow((s) => s.priceAlerts.filter((a) => a.venue === s.venue && a.symbol === s.symbol)));
  const active = alerts.filter((a) => a.status === 'active').length;
  const { open, setOpen, rootRef } = usePopover();
  const [draft, setDraft] = useState<AlertDraft>(EMPTY_ALERT_DRAFT);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();

  if (!venue || !symbol) return null;
  const parsed = parseAlertForm(draft, venue, symbol);
  const problems = !parsed.ok && touched ? parsed.problems : {};

  function toggle(): void {
    if (!open) {
      // Start from the last price, read once (not a subscription: it moves every tick); most alerts are set near it.
      const last = selectActiveTicker(store.getState());
      setDraft((d) => (d.price === '' && last ? { ...d, price: fmtPrice(last.last, inst) } : d));
      setError(null);
    }
    setOpen(!open);
  }

  async function submit(): Promise<void> {
    setTouched(true);
    if (!parsed.ok) return;
    setBusy(true);
    setError(null);
    try {
      await client.invoke('alerts.price.add', parsed.params);
      setDraft({ ...draft, note: '' });
      setTouched(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string): Promise<void> {
    setError(null);
    try {
      await client.invoke('alerts.price.remove', { id });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="chart-tool-menu chart-alerts" ref={rootRef}>
      <button type="button" className="chart-tool" aria-haspopup="dialog" aria-expanded={open} onClick={toggle}>
        Alerts{active > 0 ? ` (${active})` : ''}
      </button>
      {open && (
        <div className="menu alerts-menu" role="dialog" aria-label={`Price alerts for ${symbol}`}>
          <form
            className="alert-form"
            aria-label="New price alert"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <div className="seg alert-kind" role="group" aria-label="Alert kind">
              <button type="button" aria-pressed={draft.kind === 'cross'} onClick={() => setDraft({ ...draft, kind: 'cross' })}>
                Price crosses
              </button>
              <button type="button" aria-pressed={draft.kind === 'move'} onClick={() => setDraft({ ...draft, kind: 'move' })}>
                Moves %
              </button>
            </div>
            {draft.kind === 'cross' ? (
              <div className="alert-fields">
                <label>
                  <span>Price</span>
                  <input
                    inputMode="decimal"
                    value={draft.price}
                    aria-invalid={!!problems.price}
                    aria-describedby={`${formId}-problems`}
                    onChange={(e) => setDraft({ ...draft, price: e.target.value })}
                  />
                </label>
                <label>
                  <span>Going</span>
                  <select value={draft.crossDirection} onChange={(e) => setDraft({ ...draft, crossDirection: e.target.value as AlertDraft['crossDirection'] })}>
                    <option value="auto">From where it is now</option>
                    <option value="up">Up through it</option>
                    <option value="down">Down through it</option>
                  </select>
                </label>
              </div>
            ) : (
              <div className="alert-fields">
                <label>
                  <span>Move, %</span>
                  <input inputMode="decimal" value={draft.percent} aria-invalid={!!problems.percent} onChange={(e) => setDraft({ ...draft, percent: e.target.value })} />
                </label>
                <label>
                  <span>Within, min</span>
                  <input inputMode="numeric" value={draft.windowMinutes} aria-invalid={!!problems.windowMinutes} onChange={(e) => setDraft({ ...draft, windowMinutes: e.target.value })} />
                </label>
                <label>
                  <span>Way</span>
                  <select value={draft.moveDirection} onChange={(e) => setDraft({ ...draft, moveDirection: e.target.value as AlertDraft['moveDirection'] })}>
                    <option value="either">Either way</option>
                    <option value="up">Up</option>
                    <option value="down">Down</option>
                  </select>
                </label>
              </div>
            )}
            <label className="alert-note">
              <span>Note (optional)</span>
              <input value={draft.note} maxLength={200} aria-invalid={!!problems.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
            </label>
            <div id={`${formId}-problems`} className="ind-problems" role="status">
              {[problems.price, problems.percent, problems.windowMinutes, problems.note].filter(Boolean).join('. ')}
              {error}
            </div>
            <button type="submit" className="btn btn-xs btn-primary" disabled={busy}>
              Set alert
            </button>
          </form>
          <div className="ind-active-title">Alerts on {symbol}</div>
          <ul className="alert-list" aria-label={`Alerts on ${symbol}`}>
            {alerts.length === 0 && <li className="menu-note">None yet. Right-click the chart to set one at a price.</li>}
            {alerts.map((a) => (
              <li key={a.id} className={`alert-row alert-${a.status}`}>
                <div className="alert-what">
                  <span>{describeAlert(a, inst)}</span>
                  {a.note && <span className="muted"> · {a.note}</span>}
                  <div className="muted alert-when">
                    {a.status === 'triggered' && a.triggeredAt !== null ? `Fired ${fmtDateTime(a.triggeredAt)}: ${a.message ?? ''}` : `Set ${fmtDateTime(a.createdAt)}`}
                  </div>
                </div>
                <button type="button" className="btn btn-xs btn-ghost" aria-label={`Remove alert: ${describeAlert(a, inst)}`} onClick={() => void remove(a.id)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
