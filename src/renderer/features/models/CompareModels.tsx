/**
 * Two versions side by side: how each was made, its out-of-sample metrics
 * with the better one marked, and what it leans on. Rows where the versions
 * differ stand out.
 */
import type { ModelRecord } from '../../../shared/models';
import { useNow } from '../../lib/useNow';
import { useKeel } from '../../stores/KeelProvider';
import { compareRows } from './compareRows';
import { versionName } from './modelList';

export function CompareModels({ models }: { models: readonly ModelRecord[] }) {
  const toggle = useKeel((s) => s.toggleModelCompare);
  const now = useNow();
  const rows = compareRows(models, now);
  return (
    <div className="table-scroll mv-compare-scroll">
      <table className="grid bt-compare mv-compare" aria-label="Compared versions">
        <thead>
          <tr>
            <th scope="col">Property</th>
            {models.map((m) => (
              <th key={m.id} scope="col" className="bt-compare-head">
                <span className="bt-compare-name">{versionName(m)}</span>
                <button type="button" className="link" aria-label={`Remove ${versionName(m)} from the comparison`} onClick={() => toggle(m.id)}>
                  ×
                </button>
              </th>
            ))}
            {models.length === 2 && (
              <th scope="col" className="num" title={`${versionName(models[1]!)} minus ${versionName(models[0]!)}`}>
                Change
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={`${r.differs ? 'mv-differs' : ''} ${r.metric ? 'mv-metric-row' : ''}`}>
              <th scope="row" title={r.help}>
                {r.label}
              </th>
              {r.values.map((v, i) => (
                <td key={models[i]!.id} className={`${r.metric ? 'num' : 'wrap'} ${r.best.includes(i) ? 'best' : ''}`}>
                  {v}
                  {r.best.includes(i) && <span className="sr-only"> (better)</span>}
                </td>
              ))}
              {models.length === 2 && <td className="num muted mv-change">{r.delta ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
