import { describe, expect, it } from 'vitest';
import type { DailyResult } from '../../../shared/contract';
import { calendarMonths } from './calendar';

const day = (date: string, pnl: string, trades = 0): DailyResult => ({ date, time: Date.parse(`${date}T00:00:00Z`), pnl, equity: '1000', returnPct: null, trades });

describe('the calendar of daily results', () => {
  it('lays each month out in weeks from Monday, shading days against the largest', () => {
    // 1 March 2025 was a Saturday.
    const months = calendarMonths([day('2025-02-28', '-50', 1), day('2025-03-01', '100', 2), day('2025-03-02', '25'), day('2025-03-31', '0')]);
    expect(months.map((m) => [m.key, m.label, m.pnl])).toEqual([
      ['2025-02', 'February 2025', -50],
      ['2025-03', 'March 2025', 125],
    ]);
    const march = months[1]!;
    expect(march.weeks[0]!.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(march.weeks[0]![5]).toEqual({ date: '2025-03-01', day: 1, pnl: 100, shade: 1, trades: 2 });
    expect(march.weeks[0]![6]).toMatchObject({ date: '2025-03-02', shade: 0.25 });
    // 31 March 2025 was a Monday: a sixth week with it alone.
    expect(march.weeks).toHaveLength(6);
    expect(march.weeks[5]![0]).toMatchObject({ date: '2025-03-31', shade: 0 });
    expect(march.weeks.every((w) => w.length === 7)).toBe(true);
    const february = months[0]!;
    expect(february.weeks.flat().filter((c) => c !== null)).toEqual([{ date: '2025-02-28', day: 28, pnl: -50, shade: -0.5, trades: 1 }]);
  });

  it('keeps the newest months, and nothing for no days', () => {
    const many = ['2024-10-15', '2024-11-15', '2024-12-15', '2025-01-15', '2025-02-15'].map((date) => day(date, '1'));
    expect(calendarMonths(many, 3).map((m) => m.key)).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(calendarMonths([])).toEqual([]);
  });
});
