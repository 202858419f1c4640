/**
 * The key to the chart's regime band, under the chart: each colour with its
 * name, the current one marked, and the regime now in words with what it
 * was read from on hover.
 */
import type { RegimeView } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { fmtSince } from '../../lib/format';
import { REGIME_ORDER, REGIME_STYLE, describeRegime } from './regimeStyle';
import './regime.css';

export function RegimeKey({ regime, timeframe }: { regime: RegimeView | undefined; timeframe: Timeframe }) {
  const now = regime?.label ?? null;
  return (
    <div className="regime-key" role="group" aria-label="Regime band key">
      <span className="regime-key-title">Regime band</span>
      <ul className="regime-key-list">
        {REGIME_ORDER.map((label) => (
          <li key={label} className={label === now ? 'is-now' : undefined}>
            <span className="regime-swatch" style={{ background: REGIME_STYLE[label].color }} aria-hidden="true" />
            {REGIME_STYLE[label].name}
          </li>
        ))}
      </ul>
      <span className="regime-key-now" title={describeRegime(regime, timeframe)} data-testid="regime-now">
        {now === null ? (
          <span className="muted">{regime ? 'Not enough history' : 'Reading…'}</span>
        ) : (
          <>
            <span className="muted">Now </span>
            <b style={{ color: REGIME_STYLE[now].color }}>{REGIME_STYLE[now].name}</b>
            {regime?.since != null && <span className="muted"> since {fmtSince(regime.since)}</span>}
          </>
        )}
      </span>
    </div>
  );
}
