/**
 * What a strategy is: a module that declares its parameters (with defaults,
 * bounds, steps and descriptions), the history it needs before its first
 * decision, and a `create` that binds its handlers to a context. Built-in
 * strategies and the user's own files declare themselves the same way and go
 * through the same validation.
 */
import { z } from 'zod';
import type { StrategyCatalogEntry, StrategyParams, StrategyParamSpec } from '../../../shared/contract/strategies';
import { KeelError } from '../../../shared/errors';
import type { StrategyContext } from './context';
import type { StrategyHandlers } from './handlers';
import type { ModelScoringPort } from './modelScoring';

export interface ParamDeclaration {
  name: string;
  /** Shown on the form; the name when not given. */
  label?: string;
  /**
   * `model` names a model of the registry: its name (the active version is
   * used, whichever it is when a bar is scored) or a version's id (that
   * version, pinned). Its default is usually '' (none chosen: the trader must pick one).
   */
  type: 'int' | 'float' | 'bool' | 'enum' | 'model';
  default: number | boolean | string;
  min?: number;
  max?: number;
  step?: number;
  /** The choices of an `enum` parameter. */
  options?: readonly string[];
  description: string;
}

/** A rule between parameters ("fast < slow"), in words and as a check. */
export interface ParamConstraint<P> {
  text: string;
  holds(params: P): boolean;
}

export interface StrategyDefinition<P extends StrategyParams = StrategyParams> {
  /** Stable id: lower-case letters, digits, "-" and "_". */
  type: string;
  name: string;
  summary: string;
  /** Paragraphs separated by blank lines: how it decides and sizes, when it suits, its risks. */
  explanation: string;
  params: readonly ParamDeclaration[];
  constraints?: readonly ParamConstraint<P>[];
  /**
   * Closed bars it needs before its first decision. They are fed to its
   * indicators first, the same way live (from the venue's history) and in a
   * backtest (the first bars of the data); no order can be placed before.
   */
  warmupBars(params: P): number;
  /**
   * Reads the market regime (`ctx.regime()`) without scoring a model. A
   * strategy with a `model` parameter reads it anyway; either way the
   * instance's warm-up is raised to cover the feature pipeline's.
   */
  usesRegime?: boolean;
  /** Binds the strategy to a context: creates its indicators and answers its handlers. */
  create(ctx: StrategyContext, params: P): StrategyHandlers;
}

const TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const PARAM_TYPES: ReadonlyArray<ParamDeclaration['type']> = ['int', 'float', 'bool', 'enum', 'model'];
/** Longest model reference a parameter holds: a model's name (up to 80 characters) or a version's id. */
export const MODEL_REF_MAX = 80;

