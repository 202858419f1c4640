/**
 * The calendar of daily results: UTC months of weeks (Monday first), each
 * day with its PnL and a shade from −1 (the worst day shown) to 1 (the best),
 * days outside the results left blank.
 */
import type { DailyResult } from '../../../shared/contract';

export interface CalendarDay {
  date: string;
  day: number;
  pnl: number;
  /** −1 … 1, relative to the largest absolute day in the calendar. */
  shade: number;
  trades: number;
}

export interface CalendarMonth {
  /** "2025-03". */
  key: string;
  label: string;
  /** Weeks of seven cells, Monday first; null where the day is not in the month or has no result. */
  weeks: Array<Array<CalendarDay | null>>;
  pnl: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function calendarMonths(daily: readonly DailyResult[], maxMonths = 12): CalendarMonth[] {
  const largest = daily.reduce((m, d) => Math.max(m, Math.abs(Number(d.pnl))), 0);
  const byMonth = new Map<string, DailyResult[]>();
  for (const d of daily) {
    const key = d.date.slice(0, 7);
    byMonth.set(key, [...(byMonth.get(key) ?? []), d]);
  }
  const months = [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(-maxMonths);
  return months.map(([key, days]) => {
    const [year, month] = key.split('-').map(Number) as [number, number];
    const first = Date.UTC(year, month - 1, 1);
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const lead = (new Date(first).getUTCDay() + 6) % 7;
    const cells: Array<CalendarDay | null> = Array.from({ length: lead }, () => null);
    const byDate = new Map(days.map((d) => [d.date, d]));
    for (let day = 1; day <= length; day++) {
      const date = `${key}-${String(day).padStart(2, '0')}`;
      const result = byDate.get(date);
      const pnl = result ? Number(result.pnl) : 0;
      cells.push(result ? { date, day, pnl, shade: largest > 0 ? pnl / largest : 0, trades: result.trades } : null);
    }
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks: Array<Array<CalendarDay | null>> = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    return { key, label: `${MONTHS[month - 1]} ${year}`, weeks, pnl: days.reduce((s, d) => s + Number(d.pnl), 0) };
  });
}
