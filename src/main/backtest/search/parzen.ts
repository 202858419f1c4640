/**
 * The one-dimensional Parzen estimators of the TPE sampler: a truncated
 * Gaussian mixture for numeric parameters and a smoothed histogram for
 * choices. Each estimator is fitted to weighted observations plus a broad
 * prior component, can draw a value, and scores a value by log density.
 */
import { inverseNormalCdf, normalCdf } from '../statistics';
import type { Prng } from '../../core/prng';
import { levelCount, snap, stepOf, type ChoiceParam, type FloatParam, type IntParam, type ParamSpec, type ParamValue } from './space';

export interface Estimator {
  sample(rng: Prng): ParamValue;
  logDensity(value: ParamValue): number;
}

export interface Observation {
  value: ParamValue;
  weight: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function fitEstimator(spec: ParamSpec, observations: readonly Observation[], priorWeight: number): Estimator {
  if (spec.kind === 'choice') return fitCategorical(spec, observations, priorWeight);
  return fitNumeric(spec, observations, priorWeight);
}

function fitCategorical(spec: ChoiceParam, observations: readonly Observation[], priorWeight: number): Estimator {
  // The prior spreads its weight evenly, so an unseen choice keeps a non-zero probability.
  const mass = spec.values.map(() => priorWeight / spec.values.length);
  for (const o of observations) {
    const i = spec.values.indexOf(o.value);
    if (i >= 0) mass[i]! += o.weight;
  }
  const total = mass.reduce((a, b) => a + b, 0);
  const probs = mass.map((m) => m / total);
  return {
    sample: (rng) => spec.values[pickIndex(probs, rng)]!,
    logDensity: (value) => {
      const i = spec.values.indexOf(value);
      return i >= 0 ? Math.log(probs[i]!) : -Infinity;
    },
  };
}

interface Component {
  mu: number;
  sigma: number;
  weight: number;
  /** Log of the component's mass inside [low, high], to renormalise the truncation. */
  logMass: number;
}

/**
 * Numeric parameters are modelled in an internal coordinate: log(x) for log
 * floats, x otherwise. A stepped parameter (every int) owns the cell
 * [x − step/2, x + step/2], so its domain widens by half a step on each side
 * and a value scores the mixture's mass over its cell, not a point density.
 */
function fitNumeric(spec: IntParam | FloatParam, observations: readonly Observation[], priorWeight: number): Estimator {
  const step = stepOf(spec);
  const log = spec.kind === 'float' && spec.log === true;
  const levels = step === undefined ? undefined : levelCount(spec, step);
  if (spec.min === spec.max || levels === 1) return constant(spec.min);

  const half = step === undefined ? 0 : step / 2;
  const top = step === undefined ? spec.max : spec.min + (levels! - 1) * step;
  const low = log ? Math.log(spec.min) : spec.min - half;
  const high = log ? Math.log(spec.max) : top + half;
  const toInternal = (x: number): number => (log ? Math.log(x) : x);

  const components = parzenComponents(
    observations.map((o) => ({ mu: toInternal(o.value as number), weight: o.weight })),
    low,
    high,
    priorWeight,
  );
  const weights = components.map((c) => c.weight);

  return {
    sample: (rng) => {
      const c = components[pickIndex(weights, rng)]!;
      const u = truncatedNormal(c, low, high, rng.nextFloat());
      return snap(spec, log ? Math.exp(u) : u);
    },
    logDensity: (value) => {
      const u = toInternal(value as number);
      return logSumExp(components.map((c) => Math.log(c.weight) + (half > 0 ? logCellMass(c, u, half) : logPdf(c, u)) - c.logMass));
    },
  };
}

/**
 * Kernel placement and widths as in the original TPE: a prior kernel at the
 * middle of the domain as wide as the domain, one kernel per observation
 * whose width is the larger gap to its sorted neighbours (the prior counts
 * as a neighbour), clipped to [range / min(100, n + 1), range].
 */
function parzenComponents(points: readonly { mu: number; weight: number }[], low: number, high: number, priorWeight: number): Component[] {
  const range = high - low;
  const prior = { mu: (low + high) / 2, weight: priorWeight, isPrior: true };
  const all = [...points.map((p) => ({ ...p, isPrior: false })), prior];
  // Stable sort keeps equal observations in told order, so the fit is deterministic.
  const order = all.map((_, i) => i).sort((a, b) => all[a]!.mu - all[b]!.mu || a - b);
  const sorted = order.map((i) => all[i]!);
  const n = sorted.length;
  const minSigma = range / Math.min(100, n + 1);
  const total = sorted.reduce((s, p) => s + p.weight, 0);
  return sorted.map((p, i) => {
    let sigma: number;
    if (p.isPrior) sigma = range;
    else {
      // The domain edges are not neighbours: an observation at the border keeps the gap to its inner neighbour.
      const left = i > 0 ? p.mu - sorted[i - 1]!.mu : 0;
      const right = i < n - 1 ? sorted[i + 1]!.mu - p.mu : 0;
      sigma = Math.min(range, Math.max(minSigma, left, right));
    }
    const c = { mu: p.mu, sigma, weight: p.weight / total, logMass: 0 };
    c.logMass = Math.log(massBetween(c, low, high));
    return c;
  });
}

function constant(value: number): Estimator {
  return { sample: () => value, logDensity: () => 0 };
}

function logPdf(c: Component, u: number): number {
  const z = (u - c.mu) / c.sigma;
  return -0.5 * z * z - Math.log(c.sigma) - LOG_SQRT_2PI;
}

function logCellMass(c: Component, u: number, half: number): number {
  const mass = massBetween(c, u - half, u + half);
  // Deep in a tail the CDF difference underflows; the midpoint rule is accurate there.
  return mass > 1e-300 ? Math.log(mass) : logPdf(c, u) + Math.log(2 * half);
}

/** P(a <= X <= b) for X ~ N(mu, sigma), taken from the nearer tail to avoid cancellation. */
function massBetween(c: Component, a: number, b: number): number {
  const za = (a - c.mu) / c.sigma;
  const zb = (b - c.mu) / c.sigma;
  if (za > 0) return normalCdf(-za) - normalCdf(-zb);
  return normalCdf(zb) - normalCdf(za);
}

/** Inverse-CDF draw from the component restricted to [low, high] (the mean is always inside). */
function truncatedNormal(c: Component, low: number, high: number, uniform: number): number {
  const pa = normalCdf((low - c.mu) / c.sigma);
  const pb = normalCdf((high - c.mu) / c.sigma);
  const u = c.mu + c.sigma * inverseNormalCdf(pa + uniform * (pb - pa));
  return Math.min(high, Math.max(low, Number.isFinite(u) ? u : c.mu));
}

function pickIndex(weights: readonly number[], rng: Prng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}
