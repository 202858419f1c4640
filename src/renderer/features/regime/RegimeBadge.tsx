/** An instrument's current regime on the selected timeframe, as a small coloured label with its name in words. */
import type { RegimeView } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { REGIME_STYLE, describeRegime } from './regimeStyle';
import './regime.css';

export function RegimeBadge({ regime, timeframe }: { regime: RegimeView | undefined; timeframe: Timeframe }) {
  const label = regime?.label ?? null;
  const title = describeRegime(regime, timeframe);
  if (label === null) {
    return (
      <span className="regime-tag regime-none" role="img" aria-label="Regime: not known" title={title}>
        —
      </span>
    );
  }
  const style = REGIME_STYLE[label];
  return (
    <span className="regime-tag" role="img" aria-label={`Regime: ${style.name}`} title={title} data-regime={label} style={{ color: style.color }}>
      {style.short}
    </span>
  );
}
