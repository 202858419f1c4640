/**
 * The backtest form's model: settings as typed (commission and spread in
 * percent, as traders quote them; the contract carries rates), the data
 * source (a dataset, or a venue's stored history) with an optional time
 * window, and an optimization's search (a range per searched parameter, the
 * rest fixed). Everything is checked here and again with the contract's own
 * schemas before it is sent, so a mistake is named at its field.
 */
import {
  backtestSettingsSchema,
  type BacktestData,
  type BacktestSettings,
  type BacktestSettingsInput,
  type OPTIMIZE_METHODS,
  type OPTIMIZE_OBJECTIVES,
  type StrategyParamSpec,
  type StrategyParams,
} from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import type { Timeframe } from '../../../shared/domain';
import { numberText, readNumber } from '../strategies/paramForm';

export type OptimizeMethod = (typeof OPTIMIZE_METHODS)[number];
export type OptimizeObjective = (typeof OPTIMIZE_OBJECTIVES)[number];
export type ParamScalar = number | boolean | string;

export const DEFAULT_SETTINGS: BacktestSettings = backtestSettingsSchema.parse({});

export const OBJECTIVE_LABEL: Record<OptimizeObjective, string> = {
  sharpe: 'Sharpe ratio',
  return: 'Return [%]',
  profitFactor: 'Profit factor',
  returnWithinDrawdown: 'Return within a max. drawdown',
};

export const METHOD_LABEL: Record<OptimizeMethod, string> = {
  grid: 'Grid',
  random: 'Random',
  tpe: 'TPE (Bayesian)',
};

export const METHOD_HINT: Record<OptimizeMethod, string> = {
  grid: 'Every combination of the ranges, in order',
  random: 'Random samples from the ranges, up to the trial budget',
  tpe: 'Tree-structured Parzen estimator: samples where good trials were found, up to the trial budget',
};

// ---------- settings ----------

export interface SettingsText {
  cash: string;
  /** Percent of each fill's value: "0.1" is 0.1 %. */
  commissionPct: string;
  spreadPct: string;
  margin: string;
  tradeOnClose: boolean;
  exclusiveOrders: boolean;
  finalizeTrades: boolean;
  fractionalUnit: string;
  fillModel: 'bar' | 'intrabar';
  slippageTicks: string;
}

type SettingsTextKey = 'cash' | 'commissionPct' | 'spreadPct' | 'margin' | 'fractionalUnit' | 'slippageTicks';
export type SettingsErrors = Partial<Record<SettingsTextKey | 'from' | 'to', string>>;

function rateToPercent(rate: number): string {
  return Dec.fromNumber(rate).mul(Dec.fromBigInt(100n)).toString();
}

function percentToRate(pct: number): number {
  return Dec.fromNumber(pct).div(Dec.fromBigInt(100n)).toNumber();
}

export function settingsText(s: BacktestSettings = DEFAULT_SETTINGS): SettingsText {
  return {
    cash: numberText(s.cash),
    commissionPct: rateToPercent(s.commission),
    spreadPct: rateToPercent(s.spread),
    margin: numberText(s.margin),
    tradeOnClose: s.tradeOnClose,
    exclusiveOrders: s.exclusiveOrders,
    finalizeTrades: s.finalizeTrades,
    fractionalUnit: numberText(s.fractionalUnit),
    fillModel: s.fillModel,
    slippageTicks: numberText(s.slippageTicks),
  };
}

const SETTING_LABEL: Record<SettingsTextKey, string> = {
  cash: 'Cash',
  commissionPct: 'Commission',
  spreadPct: 'Spread',
  margin: 'Margin',
  fractionalUnit: 'Size unit',
  slippageTicks: 'Slippage',
};

/** The contract's field for each typed one, to place its schema's complaints. */
const CONTRACT_FIELD: Record<string, SettingsTextKey | 'from' | 'to'> = {
  cash: 'cash',
  commission: 'commissionPct',
  spread: 'spreadPct',
  margin: 'margin',
  fractionalUnit: 'fractionalUnit',
  slippageTicks: 'slippageTicks',
  from: 'from',
  to: 'to',
};

/** "YYYY-MM-DDTHH:MM" from a datetime-local field, read in local time; null when empty or not a time. */
export function parseLocalDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date rolls 2024-02-31 over to March: such a date was not a real one.
  if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
  return date.getTime();
}

