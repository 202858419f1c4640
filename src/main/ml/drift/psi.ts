/**
 * Population stability index: how far a recent window of a feature has moved
 * from the sample a model was trained on. The reference is cut into bins at
 * its own quantiles (deciles by default, so each reference bin holds about the
 * same share), the recent window is counted into the same bins, and
 *
 *     PSI = sum over bins of (recent% - reference%) * ln(recent% / reference%)
 *
 * Empty bins would make the logarithm infinite, so every share is floored at
 * a small epsilon (1e-4) first. NaN values (warm-up rows) are left out.
 *
 * Reading it (the usual credit-scoring rule of thumb, also used for model
 * monitoring): below 0.1 the population is stable; 0.1 to 0.25 is worth
 * watching; above 0.25 the feature is drifting and the model's view of it is
 * stale. A mean shift of 0.5 standard deviations in a normal feature scores
 * about 0.24 on deciles (watch); 0.6 standard deviations about 0.34.
 *
 * A model keeps only its reference's bin edges and shares (see
 * featureReference.ts), so the live side computes PSI from counts with
 * `psiFromCounts`, the same arithmetic as the two-sample form.
 */
export const PSI_THRESHOLDS = Object.freeze({ watch: 0.1, drift: 0.25 });

export type DriftStatus = 'stable' | 'watch' | 'drifting';

export function psiStatus(psi: number): DriftStatus {
  if (Number.isNaN(psi)) throw new RangeError('PSI is NaN: there is nothing to judge');
  if (psi > PSI_THRESHOLDS.drift) return 'drifting';
  if (psi >= PSI_THRESHOLDS.watch) return 'watch';
  return 'stable';
}

export interface PsiOptions {
  /** Quantile bins cut from the reference (ties may merge some). Default 10. */
  bins?: number;
  /** Floor on every bin's share. Default 1e-4. */
  epsilon?: number;
}

export interface PsiBin {
  /** The bin is (lower, upper]; the first starts at -Infinity, the last ends at +Infinity. */
  lower: number;
  upper: number;
  reference: number;
  recent: number;
  contribution: number;
}

export interface PsiResult {
  /** NaN when either side has no finite values. */
  psi: number;
  status: DriftStatus | 'unknown';
  bins: PsiBin[];
  referenceCount: number;
  recentCount: number;
}

/** Upper edges of the quantile bins: the smallest reference value whose empirical CDF reaches i / bins, duplicates merged. */
export function quantileEdges(reference: ArrayLike<number>, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`PSI needs at least 2 bins, got ${bins}`);
  const sorted = finiteValues(reference).sort((a, b) => a - b);
  const edges: number[] = [];
  if (sorted.length === 0) return edges;
  for (let i = 1; i < bins; i++) {
    const edge = sorted[Math.ceil((i * sorted.length) / bins) - 1] as number;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

export function populationStabilityIndex(reference: ArrayLike<number>, recent: ArrayLike<number>, options: PsiOptions = {}): PsiResult {
  const { bins = 10, epsilon = 1e-4 } = options;
  const edges = quantileEdges(reference, bins);
  const referenceCounts = binCounts(reference, edges);
  const referenceCount = referenceCounts.reduce((a, b) => a + b, 0);
  const shares = referenceCounts.map((c) => (referenceCount === 0 ? 0 : c / referenceCount));
  return psiFromCounts({ edges, shares, count: referenceCount }, binCounts(recent, edges), epsilon);
}

/** A reference sample reduced to what PSI needs: its bin edges, the share of it in each bin (edges + 1 of them), and its size. */
export interface BinnedReference {
  edges: readonly number[];
  shares: readonly number[];
  count: number;
}

/** PSI of recent values, already counted into the reference's bins (`binCounts` / `binIndex`), against the reference's shares. */
export function psiFromCounts(reference: BinnedReference, recentCounts: ArrayLike<number>, epsilon = 1e-4): PsiResult {
  if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
  const { edges, shares, count: referenceCount } = reference;
  if (shares.length !== edges.length + 1 || recentCounts.length !== edges.length + 1) throw new RangeError(`${edges.length} edges need ${edges.length + 1} shares and counts (got ${shares.length} and ${recentCounts.length})`);
  let recentCount = 0;
  for (let b = 0; b < recentCounts.length; b++) recentCount += recentCounts[b] as number;
  if (referenceCount === 0 || recentCount === 0) return { psi: Number.NaN, status: 'unknown', bins: [], referenceCount, recentCount };

  const result: PsiBin[] = [];
  let psi = 0;
  for (let b = 0; b <= edges.length; b++) {
    const expected = Math.max(shares[b] as number, epsilon);
    const actual = Math.max((recentCounts[b] as number) / recentCount, epsilon);
    const contribution = (actual - expected) * Math.log(actual / expected);
    psi += contribution;
    result.push({ lower: b === 0 ? Number.NEGATIVE_INFINITY : (edges[b - 1] as number), upper: b === edges.length ? Number.POSITIVE_INFINITY : (edges[b] as number), reference: expected, recent: actual, contribution });
  }
  return { psi, status: psiStatus(psi), bins: result, referenceCount, recentCount };
}

function finiteValues(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Counts per bin (lower, upper]: bin b holds values above edge b-1 and at most edge b. Values that are not finite are left out. */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = binIndex(v, edges);
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/** The bin (lower, upper] a finite value falls in: 0 .. edges.length. */
export function binIndex(value: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
