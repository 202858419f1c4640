/**
 * The search space of a strategy optimisation: the range of each parameter
 * and the constraints between them (a fast period below a slow one). Every
 * sampler draws from a space through these helpers, so a proposed point is
 * always inside its ranges, on its steps, and satisfies every constraint.
 */
import type { Prng } from '../../core/prng';

export type ParamValue = number | string | boolean;

export interface IntParam {
  kind: 'int';
  min: number;
  max: number;
  /** Positive integer; values are min, min + step, ... up to max. Default 1. */
  step?: number;
}

export interface FloatParam {
  kind: 'float';
  min: number;
  max: number;
  /** Values are min, min + step, ... up to max. Not allowed with `log`. */
  step?: number;
  /** Sample uniformly in log space; needs min > 0. */
  log?: boolean;
}

export interface ChoiceParam<V extends ParamValue = ParamValue> {
  kind: 'choice';
  values: readonly V[];
}

export type ParamSpec = IntParam | FloatParam | ChoiceParam;

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The point type a space produces: numbers for numeric parameters, the listed values for choices. */
export type ParamsOf<P extends ParamSpecs> = {
  readonly [K in keyof P]: ValueOf<P[K]>;
};

/** Distributes over a union of specs, so the untyped `ParamSpecs` yields `ParamValue`. */
export type ValueOf<S> = S extends ChoiceParam<infer V> ? V : number;

export type Params = Readonly<Record<string, ParamValue>>;

/** A relation between parameters; a point for which `holds` is false is never proposed. */
export interface Constraint<T = Params> {
  name: string;
  // Method syntax on purpose: a constraint typed for a space's own points must still fit the untyped `Constraint`.
  holds(params: T): boolean;
}

export interface SearchSpace<P extends ParamSpecs = ParamSpecs> {
  params: P;
  constraints?: readonly Constraint<ParamsOf<P>>[];
}

/** Identity that lets TypeScript infer the point type (and check constraints against it). */
export function defineSpace<const P extends ParamSpecs>(space: SearchSpace<P>): SearchSpace<P> {
  validateSpace(space);
  return space;
}

/** The space itself is malformed (empty range, bad step, duplicate choice...). */
export class SearchSpaceError extends Error {
  readonly code = 'invalid-space';
  constructor(message: string) {
    super(message);
    this.name = 'SearchSpaceError';
  }
}

/** No feasible point was found within the attempt budget: the constraints exclude (almost) the whole space. */
export class SpaceTooConstrainedError extends Error {
  readonly code = 'too-constrained';
  constructor(
    readonly attempts: number,
    /** How many rejected draws each constraint was the first to fail. */
    readonly violations: Readonly<Record<string, number>>,
  ) {
    const worst = Object.entries(violations)
      .sort((x, y) => y[1] - x[1])
      .map(([name, n]) => `${name} (${n})`)
      .join(', ');
    super(`no point satisfying the constraints in ${attempts} attempts; rejected by: ${worst}`);
    this.name = 'SpaceTooConstrainedError';
  }
}

export function validateSpace(space: SearchSpace): void {
  const names = Object.keys(space.params);
  if (names.length === 0) throw new SearchSpaceError('a search space needs at least one parameter');
  for (const name of names) validateParam(name, space.params[name]!);
  const seen = new Set<string>();
  for (const c of space.constraints ?? []) {
    if (seen.has(c.name)) throw new SearchSpaceError(`duplicate constraint name "${c.name}"`);
    seen.add(c.name);
  }
}

function validateParam(name: string, spec: ParamSpec): void {
  const fail = (why: string): never => {
    throw new SearchSpaceError(`parameter "${name}": ${why}`);
  };
  if (spec.kind === 'choice') {
    if (spec.values.length === 0) fail('a choice needs at least one value');
    if (new Set(spec.values).size !== spec.values.length) fail('choice values must be distinct');
    for (const v of spec.values) if (typeof v === 'number' && !Number.isFinite(v)) fail('choice values must be finite');
    return;
  }
  if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max)) fail('min and max must be finite');
  if (spec.min > spec.max) fail(`min ${spec.min} exceeds max ${spec.max}`);
  if (spec.kind === 'int') {
    if (!Number.isInteger(spec.min) || !Number.isInteger(spec.max)) fail('int bounds must be integers');
    if (spec.step !== undefined && !(Number.isInteger(spec.step) && spec.step > 0)) fail('int step must be a positive integer');
    return;
  }
  if (spec.step !== undefined && !(Number.isFinite(spec.step) && spec.step > 0)) fail('float step must be positive');
  if (spec.log && spec.step !== undefined) fail('log and step cannot be combined');
  if (spec.log && !(spec.min > 0)) fail('a log float needs min > 0');
}

