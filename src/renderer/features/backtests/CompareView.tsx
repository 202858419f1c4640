/**
 * Two or more finished runs side by side: what each was, then every statistic
 * in one row, the best of each row marked (higher return, lower commissions,
 * the drawdown closest to zero...).
 */
import type { BacktestResult } from '../../../shared/contract';
import { useKeel } from '../../stores/KeelProvider';
import { paramsSummary } from '../strategies/paramForm';
import { describeData } from './backtestForm';
import { STAT_FIELDS, bestIndexes, fmtStat, statTone } from './statsFormat';

export function CompareView({ ids, errors }: { ids: readonly string[]; errors: Record<string, string> }) {
  const runs = useKeel((s) => s.backtests);
  const results = useKeel((s) => s.backtestResults);
  const catalog = useKeel((s) => s.strategyCatalog);
  const datasets = useKeel((s) => s.datasets);
  const toggle = useKeel((s) => s.toggleCompare);

  const columns = ids.map((id) => ({ id, run: runs.find((r) => r.id === id), result: results[id] as BacktestResult | undefined }));

  return (
    <div className="table-scroll bt-compare-scroll">
      <table className="grid bt-compare" data-testid="backtest-compare" aria-label="Compared runs">
        <thead>
          <tr>
            <th scope="col">Statistic</th>
            {columns.map((c) => (
              <th key={c.id} scope="col" className="num bt-compare-head">
                <span className="bt-compare-name">{c.run?.name ?? c.id}</span>
                <button type="button" className="link" aria-label={`Remove ${c.run?.name ?? c.id} from the comparison`} onClick={() => toggle(c.id)}>
                  ×
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="bt-compare-info">
            <th scope="row">Strategy</th>
            {columns.map((c) => {
              const entry = catalog.find((e) => e.type === c.run?.strategy.type);
              return (
                <td key={c.id} className="wrap" title={c.run ? paramsSummary(c.run.strategy.params, entry?.params) : undefined}>
                  {c.run ? (
                    <>
                      <b>{entry?.name ?? c.run.strategy.type}</b> <span className="muted">{paramsSummary(c.run.strategy.params, entry?.params)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              );
            })}
          </tr>
          <tr className="bt-compare-info">
            <th scope="row">Data</th>
            {columns.map((c) => (
              <td key={c.id} className="wrap">
                {c.run ? describeData(c.run.data, datasets) : '—'}
              </td>
            ))}
          </tr>
          {STAT_FIELDS.map((f) => {
            const values = columns.map((c) => c.result?.stats?.[f.key] ?? null);
            const best = bestIndexes(f, values);
            return (
              <tr key={f.key}>
                <th scope="row" title={f.help}>
                  {f.label}
                </th>
                {columns.map((c, i) => {
                  const missing = !c.result?.stats;
                  return (
                    <td key={c.id} className={`num ${statTone(f, values[i])} ${best.includes(i) ? 'best' : ''}`}>
                      {missing ? <span className="muted">{errors[c.id] ? 'unavailable' : c.run?.status === 'done' ? '…' : (c.run?.status ?? '—')}</span> : fmtStat(f, values[i])}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
