/**
 * Backtest evidence from one full backtest of a chosen parameter set: the
 * bars are split into an in-sample part (where the search chose the set)
 * and out-of-sample folds after it, and each stretch gets its own figures
 * from the equity curve and the round trips that closed in it. The deflated
 * Sharpe ratio is taken on the out-of-sample returns against the number of
 * parameter sets the search tried: the chance that what the set shows on
 * bars it never saw is more than the luck of the best of that many.
 */
import type { BacktestTrade, EquityPoint } from '../../shared/contract/backtests';
import type { BacktestEvidence, BacktestFigures } from '../../shared/contract/pipeline';
import { annualisation, annualisedRatios, deflatedSharpe, periodReturns, sharpeMoments } from '../backtest/statistics';

/** Where the stretches begin: [inSampleStart, splitTime) is in sample, then each fold [start, next start). */
export interface WalkForwardPlan {
  /** Time of the first out-of-sample bar. */
  splitTime: number;
  /** Start time of each fold, the first equal to splitTime. */
  foldStarts: number[];
}

/**
 * Splits bar times into the in-sample share and `folds` out-of-sample folds
 * of equal bar counts. Null when the bars are too few for every stretch to
 * hold at least two bars.
 */
export function planWalkForward(times: readonly number[], inSampleFraction: number, folds: number): WalkForwardPlan | null {
  const n = times.length;
  const split = Math.floor(n * inSampleFraction);
  const outOfSample = n - split;
  if (split < 2 || outOfSample < 2 * folds) return null;
  const foldStarts = Array.from({ length: folds }, (_, i) => times[split + Math.floor((i * outOfSample) / folds)]!);
  return { splitTime: times[split]!, foldStarts };
}

/** The figures of the bars with start ≤ time < end (end undefined: to the last bar). */
export function stretchFigures(equity: readonly EquityPoint[], trades: readonly BacktestTrade[], start: number, end: number | undefined): BacktestFigures | null {
  const points = equity.filter((p) => p.time >= start && (end === undefined || p.time < end));
  if (points.length < 2) return null;
  const first = points[0]!;
  const last = points.at(-1)!;
  const closed = trades.filter((t) => t.exitTime >= start && (end === undefined || t.exitTime < end));
  const times = points.map((p) => p.time);
  const values = points.map((p) => p.equity);
  const { unit, periodsPerYear } = annualisation(times);
  const { sharpeRatio } = annualisedRatios(periodReturns(times, values, unit), periodsPerYear);
  const gains = closed.filter((t) => t.pnl > 0).reduce((s, t) => s + t.pnl, 0);
  const losses = -closed.filter((t) => t.pnl < 0).reduce((s, t) => s + t.pnl, 0);
  return {
    from: first.time,
    to: last.time,
    trades: closed.length,
    returnPct: first.equity > 0 ? (last.equity / first.equity - 1) * 100 : 0,
    sharpeRatio,
    maxDrawdownPct: maxDrawdownPct(values),
    profitFactor: losses > 0 ? gains / losses : null,
  };
}

/** Deepest fall below the running high within the series itself (the high restarts at its first point), positive percent. */
export function maxDrawdownPct(values: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let deepest = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    if (peak > 0) deepest = Math.max(deepest, (1 - v / peak) * 100);
  }
  return deepest;
}

/** The deflated Sharpe probability of the out-of-sample equity against `trials` parameter sets; null when undefined. */
export function outOfSampleDeflatedSharpe(equity: readonly EquityPoint[], splitTime: number, trials: number): number | null {
  const points = equity.filter((p) => p.time >= splitTime);
  const times = points.map((p) => p.time);
  if (times.length < 3 || trials < 1) return null;
  const moments = sharpeMoments(periodReturns(times, points.map((p) => p.equity), annualisation(times).unit));
  if (moments === null) return null;
  const value = deflatedSharpe(moments.sharpe, trials, moments);
  return value !== null && Number.isFinite(value) ? value : null;
}

export interface BacktestRunLink {
  searchId: string | null;
  backtestId: string | null;
  trials: number;
}

/** The whole backtest evidence of one set, from its full backtest's equity and trades. */
export function backtestEvidence(equity: readonly EquityPoint[], trades: readonly BacktestTrade[], plan: WalkForwardPlan, link: BacktestRunLink): BacktestEvidence {
  const start = equity[0]?.time ?? plan.splitTime;
  const inSample = stretchFigures(equity, trades, start, plan.splitTime);
  const outOfSample = stretchFigures(equity, trades, plan.splitTime, undefined);
  const folds = plan.foldStarts.flatMap((from, i) => stretchFigures(equity, trades, from, plan.foldStarts[i + 1]) ?? []);
  return {
    searchId: link.searchId,
    backtestId: link.backtestId,
    inSample,
    outOfSample,
    folds,
    trials: link.trials,
    deflatedSharpe: outOfSampleDeflatedSharpe(equity, plan.splitTime, Math.max(1, link.trials)),
    worstFoldDrawdownPct: folds.length === 0 ? null : Math.max(...folds.map((f) => f.maxDrawdownPct)),
    // Over the whole run, the running high carried across stretches: never shallower than any one stretch's.
    worstDrawdownPct: equity.length < 2 ? null : maxDrawdownPct(equity.map((p) => p.equity)),
  };
}