/** Step of a numeric parameter, or undefined for a continuous float. */
export function stepOf(spec: IntParam | FloatParam): number | undefined {
  return spec.kind === 'int' ? (spec.step ?? 1) : spec.step;
}

/** Number of values of a stepped parameter: the largest k with min + k·step <= max, plus one. */
export function levelCount(spec: IntParam | FloatParam, step: number): number {
  // The epsilon keeps (0.3 - 0.1) / 0.1 = 1.9999999999999998 from losing a level.
  return Math.floor((spec.max - spec.min) / step + 1e-9) + 1;
}

/** The k-th value of a stepped parameter, free of floating-point residue (0.1 + 2·0.1 is 0.3 here). */
export function levelValue(spec: IntParam | FloatParam, step: number, k: number): number {
  const v = spec.min + k * step;
  return spec.kind === 'int' ? Math.round(v) : Number.parseFloat(v.toPrecision(15));
}

/** The nearest admissible value of a numeric parameter: clamped, and on its step if it has one. */
export function snap(spec: IntParam | FloatParam, value: number): number {
  const step = stepOf(spec);
  if (step === undefined) return Math.min(spec.max, Math.max(spec.min, value));
  const k = Math.round((value - spec.min) / step);
  return levelValue(spec, step, Math.min(levelCount(spec, step) - 1, Math.max(0, k)));
}

/** One value drawn uniformly over the parameter's admissible values (log-uniformly for log floats). */
export function sampleUniform(spec: ParamSpec, rng: Prng): ParamValue {
  if (spec.kind === 'choice') return spec.values[rng.int(spec.values.length)]!;
  const step = stepOf(spec);
  if (step !== undefined) return levelValue(spec, step, rng.int(levelCount(spec, step)));
  if (spec.kind === 'float' && spec.log) {
    return Math.min(spec.max, Math.max(spec.min, Math.exp(rng.uniform(Math.log(spec.min), Math.log(spec.max)))));
  }
  return rng.uniform(spec.min, spec.max);
}

/** Name of the first constraint the point breaks, or undefined when it satisfies all of them. */
export function firstViolation(space: SearchSpace, params: Params): string | undefined {
  for (const c of space.constraints ?? []) if (!c.holds(params)) return c.name;
  return undefined;
}

/** Whether a value is admissible for the parameter (in range, on step, one of the choices). */
export function admits(spec: ParamSpec, value: ParamValue): boolean {
  if (spec.kind === 'choice') return spec.values.includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < spec.min || value > spec.max) return false;
  const step = stepOf(spec);
  if (step === undefined) return true;
  return snap(spec, value) === value || Math.abs(snap(spec, value) - value) <= 1e-9 * Math.max(1, Math.abs(value));
}

/** Throws unless `params` is a complete, admissible point of the space (its constraints aside). */
export function assertInSpace(space: SearchSpace, params: Params): void {
  for (const [name, spec] of Object.entries(space.params)) {
    if (!(name in params)) throw new SearchSpaceError(`point lacks parameter "${name}"`);
    if (!admits(spec, params[name]!)) throw new SearchSpaceError(`parameter "${name}": ${String(params[name])} is outside the space`);
  }
  for (const name of Object.keys(params)) {
    if (!(name in space.params)) throw new SearchSpaceError(`point has unknown parameter "${name}"`);
  }
}

/**
 * Draws until a point satisfies every constraint, at most `maxAttempts` times.
 * The draw order is fixed, so the outcome is a function of the generator state.
 */
export function drawFeasible(space: SearchSpace, draw: () => Params, maxAttempts: number): Params {
  const violations: Record<string, number> = {};
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const point = draw();
    const broken = firstViolation(space, point);
    if (broken === undefined) return point;
    violations[broken] = (violations[broken] ?? 0) + 1;
  }
  throw new SpaceTooConstrainedError(maxAttempts, violations);
}

/** A point drawn uniformly over the whole box, constraints not applied. */
export function sampleBox(space: SearchSpace, rng: Prng): Params {
  const point: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(space.params)) point[name] = sampleUniform(spec, rng);
  return point;
}