/** A time for a datetime-local field, in local time. */
export function toLocalDateTimeText(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface TimeWindow {
  from?: number;
  to?: number;
}

export function checkWindow(fromText: string, toText: string): { ok: true; window: TimeWindow } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const window: TimeWindow = {};
  if (fromText.trim() !== '') {
    const from = parseLocalDateTime(fromText);
    if (from === null || from < 0) errors.from = 'From must be a date and time';
    else window.from = from;
  }
  if (toText.trim() !== '') {
    const to = parseLocalDateTime(toText);
    if (to === null || to < 0) errors.to = 'To must be a date and time';
    else window.to = to;
  }
  if (window.from !== undefined && window.to !== undefined && window.to <= window.from) errors.to = 'To must be after From';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, window };
}

export function checkSettings(
  t: SettingsText,
  window: TimeWindow = {},
): { ok: true; settings: BacktestSettingsInput } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const num = (key: SettingsTextKey): number | null => {
    const text = t[key];
    if (text.trim() === '') {
      errors[key] = `${SETTING_LABEL[key]} is required`;
      return null;
    }
    const n = readNumber(text.replace(/,(?=\d{3}\b)/g, ''));
    if (n === null) errors[key] = `${SETTING_LABEL[key]} must be a number`;
    return n;
  };
  const cash = num('cash');
  const commissionPct = num('commissionPct');
  const spreadPct = num('spreadPct');
  const margin = num('margin');
  const fractionalUnit = num('fractionalUnit');
  const slippageTicks = t.fillModel === 'intrabar' ? num('slippageTicks') : 0;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const candidate: BacktestSettingsInput = {
    cash: cash!,
    commission: percentToRate(commissionPct!),
    spread: percentToRate(spreadPct!),
    margin: margin!,
    tradeOnClose: t.tradeOnClose,
    exclusiveOrders: t.exclusiveOrders,
    finalizeTrades: t.finalizeTrades,
    fractionalUnit: fractionalUnit!,
    fillModel: t.fillModel,
    slippageTicks: slippageTicks!,
    ...window,
  };
  const parsed = backtestSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = CONTRACT_FIELD[String(issue.path[0])];
      if (!field || errors[field]) continue;
      errors[field] = settingIssue(field, issue);
    }
    return { ok: false, errors };
  }
  return { ok: true, settings: candidate };
}

function settingIssue(field: SettingsTextKey | 'from' | 'to', issue: { code: string; message: string; minimum?: unknown; maximum?: unknown }): string {
  if (field === 'from' || field === 'to') return `${field === 'from' ? 'From' : 'To'} ${issue.message}`;
  const label = SETTING_LABEL[field];
  const pct = field === 'commissionPct' || field === 'spreadPct';
  const bound = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? (pct ? `${Number(v) * 100} %` : numberText(Number(v))) : '');
  if (issue.code === 'too_small') return `${label} must be ${issue.message.includes('>=') ? 'at least' : 'more than'} ${bound(issue.minimum)}`;
  if (issue.code === 'too_big') return `${label} must be at most ${bound(issue.maximum)}`;
  if (issue.code === 'invalid_type' && field === 'slippageTicks') return `${label} must be a whole number of ticks`;
  return `${label}: ${issue.message}`;
}

// ---------- data source ----------

export type DataSourceForm = { kind: 'dataset'; dataset: string } | { kind: 'venue'; venue: string; symbol: string; timeframe: Timeframe };

/**
 * The data a run plays: a dataset (its window goes into the settings) or a
 * venue's history (the window travels with the data, where the contract
 * puts it).
 */
export function buildData(
  source: DataSourceForm,
  window: TimeWindow,
): { ok: true; data: BacktestData; settingsWindow: TimeWindow } | { ok: false; error: string } {
  if (source.kind === 'dataset') {
    if (!source.dataset) return { ok: false, error: 'Choose a dataset, or import one' };
    return { ok: true, data: { dataset: source.dataset }, settingsWindow: window };
  }
  if (!source.venue || !source.symbol) return { ok: false, error: 'Choose a venue and a symbol' };
  return { ok: true, data: { venue: source.venue, symbol: source.symbol, timeframe: source.timeframe, ...window }, settingsWindow: {} };
}

