/**
 * Model scoring inside a backtest: the models its parameters name, resolved
 * in the main process when it was submitted (record and stored model), are
 * scored in the backtest's own thread, synchronously for tree models, by
 * the same sessions (feature pipeline, signal, answer) as live. Its signals
 * are kept in memory and handed back with the result.
 */
import { MAX_BACKTEST_SIGNALS, type BacktestSignals } from '../../../shared/contract/backtests';
import { TIMEFRAMES, TIMEFRAME_MS, type Bar, type Timeframe } from '../../../shared/domain';
import { detectBarSpacing } from '../../backtest/datasets/barSpacing';
import { MemorySignalSink } from '../signals/memorySignalSink';
import { ModelScoring } from './modelScoring';
import { FixedModelSource, type ResolvedModel } from './modelVersions';
import { InProcessRowScorer } from './rowScorers';

/** The models a backtest scores, by the reference its parameters make. */
export type BacktestModels = Record<string, ResolvedModel>;

export interface BacktestScoring {
  scoring: ModelScoring;
  sink: MemorySignalSink;
}

export function createBacktestScoring(models: BacktestModels, timeframe: Timeframe): BacktestScoring {
  const sink = new MemorySignalSink({ idPrefix: 'bt-sig' });
  const scoring = new ModelScoring({ source: new FixedModelSource(models), scorer: new InProcessRowScorer(), sink, timeframe });
  return { scoring, sink };
}

/** The engine timeframe signals on these bars are filed under: their spacing's, or the nearest shorter one (weekly bars: 1d). */
export function signalTimeframe(bars: readonly Bar[]): Timeframe {
  const spacing = detectBarSpacing(bars);
  if (spacing?.timeframe) return spacing.timeframe;
  const ms = spacing?.ms ?? TIMEFRAME_MS['1d'];
  let best: Timeframe = TIMEFRAMES[0];
  for (const tf of TIMEFRAMES) if (TIMEFRAME_MS[tf] <= ms) best = tf;
  return best;
}

/** What a run keeps of its signals: all of them up to MAX_BACKTEST_SIGNALS, else the newest of those acted on. */
export function keptSignals(sink: MemorySignalSink): BacktestSignals {
  const all = sink.list();
  const acted = all.filter((s) => s.acted);
  return { count: sink.recorded, acted: acted.length, list: all.length <= MAX_BACKTEST_SIGNALS ? all : acted.slice(-MAX_BACKTEST_SIGNALS) };
}
