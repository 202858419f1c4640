/**
 * The Risk panel: the trading state and why, every limit with how much of it
 * is used (bars: amber past 80 %, red at the limit), the equity figures the
 * loss and drawdown limits are measured against, the history of state
 * changes, and the trader's own brakes (halt, reduce only). Limits are edited
 * in a dialog opened from here.
 */
import { useState } from 'react';
import { Dec } from '../../../shared/decimal';
import type { RiskUsage, StateChange, UsageEntry } from '../../../shared/risk';
import { errorMessage } from '../../api/client';
import { fmtDateTime, fmtMoney, fmtTime, pnlClass } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectVenueRiskConfig, selectVenueUsage } from '../../stores/selectors';
import { isIncomplete } from '../emergency/EmergencyReportDialog';
import { LimitsEditor } from './LimitsEditor';
import { ACCOUNT_FIELDS, findProfile, formFromConfig, isEditedFromProfile } from './limitsForm';
import { usageBar } from './usageBar';

const SOURCE_LABEL: Record<StateChange['source'], string> = {
  manual: 'trader',
  limit: 'limit breach',
  emergency: 'emergency stop',
  rearm: 're-arm',
  startup: 'start-up',
};

function UsageRow({ entry }: { entry: UsageEntry }) {
  const bar = usageBar(entry);
  const name = entry.symbol ? `${entry.label} · ${entry.symbol}` : entry.label;
  return (
    <li className={`usage-row usage-${bar.level}`}>
      <span className="usage-label" title={name}>
        {entry.label}
        {entry.symbol && <span className="muted"> · {entry.symbol}</span>}
      </span>
      <span
        className="usage-bar"
        role="meter"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(bar.widthPercent, 100))}
        aria-valuetext={`${bar.percentText} (${bar.valueText})`}
      >
        <span className="usage-fill" style={{ width: `${bar.widthPercent}%` }} />
      </span>
      <span className="usage-pct num">{bar.percentText}</span>
      <span className="usage-value num">{bar.valueText}</span>
    </li>
  );
}

function diffPercent(a: string, b: string): number | null {
  try {
    const base = Dec.parse(b);
    if (!base.isPositive()) return null;
    return Dec.parse(a).sub(base).div(base).toNumber() * 100;
  } catch {
    return null;
  }
}

function EquityFigures({ usage, currency }: { usage: RiskUsage; currency: string }) {
  let dayPnl: string | null = null;
  try {
    dayPnl = Dec.parse(usage.equity).sub(Dec.parse(usage.dayStartEquity)).toString();
  } catch {
    dayPnl = null;
  }
  const dayPct = diffPercent(usage.equity, usage.dayStartEquity);
  const ddPct = diffPercent(usage.equity, usage.highWaterMark);
  return (
    <dl className="kv risk-figures">
      <dt>Equity</dt>
      <dd className="num">
        {fmtMoney(usage.equity, { grouped: true })} {currency}
      </dd>
      <dt>Day-start equity</dt>
      <dd className="num" title={`Day started ${fmtDateTime(usage.dayStartedAt)}`}>
        {fmtMoney(usage.dayStartEquity, { grouped: true })}
      </dd>
      <dt>Day P&amp;L</dt>
      <dd className={`num ${pnlClass(dayPnl)}`}>
        {dayPnl === null ? '—' : fmtMoney(dayPnl, { signed: true, grouped: true })}
        {dayPct !== null && ` (${dayPct >= 0 ? '+' : ''}${dayPct.toFixed(2)}%)`}
      </dd>
      <dt>High-water mark</dt>
      <dd className="num">{fmtMoney(usage.highWaterMark, { grouped: true })}</dd>
      <dt>Drawdown</dt>
      <dd className={`num ${ddPct !== null && ddPct < 0 ? 'neg' : ''}`}>{ddPct === null ? '—' : `${Math.min(0, ddPct).toFixed(2)}%`}</dd>
      <dt>Day started</dt>
      <dd className="num">{fmtDateTime(usage.dayStartedAt)}</dd>
    </dl>
  );
}

