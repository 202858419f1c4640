import { describe, expect, it } from 'vitest';
import { backtestStatsSchema } from '../../../shared/contract';
import { STAT_FIELDS, bestIndexes, fmtBacktestPrice, fmtBarTime, fmtDuration, fmtNumber, fmtPct, fmtSize, fmtStat, fmtWhen, hasTimeOfDay, statTone } from './statsFormat';

const field = (key: string) => STAT_FIELDS.find((f) => f.key === key)!;

describe('STAT_FIELDS', () => {
  it('covers every field of the contract stats exactly once', () => {
    const keys = STAT_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(backtestStatsSchema.shape).sort());
  });

  it('labels the headline figures as a trader reads them', () => {
    expect(field('returnPct').label).toBe('Return [%]');
    expect(field('sharpeRatio').label).toBe('Sharpe ratio');
    expect(field('maxDrawdownPct').label).toBe('Max. drawdown [%]');
    expect(field('trades').label).toBe('# Trades');
  });

  it('formats every millisecond duration field as a duration and every time as a date', () => {
    for (const f of STAT_FIELDS) {
      if (f.key.endsWith('DurationMs') || f.key === 'durationMs') expect(f.kind).toBe('duration');
      if (f.key === 'start' || f.key === 'end') expect(f.kind).toBe('date');
      if (f.key.endsWith('Pct')) expect(f.kind).toBe('percent');
    }
  });
});

describe('fmtDuration', () => {
  it('prints days and hours:minutes', () => {
    expect(fmtDuration((12 * 24 + 4) * 3_600_000)).toBe('12 days 04:00');
    expect(fmtDuration(86_400_000 + 30 * 60_000)).toBe('1 day 00:30');
    expect(fmtDuration(5 * 60_000)).toBe('0 days 00:05');
    expect(fmtDuration(0)).toBe('0 days 00:00');
  });

  it('shows seconds only when there are some', () => {
    expect(fmtDuration(30_000)).toBe('0 days 00:00:30');
    expect(fmtDuration(3 * 86_400_000 + 61_000)).toBe('3 days 00:01:01');
  });

  it('rounds to the second and says nothing for no value', () => {
    expect(fmtDuration(59_999.6)).toBe('0 days 00:01');
    expect(fmtDuration(null)).toBe('—');
    expect(fmtDuration(Number.NaN)).toBe('—');
  });
});

describe('fmtStat', () => {
  it('formats by kind', () => {
    expect(fmtStat(field('returnPct'), 1234.5678)).toBe('1,234.57');
    expect(fmtStat(field('sharpeRatio'), 0.66543)).toBe('0.665');
    expect(fmtStat(field('probabilisticSharpe'), 0.973123)).toBe('0.9731');
    expect(fmtStat(field('trades'), 93)).toBe('93');
    expect(fmtStat(field('equityFinal'), 51422.99)).toBe('51,422.99');
    expect(fmtStat(field('avgTradeDurationMs'), 2 * 86_400_000)).toBe('2 days 00:00');
    expect(fmtStat(field('sortinoRatio'), null)).toBe('—');
  });

  it('never shows a negative zero', () => {
    expect(fmtNumber(-0.0001, 2)).toBe('0.00');
    expect(fmtPct(-0.001)).toBe('0.00%');
    expect(fmtPct(0.004)).toBe('0.00%');
    expect(fmtPct(12.345)).toBe('+12.35%');
    expect(fmtPct(-3.1)).toBe('-3.10%');
  });

  it('shows an infinite profit factor as such', () => {
    expect(fmtStat(field('profitFactor'), Infinity)).toBe('∞');
  });

  it('colours returns by sign but not neutral figures', () => {
    expect(statTone(field('returnPct'), 5)).toBe('pos');
    expect(statTone(field('returnPct'), -5)).toBe('neg');
    expect(statTone(field('exposureTimePct'), 5)).toBe('');
    expect(statTone(field('volatilityAnnPct'), 5)).toBe('');
  });
});

describe('bestIndexes', () => {
  it('marks the highest, the lowest or the closest to zero, by the field direction', () => {
    expect(bestIndexes(field('returnPct'), [5, 12, -3])).toEqual([1]);
    expect(bestIndexes(field('commissions'), [5, 12, 3])).toEqual([2]);
    expect(bestIndexes(field('maxDrawdownPct'), [-33, -12, -20])).toEqual([1]);
    expect(bestIndexes(field('maxDrawdownPct'), [33, 12, 20])).toEqual([1]);
  });

  it('marks ties, skips missing values, and marks nothing when all are equal or there is no direction', () => {
    expect(bestIndexes(field('returnPct'), [12, null, 12, 3])).toEqual([0, 2]);
    expect(bestIndexes(field('returnPct'), [4, 4])).toEqual([]);
    expect(bestIndexes(field('returnPct'), [4, null])).toEqual([]);
    expect(bestIndexes(field('trades'), [1, 9])).toEqual([]);
  });
});

describe('prices and sizes', () => {
  it('shows prices with decimals that suit their size', () => {
    expect(fmtBacktestPrice(51234.5)).toBe('51,234.50');
    expect(fmtBacktestPrice(1.23456)).toBe('1.2346');
    expect(fmtBacktestPrice(0.000123456)).toBe('0.000123');
    expect(fmtBacktestPrice(null)).toBe('—');
  });

  it('shows sizes without trailing zeros', () => {
    expect(fmtSize(1500)).toBe('1,500');
    expect(fmtSize(0.015)).toBe('0.015');
    expect(fmtSize(-2.5)).toBe('-2.5');
  });
});

describe('times', () => {
  const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

  it('shows bar times as dates for daily data and with the minute intraday', () => {
    expect(hasTimeOfDay([local(2024, 3, 5), local(2024, 3, 6)])).toBe(false);
    expect(hasTimeOfDay([local(2024, 3, 5), local(2024, 3, 5, 14, 30)])).toBe(true);
    expect(fmtBarTime(local(2024, 3, 5, 14, 30), true)).toBe('2024-03-05 14:30');
    expect(fmtBarTime(local(2024, 3, 5, 14, 30), false)).toBe('2024-03-05');
    expect(fmtStat(field('start'), local(2024, 3, 5, 9, 0))).toBe('2024-03-05 09:00');
  });

  it('says when a run was made as briefly as is unambiguous', () => {
    const now = local(2025, 11, 28, 18, 0);
    expect(fmtWhen(local(2025, 11, 28, 14, 3), now)).toBe('14:03');
    expect(fmtWhen(local(2025, 6, 2, 9, 15), now)).toBe('06-02 09:15');
    expect(fmtWhen(local(2024, 6, 2, 9, 15), now)).toBe('2024-06-02');
  });
});
