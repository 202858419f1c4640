/**
 * Turns an optimize request into a checked SearchPlan before anything is
 * stored, and sizes successive halving: the search's constants, the rungs'
 * bar counts and how many evaluations a bracket makes. Pure.
 */
import type { OptimizeParams } from '../../../shared/contract/backtests';
import type { StrategyParams } from '../../../shared/contract/strategies';
import { KeelError } from '../../../shared/errors';
import { Prng } from '../../core/prng';
import { resolveParams, type StrategyDefinition } from '../../engine/strategies/definition';
import {
  GridTooLargeError,
  gridPoints,
  RandomSampler,
  SearchSpaceError,
  SpaceTooConstrainedError,
  validateSpace,
  type Params,
  type ParamSpec,
  type ParamValue,
  type SearchSpace,
} from '../search';

export const DEFAULT_RANDOM_TRIALS = 100;
export const DEFAULT_MAX_DRAWDOWN_PCT = 20;
export const HALVING_ETA = 3;
/** A prefix shorter than this says too little about a parameter set to rank it. */
export const MIN_PREFIX_BARS = 250;
/** The most grid points a search enumerates (the contract's bound on `maxTrials`). */
const MAX_GRID_POINTS = 100_000;

/** A search, checked and ready to run once the bars are loaded. */
export interface SearchPlan {
  method: OptimizeParams['method'];
  objective: OptimizeParams['objective'];
  maxDrawdownPct: number;
  seed: number;
  /** Every declared parameter's value outside the search (given, or its default). */
  fixed: StrategyParams;
  space: SearchSpace;
  /** Grid: the points to run, in grid order. */
  points: Params[];
  /** Random and TPE: parameter sets to sample. */
  maxTrials: number;
}

/**
 * Checks a search against the strategy's declarations and builds what it
 * will run. Throws VALIDATION_FAILED for an undeclared or doubly given
 * parameter, a value or range outside a declaration, a malformed space, a
 * grid too large, or constraints no parameter set satisfies.
 */
export function planSearch(definition: StrategyDefinition, params: OptimizeParams): SearchPlan {
  // Values are checked one by one against their declarations; the constraints apply to whole parameter sets later.
  const loose: StrategyDefinition = { ...definition, constraints: [] };
  const given = params.strategy.params ?? {};
  const dims: Record<string, ParamSpec> = {};
  const searched = params.strategy.grid ?? params.strategy.space ?? {};
  if (Object.keys(searched).length === 0) throw new KeelError('VALIDATION_FAILED', 'A search needs at least one parameter to vary');
  for (const [name, dim] of Object.entries(searched)) {
    const declaration = definition.params.find((p) => p.name === name);
    if (!declaration) throw new KeelError('VALIDATION_FAILED', `${definition.name} has no parameter "${name}"`, { param: name });
    if (name in given) throw new KeelError('VALIDATION_FAILED', `"${name}" is both fixed and searched`, { param: name });
    const label = declaration.label ?? name;
    if (Array.isArray(dim) || 'values' in dim) {
      const listed: readonly ParamValue[] = Array.isArray(dim) ? dim : dim.values;
      const values = [...new Set(listed)];
      for (const value of values) resolveParams(loose, { ...given, [name]: value });
      dims[name] = { kind: 'choice', values };
    } else {
      if (declaration.type !== 'int' && declaration.type !== 'float') {
        throw new KeelError('VALIDATION_FAILED', `${label} takes a list of values, not a range`, { param: name });
      }
      // With the fixed values: a parameter without a usable default (a model) is given there.
      resolveParams(loose, { ...given, [name]: dim.min });
      resolveParams(loose, { ...given, [name]: dim.max });
      if (declaration.type === 'int') {
        if (dim.log) throw new KeelError('VALIDATION_FAILED', `${label} is a whole number: a log range is for decimal parameters`, { param: name });
        dims[name] = { kind: 'int', min: dim.min, max: dim.max, ...(dim.step === undefined ? {} : { step: dim.step }) };
      } else {
        dims[name] = { kind: 'float', min: dim.min, max: dim.max, ...(dim.step === undefined ? {} : { step: dim.step }), ...(dim.log ? { log: true } : {}) };
      }
    }
  }
  const fixed = resolveParams(loose, given);
  for (const name of Object.keys(dims)) delete fixed[name];
  const space: SearchSpace = {
    params: dims,
    constraints: (definition.constraints ?? []).map((c) => ({ name: c.text, holds: (point: Params) => c.holds({ ...fixed, ...point }) })),
  };
  const seed = params.seed ?? 0;
  const plan: SearchPlan = {
    method: params.method,
    objective: params.objective,
    maxDrawdownPct: params.maxDrawdownPct ?? DEFAULT_MAX_DRAWDOWN_PCT,
    seed,
    fixed,
    space,
    points: [],
    maxTrials: params.maxTrials ?? DEFAULT_RANDOM_TRIALS,
  };
  refusingBadSpaces(() => {
    validateSpace(space);
    if (params.method === 'grid') {
      const points = gridPoints(space, {}, { maxPoints: MAX_GRID_POINTS });
      plan.points = params.maxTrials !== undefined && params.maxTrials < points.length ? subset(points, params.maxTrials, seed) : points;
      plan.maxTrials = plan.points.length;
    } else {
      // One draw finds a space the constraints leave empty before anything is stored.
      new RandomSampler(space, { seed }).ask();
    }
  });
  return plan;
}

function refusingBadSpaces(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof SpaceTooConstrainedError) {
      throw new KeelError('VALIDATION_FAILED', `No parameter set of the search satisfies the strategy's constraints: ${error.message}`);
    }
    if (error instanceof SearchSpaceError || error instanceof GridTooLargeError) throw new KeelError('VALIDATION_FAILED', `The search is not valid: ${error.message}`);
    throw error;
  }
}

/** `count` of the points, drawn with the seed, kept in grid order. */
function subset(points: Params[], count: number, seed: number): Params[] {
  const rng = new Prng(seed);
  const order = points.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => points[i]!);
}

/**
 * Bar counts of the rungs for a bracket of `candidates` over `n` bars: a
 * ninth and a third of the data, then all of it, keeping only prefixes at
 * least twice the warm-up (and MIN_PREFIX_BARS) long, and no more rungs
 * than halving by eta can fill.
 */
export function halvingBudgets(n: number, candidates: number, warmup: number): number[] {
  let rungs = 1;
  while (rungs < 3 && HALVING_ETA ** rungs <= candidates) rungs++;
  const floor = Math.max(MIN_PREFIX_BARS, 2 * warmup + 2);
  const budgets: number[] = [];
  for (let r = rungs - 1; r >= 1; r--) {
    const bars = Math.floor(n / HALVING_ETA ** r);
    if (bars >= floor && bars < n && (budgets.length === 0 || bars > budgets[budgets.length - 1]!)) budgets.push(bars);
  }
  budgets.push(n);
  return budgets;
}

/** Evaluations successive halving makes: every candidate on the first rung, max(1, ⌊k / eta⌋) of k promoted to each next one. */
export function halvingEvaluations(candidates: number, rungs: number): number {
  let total = 0;
  let alive = candidates;
  for (let r = 0; r < rungs; r++) {
    total += alive;
    alive = Math.max(1, Math.floor(alive / HALVING_ETA));
  }
  return total;
}
