/**
 * Per-feature running mean and variance (Welford's update, numerically
 * stable over millions of bars) used to standardise inputs for an online
 * model: z = (x - mean) / sd with the population standard deviation. A
 * feature that has not varied yet maps to 0 instead of dividing by zero.
 */
export interface RunningScalerState {
  count: number;
  mean: number[];
  m2: number[];
}

export class RunningScaler {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly features: number) {
    if (!Number.isInteger(features) || features < 1) throw new RangeError(`a scaler needs at least one feature, got ${features}`);
    this.mean = new Float64Array(features);
    this.m2 = new Float64Array(features);
  }

  get samples(): number {
    return this.count;
  }

  update(x: ArrayLike<number>): void {
    this.count++;
    for (let j = 0; j < this.features; j++) {
      const value = x[j] as number;
      const delta = value - (this.mean[j] as number);
      this.mean[j] = (this.mean[j] as number) + delta / this.count;
      this.m2[j] = (this.m2[j] as number) + delta * (value - (this.mean[j] as number));
    }
  }

  /** Standardises `x` into `out` with the statistics so far. */
  transform(x: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let j = 0; j < this.features; j++) {
      const variance = this.count > 0 ? (this.m2[j] as number) / this.count : 0;
      const sd = Math.sqrt(variance);
      out[j] = sd > 1e-12 ? ((x[j] as number) - (this.mean[j] as number)) / sd : 0;
    }
    return out;
  }

  /** Population mean and standard deviation per feature. */
  statistics(): { mean: number[]; sd: number[] } {
    const sd = Array.from(this.m2, (m2) => (this.count > 0 ? Math.sqrt(m2 / this.count) : 0));
    return { mean: Array.from(this.mean), sd };
  }

  toJSON(): RunningScalerState {
    return { count: this.count, mean: Array.from(this.mean), m2: Array.from(this.m2) };
  }

  static fromJSON(state: RunningScalerState): RunningScaler {
    const scaler = new RunningScaler(state.mean.length);
    if (state.m2.length !== state.mean.length) throw new RangeError('scaler state has mismatched mean and m2 lengths');
    scaler.count = state.count;
    scaler.mean.set(state.mean);
    scaler.m2.set(state.m2);
    return scaler;
  }
}
