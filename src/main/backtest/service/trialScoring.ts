/**
 * How a search scores its trials: one trial's objective from its figures, and
 * the deflated Sharpe ratio of the best against every parameter set tried.
 */
import type { OptimizeParams, OptimizeTrial } from '../../../shared/contract/backtests';
import type { Params } from '../search';
import { deflatedSharpe } from '../statistics';
import type { TrialFigures } from '../worker/backtestWorker';
import { DEFAULT_MAX_DRAWDOWN_PCT } from './searchPlan';

/** One parameter set scored on one prefix of the bars (`budget` bars). */
export interface Evaluation {
  point: Params;
  budget: number;
  figures: TrialFigures | null;
  failure: string | null;
  trial: OptimizeTrial;
}

/** The objective of a trial, higher better; null when it cannot be scored. */
export function trialObjective(figures: TrialFigures, objective: OptimizeParams['objective'], maxDrawdownPct = DEFAULT_MAX_DRAWDOWN_PCT): number | null {
  if (figures.trades === 0) return null;
  let value: number | null;
  switch (objective) {
    case 'sharpe':
      value = figures.sharpeRatio;
      break;
    case 'return':
      value = figures.returnPct;
      break;
    case 'profitFactor':
      value = figures.profitFactor;
      break;
    case 'returnWithinDrawdown':
      // The statistics give the drawdown as a negative percentage.
      value = -figures.maxDrawdownPct > maxDrawdownPct ? null : figures.returnPct;
      break;
  }
  return value !== null && Number.isFinite(value) ? value : null;
}

/**
 * The deflated Sharpe ratio of the best trial: its per-period Sharpe ratio
 * against what the best of the distinct parameter sets tried would show by
 * luck, given the variance of their Sharpe ratios (each set at the longest
 * prefix it ran; the default sampling variance when fewer than two have one).
 */
export function deflatedSharpeOf(best: Evaluation, evaluations: readonly Evaluation[]): number | null {
  const moments = best.figures?.moments;
  if (!moments) return null;
  const latest = new Map<string, Evaluation>();
  for (const e of evaluations) {
    const key = JSON.stringify(e.point);
    const seen = latest.get(key);
    if (seen === undefined || e.budget > seen.budget) latest.set(key, e);
  }
  const sharpes = [...latest.values()].map((e) => e.figures?.moments?.sharpe).filter((s): s is number => s !== undefined && Number.isFinite(s));
  const variance = sharpes.length >= 2 ? sampleVariance(sharpes) : 0;
  const value = deflatedSharpe(moments.sharpe, latest.size, {
    observations: moments.observations,
    skew: moments.skew,
    kurtosis: moments.kurtosis,
    ...(variance > 0 ? { sharpeVariance: variance } : {}),
  });
  return value !== null && Number.isFinite(value) ? value : null;
}

function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}
