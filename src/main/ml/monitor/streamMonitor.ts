/**
 * The monitor of one model on one stream (venue, symbol, timeframe). Each
 * scored row waits until the model's target horizon has passed: its outcome
 * is settled by the close of the row exactly `horizon` bars later, with the
 * model's own target rule (the log return beyond ±threshold gives long,
 * short or neutral; a return model is judged on the sign). Then:
 *  - the model's call is scored right or wrong (rolling accuracy);
 *  - the online logistic model's call is scored the same way and only then
 *    does it learn from the row (prequential). Its call is made when the
 *    row is scored, not when it settles: by then it would have learned from
 *    outcomes that were still in the future at the bar, and look better
 *    than it could have been live;
 *  - the row's features, binned against the training reference, join the
 *    PSI window.
 * A row whose settling bar never comes (the scorer skipped it) is dropped
 * once a later row passes that time, and counted as missed.
 */
import type { FeaturePsi, StreamDrift } from '../../../shared/contract/modelMonitor';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { binIndex, psiFromCounts } from '../drift/psi';
import { ModelComparison } from '../drift/rollingAccuracy';
import { DIRECTION, directionOf } from '../features/targets';
import { OnlineLogisticRegression } from '../online/onlineLogistic';
import { judgeStream } from './driftJudgement';
import { onlineClasses, type MonitoredModel } from './monitoredModel';
import type { CheckedRow } from './scoredRowCheck';
import { streamStateSchema, type PendingRow, type StreamState } from './streamState';

export interface MonitorSettings {
  /** Outcomes the rolling accuracies are over. */
  accuracyWindow: number;
  /** Outcomes needed before accuracy is judged. */
  minOutcomes: number;
  /** Scored rows PSI is measured over. */
  psiWindow: number;
  /** Scored rows needed before PSI is shown. */
  minPsiRows: number;
  /** Standard errors for the accuracy judgements. */
  z: number;
}

export const DEFAULT_MONITOR_SETTINGS: Readonly<MonitorSettings> = Object.freeze({ accuracyWindow: 200, minOutcomes: 100, psiWindow: 500, minPsiRows: 200, z: 2 });

export interface StreamKey {
  venue: string;
  symbol: string;
  timeframe: Timeframe;
}

/** A row whose outcome just became known, and how each model did on it. */
export interface RealisedOutcome {
  /** Open time of the scored bar. */
  time: number;
  forwardReturn: number;
  /** The direction code (long 0, short 1, neutral 2); for a return model 1 up, 0 not up. */
  label: number;
  /** Null when not judged (a return of exactly zero has no sign). */
  batchHit: boolean | null;
  onlinePredicted: number;
  onlineHit: boolean | null;
}

export class StreamMonitor {
  private observations = 0;
  private outcomes = 0;
  private missed = 0;
  private lastTime: number | null = null;
  private updatedAt: number | null = null;
  private pending: PendingRow[] = [];
  private online: OnlineLogisticRegression;
  private hits = '';
  private psiRows: string[] = [];
  /** Rows of the PSI window per feature and reference bin. */
  private counts: number[][] | null;
  private readonly horizonMs: number;

  private constructor(
    readonly model: MonitoredModel,
    readonly key: StreamKey,
    private readonly settings: MonitorSettings,
  ) {
    this.online = new OnlineLogisticRegression({ features: model.features.length, classes: onlineClasses(model.target) });
    this.counts = model.bins ? model.bins.map((b) => new Array<number>(b ? b.edges.length + 1 : 0).fill(0)) : null;
    this.horizonMs = model.target.horizon * TIMEFRAME_MS[key.timeframe];
  }

  static create(model: MonitoredModel, key: StreamKey, settings: MonitorSettings): StreamMonitor {
    return new StreamMonitor(model, key, settings);
  }

