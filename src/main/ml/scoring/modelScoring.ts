/**
 * Model scoring for strategy instances (the engine's ModelScoringPort):
 * each instance gets a session with its own streaming feature pipeline, fed
 * every closed bar it sees (its warm-up included), live and in backtests
 * alike. Asked for a model's score, the session resolves the version the
 * reference names, takes the newest bar's row in the model's feature order,
 * has a RowScorer score it (live: the ML worker pool; a backtest: this
 * thread), records the signal through the SignalSink, tells the observer
 * (live: the model monitor), and answers the strategy.
 *
 * No score, and no decision from that bar, when: the reference names no
 * usable version, the features are still warming up, the scoring failed or
 * timed out (a crashed worker is replaced by its pool for the next bar), or
 * the version is past its maximum age; the reason goes into the strategy's
 * log (once, until it changes) and becomes its last signal. An expired
 * version's signal is still recorded, marked not acted on and saying why.
 */
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { SignalDirection } from '../../../shared/contract/signals';
import type { Bar, Timeframe } from '../../../shared/domain';
import { errorText, KeelError, shorten } from '../../../shared/errors';
import type { ModelScore, ModelScoringPort, ModelSession, ScoringInstance } from '../../engine/strategies/modelScoring';
import { DEFAULT_REGIME_PARAMS } from '../regime/regimeClassifier';
import { FEATURE_NAMES, FEATURES_WARMUP } from '../features/featureSet';
import { FeaturePipeline, type FeatureRow } from '../features/featurePipeline';
import type { SignalSink } from '../signals/signalSink';
import { DIRECTION_OUTPUTS, type ModelSource, type ResolvedModel } from './modelVersions';
import type { RowScorer } from './rowScorers';
import type { ScoredRow, ScoringObserver } from './scoringObserver';

/**
 * Bars a session is fed before its first score: every feature exists after
 * FEATURES_WARMUP, but the regime's volatility percentile ranks against a
 * trailing window that fills only later, and the smoothed indicators (EMA,
 * RSI, ATR) settle meanwhile; after this the rows are what training saw.
 */
export const SCORING_WARMUP_BARS = Math.max(FEATURES_WARMUP, DEFAULT_REGIME_PARAMS.volatilityWindow + 1 + DEFAULT_REGIME_PARAMS.percentileWindow);

/** Signals waiting for the strategy's decision say this until it decides. */
export const UNDECIDED_NOTE = 'no decision recorded yet';

export interface ModelScoringOptions {
  source: ModelSource;
  scorer: RowScorer;
  sink: SignalSink;
  /** Told of every scored row (live: the model monitor); none in a backtest. */
  observer?: ScoringObserver;
  /** The timeframe signals are filed under, when the instance's own is not one (a backtest's bars). */
  timeframe?: Timeframe;
}

export class ModelScoring implements ModelScoringPort {
  readonly warmupBars = SCORING_WARMUP_BARS;

  constructor(private readonly options: ModelScoringOptions) {}

  check(model: string): void {
    const { record } = this.options.source.resolve(model);
    const expired = this.options.source.expiry(record);
    if (expired) throw new KeelError('VALIDATION_FAILED', expired, { model });
  }

  open(instance: ScoringInstance): ModelSession {
    return new FeatureSession(instance, this.options);
  }

  /** Frees the scorer (live: drains and stops its worker pool). */
  close(): Promise<void> {
    return this.options.scorer.close();
  }
}

interface Latest {
  bar: Bar;
  row: FeatureRow;
}

