/**
 * The figures of a scope over a range, from the round trips it closed there
 * and its equity curve. Money stays exact (decimals); ratios are floats.
 *
 * Where a figure has a backtest statistic of the same definition, it is
 * computed by the backtest's own code (backtest/statistics.ts): win rate,
 * mean trade return (expectancy %), best and worst trade, Sharpe and Sortino
 * (`annualisedRatios` over `periodReturns` of the equity resampled to UTC
 * days, 365 periods a year: crypto trades every day), and the drawdown
 * depth and duration (`drawdownSeries` over every point of the curve). The
 * profit factor here is the trader's one, money won over money lost; the
 * backtest's is over trade returns and is not repeated here.
 */
import type { AnalyticsFigures, DailyResult } from '../../shared/contract/analytics';
import { Dec } from '../../shared/decimal';
import { annualisedRatios, drawdownSeries, periodReturns } from '../backtest/statistics';
import { DAY_MS, isoDate, utcDay, type EquityCurve } from './equityCurve';

/** Periods a year for daily returns. */
export const DAYS_PER_YEAR = 365;

/** What the figures need of one round trip. */
export interface TripOutcome {
  openedAt: number;
  closedAt: number | null;
  netPnl: Dec;
  /** Σ quantity × price of its entries. */
  entryValue: Dec;
  rMultiple: number | null;
}

export function tripReturnPct(trip: Pick<TripOutcome, 'netPnl' | 'entryValue'>): number {
  return trip.netPnl.div(trip.entryValue).toNumber() * 100;
}

function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export interface FiguresInput {
  /** Round trips closed in the range. */
  closed: readonly TripOutcome[];
  /** Round trips of the scope open at the end of the range. */
  openTrades: number;
  curve: EquityCurve;
  startEquity: Dec;
}

export function computeFigures({ closed, openTrades, curve, startEquity }: FiguresInput): AnalyticsFigures {
  const n = closed.length;
  const pnl = closed.map((t) => t.netPnl);
  const winners = pnl.filter((p) => p.isPositive());
  const losers = pnl.filter((p) => p.isNegative());
  const grossProfit = Dec.sum(winners);
  const grossLoss = Dec.sum(losers);
  const netPnl = Dec.sum(pnl);
  const returns = closed.map(tripReturnPct);
  const rs = closed.map((t) => t.rMultiple).filter((r): r is number => r !== null);
  const durations = closed.map((t) => t.closedAt! - t.openedAt);
  const count = (k: number) => Dec.fromBigInt(BigInt(k));
  const averageWin = winners.length > 0 ? grossProfit.div(count(winners.length)) : null;
  const averageLoss = losers.length > 0 ? grossLoss.div(count(losers.length)) : null;

  const last = curve.points[curve.points.length - 1]!;
  const endEquity = last.equity;
  const positive = startEquity.isPositive() && curve.points.every((p) => p.equity.isPositive());
  const times = curve.points.map((p) => p.time);
  const equity = curve.points.map((p) => p.equity.toNumber());
  const ratios = positive ? annualisedRatios(periodReturns(times, equity, 'day'), DAYS_PER_YEAR) : null;
  const dd = positive ? drawdownSeries(times, equity) : null;
  let deepest = 0;
  if (dd) for (const x of dd.drawdown) if (x > deepest) deepest = x;
  let longest: number | null = null;
  if (dd) for (const p of dd.periods) if (longest === null || p.durationMs > longest) longest = p.durationMs;
  let peak: Dec | null = null;
  let maxDrawdown = Dec.ZERO;
  for (const p of curve.points) {
    peak = peak === null ? p.equity : Dec.max(peak, p.equity);
    maxDrawdown = Dec.max(maxDrawdown, peak.sub(p.equity));
  }
  const span = last.time - curve.points[0]!.time;

  return {
    trades: n,
    openTrades,
    wins: winners.length,
    losses: losers.length,
    netPnl: netPnl.toString(),
    grossProfit: grossProfit.toString(),
    grossLoss: grossLoss.toString(),
    profitFactor: losers.length > 0 ? finite(grossProfit.div(grossLoss.abs()).toNumber()) : null,
    winRatePct: n > 0 ? (winners.length / n) * 100 : null,
    averageWin: averageWin?.toString() ?? null,
    averageLoss: averageLoss?.toString() ?? null,
    payoffRatio: averageWin && averageLoss ? finite(averageWin.div(averageLoss.abs()).toNumber()) : null,
    expectancy: n > 0 ? netPnl.div(count(n)).toString() : null,
    expectancyPct: meanOf(returns),
    expectancyR: meanOf(rs),
    rTrades: rs.length,
    bestTradePct: n > 0 ? returns.reduce((a, b) => Math.max(a, b)) : null,
    worstTradePct: n > 0 ? returns.reduce((a, b) => Math.min(a, b)) : null,
    averageDurationMs: meanOf(durations),
    sharpeRatio: ratios?.sharpeRatio ?? null,
    sortinoRatio: ratios?.sortinoRatio ?? null,
    maxDrawdown: maxDrawdown.toString(),
    maxDrawdownPct: dd ? deepest * 100 : null,
    maxDrawdownDurationMs: longest,
    exposurePct: span > 0 ? (curve.exposureMs / span) * 100 : 0,
    feesPaid: curve.fees.toString(),
    fundingPaid: curve.funding.neg().toString(),
    startEquity: startEquity.toString(),
    endEquity: endEquity.toString(),
    returnPct: startEquity.isPositive() ? endEquity.div(startEquity).sub(Dec.ONE).toNumber() * 100 : null,
    unrealizedPnl: curve.unrealized.toString(),
  };
}

