/**
 * An online logistic regression that learns one example at a time: binary
 * (sigmoid) for two classes, multinomial (softmax) for three or more, such as
 * long / short / neutral. Each update is one SGD step on
 *
 *     log loss of the example + l2 / 2 * |w|^2      (intercepts unpenalised)
 *
 * whose average over a data set is exactly the batch L2-regularised logistic
 * objective, so with a decaying step many passes converge to the batch
 * solution (the tests check this against Newton's method), while a floor on
 * the step keeps a live model tracking a market that changes.
 *
 * Why plain SGD and not FTRL-proximal: FTRL earns its keep on sparse,
 * high-dimensional inputs where L1 drives most weights to exactly zero (click
 * prediction). Here there are a couple of dozen dense, standardised features;
 * FTRL's per-coordinate steps only ever shrink (a model that stops adapting),
 * and its L2 applies to the sum of all past losses, so its optimum drifts
 * with the number of examples seen instead of matching a batch model's.
 */
import { RunningScaler } from './runningScaler';
import { DEFAULT_ONLINE_LOGISTIC, onlineLogisticOptionsSchema, onlineLogisticStateSchema, type OnlineLogisticOptions, type OnlineLogisticState } from './onlineLogisticState';

export type OnlineLogisticConfig = Pick<OnlineLogisticOptions, 'features' | 'classes'> & Partial<OnlineLogisticOptions>;

export class OnlineLogisticRegression {
  readonly options: Readonly<OnlineLogisticOptions>;
  /** Weight rows: one per class, or a single row (class 1) when binary. */
  private readonly weights: Float64Array[];
  private readonly bias: Float64Array;
  private scaler: RunningScaler;
  private steps = 0;
  private readonly z: Float64Array;
  private readonly scores: Float64Array;

  constructor(config: OnlineLogisticConfig) {
    this.options = Object.freeze(onlineLogisticOptionsSchema.parse({ ...DEFAULT_ONLINE_LOGISTIC, ...config }));
    const rows = this.binary ? 1 : this.options.classes;
    this.weights = Array.from({ length: rows }, () => new Float64Array(this.options.features));
    this.bias = new Float64Array(rows);
    this.scaler = new RunningScaler(this.options.features);
    this.z = new Float64Array(this.options.features);
    this.scores = new Float64Array(this.options.classes);
  }

  get features(): number {
    return this.options.features;
  }

  get classes(): number {
    return this.options.classes;
  }

  /** Examples learned so far. */
  get updates(): number {
    return this.steps;
  }

  private get binary(): boolean {
    return this.options.classes === 2;
  }

  /** The step size update number `t` (0-based) uses. */
  learningRateAt(t: number): number {
    const { learningRate, decay, minLearningRate } = this.options;
    return Math.max(minLearningRate, learningRate / (1 + decay * t));
  }

  /** Class probabilities (length `classes`, summing to 1) for one row of features. */
  predictProba(x: ArrayLike<number>): Float64Array {
    this.check(x);
    const out = new Float64Array(this.options.classes);
    this.probabilities(this.standardised(x), out);
    return out;
  }

  /** The most probable class. */
  predict(x: ArrayLike<number>): number {
    const p = this.predictProba(x);
    let best = 0;
    for (let k = 1; k < p.length; k++) if ((p[k] as number) > (p[best] as number)) best = k;
    return best;
  }

  /** One SGD step on a labelled example (label 0 .. classes-1). Rows with NaN features (warm-up) are refused. */
  learn(x: ArrayLike<number>, label: number): void {
    this.check(x);
    if (!Number.isInteger(label) || label < 0 || label >= this.options.classes) throw new RangeError(`label must be an integer from 0 to ${this.options.classes - 1}, got ${label}`);
    if (this.options.standardise) this.scaler.update(x);
    const z = this.standardised(x);
    const p = this.probabilities(z, this.scores);
    const eta = this.learningRateAt(this.steps);
    const l2 = this.options.l2;
    for (let r = 0; r < this.weights.length; r++) {
      // Binary keeps one row for class 1; its error is p1 - y.
      const k = this.binary ? 1 : r;
      const error = (p[k] as number) - (label === k ? 1 : 0);
      const w = this.weights[r] as Float64Array;
      for (let j = 0; j < w.length; j++) w[j] = (w[j] as number) - eta * (error * (z[j] as number) + l2 * (w[j] as number));
      this.bias[r] = (this.bias[r] as number) - eta * error;
    }
    this.steps++;
  }

  /** The fitted coefficients, in the standardised space the model works in. */
  coefficients(): { weights: number[][]; bias: number[]; mean: number[]; sd: number[] } {
    return { weights: this.weights.map((w) => Array.from(w)), bias: Array.from(this.bias), ...this.scaler.statistics() };
  }

  toJSON(): OnlineLogisticState {
    return {
      format: 'keel.online-logistic',
      version: 1,
      options: { ...this.options },
      updates: this.steps,
      weights: this.weights.map((w) => Array.from(w)),
      bias: Array.from(this.bias),
      scaler: this.scaler.toJSON(),
    };
  }

  /** Restores a saved model; throws a ZodError describing what is wrong with a bad state. */
  static fromJSON(data: unknown): OnlineLogisticRegression {
    const state = onlineLogisticStateSchema.parse(data);
    const model = new OnlineLogisticRegression(state.options);
    state.weights.forEach((w, r) => (model.weights[r] as Float64Array).set(w));
    model.bias.set(state.bias);
    model.scaler = RunningScaler.fromJSON(state.scaler);
    model.steps = state.updates;
    return model;
  }

  private check(x: ArrayLike<number>): void {
    if (x.length !== this.options.features) throw new RangeError(`expected ${this.options.features} features, got ${x.length}`);
    for (let j = 0; j < x.length; j++) if (!Number.isFinite(x[j])) throw new RangeError(`feature ${j} is ${x[j]}: only ready rows can be scored or learned`);
  }

  private standardised(x: ArrayLike<number>): Float64Array {
    if (this.options.standardise) return this.scaler.transform(x, this.z);
    for (let j = 0; j < this.z.length; j++) this.z[j] = x[j] as number;
    return this.z;
  }

  private probabilities(z: Float64Array, out: Float64Array): Float64Array {
    if (this.binary) {
      const s = dot(this.weights[0] as Float64Array, z) + (this.bias[0] as number);
      // The two branches keep exp from overflowing at either end.
      const p1 = s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
      out[0] = 1 - p1;
      out[1] = p1;
      return out;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < this.weights.length; k++) {
      out[k] = dot(this.weights[k] as Float64Array, z) + (this.bias[k] as number);
      max = Math.max(max, out[k] as number);
    }
    let sum = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = Math.exp((out[k] as number) - max);
      sum += out[k] as number;
    }
    for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / sum;
    return out;
  }
}

function dot(w: Float64Array, z: Float64Array): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += (w[j] as number) * (z[j] as number);
  return s;
}