class FeatureSession implements ModelSession {
  private readonly pipeline = new FeaturePipeline();
  private latest: Latest | null = null;
  /** Answers for the newest bar, by reference: asking twice records one signal. */
  private answers = new Map<string, Promise<ModelScore | null>>();
  /** The last reason each reference gave no score, so the log says it once. */
  private readonly problems = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly instance: ScoringInstance,
    private readonly options: ModelScoringOptions,
  ) {}

  update(bar: Bar): void {
    this.latest = { bar, row: this.pipeline.update(bar) };
    this.answers = new Map();
  }

  regime(): RegimeLabelName | null {
    return this.latest?.row.regime.label ?? null;
  }

  score(model: string): Promise<ModelScore | null> {
    const latest = this.latest;
    if (this.closed || latest === null) return Promise.resolve(this.noScore(model, this.closed ? 'the strategy stopped' : 'no closed bar yet'));
    let answer = this.answers.get(model);
    if (!answer) {
      answer = this.scoreBar(model, latest);
      this.answers.set(model, answer);
    }
    return answer;
  }

  decide(signalId: string, acted: boolean, note: string): void {
    this.options.sink.decide(signalId, acted, shorten(note, 200));
  }

  linkOrder(signalId: string, orderId: string): void {
    this.options.sink.linkOrder(signalId, orderId);
  }

  close(): void {
    this.closed = true;
  }

  private async scoreBar(ref: string, { bar, row }: Latest): Promise<ModelScore | null> {
    let model: ResolvedModel;
    try {
      model = this.options.source.resolve(ref);
    } catch (error) {
      return this.noScore(ref, errorText(error));
    }
    const { record } = model;
    const input = new Float32Array(record.features.length);
    for (let j = 0; j < record.features.length; j++) input[j] = row.values[FEATURE_NAMES.indexOf(record.features[j]!)]!;
    if (input.some(Number.isNaN)) return this.noScore(ref, `features still warming up (every feature exists after ${FEATURES_WARMUP} bars)`);
    let outputs: Float64Array;
    try {
      outputs = await this.options.scorer.score(model, input);
    } catch (error) {
      return this.noScore(ref, `scoring ${record.name} v${record.version} failed: ${errorText(error)}`);
    }
    if (outputs.length !== DIRECTION_OUTPUTS || !outputs.every(Number.isFinite)) {
      return this.noScore(ref, `${record.name} v${record.version} answered ${outputs.length} values, not ${DIRECTION_OUTPUTS} probabilities`);
    }
    const probabilities = { long: outputs[0]!, short: outputs[1]!, neutral: outputs[2]! };
    const { direction, confidence } = strongest(probabilities);
    const expired = this.options.source.expiry(record);
    const regime = row.regime.label;
    const signal = this.options.sink.record({
      time: bar.time,
      venue: this.instance.venue,
      symbol: this.instance.symbol,
      timeframe: this.options.timeframe ?? (this.instance.timeframe as Timeframe),
      direction,
      confidence,
      probabilities,
      modelId: record.id,
      modelName: record.name,
      modelVersion: record.version,
      featuresHash: record.featuresHash,
      strategyId: this.instance.strategyId,
      regime,
      acted: false,
      note: expired ?? UNDECIDED_NOTE,
    });
    this.tellObserver({
      modelId: record.id,
      venue: this.instance.venue,
      symbol: this.instance.symbol,
      timeframe: this.instance.timeframe,
      time: bar.time,
      close: bar.close,
      features: Array.from(input),
      probabilities: { ...probabilities },
      value: null,
    });
    if (expired) return this.noScore(ref, expired);
    this.problems.delete(ref);
    return {
      signalId: signal.id,
      time: bar.time,
      direction,
      confidence,
      probabilities,
      model: { id: record.id, name: record.name, version: record.version },
      featuresHash: record.featuresHash,
      regime,
      horizon: record.target.horizon,
    };
  }

  /** The monitor learns from what was scored; a row it cannot take (a bar it already has, after a restart) never holds up a decision. */
  private tellObserver(row: ScoredRow): void {
    try {
      this.options.observer?.observe(row);
    } catch (error) {
      this.instance.log('info', `the model monitor did not take the bar at ${new Date(row.time).toISOString()}: ${errorText(error)}`);
    }
  }

  private noScore(ref: string, reason: string): null {
    if (this.problems.get(ref) !== reason) {
      this.problems.set(ref, reason);
      this.instance.log('warning', `no score from model "${ref}": ${reason}`);
    }
    this.instance.say(`no decision: ${reason}`);
    return null;
  }
}

/** The most probable class; a tie for the top is neutral (the model does not lean either way). */
function strongest(p: { long: number; short: number; neutral: number }): { direction: SignalDirection; confidence: number } {
  // Float32 arithmetic may leave a probability a hair outside 0..1.
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  if (p.long > p.short && p.long > p.neutral) return { direction: 'long', confidence: clamp(p.long) };
  if (p.short > p.long && p.short > p.neutral) return { direction: 'short', confidence: clamp(p.short) };
  return { direction: 'neutral', confidence: clamp(p.neutral) };
}
