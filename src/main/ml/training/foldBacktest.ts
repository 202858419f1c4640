/**
 * A walk-forward fold's backtest: the catalog's ML-scored strategy, with
 * its default parameters, trading the fold's own model on the fold's test
 * block through the backtest composition (`runStrategyBacktest`: the
 * kernel, the bar fill model, fees) — the path `backtests.run` takes, with
 * the model scored in this thread as the backtest worker scores it.
 *
 * The strategy needs SCORING_WARMUP_BARS of history before its first
 * decision, so the bars played start that many before the block (history
 * the fold's model was trained on: only its features are read) and end one
 * bar after it, so a decision on the block's last bar can fill; the
 * position left open is closed at that bar's open. A block that begins too
 * early in the data for a full warm-up is decided on from the first bar
 * that has one; a block that ends before it gets no backtest.
 */
import { backtestSettingsSchema, type BacktestSettings } from '../../../shared/contract/backtests';
import type { FoldStrategyBacktest } from '../../../shared/contract/trainingMetrics';
import type { Bar } from '../../../shared/domain';
import type { ModelRecord, ModelTarget } from '../../../shared/models';
import { runStrategyBacktest } from '../../backtest/strategyBacktest';
import { mlScored } from '../../engine/strategies/catalog/mlScored';
import type { StrategyDefinition } from '../../engine/strategies/definition';
import { resolveParams } from '../../engine/strategies/definition';
import { featuresHash } from '../features/featureSet';
import { createBacktestScoring, signalTimeframe } from '../scoring/backtestScoring';
import { SCORING_WARMUP_BARS } from '../scoring/modelScoring';
import type { ResolvedModel } from '../scoring/modelVersions';

/**
 * What every fold is played with: 10,000 of cash, 0.1 % of each fill's value
 * in fees (a common taker fee), the bar fill model (market orders at the
 * next bar's open), sizes in millionths, and the position left at the end
 * closed and counted.
 */
export const FOLD_BACKTEST_SETTINGS: BacktestSettings = backtestSettingsSchema.parse({ cash: 10_000, commission: 0.001, fractionalUnit: 0.000001, finalizeTrades: true });

export const FOLD_STRATEGY = mlScored as unknown as StrategyDefinition;

/** Decimals a fold's prices are played at: about ten significant digits (the backtest's tick takes at most twelve decimals). */
export function foldPriceDecimals(bars: readonly Bar[]): number {
  let max = 0;
  for (const b of bars) max = Math.max(max, Math.abs(b.high));
  const whole = max >= 1 ? Math.floor(Math.log10(max)) + 1 : 0;
  return Math.min(12, Math.max(2, 10 - whole));
}

/** The bars a fold plays: prices rounded to `foldPriceDecimals` (bars already that precise are unchanged). */
export function foldBacktestBars(bars: readonly Bar[]): Bar[] {
  const scale = 10 ** foldPriceDecimals(bars);
  const round = (x: number) => Math.round(x * scale) / scale;
  return bars.map((b) => ({ ...b, open: round(b.open), high: round(b.high), low: round(b.low), close: round(b.close) }));
}

/** Bar indexes a fold's backtest plays, first and last included: the warm-up before the block, the block, one bar after. */
export function foldBacktestWindow(firstTestBar: number, lastTestBar: number, barCount: number): { first: number; last: number } | null {
  // Decisions begin on the bar after the warm-up, and need a bar after them to fill.
  if (lastTestBar < SCORING_WARMUP_BARS || lastTestBar + 1 >= barCount) return null;
  return { first: Math.max(0, firstTestBar - SCORING_WARMUP_BARS), last: lastTestBar + 1 };
}

/** The record a fold's model is scored under (it is never registered). */
export function foldModel(fold: number, json: string, features: readonly string[], target: ModelTarget, algorithm: 'gbdt' | 'random-forest'): ResolvedModel {
  const record: ModelRecord = {
    id: `fold-${fold}`,
    name: `fold ${fold}`,
    version: 1,
    algorithm,
    features: [...features],
    featuresHash: featuresHash(features),
    target,
    trainingWindow: null,
    dataHash: null,
    metrics: {},
    trainingParams: {},
    featureImportance: [],
    trainingLog: [],
    errors: [],
    parentId: null,
    status: 'candidate',
    createdAt: 0,
    maxAgeMs: null,
    sizeBytes: json.length,
  };
  return { record, stored: { format: 'trees', json, features: [...features] } };
}

export interface FoldBacktestRequest {
  model: ResolvedModel;
  /** Every training bar, oldest first. */
  bars: readonly Bar[];
  /** Indexes in `bars` of the block's first and last test bar. */
  firstTestBar: number;
  lastTestBar: number;
  cancelled?: () => boolean;
}

/** The fold's ML-scored backtest; null when the block ends before the strategy's warm-up does. */
export async function foldStrategyBacktest(request: FoldBacktestRequest): Promise<FoldStrategyBacktest | null> {
  const window = foldBacktestWindow(request.firstTestBar, request.lastTestBar, request.bars.length);
  if (!window) return null;
  const bars = foldBacktestBars(request.bars.slice(window.first, window.last + 1));
  const ref = request.model.record.id;
  const { scoring, sink } = createBacktestScoring({ [ref]: request.model }, signalTimeframe(bars));
  const params = { model: ref };
  try {
    const run = await runStrategyBacktest({
      definition: FOLD_STRATEGY,
      params,
      symbol: 'FOLD/USD',
      bars,
      settings: FOLD_BACKTEST_SETTINGS,
      models: scoring,
      ...(request.cancelled ? { cancelled: request.cancelled } : {}),
    });
    const { stats } = run;
    const signals = sink.result();
    const decidedFrom = run.firstDecisionBar;
    return {
      strategy: FOLD_STRATEGY.type,
      threshold: Number(resolveParams(FOLD_STRATEGY, params).threshold),
      commission: FOLD_BACKTEST_SETTINGS.commission,
      from: bars[decidedFrom]!.time,
      to: bars[bars.length - 2]!.time,
      bars: bars.length - 1 - decidedFrom,
      signals: signals.count,
      acted: signals.acted,
      trades: stats.trades,
      netPnl: run.trades.reduce((sum, t) => sum + t.pnl, 0),
      fees: stats.commissions,
      returnPct: stats.returnPct,
      buyHoldReturnPct: stats.buyHoldReturnPct,
      maxDrawdownPct: stats.maxDrawdownPct,
      sharpeRatio: stats.sharpeRatio,
      winRatePct: stats.winRatePct,
      exposurePct: stats.exposureTimePct,
    };
  } finally {
    await scoring.close();
  }
}