  /** A saved stream; throws (a ZodError or a RangeError) when the state is damaged or belongs to another model. */
  static restore(model: MonitoredModel, settings: MonitorSettings, data: unknown): StreamMonitor {
    const state = streamStateSchema.parse(data);
    if (state.modelId !== model.id) throw new RangeError(`the state belongs to model ${state.modelId}, not ${model.id}`);
    const stream = new StreamMonitor(model, { venue: state.venue, symbol: state.symbol, timeframe: state.timeframe }, settings);
    const width = model.features.length;
    if (state.pending.some((p) => p.features.length !== width)) throw new RangeError(`pending rows must have ${width} features`);
    const online = OnlineLogisticRegression.fromJSON(state.online);
    if (online.features !== width || online.classes !== onlineClasses(model.target)) throw new RangeError('the online model does not fit the model');
    stream.online = online;
    stream.observations = state.observations;
    stream.outcomes = state.outcomes;
    stream.missed = state.missed;
    stream.lastTime = state.lastTime;
    stream.updatedAt = state.updatedAt;
    stream.pending = state.pending;
    stream.hits = state.hits.slice(-settings.accuracyWindow);
    if (stream.counts) {
      for (const row of state.psiRows.slice(-settings.psiWindow)) stream.addPsiRow(row);
    }
    return stream;
  }

  /**
   * Takes the next scored row (checked by the caller against the model):
   * settles the rows whose horizon it closes, then keeps it. Answers the
   * outcomes it settled. A row not after the last one, or off the
   * timeframe's grid, is refused and changes nothing.
   */
  observe(row: CheckedRow, now: number): RealisedOutcome[] {
    const step = TIMEFRAME_MS[this.key.timeframe];
    if (this.lastTime !== null && row.time <= this.lastTime) {
      throw new KeelError('INVALID_STATE', `The bar at ${new Date(row.time).toISOString()} of ${this.label()} was already observed (the last was ${new Date(this.lastTime).toISOString()}).`, { modelId: this.model.id, time: row.time });
    }
    if (this.lastTime !== null && (row.time - this.lastTime) % step !== 0) {
      throw new KeelError('VALIDATION_FAILED', `The bar at ${new Date(row.time).toISOString()} of ${this.label()} is not a whole number of ${this.key.timeframe} bars after the last one.`, { modelId: this.model.id, time: row.time });
    }
    const settled: RealisedOutcome[] = [];
    while (this.pending.length > 0) {
      const first = this.pending[0]!;
      const due = first.time + this.horizonMs;
      if (due > row.time) break;
      this.pending.shift();
      if (due === row.time) settled.push(this.settle(first, row.close));
      else this.missed++;
    }
    // The online model's call is made now, before it learns this row's outcome.
    this.pending.push({ time: row.time, close: row.close, features: [...row.features], batch: this.batchCall(row), online: this.online.predict(row.features) });
    if (this.counts) this.addPsiRow(this.binCodes(row.features));
    this.observations++;
    this.lastTime = row.time;
    this.updatedAt = now;
    return settled;
  }

  view(): StreamDrift {
    const comparison = this.comparison();
    const status = comparison.status();
    const psi = this.featurePsi();
    const known = psi.map((f) => f.psi).filter((v): v is number => v !== null);
    const judgement = judgeStream({
      kind: this.model.target.kind,
      psi,
      hasReference: this.model.bins !== null,
      psiRows: this.psiRows.length,
      minPsiRows: this.settings.minPsiRows,
      comparison: status,
      referenceAccuracy: this.model.referenceAccuracy,
      minOutcomes: this.settings.minOutcomes,
      z: this.settings.z,
      missed: this.missed,
    });
    return {
      ...this.key,
      observations: this.observations,
      outcomes: this.outcomes,
      pending: this.pending.length,
      batchAccuracy: status.samples > 0 ? status.batch : null,
      onlineAccuracy: status.samples > 0 ? status.online : null,
      accuracySamples: status.samples,
      psiRows: this.psiRows.length,
      psi,
      maxPsi: known.length > 0 ? Math.max(...known) : null,
      ...judgement,
      updatedAt: this.updatedAt,
    };
  }

  toJSON(): StreamState {
    return {
      format: 'keel.monitor-stream',
      version: 1,
      modelId: this.model.id,
      ...this.key,
      observations: this.observations,
      outcomes: this.outcomes,
      missed: this.missed,
      lastTime: this.lastTime,
      updatedAt: this.updatedAt,
      pending: this.pending.map((p) => ({ ...p, features: [...p.features] })),
      online: this.online.toJSON(),
      hits: this.hits,
      psiRows: [...this.psiRows],
    };
  }

