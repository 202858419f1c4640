/**
 * Exhaustive grid enumeration over a search space: the cartesian product of
 * per-parameter levels, minus the points that break a constraint. The size
 * is checked before anything is enumerated, so an accidental 10^9-point grid
 * fails at once with a clear error instead of exhausting memory.
 */
import {
  admits,
  firstViolation,
  levelCount,
  levelValue,
  SearchSpaceError,
  snap,
  SpaceTooConstrainedError,
  stepOf,
  validateSpace,
  type Params,
  type ParamSpec,
  type ParamSpecs,
  type ParamsOf,
  type ParamValue,
  type SearchSpace,
} from './space';

/**
 * Levels of one parameter: a count of evenly spaced levels (log-spaced for log
 * floats, snapped to the step and de-duplicated), or the exact values to try.
 * Left out, a choice or stepped parameter (every int) takes all its values; a
 * continuous float must be given one or the other.
 */
export type GridLevels = number | readonly ParamValue[];

export type GridSpec<P extends ParamSpecs> = { readonly [K in keyof P]?: GridLevels };

export interface GridOptions {
  /** Largest cartesian product (before constraints) that may be enumerated. Default 10 000. */
  maxPoints?: number;
}

export const DEFAULT_MAX_GRID_POINTS = 10_000;

export class GridTooLargeError extends Error {
  readonly code = 'grid-too-large';
  constructor(
    /** Size of the cartesian product (may be Infinity if it overflows). */
    readonly points: number,
    readonly maxPoints: number,
    /** Levels per parameter, to show which axis to coarsen. */
    readonly levels: Readonly<Record<string, number>>,
  ) {
    const axes = Object.entries(levels)
      .map(([name, n]) => `${name}=${n}`)
      .join(' × ');
    super(`grid has ${points} points (${axes}), more than the limit of ${maxPoints}`);
    this.name = 'GridTooLargeError';
  }
}

/**
 * Every grid point satisfying the constraints, in odometer order: parameters
 * in the space's declaration order, the last one varying fastest.
 */
export function gridPoints<P extends ParamSpecs>(space: SearchSpace<P>, grid: GridSpec<P> = {}, options: GridOptions = {}): ParamsOf<P>[] {
  const untyped = space as unknown as SearchSpace;
  validateSpace(untyped);
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_GRID_POINTS;
  if (!(Number.isInteger(maxPoints) && maxPoints > 0)) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const gridEntries = grid as Readonly<Record<string, GridLevels | undefined>>;
  for (const name of Object.keys(gridEntries)) {
    if (!(name in untyped.params)) throw new SearchSpaceError(`grid names unknown parameter "${name}"`);
  }

  const names = Object.keys(untyped.params);
  const axes = names.map((name) => levelsOf(name, untyped.params[name]!, gridEntries[name], maxPoints));
  const total = axes.reduce((n, axis) => n * axis.length, 1);
  if (total > maxPoints) {
    throw new GridTooLargeError(total, maxPoints, Object.fromEntries(names.map((name, i) => [name, axes[i]!.length])));
  }

  const points: Params[] = [];
  const violations: Record<string, number> = {};
  const digits = names.map(() => 0);
  for (let n = 0; n < total; n++) {
    const point: Record<string, ParamValue> = {};
    names.forEach((name, i) => (point[name] = axes[i]![digits[i]!]!));
    const broken = firstViolation(untyped, point);
    if (broken === undefined) points.push(point);
    else violations[broken] = (violations[broken] ?? 0) + 1;
    for (let i = names.length - 1; i >= 0; i--) {
      digits[i]! += 1;
      if (digits[i]! < axes[i]!.length) break;
      digits[i] = 0;
    }
  }
  if (points.length === 0) throw new SpaceTooConstrainedError(total, violations);
  return points as unknown as ParamsOf<P>[];
}

function levelsOf(name: string, spec: ParamSpec, levels: GridLevels | undefined, maxPoints: number): ParamValue[] {
  const fail = (why: string): never => {
    throw new SearchSpaceError(`grid for "${name}": ${why}`);
  };
  // One axis alone may already exceed the bound; refuse before materialising it.
  const bound = (n: number): void => {
    if (n > maxPoints) throw new GridTooLargeError(n, maxPoints, { [name]: n });
  };
  if (Array.isArray(levels)) {
    const values = levels as readonly ParamValue[];
    if (values.length === 0) fail('no values given');
    for (const v of values) if (!admits(spec, v)) fail(`${String(v)} is outside the space`);
    return [...new Set(values)];
  }
  if (spec.kind === 'choice') {
    if (levels !== undefined) fail('a choice takes its values or an explicit list, not a level count');
    return [...spec.values];
  }
  const step = stepOf(spec);
  if (levels === undefined) {
    if (step === undefined) fail('a continuous float needs a level count or explicit values');
    bound(levelCount(spec, step!));
    return Array.from({ length: levelCount(spec, step!) }, (_, k) => levelValue(spec, step!, k));
  }
  const count = levels as number;
  if (!(Number.isInteger(count) && count > 0)) fail(`level count must be a positive integer, got ${String(count)}`);
  bound(count);
  const log = spec.kind === 'float' && spec.log === true;
  const lo = log ? Math.log(spec.min) : spec.min;
  const hi = log ? Math.log(spec.max) : spec.max;
  const raw = Array.from({ length: count }, (_, i) => (count === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (count - 1)));
  return [...new Set(raw.map((x) => snap(spec, log ? Math.exp(x) : x)))];
}
