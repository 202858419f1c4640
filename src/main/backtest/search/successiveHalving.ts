/**
 * Successive halving: evaluate every candidate on the smallest budget (e.g.
 * a fraction of the data), keep the best 1/eta, evaluate those on the next
 * budget, and so on up to the last budget. Cheap budgets weed out the
 * hopeless candidates so the full budget is spent on few.
 *
 * Ranking is by objective, highest first; a failed evaluation (null) ranks
 * below every success. Ties go to the better rank in the previous rung, and
 * on the first rung to the lower candidate index, so the survivors are a
 * function of the objectives alone.
 */
import { mapLimited } from '../../core/promises';
export interface SuccessiveHalvingOptions<C> {
  candidates: readonly C[];
  /** Strictly increasing positive budgets, one rung each. */
  budgets: readonly number[];
  /** Keep max(1, floor(n / eta)) of n candidates after each rung but the last. eta > 1. */
  eta: number;
  /** Objective of a candidate at a budget, higher is better; null when the run failed. */
  evaluate: (candidate: C, budget: number, index: number) => number | null | Promise<number | null>;
  /** Evaluations in flight at once within a rung. Default 1 (sequential, in rank order). */
  concurrency?: number;
}

export interface RungEntry<C> {
  /** Position of the candidate in `candidates`. */
  index: number;
  candidate: C;
  objective: number | null;
}

export interface Rung<C> {
  budget: number;
  /** Every candidate evaluated at this budget, best first. */
  ranking: RungEntry<C>[];
  /** Indices promoted to the next rung (empty after the last rung). */
  promoted: number[];
}

export interface SuccessiveHalvingResult<C> {
  rungs: Rung<C>[];
  /** Winner: first of the last rung's ranking. */
  best: RungEntry<C>;
}

export async function successiveHalving<C>(options: SuccessiveHalvingOptions<C>): Promise<SuccessiveHalvingResult<C>> {
  const { candidates, budgets, eta, evaluate } = options;
  const concurrency = options.concurrency ?? 1;
  if (candidates.length === 0) throw new RangeError('successive halving needs at least one candidate');
  if (budgets.length === 0) throw new RangeError('successive halving needs at least one budget');
  budgets.forEach((b, i) => {
    if (!(Number.isFinite(b) && b > 0)) throw new RangeError(`budget ${b} must be positive and finite`);
    if (i > 0 && !(b > budgets[i - 1]!)) throw new RangeError('budgets must be strictly increasing');
  });
  if (!(Number.isFinite(eta) && eta > 1)) throw new RangeError(`eta must be greater than 1, got ${eta}`);
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);

  let alive = candidates.map((_, i) => i);
  const rungs: Rung<C>[] = [];
  for (let r = 0; r < budgets.length; r++) {
    const budget = budgets[r]!;
    const objectives = await mapLimited(alive, concurrency, async (index) => {
      const objective = await evaluate(candidates[index]!, budget, index);
      if (objective !== null && !Number.isFinite(objective)) {
        throw new RangeError(`evaluate returned ${objective} for candidate ${index}; use null for a failed run`);
      }
      return objective;
    });
    // `alive` is in previous-rung rank order, so a stable sort breaks ties by that rank.
    const ranking = alive
      .map((index, k) => ({ index, candidate: candidates[index]!, objective: objectives[k]!, k }))
      .sort((a, b) => compareObjectives(a.objective, b.objective) || a.k - b.k)
      .map(({ index, candidate, objective }) => ({ index, candidate, objective }));
    const last = r === budgets.length - 1;
    const keep = last ? 0 : Math.max(1, Math.floor(ranking.length / eta));
    const promoted = ranking.slice(0, keep).map((e) => e.index);
    rungs.push({ budget, ranking, promoted });
    alive = promoted;
  }
  return { rungs, best: rungs[rungs.length - 1]!.ranking[0]! };
}

/** Descending by objective, null last. */
function compareObjectives(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return b - a;
}
