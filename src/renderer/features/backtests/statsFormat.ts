/**
 * How a backtest's statistics read: one entry per field of the contract's
 * `stats`, in the reference backtester's order, with a human label
 * ("Return [%]", "Max. drawdown [%]"), a format (percent, ratio, money,
 * duration as "12 days 04:00", date) and which direction is better, so the
 * compare view can mark the best run of each row.
 */
import type { BacktestStats } from '../../../shared/contract';
import { fmtDateTime, group } from '../../lib/format';

export type StatKind = 'date' | 'duration' | 'percent' | 'ratio' | 'money' | 'count' | 'probability';

/** `high`: more is better; `low`: less is better; `zero`: closer to zero is better (drawdowns, signed either way); null: not a score. */
export type Better = 'high' | 'low' | 'zero' | null;

export interface StatField {
  key: keyof BacktestStats;
  label: string;
  kind: StatKind;
  better: Better;
  /** What the figure means, for a tooltip. */
  help?: string;
}

export const STAT_FIELDS: readonly StatField[] = [
  { key: 'start', label: 'Start', kind: 'date', better: null },
  { key: 'end', label: 'End', kind: 'date', better: null },
  { key: 'durationMs', label: 'Duration', kind: 'duration', better: null },
  { key: 'exposureTimePct', label: 'Exposure time [%]', kind: 'percent', better: null, help: 'Share of bars with a position open' },
  { key: 'equityFinal', label: 'Equity final', kind: 'money', better: 'high' },
  { key: 'equityPeak', label: 'Equity peak', kind: 'money', better: 'high' },
  { key: 'commissions', label: 'Commissions', kind: 'money', better: 'low' },
  { key: 'returnPct', label: 'Return [%]', kind: 'percent', better: 'high' },
  { key: 'buyHoldReturnPct', label: 'Buy & hold return [%]', kind: 'percent', better: null, help: 'Holding the instrument over the same bars' },
  { key: 'returnAnnPct', label: 'Return (ann.) [%]', kind: 'percent', better: 'high' },
  { key: 'volatilityAnnPct', label: 'Volatility (ann.) [%]', kind: 'percent', better: 'low' },
  { key: 'cagrPct', label: 'CAGR [%]', kind: 'percent', better: 'high', help: 'Compound annual growth rate' },
  { key: 'sharpeRatio', label: 'Sharpe ratio', kind: 'ratio', better: 'high' },
  { key: 'sortinoRatio', label: 'Sortino ratio', kind: 'ratio', better: 'high' },
  { key: 'calmarRatio', label: 'Calmar ratio', kind: 'ratio', better: 'high' },
  { key: 'alphaPct', label: 'Alpha [%]', kind: 'percent', better: 'high', help: 'Return not explained by buy & hold exposure' },
  { key: 'beta', label: 'Beta', kind: 'ratio', better: null, help: 'Sensitivity to buy & hold returns' },
  { key: 'maxDrawdownPct', label: 'Max. drawdown [%]', kind: 'percent', better: 'zero' },
  { key: 'avgDrawdownPct', label: 'Avg. drawdown [%]', kind: 'percent', better: 'zero' },
  { key: 'maxDrawdownDurationMs', label: 'Max. drawdown duration', kind: 'duration', better: 'low' },
  { key: 'avgDrawdownDurationMs', label: 'Avg. drawdown duration', kind: 'duration', better: 'low' },
  { key: 'trades', label: '# Trades', kind: 'count', better: null },
  { key: 'winRatePct', label: 'Win rate [%]', kind: 'percent', better: 'high' },
  { key: 'bestTradePct', label: 'Best trade [%]', kind: 'percent', better: 'high' },
  { key: 'worstTradePct', label: 'Worst trade [%]', kind: 'percent', better: 'high' },
  { key: 'avgTradePct', label: 'Avg. trade [%]', kind: 'percent', better: 'high' },
  { key: 'maxTradeDurationMs', label: 'Max. trade duration', kind: 'duration', better: null },
  { key: 'avgTradeDurationMs', label: 'Avg. trade duration', kind: 'duration', better: null },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio', better: 'high', help: 'Gross profit over gross loss' },
  { key: 'expectancyPct', label: 'Expectancy [%]', kind: 'percent', better: 'high', help: 'Average return per trade, weighted by win rate' },
  { key: 'sqn', label: 'SQN', kind: 'ratio', better: 'high', help: 'System quality number' },
  { key: 'kellyCriterion', label: 'Kelly criterion', kind: 'ratio', better: 'high', help: 'Share of capital the Kelly rule would risk per trade' },
  {
    key: 'probabilisticSharpe',
    label: 'Probabilistic Sharpe ratio',
    kind: 'probability',
    better: 'high',
    help: 'Probability that the true Sharpe ratio is above zero',
  },
];

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as the reference backtester prints it, to the minute:
 * "12 days 04:00", "1 day 00:30", "0 days 00:05"; seconds only when a
 * duration is shorter than a minute is not whole ("0 days 00:00:30").
 */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const negative = ms < 0;
  let rest = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const clock = seconds !== 0 ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(hours)}:${pad(minutes)}`;
  return `${negative ? '-' : ''}${days} ${days === 1 ? 'day' : 'days'} ${clock}`;
}

/** A figure with a fixed number of decimals and thousands separators; "—" for none. */
export function fmtNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return value === Infinity ? '∞' : '—';
  // toFixed keeps "-0.00" for tiny negatives; a figure that rounds to zero reads as zero.
  const text = value.toFixed(digits);
  return group(Number(text) === 0 ? (0).toFixed(digits) : text);
}

export function fmtStat(field: Pick<StatField, 'kind'>, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  switch (field.kind) {
    case 'date':
      // Seconds are noise for bar times; a date alone hides the hour of intraday data, so show minutes.
      return Number.isFinite(value) ? fmtDateTime(value).slice(0, 16) : '—';
    case 'duration':
      return fmtDuration(value);
    case 'percent':
    case 'money':
      return fmtNumber(value, 2);
    case 'ratio':
      return fmtNumber(value, 3);
    case 'probability':
      return fmtNumber(value, 4);
    case 'count':
      return fmtNumber(value, 0);
  }
}

/** Colour hint for a value: signed figures (returns, PnL-like) red or green; others neutral. */
export function statTone(field: StatField, value: number | null | undefined): 'pos' | 'neg' | '' {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return '';
  if (field.kind !== 'percent' || field.better !== 'high') return '';
  return value > 0 ? 'pos' : 'neg';
}

/**
 * Which of several runs' values is best for a field (indexes, ties all
 * marked); none when the field has no direction or fewer than two values.
 */
export function bestIndexes(field: Pick<StatField, 'better'>, values: readonly (number | null | undefined)[]): number[] {
  if (field.better === null) return [];
  const score = (v: number) => (field.better === 'high' ? v : field.better === 'low' ? -v : -Math.abs(v));
  const present = values
    .map((v, i) => ({ v, i }))
    .filter((x): x is { v: number; i: number } => typeof x.v === 'number' && !Number.isNaN(x.v));
  if (present.length < 2) return [];
  const best = Math.max(...present.map((x) => score(x.v)));
  if (present.every((x) => score(x.v) === best)) return [];
  return present.filter((x) => score(x.v) === best).map((x) => x.i);
}

/** A percent for a table cell: "+12.34%", "-3.10%", "—". */
export function fmtPct(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = fmtNumber(value, digits);
  return `${value > 0 && Number(value.toFixed(digits)) !== 0 ? '+' : ''}${text}%`;
}

/**
 * A price from a backtest (floats, with no instrument to say its tick):
 * two decimals from 100 up, four from 1, six below, so a stock, a coin and
 * a penny pair all read naturally.
 */
export function fmtBacktestPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  return fmtNumber(value, abs >= 100 ? 2 : abs >= 1 ? 4 : 6);
}

/** A trade size: whole units as integers, fractions to at most 8 decimals, no trailing zeros. */
export function fmtSize(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return group(String(value));
  return group(value.toFixed(8).replace(/\.?0+$/, ''));
}

/** Whether any of these times falls inside a day (local time): daily and slower data read as dates alone. */
export function hasTimeOfDay(times: readonly number[]): boolean {
  return times.some((ms) => {
    const d = new Date(ms);
    return d.getHours() !== 0 || d.getMinutes() !== 0 || d.getSeconds() !== 0;
  });
}

/** A bar time: "2024-03-05" for daily data, "2024-03-05 14:30" intraday. */
export function fmtBarTime(ms: number, withTime: boolean): string {
  const text = fmtDateTime(ms);
  return withTime ? text.slice(0, 16) : text.slice(0, 10);
}

/** When a run was made, short: "14:03" today, "11-28 14:03" this year, "2024-11-28" before. */
export function fmtWhen(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const n = new Date(now);
  const text = fmtDateTime(ms);
  if (d.toDateString() === n.toDateString()) return text.slice(11, 16);
  if (d.getFullYear() === n.getFullYear()) return text.slice(5, 16);
  return text.slice(0, 10);
}