function History({ history }: { history: StateChange[] }) {
  if (history.length === 0) return <div className="table-empty">No state changes yet</div>;
  return (
    <table className="grid" aria-label="Trading state history">
      <thead>
        <tr>
          <th scope="col" className="num">Time</th>
          <th scope="col">Change</th>
          <th scope="col">Source</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => (
          <tr key={`${h.at}|${h.from}|${h.to}|${h.source}`}>
            <td className="num muted" title={fmtDateTime(h.at)}>
              {fmtTime(h.at)}
            </td>
            <td className="state-change">
              <span className={`state-text state-${h.from.toLowerCase()}`}>{h.from}</span> →{' '}
              <span className={`state-text state-${h.to.toLowerCase()}`}>{h.to}</span>
            </td>
            <td className="muted">{SOURCE_LABEL[h.source] ?? h.source}</td>
            <td className="message" title={h.reason}>
              {h.reason}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RiskPanel() {
  const { client, store } = useServices();
  const risk = useKeel((s) => s.riskState);
  const history = useKeel((s) => s.riskHistory);
  const usage = useKeel(selectVenueUsage);
  const config = useKeel(selectVenueRiskConfig);
  const profiles = useKeel((s) => s.riskProfiles);
  const venue = useKeel((s) => s.venue);
  const currency = useKeel((s) => (s.venue ? (s.accounts[s.venue]?.currency ?? '') : ''));
  const report = useKeel((s) => s.lastReport);
  const reopenReport = useKeel((s) => s.reopenReport);
  const [busy, setBusy] = useState<'HALTED' | 'REDUCING' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  async function setState(state: 'HALTED' | 'REDUCING'): Promise<void> {
    setBusy(state);
    setError(null);
    try {
      const view = await client.invoke('risk.state.set', {
        state,
        reason: state === 'HALTED' ? 'Halted by trader' : 'Reduce only set by trader',
      });
      store.getState().setRiskState(view);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  const state = risk?.state ?? null;
  const profile = config ? findProfile(profiles, config.profile) : undefined;
  const edited = config && profile ? isEditedFromProfile(formFromConfig(config, []), profile) : false;
  const offLimits = config ? ACCOUNT_FIELDS.filter((f) => config.account[f.key] === null).map((f) => f.label) : [];

  return (
    <section className="risk-panel" aria-label="Risk">
      <div className="risk-head">
        <div className="risk-state-line">
          <span className={`state-pill state-${(state ?? 'unknown').toLowerCase()}`}>{state ?? 'UNKNOWN'}</span>
          <span className="risk-reason">
            {risk ? (
              <>
                {risk.reason ?? (state === 'ACTIVE' ? 'Trading normally' : 'No reason given')}
                <span className="muted"> · since {fmtDateTime(risk.since)}</span>
              </>
            ) : (
              <span className="muted">The host has not reported the trading state.</span>
            )}
          </span>
        </div>
        <div className="risk-actions">
          <button
            type="button"
            className="btn btn-xs btn-danger-outline"
            disabled={busy !== null || state === 'HALTED'}
            title="Stop all new orders (cancels still work); does not cancel anything"
            onClick={() => void setState('HALTED')}
          >
            {busy === 'HALTED' ? 'Halting…' : 'Halt trading'}
          </button>
          <button
            type="button"
            className="btn btn-xs btn-warn-outline"
            disabled={busy !== null || state === 'REDUCING' || state === 'HALTED'}
            title={state === 'HALTED' ? 'Halted: only a re-arm leaves HALTED' : 'Accept only orders that reduce exposure'}
            onClick={() => void setState('REDUCING')}
          >
            {busy === 'REDUCING' ? 'Setting…' : 'Reduce only'}
          </button>
          <button type="button" className="btn btn-xs" disabled={!config} onClick={() => setEditing(true)}>
            Edit limits…
          </button>
        </div>
      </div>
      {error && (
        <div className="risk-error" role="alert">
          {error}
        </div>
      )}
      <div className="risk-body">
        <div className="risk-col">
          <div className="risk-subtitle">
            <span>Limits · {venue ?? '—'}</span>
            {config && (
              <span className="muted" title={profile?.description}>
                {profile?.name ?? config.profile}
                {edited ? ' (edited)' : ''} · on breach: {config.breachAction.replace('_', ' + ').toLowerCase()}
              </span>
            )}
          </div>
          {usage && usage.entries.length > 0 ? (
            <ul className="usage-list" aria-label="Limit usage">
              {usage.entries.map((e) => (
                <UsageRow key={`${e.limit}|${e.symbol ?? ''}`} entry={e} />
              ))}
            </ul>
          ) : (
            <div className="table-empty">{usage ? 'No limits set' : 'Usage not reported yet'}</div>
          )}
          {offLimits.length > 0 && <p className="risk-off muted">Off: {offLimits.join(', ')}</p>}
        </div>
        <div className="risk-col">
          {usage ? <EquityFigures usage={usage} currency={currency} /> : null}
          {report && (
            <div className={`risk-report ${isIncomplete(report) ? 'neg' : ''}`}>
              Last emergency stop {fmtDateTime(report.startedAt)}: {report.ordersCanceled} canceled
              {report.flatten ? `, ${report.positionsClosed} closed` : ''}
              {isIncomplete(report) ? `, ${report.unconfirmed.length} unconfirmed` : ''}.{' '}
              <button type="button" className="link" onClick={reopenReport}>
                View report
              </button>
            </div>
          )}
          <div className="risk-subtitle">
            <span>State history</span>
          </div>
          <div className="risk-history">
            <History history={history} />
          </div>
        </div>
      </div>
      {config && <LimitsEditor open={editing} config={config} onClose={() => setEditing(false)} />}
    </section>
  );
}
