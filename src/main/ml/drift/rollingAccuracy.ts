/**
 * Rolling accuracy over the last N realised outcomes, and the comparison the
 * hybrid (batch + online) setup needs: is the batch model still as good as
 * it was when validated, and is the online model now reliably better?
 *
 * Thresholds, both at z = 2 (about 97.7% one-sided) by default, and neither
 * judged before `minSamples` outcomes (the full window by default):
 *  - accuracy drift: its accuracy is below the model's
 *    reference (validation) accuracy by more than z standard errors,
 *    z * sqrt(ref * (1 - ref) / N). The band narrows as N grows, so a small
 *    window is not flagged for ordinary bad luck.
 *  - online ahead: a paired (McNemar) comparison on the same outcomes; with b
 *    = rows only the online model got right and c = rows only the batch model
 *    got right, the online model is ahead when (b - c) / sqrt(b + c) > z.
 */
import { RingBuffer } from '../features/streaming/ringBuffer';

export class RollingAccuracy {
  private readonly hits: RingBuffer;
  private correct = 0;

  constructor(readonly window: number) {
    this.hits = new RingBuffer(window);
  }

  record(correct: boolean): void {
    const dropped = this.hits.push(correct ? 1 : 0);
    this.correct += (correct ? 1 : 0) - (Number.isNaN(dropped) ? 0 : dropped);
  }

  /** Share correct in the window; NaN before the first outcome. */
  get accuracy(): number {
    return this.hits.size === 0 ? Number.NaN : this.correct / this.hits.size;
  }

  get count(): number {
    return this.hits.size;
  }

  get full(): boolean {
    return this.hits.full;
  }
}

/** True when `accuracy` over `n` outcomes is more than `z` standard errors below `reference`. */
export function accuracyBelowReference(accuracy: number, n: number, reference: number, z = 2): boolean {
  if (!(n > 0) || Number.isNaN(accuracy)) return false;
  return accuracy < reference - z * Math.sqrt((reference * (1 - reference)) / n);
}

export interface ModelComparisonOptions {
  window: number;
  /** The batch model's validation accuracy, if known: needed to call it drifting. */
  batchReference?: number;
  z?: number;
  /** Outcomes needed before either model is judged; the window by default. */
  minSamples?: number;
}

export interface ModelComparisonStatus {
  samples: number;
  online: number;
  batch: number;
  /** online - batch. */
  difference: number;
  /** Outcomes in the window only the online / only the batch model got right. */
  onlineOnly: number;
  batchOnly: number;
  batchDrifting: boolean;
  onlineAhead: boolean;
}

export class ModelComparison {
  private readonly online: RollingAccuracy;
  private readonly batch: RollingAccuracy;
  /** +1 online only right, -1 batch only right, 0 both or neither. */
  private readonly discordance: RingBuffer;
  private readonly z: number;
  private readonly minSamples: number;

  constructor(private readonly options: ModelComparisonOptions) {
    this.online = new RollingAccuracy(options.window);
    this.batch = new RollingAccuracy(options.window);
    this.discordance = new RingBuffer(options.window);
    this.z = options.z ?? 2;
    this.minSamples = options.minSamples ?? options.window;
    if (!(Number.isInteger(this.minSamples) && this.minSamples >= 1 && this.minSamples <= options.window)) throw new RangeError(`minSamples must be a whole number from 1 to the window (${options.window}), got ${this.minSamples}`);
    if (options.batchReference !== undefined && !(options.batchReference >= 0 && options.batchReference <= 1)) throw new RangeError(`batchReference must be an accuracy in [0, 1], got ${options.batchReference}`);
  }

  /** One realised outcome with what each model had predicted for it. */
  record(actual: number, onlinePredicted: number, batchPredicted: number): void {
    const online = onlinePredicted === actual;
    const batch = batchPredicted === actual;
    this.online.record(online);
    this.batch.record(batch);
    this.discordance.push(online === batch ? 0 : online ? 1 : -1);
  }

  status(): ModelComparisonStatus {
    let onlineOnly = 0;
    let batchOnly = 0;
    for (let i = 0; i < this.discordance.size; i++) {
      const d = this.discordance.get(i);
      if (d > 0) onlineOnly++;
      else if (d < 0) batchOnly++;
    }
    const discordant = onlineOnly + batchOnly;
    const reference = this.options.batchReference;
    const enough = this.batch.count >= this.minSamples;
    return {
      samples: this.online.count,
      online: this.online.accuracy,
      batch: this.batch.accuracy,
      difference: this.online.accuracy - this.batch.accuracy,
      onlineOnly,
      batchOnly,
      batchDrifting: reference !== undefined && enough && accuracyBelowReference(this.batch.accuracy, this.batch.count, reference, this.z),
      onlineAhead: enough && discordant > 0 && (onlineOnly - batchOnly) / Math.sqrt(discordant) > this.z,
    };
  }
}