/** Checks a definition's own declarations; a user's file that breaks them is reported in the catalog. */
export function checkDefinition(value: unknown): StrategyDefinition {
  const def = value as Partial<StrategyDefinition> | null;
  const fail = (why: string): never => {
    throw new KeelError('VALIDATION_FAILED', `Not a valid strategy: ${why}`);
  };
  if (typeof def !== 'object' || def === null) return fail('the module must export a strategy definition object');
  if (typeof def.type !== 'string' || !TYPE_PATTERN.test(def.type)) return fail('"type" must be lower-case letters, digits, "-" or "_"');
  for (const key of ['name', 'summary', 'explanation'] as const) {
    if (typeof def[key] !== 'string' || def[key].length === 0) fail(`"${key}" must be a non-empty string`);
  }
  if (typeof def.warmupBars !== 'function') fail('"warmupBars" must be a function of the parameters');
  if (typeof def.create !== 'function') fail('"create" must be a function (context, params) => handlers');
  if (!Array.isArray(def.params)) return fail('"params" must be an array of parameter declarations');
  const names = new Set<string>();
  for (const p of def.params as ParamDeclaration[]) {
    if (typeof p?.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(p.name)) fail(`parameter name ${JSON.stringify(p?.name)} is not an identifier`);
    if (names.has(p.name)) fail(`parameter "${p.name}" is declared twice`);
    names.add(p.name);
    if (!PARAM_TYPES.includes(p.type)) fail(`parameter "${p.name}" has unknown type ${JSON.stringify(p.type)}`);
    if (typeof p.description !== 'string') fail(`parameter "${p.name}" needs a description`);
    if (p.type === 'enum' && (!Array.isArray(p.options) || p.options.length === 0 || !p.options.every((o) => typeof o === 'string'))) {
      fail(`parameter "${p.name}" is an enum: "options" must list its choices as strings`);
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) fail(`parameter "${p.name}": min ${p.min} is above max ${p.max}`);
    // A model parameter may start empty: the trader picks the model.
    const parsed = p.type === 'model' && p.default === '' ? { success: true as const } : paramSchema(p).safeParse(p.default);
    if (!parsed.success) fail(`parameter "${p.name}": its default ${JSON.stringify(p.default)} is not valid (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  if (def.constraints !== undefined) {
    if (!Array.isArray(def.constraints)) return fail('"constraints" must be an array of { text, holds }');
    for (const c of def.constraints as Array<Partial<ParamConstraint<unknown>>>) {
      if (typeof c?.text !== 'string' || typeof c.holds !== 'function') fail('each constraint must be { text: string, holds: (params) => boolean }');
    }
  }
  return def as StrategyDefinition;
}

function paramSchema(p: ParamDeclaration): z.ZodType {
  switch (p.type) {
    case 'bool':
      return z.boolean();
    case 'model':
      return z.string().trim().min(1, 'must name a model').max(MODEL_REF_MAX);
    case 'enum':
      return z.enum((p.options ?? []) as [string, ...string[]]);
    case 'int':
    case 'float': {
      let n = p.type === 'int' ? z.number().int() : z.number().finite();
      if (p.min !== undefined) n = n.min(p.min);
      if (p.max !== undefined) n = n.max(p.max);
      return n;
    }
  }
}

/** True when the strategy reads the feature pipeline: it scores a model or reads the regime. */
export function usesMarketFeatures(def: Pick<StrategyDefinition, 'params' | 'usesRegime'>): boolean {
  return def.usesRegime === true || def.params.some((p) => p.type === 'model');
}

/** The names of its `model` parameters. */
export function modelParams(def: Pick<StrategyDefinition, 'params'>): string[] {
  return def.params.filter((p) => p.type === 'model').map((p) => p.name);
}

/**
 * The full parameter set for `input`: declared names only, each checked
 * against its type and bounds, defaults for the rest, then the constraints.
 * Bad input is a VALIDATION_FAILED error naming the parameter. With
 * `models`, each model parameter must also name a model that may be used
 * now (the error names the parameter and the model).
 */
export function resolveParams<P extends StrategyParams>(def: StrategyDefinition<P>, input: StrategyParams, models?: Pick<ModelScoringPort, 'check'>): P {
  const declared = new Set(def.params.map((p) => p.name));
  const unknown = Object.keys(input).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new KeelError('VALIDATION_FAILED', `${def.name} has no parameter ${unknown.map((n) => `"${n}"`).join(', ')}`, { unknown });
  }
  const out: StrategyParams = {};
  for (const p of def.params) {
    const value = input[p.name] ?? p.default;
    const parsed = paramSchema(p).safeParse(value);
    if (!parsed.success) {
      throw new KeelError('VALIDATION_FAILED', `${def.name}: ${p.label ?? p.name} ${parsed.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(value)})`, {
        param: p.name,
      });
    }
    out[p.name] = parsed.data as number | boolean | string;
  }
  if (models) for (const name of modelParams(def)) checkModelParam(def, name, String(out[name]), models);
  for (const constraint of def.constraints ?? []) {
    if (!constraint.holds(out as P)) throw new KeelError('VALIDATION_FAILED', `${def.name}: parameters must satisfy ${constraint.text}`, { constraint: constraint.text });
  }
  return out as P;
}

/** Refuses a model parameter whose model cannot be used, as VALIDATION_FAILED naming the parameter and the model. */
export function checkModelParam(def: Pick<StrategyDefinition, 'name' | 'params'>, param: string, model: string, models: Pick<ModelScoringPort, 'check'>): void {
  const label = def.params.find((p) => p.name === param)?.label ?? param;
  try {
    models.check(model);
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    throw new KeelError('VALIDATION_FAILED', `${def.name}: ${label} "${model}" cannot be used: ${error.message}`, { param, model });
  }
}

/** The contract's description of a parameter. */
export function paramSpec(p: ParamDeclaration): StrategyParamSpec {
  return {
    name: p.name,
    label: p.label ?? p.name,
    type: p.type,
    default: p.default,
    min: p.min ?? null,
    max: p.max ?? null,
    step: p.step ?? (p.type === 'int' ? 1 : null),
    options: p.options ? [...p.options] : null,
    description: p.description,
  };
}

export function catalogEntry(def: StrategyDefinition, origin: 'builtin' | 'user', file: string | null): StrategyCatalogEntry {
  return {
    type: def.type,
    name: def.name,
    summary: def.summary,
    explanation: def.explanation,
    params: def.params.map(paramSpec),
    constraints: (def.constraints ?? []).map((c) => c.text),
    origin,
    file,
    error: null,
  };
}

/** Type helper for strategy modules: checks the declaration against the context at compile time. */
export function defineStrategy<P extends StrategyParams>(def: StrategyDefinition<P>): StrategyDefinition<P> {
  return def;
}
