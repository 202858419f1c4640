/**
 * Tree-structured Parzen Estimator sampler (Bergstra et al., 2011), maximizing.
 *
 * After `nStartupTrials` random points, the told trials are split into the
 * best `gamma(n)` ("good") and the rest ("bad"; failed trials always land
 * here, so TPE steers away from where trials fail). Each parameter gets a
 * Parzen estimator per group, l(x) from the good and g(x) from the bad.
 * Candidates are drawn from l, and the feasible candidate with the largest
 * Σ log l(x_i) − log g(x_i) over parameters is proposed.
 */
import { fitEstimator, type Estimator, type Observation } from './parzen';
import { Prng } from '../../core/prng';
import { BaseSampler, DEFAULT_MAX_ATTEMPTS, positiveInteger, type Trial } from './sampler';
import { drawFeasible, firstViolation, sampleBox, type Params, type ParamSpecs, type ParamsOf, type ParamValue, type SearchSpace } from './space';

export interface TpeSamplerOptions {
  seed: number;
  /** Random trials before the model is used. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per `ask`. Default 24. */
  nCandidates?: number;
  /**
   * Size of the good group given the number of told trials: a fraction
   * (ceil(fraction · n)) or a function. Default min(ceil(0.1 · n), 25).
   */
  gamma?: number | ((n: number) => number);
  /** Weight of the broad prior kernel in each estimator, relative to one observation. Default 1. */
  priorWeight?: number;
  /** Draws per `ask` before the space is declared too constrained. Default 1000. */
  maxAttempts?: number;
}

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

export class TpeSampler<P extends ParamSpecs> extends BaseSampler<P> {
  private readonly rng: Prng;
  private readonly nStartupTrials: number;
  private readonly nCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly priorWeight: number;
  private readonly maxAttempts: number;

  constructor(space: SearchSpace<P>, options: TpeSamplerOptions) {
    super(space);
    this.rng = new Prng(options.seed);
    this.nStartupTrials = options.nStartupTrials ?? 10;
    if (!(Number.isInteger(this.nStartupTrials) && this.nStartupTrials >= 0)) {
      throw new RangeError(`nStartupTrials must be a non-negative integer, got ${this.nStartupTrials}`);
    }
    this.nCandidates = positiveInteger(options.nCandidates ?? 24, 'nCandidates');
    const gamma = options.gamma ?? defaultGamma;
    if (typeof gamma === 'number' && !(gamma > 0 && gamma <= 1)) throw new RangeError(`gamma must be in (0, 1], got ${gamma}`);
    this.gamma = typeof gamma === 'number' ? (n) => Math.ceil(gamma * n) : gamma;
    this.priorWeight = options.priorWeight ?? 1;
    if (!(this.priorWeight > 0 && Number.isFinite(this.priorWeight))) throw new RangeError(`priorWeight must be positive, got ${this.priorWeight}`);
    this.maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
  }

  ask(): ParamsOf<P> {
    const split = this.told.length >= this.nStartupTrials ? splitTrials(this.told, this.gamma) : undefined;
    if (split === undefined) return this.askRandom();

    const names = Object.keys(this.untypedSpace.params);
    const models = names.map((name) => {
      const spec = this.untypedSpace.params[name]!;
      return {
        name,
        good: fitEstimator(spec, observations(split.good, name), this.priorWeight),
        bad: fitEstimator(spec, observations(split.bad, name), this.priorWeight),
      };
    });

    let best: Params | undefined;
    let bestScore = -Infinity;
    let feasible = 0;
    for (let attempt = 0; attempt < this.maxAttempts && feasible < this.nCandidates; attempt++) {
      const candidate = drawFrom(models, this.rng);
      if (firstViolation(this.untypedSpace, candidate) !== undefined) continue;
      feasible++;
      const score = acquisition(models, candidate);
      if (best === undefined || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    // The good region may lie entirely outside the constraints; uniform draws still cover the rest.
    return best === undefined ? this.askRandom() : (best as ParamsOf<P>);
  }

  private askRandom(): ParamsOf<P> {
    return drawFeasible(this.untypedSpace, () => sampleBox(this.untypedSpace, this.rng), this.maxAttempts) as ParamsOf<P>;
  }
}

interface Model {
  name: string;
  good: Estimator;
  bad: Estimator;
}

/**
 * Good = the best gamma(n) successful trials (ties go to the earlier trial),
 * bad = the other successful trials and every failed one. Undefined while no
 * trial has succeeded: there is nothing to model yet.
 */
export function splitTrials(trials: readonly Trial<Params>[], gamma: (n: number) => number): { good: Trial<Params>[]; bad: Trial<Params>[] } | undefined {
  const ranked = trials
    .map((t, i) => ({ t, i }))
    .filter((x) => x.t.objective !== null)
    .sort((a, b) => b.t.objective! - a.t.objective! || a.i - b.i);
  if (ranked.length === 0) return undefined;
  const nGood = Math.min(ranked.length, Math.max(1, Math.floor(gamma(trials.length))));
  const goodIdx = new Set(ranked.slice(0, nGood).map((x) => x.i));
  // Both groups stay in told order: the observation weights age trials by that order.
  return {
    good: trials.filter((_, i) => goodIdx.has(i)),
    bad: trials.filter((_, i) => !goodIdx.has(i)),
  };
}

/** Equal weights up to 25 observations; beyond that the older ones ramp down linearly, as recent trials reflect the model better. */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = n - 25;
  return Array.from({ length: n }, (_, i) => (i >= ramp ? 1 : ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1)));
}

function observations(trials: readonly Trial<Params>[], name: string): Observation[] {
  const weights = observationWeights(trials.length);
  return trials.map((t, i) => ({ value: t.params[name]!, weight: weights[i]! }));
}

function drawFrom(models: readonly Model[], rng: Prng): Params {
  const point: Record<string, ParamValue> = {};
  for (const m of models) point[m.name] = m.good.sample(rng);
  return point;
}

function acquisition(models: readonly Model[], point: Params): number {
  let score = 0;
  for (const m of models) {
    const v = point[m.name]!;
    score += m.good.logDensity(v) - m.bad.logDensity(v);
  }
  return score;
}
