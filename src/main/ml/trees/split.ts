/**
 * The best split of a node from its histogram. For a feature and threshold
 * bin t the left child takes bins 0..t and the right the rest; rows with a
 * missing value go to whichever side gives the larger gain (when the node has
 * none, to the side with more rows, where unseen missing values are likeliest
 * to belong). The gain is the drop of the second-order loss approximation
 * with L2 penalty lambda on the leaf values, summed over outputs:
 *
 *   gain = 1/2 · Σ_k [ G_Lk²/(H_L+λ) + G_Rk²/(H_R+λ) − G_k²/(H+λ) ]
 *
 * and a leaf's value is −G_k/(H+λ). With unit hessians and λ = 0 this is half
 * the squared-error reduction (regression) or, on one-hot gradients, half the
 * count-weighted Gini decrease (classification forests).
 *
 * Candidates are scanned feature by feature in the order given, thresholds
 * ascending, "missing right" before "missing left"; a candidate replaces the
 * best only with a strictly larger gain, so ties keep the earliest.
 */
import { HIST_BINS, MISSING_BIN } from './binning';
import { bucketStride } from './histogram';

export interface SplitRules {
  lambda: number;
  /** Fewest rows (counting bootstrap repeats) a child may have. */
  minSamplesLeaf: number;
  /** Smallest hessian sum a child may have. */
  minChildWeight: number;
  /** A split must gain strictly more than this. */
  minGain: number;
}

export interface NodeSums {
  /** Gradient sum per output. */
  grad: Float64Array;
  hess: number;
  count: number;
}

export interface Split {
  feature: number;
  /** Left takes value bins 0..bin. */
  bin: number;
  missingLeft: boolean;
  gain: number;
  /** The left child's sums (the right child's are the node's minus these). */
  left: NodeSums;
}

/** Σ_k G_k²/(H+λ): twice the loss drop a leaf with these sums achieves. */
export function leafScore(grad: ArrayLike<number>, hess: number, lambda: number): number {
  let s = 0;
  for (let k = 0; k < grad.length; k++) s += (grad[k]! * grad[k]!) / (hess + lambda);
  return s;
}

export function leafValue(grad: number, hess: number, lambda: number): number {
  // 0 - g rather than -g: a zero gradient gives +0, which JSON keeps (it writes -0 as 0).
  return (0 - grad) / (hess + lambda);
}

/** The best split of a node over `features`, or null when none gains more than `minGain` within the rules. */
export function findBestSplit(
  hist: Float64Array,
  outputs: number,
  numBins: Uint16Array,
  features: ArrayLike<number>,
  total: NodeSums,
  rules: SplitRules,
): Split | null {
  return outputs === 1 ? bestSplitSingle(hist, numBins, features, total, rules) : bestSplitMulti(hist, outputs, numBins, features, total, rules);
}

function bestSplitSingle(hist: Float64Array, numBins: Uint16Array, features: ArrayLike<number>, total: NodeSums, rules: SplitRules): Split | null {
  const { lambda, minSamplesLeaf, minChildWeight } = rules;
  const G = total.grad[0]!;
  const H = total.hess;
  const C = total.count;
  const parent = (G * G) / (H + lambda);
  let bestGain = rules.minGain;
  let best: Split | null = null;
  const block = HIST_BINS * 3;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const base = f * block;
    const nb = numBins[f]!;
    const m = base + MISSING_BIN * 3;
    const mg = hist[m]!;
    const mh = hist[m + 1]!;
    const mc = hist[m + 2]!;
    let lg = 0;
    let lh = 0;
    let lc = 0;
    for (let t = 0; t < nb; t++) {
      const at = base + t * 3;
      const c = hist[at + 2]!;
      // An empty bin repeats the previous threshold's partition, whose gain it could only tie.
      if (c === 0) continue;
      lg += hist[at]!;
      lh += hist[at + 1]!;
      lc += c;
      // Missing right (or, when the node has none, on the larger side).
      let cl = lc;
      let cr = C - lc;
      let hl = lh;
      let hr = H - lh;
      if (cl >= minSamplesLeaf && cr >= minSamplesLeaf && hl >= minChildWeight && hr >= minChildWeight && hl + lambda > 0 && hr + lambda > 0) {
        const gr = G - lg;
        const gain = 0.5 * ((lg * lg) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: t, missingLeft: mc === 0 && cl >= cr, gain, left: sums1(lg, lh, lc) };
        }
      }
      if (mc === 0) continue;
      cl = lc + mc;
      cr = C - cl;
      hl = lh + mh;
      hr = H - hl;
      if (cl >= minSamplesLeaf && cr >= minSamplesLeaf && hl >= minChildWeight && hr >= minChildWeight && hl + lambda > 0 && hr + lambda > 0) {
        const gl = lg + mg;
        const gr = G - gl;
        const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: t, missingLeft: true, gain, left: sums1(gl, hl, cl) };
        }
      }
    }
  }
  return best;
}

function sums1(g: number, h: number, c: number): NodeSums {
  return { grad: Float64Array.of(g), hess: h, count: c };
}

function bestSplitMulti(
  hist: Float64Array,
  outputs: number,
  numBins: Uint16Array,
  features: ArrayLike<number>,
  total: NodeSums,
  rules: SplitRules,
): Split | null {
  const { lambda, minSamplesLeaf, minChildWeight } = rules;
  const H = total.hess;
  const C = total.count;
  const parent = leafScore(total.grad, H, lambda);
  const stride = bucketStride(outputs);
  const block = HIST_BINS * stride;
  const lg = new Float64Array(outputs);
  const withMissing = new Float64Array(outputs);
  let bestGain = rules.minGain;
  let best: Split | null = null;

  const gainOf = (g: Float64Array, hl: number, hr: number): number => {
    let s = 0;
    for (let k = 0; k < outputs; k++) {
      const gl = g[k]!;
      const gr = total.grad[k]! - gl;
      s += (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda);
    }
    return 0.5 * (s - parent);
  };
  const allowed = (cl: number, hl: number): boolean => {
    const cr = C - cl;
    const hr = H - hl;
    return cl >= minSamplesLeaf && cr >= minSamplesLeaf && hl >= minChildWeight && hr >= minChildWeight && hl + lambda > 0 && hr + lambda > 0;
  };

  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const base = f * block;
    const nb = numBins[f]!;
    const m = base + MISSING_BIN * stride;
    const mh = hist[m + outputs]!;
    const mc = hist[m + outputs + 1]!;
    lg.fill(0);
    let lh = 0;
    let lc = 0;
    for (let t = 0; t < nb; t++) {
      const at = base + t * stride;
      const c = hist[at + outputs + 1]!;
      if (c === 0) continue;
      for (let k = 0; k < outputs; k++) lg[k]! += hist[at + k]!;
      lh += hist[at + outputs]!;
      lc += c;
      if (allowed(lc, lh)) {
        const gain = gainOf(lg, lh, H - lh);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: t, missingLeft: mc === 0 && lc >= C - lc, gain, left: { grad: lg.slice(), hess: lh, count: lc } };
        }
      }
      if (mc === 0) continue;
      for (let k = 0; k < outputs; k++) withMissing[k] = lg[k]! + hist[m + k]!;
      if (allowed(lc + mc, lh + mh)) {
        const gain = gainOf(withMissing, lh + mh, H - lh - mh);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: t, missingLeft: true, gain, left: { grad: withMissing.slice(), hess: lh + mh, count: lc + mc } };
        }
      }
    }
  }
  return best;
}