export interface BucketFigures {
  key: number;
  trades: number;
  wins: number;
  netPnl: string;
}

/** Round trips by the UTC weekday (Monday = 0) or hour of their opening. */
export function bucketFigures(closed: readonly TripOutcome[], by: 'dayOfWeek' | 'hour'): BucketFigures[] {
  const size = by === 'dayOfWeek' ? 7 : 24;
  const buckets = Array.from({ length: size }, (_, key) => ({ key, trades: 0, wins: 0, net: Dec.ZERO }));
  for (const t of closed) {
    const date = new Date(t.openedAt);
    const key = by === 'dayOfWeek' ? (date.getUTCDay() + 6) % 7 : date.getUTCHours();
    const b = buckets[key]!;
    b.trades += 1;
    if (t.netPnl.isPositive()) b.wins += 1;
    b.net = b.net.add(t.netPnl);
  }
  return buckets.map(({ key, trades, wins, net }) => ({ key, trades, wins, netPnl: net.toString() }));
}

/** A bin width of 1, 2, 2.5 or 5 × 10^k giving about `target` bins over the range. */
function niceWidth(range: number, target: number): number {
  const raw = range / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 2.5, 5, 10]) if (raw <= step * power) return step * power;
  return 10 * power;
}

/** Fewest bins a distribution is drawn with, so a lone trade still reads against zero. */
const MIN_BINS = 6;

/**
 * Trade returns (percent) in bins of one nice width, each bin [from, to)
 * aligned on multiples of the width. The bins always reach across zero, and
 * are widened on both sides to at least six. Empty for no values.
 */
export function returnHistogram(values: readonly number[], target = 12): Array<{ fromPct: number; toPct: number; count: number }> {
  if (values.length === 0) return [];
  const lo = values.reduce((a, b) => Math.min(a, b));
  const hi = values.reduce((a, b) => Math.max(a, b));
  const width = hi > lo ? niceWidth(hi - lo, target) : niceWidth(Math.max(Math.abs(lo), 1e-6), 1);
  let first = Math.min(Math.floor(lo / width), -1);
  let lastBin = Math.max(Math.floor(hi / width), 0);
  for (let grow = 0; lastBin - first + 1 < MIN_BINS; grow++) {
    if (grow % 2 === 0) lastBin += 1;
    else first -= 1;
  }
  const bins = Array.from({ length: lastBin - first + 1 }, (_, i) => ({ fromPct: (first + i) * width, toPct: (first + i + 1) * width, count: 0 }));
  for (const v of values) bins[Math.min(bins.length - 1, Math.floor(v / width) - first)]!.count += 1;
  return bins;
}

/**
 * One row per UTC day of the range: the equity at its close (the last
 * point of the day: its close, or the end of the range on the last day),
 * its change over the day, that change over the previous close, and the
 * round trips closed that day.
 */
export function dailyResults(curve: EquityCurve, startEquity: Dec, closed: readonly TripOutcome[]): DailyResult[] {
  const closeOf = new Map<number, Dec>();
  for (const p of curve.points.slice(1)) closeOf.set(utcDay(p.time), p.equity);
  const tradesOf = new Map<number, number>();
  for (const t of closed) tradesOf.set(utcDay(t.closedAt!), (tradesOf.get(utcDay(t.closedAt!)) ?? 0) + 1);
  const firstDay = utcDay(curve.points[0]!.time);
  const lastDay = utcDay(curve.points[curve.points.length - 1]!.time);
  const out: DailyResult[] = [];
  let previous = startEquity;
  for (let day = firstDay; day <= lastDay; day++) {
    const close = closeOf.get(day) ?? previous;
    const pnl = close.sub(previous);
    out.push({
      date: isoDate(day),
      time: day * DAY_MS,
      pnl: pnl.toString(),
      equity: close.toString(),
      returnPct: previous.isPositive() ? pnl.div(previous).toNumber() * 100 : null,
      trades: tradesOf.get(day) ?? 0,
    });
    previous = close;
  }
  return out;
}
