/** Every statistic of a finished run, labelled as the reference backtester labels them, one row each. */
import type { BacktestStats } from '../../../shared/contract';
import { STAT_FIELDS, fmtStat, statTone } from './statsFormat';

export function StatsTable({ stats }: { stats: BacktestStats }) {
  return (
    <div className="table-scroll bt-stats-scroll">
      <table className="grid bt-stats" data-testid="backtest-stats" aria-label="Statistics">
        <tbody>
          {STAT_FIELDS.map((f) => {
            const value = stats[f.key];
            return (
              <tr key={f.key}>
                <th scope="row" title={f.help}>
                  {f.label}
                </th>
                <td className={`num ${statTone(f, value)}`} data-testid={`stat-${f.key}`}>
                  {fmtStat(f, value)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