  /** Examples the online model has learned. */
  get onlineUpdates(): number {
    return this.online.updates;
  }

  /** What the online model would call for a row now (tests, and the curious). */
  onlinePredict(features: readonly number[]): number {
    return this.online.predict(features);
  }

  private settle(row: PendingRow, close: number): RealisedOutcome {
    const forwardReturn = Math.log(close / row.close);
    let label: number;
    let batchHit: boolean | null;
    let onlineHit: boolean | null;
    if (this.model.target.kind === 'direction') {
      label = directionOf(forwardReturn, this.model.target.threshold);
      batchHit = row.batch === label;
      onlineHit = row.online === label;
    } else {
      label = forwardReturn > 0 ? 1 : 0;
      // A flat outcome has no sign to hit (the training metric leaves it out too).
      batchHit = forwardReturn === 0 ? null : Math.sign(row.batch) === Math.sign(forwardReturn);
      onlineHit = forwardReturn === 0 ? null : row.online === label;
    }
    if (batchHit !== null && onlineHit !== null) {
      this.hits = (this.hits + String((batchHit ? 1 : 0) + (onlineHit ? 2 : 0))).slice(-this.settings.accuracyWindow);
      this.online.learn(row.features, label);
    }
    this.outcomes++;
    return { time: row.time, forwardReturn, label, batchHit, onlinePredicted: row.online, onlineHit };
  }

  /** The model's call for a row: the most probable direction (long first on ties), or the predicted return. */
  private batchCall(row: CheckedRow): number {
    if (this.model.target.kind === 'return') return row.value as number;
    const p = row.probabilities!;
    let best: number = DIRECTION.long;
    if (p.short > p.long) best = DIRECTION.short;
    if (p.neutral > Math.max(p.long, p.short)) best = DIRECTION.neutral;
    return best;
  }

  private comparison(): ModelComparison {
    const { accuracyWindow, minOutcomes, z } = this.settings;
    const comparison = new ModelComparison({ window: accuracyWindow, minSamples: Math.min(minOutcomes, accuracyWindow), z, ...(this.model.referenceAccuracy !== null ? { batchReference: this.model.referenceAccuracy } : {}) });
    for (const hit of this.hits) {
      const code = Number(hit);
      comparison.record(1, code & 2 ? 1 : 0, code & 1 ? 1 : 0);
    }
    return comparison;
  }

  private featurePsi(): FeaturePsi[] {
    const bins = this.model.bins;
    return this.model.features.map((feature, j) => {
      const reference = bins?.[j] ?? null;
      if (!reference || !this.counts || this.psiRows.length < this.settings.minPsiRows) return { feature, psi: null, status: 'unknown' as const };
      const { psi, status } = psiFromCounts(reference, this.counts[j]!);
      return Number.isNaN(psi) ? { feature, psi: null, status: 'unknown' as const } : { feature, psi, status };
    });
  }

  private binCodes(features: readonly number[]): string {
    let codes = '';
    for (let j = 0; j < features.length; j++) {
      const reference = this.model.bins?.[j];
      codes += reference ? binIndex(features[j]!, reference.edges).toString(36) : '0';
    }
    return codes;
  }

  private addPsiRow(codes: string): void {
    const counts = this.counts!;
    if (codes.length !== counts.length) throw new RangeError(`a PSI row must have ${counts.length} bin codes`);
    const bins = codes.split('').map((c) => parseInt(c, 36));
    bins.forEach((b, j) => {
      if (counts[j]!.length > 0 && b >= counts[j]!.length) throw new RangeError(`bin ${b} of feature ${j} is outside its ${counts[j]!.length} bins`);
    });
    this.psiRows.push(codes);
    bins.forEach((b, j) => {
      if (counts[j]!.length > 0) counts[j]![b]!++;
    });
    if (this.psiRows.length > this.settings.psiWindow) {
      const dropped = this.psiRows.shift()!;
      for (let j = 0; j < dropped.length; j++) if (counts[j]!.length > 0) counts[j]![parseInt(dropped[j]!, 36)]!--;
    }
  }

  private label(): string {
    return `${this.model.name} v${this.model.version} on ${this.key.venue} ${this.key.symbol} ${this.key.timeframe}`;
  }
}
