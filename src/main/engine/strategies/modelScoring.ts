/**
 * The port through which a strategy instance scores models: one session per
 * running instance, fed every closed bar (its warm-up included) so its own
 * streaming feature pipeline is always current, and asked for a model's
 * score of the newest closed bar. Live, the scoring runs in a worker pool;
 * in a backtest, in the same thread; a strategy cannot tell which.
 *
 * A session never throws at a strategy for a model problem: a score that
 * cannot be given (no usable version, features still warming up, a scoring
 * that failed or timed out) answers null, with the reason in the
 * strategy's log. The checks that can be made before anything runs (the
 * model exists and may be used) are made at create and start as a
 * VALIDATION_FAILED error naming the model.
 */
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { SignalDirection } from '../../../shared/contract/signals';
import type { Bar } from '../../../shared/domain';

/** A model's say about the newest closed bar: the signal recorded for it, and what it was read from. */
export interface ModelScore {
  /** The signal recorded for this bar: pass it on the orders it causes, and decide on it. */
  signalId: string;
  /** Open time of the scored bar. */
  time: number;
  direction: SignalDirection;
  /** The probability of `direction`, 0..1. */
  confidence: number;
  probabilities: { long: number; short: number; neutral: number };
  model: { id: string; name: string; version: number };
  featuresHash: string;
  /** The market regime at the scored bar; null while the classifier warms up. */
  regime: RegimeLabelName | null;
  /** Bars ahead the model was trained to call (its target's horizon). */
  horizon: number;
}

/** Who a session scores for, and where it speaks. */
export interface ScoringInstance {
  strategyId: string;
  venue: string;
  symbol: string;
  timeframe: string;
  /** Into the strategy's log (the activity feed, tagged with its id). */
  log(level: 'info' | 'warning', message: string): void;
  /** Shown as the strategy's last signal: why no decision came from a bar. */
  say(text: string): void;
}

export interface ModelSession {
  /** Each closed bar, oldest first, the warm-up included: the session's features move with the bars. */
  update(bar: Bar): void;
  /** The newest closed bar scored by the model `model` names; the same answer for the same bar when asked again. */
  score(model: string): Promise<ModelScore | null>;
  /** The market regime at the newest closed bar; null while the classifier warms up. */
  regime(): RegimeLabelName | null;
  /** The strategy acted on the signal, or did not: the note says why. */
  decide(signalId: string, acted: boolean, note: string): void;
  /** An order the signal caused (it exists: it was written before it went to the venue). */
  linkOrder(signalId: string, orderId: string): void;
  close(): void;
}

export interface ModelScoringPort {
  /** Closed bars a session needs before its rows are complete; an instance's warm-up covers them. */
  readonly warmupBars: number;
  /**
   * Checks that `model` names a model that may be used now (it exists, has
   * a usable version, its features are this Keel's). Throws a KeelError
   * (VALIDATION_FAILED) saying why not.
   */
  check(model: string): void;
  open(instance: ScoringInstance): ModelSession;
}
