/**
 * Model scoring inside a backtest: the models its parameters name, resolved
 * in the main process when it was submitted (record and stored model), are
 * scored in the backtest's own thread, synchronously for tree models, by
 * the same sessions (feature pipeline, signal, answer) as live. Its signals
 * are kept in memory, bounded, and handed back with the result.
 */
import { MAX_BACKTEST_SIGNALS, type BacktestSignals } from '../../../shared/contract/backtests';
import type { Signal } from '../../../shared/contract/signals';
import { TIMEFRAMES, TIMEFRAME_MS, type Bar, type Timeframe } from '../../../shared/domain';
import { detectBarSpacing } from '../../backtest/datasets/barSpacing';
import type { NewSignal, SignalSink } from '../signals/signalSink';
import { ModelScoring } from './modelScoring';
import { FixedModelSource, type ResolvedModel } from './modelVersions';
import { InProcessRowScorer } from './rowScorers';

/** The models a backtest scores, by the reference its parameters make. */
export type BacktestModels = Record<string, ResolvedModel>;

export interface BacktestScoring {
  scoring: ModelScoring;
  sink: BacktestSignalBook;
}

export function createBacktestScoring(models: BacktestModels, timeframe: Timeframe): BacktestScoring {
  const sink = new BacktestSignalBook();
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

/**
 * A backtest's signals, in memory however long the run: every signal while
 * there are at most `cap`, then only those acted on (the newest `cap`),
 * with the counts of all. Ids are sequential ("bt-sig-1", ...); a signal is
 * made at the time of the bar it scored.
 */
export class BacktestSignalBook implements SignalSink {
  private readonly kept = new Map<string, Signal>();
  private count = 0;
  private acted = 0;
  /** Signals acted on among those kept. */
  private keptActed = 0;
  /** Past the cap: signals not acted on are let go once decided. */
  private actedOnly = false;

  constructor(private readonly cap = MAX_BACKTEST_SIGNALS) {}

  record(signal: NewSignal): Signal {
    this.count += 1;
    const stored: Signal = { ...signal, probabilities: signal.probabilities && { ...signal.probabilities }, id: `bt-sig-${this.count}`, createdAt: signal.time, orderIds: [] };
    if (stored.acted) {
      this.acted += 1;
      this.keptActed += 1;
    }
    this.kept.set(stored.id, stored);
    if (!this.actedOnly && this.kept.size > this.cap) {
      this.actedOnly = true;
      // The newest is still to be decided; every one before it was.
      for (const [id, s] of this.kept) if (!s.acted && id !== stored.id) this.kept.delete(id);
    }
    this.trim();
    return { ...stored, orderIds: [] };
  }

  decide(signalId: string, acted: boolean, note: string): void {
    const signal = this.kept.get(signalId);
    if (!signal) return;
    if (acted !== signal.acted) {
      this.acted += acted ? 1 : -1;
      this.keptActed += acted ? 1 : -1;
    }
    signal.acted = acted;
    signal.note = note;
    if (this.actedOnly && !acted) this.kept.delete(signalId);
    this.trim();
  }

  linkOrder(signalId: string, orderId: string): void {
    const signal = this.kept.get(signalId);
    if (signal && !signal.orderIds.includes(orderId)) signal.orderIds.push(orderId);
  }

  /** What the run's result keeps. */
  result(): BacktestSignals {
    const list = [...this.kept.values()].filter((s) => !this.actedOnly || s.acted).map((s) => ({ ...s, orderIds: [...s.orderIds] }));
    return { count: this.count, acted: this.acted, list };
  }

  /** Past the cap, the oldest acted-on signals beyond it go (oldest first: the map keeps them in order). */
  private trim(): void {
    // Checked before iterating: the map's deleted entries are skipped one by one, so a loop begun for nothing costs more with every signal let go.
    if (!this.actedOnly || this.keptActed <= this.cap) return;
    for (const [id, s] of this.kept) {
      if (this.keptActed <= this.cap) return;
      if (s.acted) {
        this.kept.delete(id);
        this.keptActed -= 1;
      }
    }
  }
}
