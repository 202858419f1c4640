/**
 * The parameter form's model, driven by a strategy's declared parameters
 * (its catalog entry's specs): what the fields start from, how typed text
 * becomes a parameter value, and why a value is refused. The checks are the
 * engine's own (whole numbers for `int`, bounds, one of the options), so a
 * mistake is caught at the field; the engine checks again and also applies
 * the rules between parameters ("fast < slow"). The strategies' create form,
 * their edit dialog and the backtest form all use this one model.
 */
import type { StrategyParamSpec, StrategyParams } from '../../../shared/contract';

/** What a field holds: the text typed into a number field or the chosen option; a switch's state. */
export type ParamValue = string | boolean;
export type ParamValues = Record<string, ParamValue>;
export type ParamErrors = Record<string, string>;

export type ParamCheck = { ok: true; value: number | boolean | string } | { ok: false; error: string };

export type ParamsCheck = { ok: true; params: StrategyParams } | { ok: false; errors: ParamErrors };

/** The shortest text that reads back as the same number, written out in full rather than with an exponent. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  if (!/e/i.test(text)) return text;
  // Exponent form for tiny or huge numbers: write it out, people read 0.0000001 more easily than 1e-7.
  const fixed = n.toFixed(20).replace(/\.?0+$/, '');
  return Number(fixed) === n ? fixed : text;
}

/** The form's value for one parameter: given → default; a value of the wrong kind falls back to the default. */
function fieldValue(spec: StrategyParamSpec, given: unknown): ParamValue {
  const pick = (v: unknown): ParamValue | null => {
    switch (spec.type) {
      case 'bool':
        return typeof v === 'boolean' ? v : null;
      case 'enum':
        return typeof v === 'string' && (spec.options ?? []).includes(v) ? v : null;
      case 'model':
        return typeof v === 'string' ? v : null;
      case 'int':
      case 'float':
        return typeof v === 'number' && Number.isFinite(v) ? numberText(v) : null;
    }
  };
  return pick(given) ?? pick(spec.default) ?? (spec.type === 'bool' ? false : spec.type === 'enum' ? (spec.options?.[0] ?? '') : '');
}

/** Every declared parameter's starting value: from `given` where it has one, else the declared default. */
export function initialParamValues(specs: readonly StrategyParamSpec[], given?: StrategyParams): ParamValues {
  const out: ParamValues = {};
  for (const spec of specs) out[spec.name] = fieldValue(spec, given?.[spec.name]);
  return out;
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Longest model reference a parameter holds (a model's name). */
export const MODEL_REF_MAX = 80;

/** A number as typed: optional leading minus, digits, a decimal point, an exponent; blanks around it are ignored. */
export function readNumber(text: string): number | null {
  const t = text.trim().replace(/^−/, '-');
  if (!NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Checks one field against its declaration and turns it into the value the contract carries. */
export function checkParam(spec: StrategyParamSpec, raw: ParamValue | undefined): ParamCheck {
  const label = spec.label || spec.name;
  switch (spec.type) {
    case 'bool':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, error: `${label} must be on or off` };
    case 'enum': {
      const options = spec.options ?? [];
      return typeof raw === 'string' && options.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, error: `${label} must be one of ${options.join(', ')}` };
    }
    case 'model': {
      const ref = typeof raw === 'string' ? raw.trim() : '';
      if (ref === '') return { ok: false, error: `${label}: choose a model` };
      if (ref.length > MODEL_REF_MAX) return { ok: false, error: `${label}: a model is named in at most ${MODEL_REF_MAX} characters` };
      return { ok: true, value: ref };
    }
    case 'int':
    case 'float': {
      const text = typeof raw === 'string' ? raw : '';
      if (text.trim() === '') return { ok: false, error: `${label} is required` };
      if (text.includes(',')) return { ok: false, error: `${label}: type a decimal point, not a comma` };
      const n = readNumber(text);
      if (n === null) return { ok: false, error: `${label} must be a number` };
      if (spec.type === 'int' && !Number.isInteger(n)) return { ok: false, error: `${label} must be a whole number` };
      if (spec.min !== null && n < spec.min) return { ok: false, error: `${label} must be at least ${numberText(spec.min)}` };
      if (spec.max !== null && n > spec.max) return { ok: false, error: `${label} must be at most ${numberText(spec.max)}` };
      return { ok: true, value: n };
    }
  }
}

/** Checks every declared parameter; the values when all pass, else an error per failing field. */
export function checkParams(specs: readonly StrategyParamSpec[], values: ParamValues): ParamsCheck {
  const params: StrategyParams = {};
  const errors: ParamErrors = {};
  for (const spec of specs) {
    const r = checkParam(spec, values[spec.name]);
    if (r.ok) params[spec.name] = r.value;
    else errors[spec.name] = r.error;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, params };
}

/** The bounds of a parameter in words: "2 – 200 · step 1", "≥ 0", "any number"; options for an enum. */
export function describeRange(spec: StrategyParamSpec): string {
  if (spec.type === 'bool') return 'on / off';
  if (spec.type === 'enum') return (spec.options ?? []).join(' · ');
  if (spec.type === 'model') return 'a model: its active version, or one version pinned';
  const parts: string[] = [];
  if (spec.min !== null && spec.max !== null) parts.push(`${numberText(spec.min)} – ${numberText(spec.max)}`);
  else if (spec.min !== null) parts.push(`≥ ${numberText(spec.min)}`);
  else if (spec.max !== null) parts.push(`≤ ${numberText(spec.max)}`);
  else parts.push(spec.type === 'int' ? 'any whole number' : 'any number');
  if (spec.step !== null) parts.push(`step ${numberText(spec.step)}`);
  return parts.join(' · ');
}

export const PARAM_TYPE_LABEL: Record<StrategyParamSpec['type'], string> = {
  int: 'whole number',
  float: 'number',
  bool: 'switch',
  enum: 'choice',
  model: 'model',
};

export function fmtParamValue(value: number | boolean | string | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return numberText(value);
  return value;
}

/** One line for a table cell: "fast 10 · slow 30 · long only". Declared order first, then anything else given. */
export function paramsSummary(params: StrategyParams, specs: readonly StrategyParamSpec[] = []): string {
  const declared = specs.map((s) => s.name);
  const rest = Object.keys(params).filter((k) => !declared.includes(k));
  return [...declared.filter((k) => k in params), ...rest]
    .map((k) => {
      const label = specs.find((s) => s.name === k)?.label ?? k;
      const v = params[k];
      return typeof v === 'boolean' ? (v ? label : `no ${label}`) : `${label} ${fmtParamValue(v)}`;
    })
    .join(' · ');
}
