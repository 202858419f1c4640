/** The calendar of daily results: a month per block, a day per cell, shaded by its PnL. */
import { useMemo } from 'react';
import { fmtMoney } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { calendarMonths } from './calendar';

const WEEKDAYS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

export function CalendarView() {
  const daily = useKeel((s) => s.analytics?.equity.daily);
  const months = useMemo(() => calendarMonths(daily ?? [], 6), [daily]);
  return (
    <div className="av-block" role="region" aria-label="Calendar of daily results">
      <h3 className="av-block-title">Calendar (UTC)</h3>
      {months.length === 0 && <div className="table-empty">No days in this range.</div>}
      <div className="av-months">
        {[...months].reverse().map((m) => (
          <div key={m.key} className="av-month">
            <div className="av-month-head">
              <span>{m.label}</span>
              <span className={`num ${m.pnl > 0 ? 'pos' : m.pnl < 0 ? 'neg' : ''}`}>{fmtMoney(m.pnl.toFixed(2), { signed: true, grouped: true })}</span>
            </div>
            <div className="av-cal" role="grid" aria-label={m.label}>
              {WEEKDAYS.map((d, i) => (
                <span key={`h${i}`} className="av-cal-head" aria-hidden="true">
                  {d}
                </span>
              ))}
              {m.weeks.flat().map((cell, i) =>
                cell ? (
                  <span
                    key={cell.date}
                    role="gridcell"
                    className="av-cal-day"
                    style={{ background: shade(cell.shade) }}
                    title={`${cell.date}: ${fmtMoney(cell.pnl.toFixed(2), { signed: true })}${cell.trades > 0 ? ` · ${cell.trades} closed` : ''}`}
                    aria-label={`${cell.date} ${cell.pnl.toFixed(2)}`}
                  >
                    {cell.day}
                  </span>
                ) : (
                  <span key={`e${i}`} className="av-cal-blank" aria-hidden="true" />
                ),
              )}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Green for a good day, red for a bad one, stronger the larger it was; a flat day stays dark. */
function shade(value: number): string {
  if (value === 0) return 'var(--panel-3)';
  const alpha = 0.18 + Math.min(1, Math.abs(value)) * 0.62;
  return value > 0 ? `rgba(14, 203, 129, ${alpha.toFixed(2)})` : `rgba(246, 70, 93, ${alpha.toFixed(2)})`;
}
