/** The trading state in the header: ACTIVE green, REDUCING amber, HALTED red, grey while unknown. */
import { fmtTime } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';

export function TradingStateBadge() {
  const risk = useKeel((s) => s.riskState);
  const setTab = useKeel((s) => s.setBlotterTab);
  const label = risk?.state ?? 'UNKNOWN';
  const title = risk
    ? `Trading ${risk.state} since ${fmtTime(risk.since)}${risk.reason ? `: ${risk.reason}` : ''} (click for the risk panel)`
    : 'Trading state not loaded: the host has not reported it';
  return (
    <button
      type="button"
      className={`trade-state trade-state-${label.toLowerCase()}`}
      aria-label={`Trading state: ${label}`}
      title={title}
      onClick={() => setTab('risk')}
    >
      <span className="dot" aria-hidden="true" />
      {label}
    </button>
  );
}
