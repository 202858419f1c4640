/**
 * The Risk panel: the trading state and why, every limit with how much of it
 * is used (bars: amber past 80 %, red at the limit), the equity figures the
 * loss and drawdown limits are measured against, the history of state
 * changes, and the trader's own brakes (halt, reduce only). Limits are edited
 * in a dialog opened from here.
 */
import { useState } from 'react';
import { Dec } from '../../../shared/decimal';
import type { RiskConfig, RiskUsage, StateChange, UsageEntry } from '../../../shared/risk';
import { errorMessage } from '../../api/client';
import { fmtDateTime, fmtMoney, fmtNumber, fmtPercent, fmtSince, pnlClass } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectVenueRiskConfig, selectVenueUsage } from '../../stores/selectors';
import { isIncomplete } from '../emergency/EmergencyReportDialog';
import { LimitsEditor } from './LimitsEditor';
import { ACCOUNT_FIELDS, findProfile, formFromConfig, isEditedFromProfile } from './limitsForm';
import { fmtAmount, usageBar } from './usageBar';

const BREACH_SHORT: Record<RiskConfig['breachAction'], string> = {
  REDUCING: 'reduce only',
  HALTED: 'halt',
  HALTED_FLATTEN: 'halt and flatten',
};

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

function Figure({ label, value, title, className }: { label: string; value: string; title?: string; className?: string }) {
  return (
    <div className="risk-figure" title={title}>
      <span className="hstat-label">{label}</span>
      <span className={`num ${className ?? ''}`}>{value}</span>
    </div>
  );
}

/** The equity the loss and drawdown limits are measured against, in one line. */
function EquityFigures({ usage, currency }: { usage: RiskUsage; currency: string }) {
  let dayPnl: string | null = null;
  try {
    dayPnl = Dec.parse(usage.equity).sub(Dec.parse(usage.dayStartEquity)).toString();
  } catch {
    dayPnl = null;
  }
  const dayPct = diffPercent(usage.equity, usage.dayStartEquity);
  const ddPct = diffPercent(usage.equity, usage.highWaterMark);
  const pct = (p: number | null) => (p === null ? '' : ` (${fmtPercent(p)})`);
  return (
    <div className="risk-figures">
      <Figure label="Equity" value={`${fmtMoney(usage.equity, { grouped: true })} ${currency}`} />
      <Figure
        label="Day-start equity"
        value={fmtMoney(usage.dayStartEquity, { grouped: true })}
        title={`Day started ${fmtDateTime(usage.dayStartedAt)}`}
      />
      <Figure
        label="Day P&L"
        value={dayPnl === null ? '—' : `${fmtMoney(dayPnl, { signed: true, grouped: true })}${pct(dayPct)}`}
        className={pnlClass(dayPnl)}
      />
      <Figure label="High-water mark" value={fmtMoney(usage.highWaterMark, { grouped: true })} />
      <Figure
        label="Drawdown"
        value={ddPct === null ? '—' : `${fmtNumber(Math.min(0, ddPct), 2)}%`}
        className={ddPct === null ? '' : pnlClass(Math.min(0, ddPct))}
      />
    </div>
  );
}

/** Configured limits checked on each order, which have no running usage to draw (max order notional, price band). */
function PerOrderLimits({ config, usage, currency }: { config: RiskConfig; usage: RiskUsage | undefined; currency: string }) {
  const measured = new Set(usage?.entries.map((e) => e.limit) ?? []);
  const rows = ACCOUNT_FIELDS.filter((f) => config.account[f.key] !== null && !measured.has(f.key));
  if (rows.length === 0) return null;
  return (
    <ul className="usage-list" aria-label="Per-order limits">
      {rows.map((f) => {
        const value = String(config.account[f.key]);
        const unit = f.unit === '$' ? ` ${currency}` : f.unit === '%' ? '%' : ` ${f.unit}`;
        return (
          <li className="usage-row usage-static" key={f.key}>
            <span className="usage-label">{f.label.replace(/ %$/, '')}</span>
            <span className="usage-kind muted">checked per order</span>
            <span />
            <span className="usage-value num">
              {fmtAmount(value)}
              {unit}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function History({ history }: { history: StateChange[] }) {
  if (history.length === 0) return <div className="table-empty">No state changes yet</div>;
  return (
    <ol className="history-list" aria-label="Trading state history">
      {history.map((h) => (
        <li key={`${h.at}|${h.from}|${h.to}|${h.source}`}>
          <div className="history-line">
            <time className="num muted" dateTime={new Date(h.at).toISOString()} title={fmtDateTime(h.at)}>
              {fmtSince(h.at)}
            </time>
            <span className="state-change">
              <span className={`state-text state-${h.from.toLowerCase()}`}>{h.from}</span> →{' '}
              <span className={`state-text state-${h.to.toLowerCase()}`}>{h.to}</span>
            </span>
            <span className="muted history-source">{SOURCE_LABEL[h.source] ?? h.source}</span>
          </div>
          <div className="history-reason" title={h.reason}>
            {h.reason}
          </div>
        </li>
      ))}
    </ol>
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
  const overrides = config ? Object.keys(config.instruments).length : 0;

  return (
    <section className="risk-panel" aria-label="Risk">
      <div className="risk-head">
        <div className="risk-state-line">
          <span className={`state-pill state-${(state ?? 'unknown').toLowerCase()}`}>{state ?? 'UNKNOWN'}</span>
          <span className="risk-reason">
            {risk ? (
              <>
                {risk.reason ?? (state === 'ACTIVE' ? 'Trading normally' : 'No reason given')}
                <span className="muted"> · since {fmtSince(risk.since)}</span>
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
      {usage && <EquityFigures usage={usage} currency={currency} />}
      <div className="risk-body">
        <div className="risk-col">
          <div className="risk-subtitle">
            <span>Limits · {venue ?? '—'}</span>
            {config && (
              <span className="muted" title={profile?.description}>
                {profile?.name ?? config.profile}
                {edited ? ' (edited)' : ''} · on breach: {BREACH_SHORT[config.breachAction]}
                {overrides > 0 && ` · ${overrides} instrument override${overrides === 1 ? '' : 's'}`}
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
            <div className="table-empty">{usage ? 'No limit is being used yet' : 'Usage not reported yet'}</div>
          )}
          {config && <PerOrderLimits config={config} usage={usage} currency={currency} />}
          {offLimits.length > 0 && <p className="risk-off muted">Off: {offLimits.join(', ')}</p>}
        </div>
        <div className="risk-col">
          {report && (
            <div className={`risk-report ${isIncomplete(report) ? 'neg' : ''}`}>
              Last emergency stop {fmtSince(report.startedAt)}: {report.ordersCanceled} canceled
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
