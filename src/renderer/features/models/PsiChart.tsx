/**
 * Each feature's PSI against its training distribution as a bar, largest
 * first, on a track marked at 0.1 (watch) and 0.25 (drifting); the bar
 * takes the colour of its status. Plain elements, read as a list.
 */
import type { FeaturePsi, ModelDrift } from '../../../shared/contract/modelMonitor';
import { psiChart } from './driftView';

export function PsiChart({ psi, thresholds }: { psi: readonly FeaturePsi[]; thresholds: ModelDrift['thresholds'] }) {
  const chart = psiChart(psi, thresholds);
  return (
    <ol className="mv-psi" aria-label="PSI per feature">
      {chart.bars.map((b) => (
        <li key={b.feature} className="mv-psi-row" title={b.psi === null ? `${b.feature}: PSI unknown` : `${b.feature}: PSI ${b.text} (${b.status})`}>
          <span className="mv-imp-name">{b.feature}</span>
          <span className="mv-psi-track" aria-hidden="true">
            <span className={`mv-psi-bar mv-psi-${b.status}`} style={{ width: `${b.width}%` }} />
            <span className="mv-psi-line mv-psi-line-watch" style={{ left: `${chart.watchAt}%` }} />
            <span className="mv-psi-line mv-psi-line-drift" style={{ left: `${chart.driftAt}%` }} />
          </span>
          <span className={`mv-imp-value num mv-psi-value-${b.status}`}>{b.text}</span>
        </li>
      ))}
      <li className="mv-psi-row mv-psi-scale" aria-hidden="true">
        <span />
        <span className="mv-psi-track mv-psi-axis">
          <span style={{ left: `${chart.watchAt}%` }}>{thresholds.psiWatch}</span>
          <span style={{ left: `${chart.driftAt}%` }}>{thresholds.psiDrift}</span>
          <span style={{ left: '100%' }}>{chart.scale}</span>
        </span>
        <span />
      </li>
    </ol>
  );
}