/** A dataset's name from its file: "BTCUSD_1h.csv" → "BTCUSD_1h". */
export function datasetNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|txt)$/i, '').trim();
  return base.slice(0, 80);
}

/** A bar spacing in words: "1 day", "4 hours", "1 minute", "1 month"; the largest unit it is a whole number of. */
export function fmtPeriod(ms: number): string {
  const units: [number, string][] = [
    [30 * 86_400_000, 'month'],
    [7 * 86_400_000, 'week'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  // Monthly bars are 28 to 31 days apart, so their median spacing is rarely a round number: call it a month.
  if (ms >= 27 * 86_400_000 && ms <= 32 * 86_400_000) return '1 month';
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} days`;
  return `${Math.round(ms / 1000)} seconds`;
}

// ---------- optimization ----------

export interface RangeText {
  search: boolean;
  min: string;
  max: string;
  step: string;
  /** For a switch or a choice: the values tried. */
  values: string[];
}

export type RangeErrors = Record<string, string>;

/** At most this many values per parameter (the contract's bound on a grid dimension). */
export const MAX_VALUES_PER_PARAM = 1000;
export const MAX_TRIALS = 100_000;

function niceStep(span: number, int: boolean): number {
  if (!(span > 0)) return int ? 1 : 0.1;
  const raw = span / 10;
  if (int) return Math.max(1, Math.round(raw));
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10;
  return Number((nice * mag).toPrecision(12));
}

/** Parameters a search can vary: numbers, switches and choices (a model is chosen, not searched). */
export function isSearchable(spec: StrategyParamSpec): boolean {
  return spec.type !== 'model';
}

/** A starting range around the default: half to twice it, inside the declared bounds, about ten steps. */
export function defaultRange(spec: StrategyParamSpec): RangeText {
  if (spec.type === 'bool') return { search: false, min: '', max: '', step: '', values: ['true', 'false'] };
  if (spec.type === 'enum') return { search: false, min: '', max: '', step: '', values: [...(spec.options ?? [])] };
  const int = spec.type === 'int';
  const d = typeof spec.default === 'number' ? spec.default : 0;
  let lo = d > 0 ? d / 2 : d < 0 ? d * 2 : (spec.min ?? 0);
  let hi = d > 0 ? d * 2 : d < 0 ? d / 2 : (spec.max ?? 1);
  if (spec.min !== null) lo = Math.max(lo, spec.min);
  if (spec.max !== null) hi = Math.min(hi, spec.max);
  if (int) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  if (hi < lo) hi = lo;
  const step = spec.step !== null && spec.step > 0 && (hi - lo) / spec.step <= 20 ? spec.step : niceStep(hi - lo, int);
  const tidy = (n: number) => numberText(Number(n.toPrecision(12)));
  return { search: false, min: tidy(lo), max: tidy(hi), step: tidy(step), values: [] };
}

export function defaultRanges(specs: readonly StrategyParamSpec[]): Record<string, RangeText> {
  return Object.fromEntries(specs.map((s) => [s.name, defaultRange(s)]));
}

type NumericRange = { min: number; max: number; step: number };

function checkNumericRange(spec: StrategyParamSpec, r: RangeText): { ok: true; range: NumericRange } | { ok: false; error: string } {
  const label = spec.label || spec.name;
  const min = readNumber(r.min);
  const max = readNumber(r.max);
  const step = readNumber(r.step);
  if (min === null || max === null) return { ok: false, error: `${label}: from and to must be numbers` };
  if (step === null || !(step > 0)) return { ok: false, error: `${label}: the step must be a number above zero` };
  if (max < min) return { ok: false, error: `${label}: “to” must not be below “from”` };
  if (spec.type === 'int' && ![min, max, step].every(Number.isInteger)) return { ok: false, error: `${label}: from, to and step must be whole numbers` };
  if (spec.min !== null && min < spec.min) return { ok: false, error: `${label}: from must be at least ${numberText(spec.min)}` };
  if (spec.max !== null && max > spec.max) return { ok: false, error: `${label}: to must be at most ${numberText(spec.max)}` };
  return { ok: true, range: { min, max, step } };
}

/** Every value from min to max by step, computed in decimals so 0.1 + 0.2 stays 0.3; the last step may fall short of max. */
export function rangeValues(range: NumericRange, limit = MAX_VALUES_PER_PARAM): number[] | null {
  const count = Math.floor((range.max - range.min) / range.step + 1e-9) + 1;
  if (count > limit) return null;
  const min = Dec.fromNumber(range.min);
  const step = Dec.fromNumber(range.step);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(min.add(step.mul(Dec.fromBigInt(BigInt(i)))).toNumber());
  return out;
}

function choiceValues(spec: StrategyParamSpec, r: RangeText): ParamScalar[] {
  if (spec.type === 'bool') return r.values.filter((v) => v === 'true' || v === 'false').map((v) => v === 'true');
  return r.values.filter((v) => (spec.options ?? []).includes(v));
}

export type SearchBuild =
  | {
      ok: true;
      grid?: Record<string, ParamScalar[]>;
      space?: Record<string, { min: number; max: number; step?: number } | { values: ParamScalar[] }>;
      /** Combinations a grid holds (null for sampled searches over continuous ranges). */
      combinations: number | null;
      searched: string[];
    }
  | { ok: false; errors: RangeErrors };

/**
 * The search from the ranges of the searched parameters: a grid of every
 * value (grid method) or ranges to sample (random, TPE).
 */
export function buildSearch(specs: readonly StrategyParamSpec[], ranges: Record<string, RangeText>, method: OptimizeMethod): SearchBuild {
  const errors: RangeErrors = {};
  const grid: Record<string, ParamScalar[]> = {};
  const space: Record<string, { min: number; max: number; step?: number } | { values: ParamScalar[] }> = {};
  let combinations: number | null = 1;
  const searched: string[] = [];
  for (const spec of specs) {
    const r = ranges[spec.name];
    if (!r?.search) continue;
    searched.push(spec.name);
    if (spec.type === 'bool' || spec.type === 'enum') {
      const values = choiceValues(spec, r);
      if (values.length === 0) {
        errors[spec.name] = `${spec.label || spec.name}: choose at least one value`;
        continue;
      }
      grid[spec.name] = values;
      space[spec.name] = { values };
      if (combinations !== null) combinations *= values.length;
      continue;
    }
    const checked = checkNumericRange(spec, r);
    if (!checked.ok) {
      errors[spec.name] = checked.error;
      continue;
    }
    if (method === 'grid') {
      const values = rangeValues(checked.range);
      if (!values) {
        errors[spec.name] = `${spec.label || spec.name}: more than ${MAX_VALUES_PER_PARAM} values; use a larger step`;
        continue;
      }
      grid[spec.name] = values;
      if (combinations !== null) combinations *= values.length;
    } else {
      space[spec.name] = { min: checked.range.min, max: checked.range.max, step: checked.range.step };
      const values = rangeValues(checked.range, Number.MAX_SAFE_INTEGER);
      combinations = combinations !== null && values ? combinations * values.length : null;
    }
  }
  if (searched.length === 0) errors._ = 'Tick at least one parameter to search';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return method === 'grid' ? { ok: true, grid, combinations, searched } : { ok: true, space, combinations, searched };
}

/** Parameters not searched keep one value each: those are sent as the fixed params. */
export function fixedParams(params: StrategyParams, ranges: Record<string, RangeText>): StrategyParams {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !ranges[k]?.search));
}

export function checkMaxTrials(text: string, required: boolean): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (t === '') return required ? { ok: false, error: 'Max trials is required for a sampled search' } : { ok: true, value: undefined };
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > MAX_TRIALS) {
    return { ok: false, error: `Max trials must be a whole number from 1 to ${MAX_TRIALS.toLocaleString('en-US')}` };
  }
  return { ok: true, value: Number(t) };
}

/** A run's data in a few words: "BTC daily (dataset)", "paper · BTC/USDT:USDT · 1h". */
export function describeData(data: BacktestData, datasets: readonly { id: string; name: string }[]): string {
  if ('dataset' in data) {
    const name = datasets.find((d) => d.id === data.dataset)?.name;
    return name ? `${name} (dataset)` : `dataset ${data.dataset}`;
  }
  return `${data.venue} · ${data.symbol} · ${data.timeframe}`;
}
