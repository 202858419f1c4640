/** Round trips by the UTC weekday and hour they opened: trades, win rate, net PnL. */
import type { AnalyticsSummary } from '../../../shared/contract';
import { fmtMoney, pnlClass } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function BucketTables() {
  const summary = useKeel((s) => s.analytics?.summary);
  if (!summary) return null;
  return (
    <div className="av-buckets">
      <Buckets label="By weekday (UTC, at entry)" rows={summary.byDayOfWeek} name={(k) => WEEKDAYS[k] ?? String(k)} />
      <Buckets label="By hour (UTC, at entry)" rows={summary.byHour.filter((b) => b.trades > 0)} name={(k) => `${String(k).padStart(2, '0')}:00`} />
    </div>
  );
}

function Buckets({ label, rows, name }: { label: string; rows: AnalyticsSummary['byHour']; name: (key: number) => string }) {
  return (
    <div className="av-block">
      <h3 className="av-block-title">{label}</h3>
      <table className="grid av-bucket-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="num">
              Trades
            </th>
            <th scope="col" className="num">
              Win
            </th>
            <th scope="col" className="num">
              Net PnL
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No round trips.
              </td>
            </tr>
          )}
          {rows.map((b) => (
            <tr key={b.key}>
              <th scope="row">{name(b.key)}</th>
              <td className="num">{b.trades}</td>
              <td className="num">{b.trades > 0 ? `${((b.wins / b.trades) * 100).toFixed(0)}%` : '—'}</td>
              <td className={`num ${pnlClass(b.netPnl)}`}>{b.trades > 0 ? fmtMoney(b.netPnl, { signed: true }) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
