/**
 * The indicators a chart can show, what each one is called and searched by,
 * where it is drawn (over the candles or in a pane of its own), the
 * parameters a trader may edit with their bounds and defaults, and the lines
 * it draws. Configs the trader saved are read back through `parseIndicators`,
 * which keeps only what this catalog can still draw.
 */
export const INDICATOR_KINDS = ['sma', 'ema', 'bollinger', 'vwap', 'volumeProfile', 'rsi', 'macd', 'atr'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export type ParamValue = number | string;

export interface NumberParam {
  key: string;
  label: string;
  kind: 'int' | 'number';
  min: number;
  max: number;
  step: number;
  default: number;
}

export interface ChoiceParam {
  key: string;
  label: string;
  kind: 'choice';
  choices: ReadonlyArray<{ value: string; label: string }>;
  default: string;
}

export type ParamSpec = NumberParam | ChoiceParam;

/** One line (or histogram) an indicator draws; `shade` picks a tone of the instance's colour. */
export interface OutputSpec {
  key: string;
  label: string;
  style: 'line' | 'histogram';
  shade: 'main' | 'soft' | 'contrast';
}

export interface IndicatorDef {
  kind: IndicatorKind;
  name: string;
  /** Words the picker's search also matches. */
  keywords: readonly string[];
  /** Over the candles, or in a pane of its own under them. */
  placement: 'overlay' | 'pane';
  params: readonly ParamSpec[];
  outputs: readonly OutputSpec[];
  /** Horizontal guides of a pane (RSI's 70 and 30). */
  guides?: readonly number[];
}

export interface IndicatorConfig {
  /** Unique within its chart. */
  id: string;
  kind: IndicatorKind;
  params: Record<string, ParamValue>;
  color: string;
}

const SOURCE: ChoiceParam = {
  key: 'source',
  label: 'Source',
  kind: 'choice',
  choices: [
    { value: 'close', label: 'Close' },
    { value: 'open', label: 'Open' },
    { value: 'high', label: 'High' },
    { value: 'low', label: 'Low' },
  ],
  default: 'close',
};

const period = (def: number, label = 'Period'): NumberParam => ({ key: 'period', label, kind: 'int', min: 1, max: 1000, step: 1, default: def });

export const INDICATORS: Readonly<Record<IndicatorKind, IndicatorDef>> = {
  sma: {
    kind: 'sma',
    name: 'Moving average (SMA)',
    keywords: ['simple', 'ma', 'moving average', 'trend'],
    placement: 'overlay',
    params: [period(20), SOURCE],
    outputs: [{ key: 'value', label: 'SMA', style: 'line', shade: 'main' }],
  },
  ema: {
    kind: 'ema',
    name: 'Exponential moving average (EMA)',
    keywords: ['exponential', 'ma', 'moving average', 'trend'],
    placement: 'overlay',
    params: [period(21), SOURCE],
    outputs: [{ key: 'value', label: 'EMA', style: 'line', shade: 'main' }],
  },
  bollinger: {
    kind: 'bollinger',
    name: 'Bollinger Bands',
    keywords: ['bb', 'bands', 'volatility', 'deviation'],
    placement: 'overlay',
    params: [period(20), { key: 'deviations', label: 'Std. deviations', kind: 'number', min: 0.1, max: 10, step: 0.1, default: 2 }],
    outputs: [
      { key: 'upper', label: 'Upper', style: 'line', shade: 'soft' },
      { key: 'middle', label: 'Basis', style: 'line', shade: 'main' },
      { key: 'lower', label: 'Lower', style: 'line', shade: 'soft' },
    ],
  },
  vwap: {
    kind: 'vwap',
    name: 'VWAP (volume-weighted average price)',
    keywords: ['volume weighted', 'average price', 'session', 'anchored'],
    placement: 'overlay',
    params: [
      {
        key: 'anchor',
        label: 'Starts again each',
        kind: 'choice',
        choices: [
          { value: 'day', label: 'Day (UTC)' },
          { value: 'week', label: 'Week (UTC, Monday)' },
          { value: 'none', label: 'Never (whole chart)' },
        ],
        default: 'day',
      },
    ],
    outputs: [{ key: 'value', label: 'VWAP', style: 'line', shade: 'main' }],
  },
  volumeProfile: {
    kind: 'volumeProfile',
    name: 'Volume profile (visible range)',
    keywords: ['vp', 'volume at price', 'poc', 'value area', 'histogram'],
    placement: 'overlay',
    params: [
      { key: 'rows', label: 'Rows', kind: 'int', min: 6, max: 200, step: 1, default: 24 },
      { key: 'valueArea', label: 'Value area %', kind: 'int', min: 10, max: 100, step: 1, default: 70 },
    ],
    outputs: [],
  },
  rsi: {
    kind: 'rsi',
    name: 'Relative strength index (RSI)',
    keywords: ['momentum', 'oscillator', 'overbought', 'oversold'],
    placement: 'pane',
    params: [period(14), SOURCE],
    outputs: [{ key: 'value', label: 'RSI', style: 'line', shade: 'main' }],
    guides: [70, 30],
  },
  macd: {
    kind: 'macd',
    name: 'MACD',
    keywords: ['moving average convergence divergence', 'momentum', 'oscillator', 'histogram'],
    placement: 'pane',
    params: [
      { key: 'fast', label: 'Fast', kind: 'int', min: 1, max: 500, step: 1, default: 12 },
      { key: 'slow', label: 'Slow', kind: 'int', min: 2, max: 1000, step: 1, default: 26 },
      { key: 'signal', label: 'Signal', kind: 'int', min: 1, max: 500, step: 1, default: 9 },
    ],
    outputs: [
      { key: 'histogram', label: 'Histogram', style: 'histogram', shade: 'soft' },
      { key: 'macd', label: 'MACD', style: 'line', shade: 'main' },
      { key: 'signal', label: 'Signal', style: 'line', shade: 'contrast' },
    ],
  },
  atr: {
    kind: 'atr',
    name: 'Average true range (ATR)',
    keywords: ['volatility', 'true range', 'stop distance'],
    placement: 'pane',
    params: [period(14)],
    outputs: [{ key: 'value', label: 'ATR', style: 'line', shade: 'main' }],
  },
};

/** Colours given to new instances in turn, so two moving averages are told apart. */
export const INDICATOR_PALETTE = ['#f0b90b', '#3d8bfd', '#c77dff', '#00c2c7', '#ff8a3d', '#e5e7eb', '#8bd450', '#ff6fae'] as const;

/** Indicators a chart shows at most: past this the panes would be slivers. */
export const MAX_INDICATORS = 12;

/** The catalog entries whose name or keywords contain every word of the query (case-insensitive), in catalog order. */
export function searchIndicators(query: string): IndicatorDef[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return INDICATOR_KINDS.map((k) => INDICATORS[k]).filter((def) => {
    const text = `${def.kind} ${def.name} ${def.keywords.join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function defaultParams(kind: IndicatorKind): Record<string, ParamValue> {
  return Object.fromEntries(INDICATORS[kind].params.map((p) => [p.key, p.default]));
}

/** Why a parameter value cannot be used, or null when it can. */
export function paramProblem(spec: ParamSpec, value: unknown): string | null {
  if (spec.kind === 'choice') {
    return typeof value === 'string' && spec.choices.some((c) => c.value === value) ? null : `${spec.label} must be one of ${spec.choices.map((c) => c.label).join(', ')}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${spec.label} must be a number`;
  if (spec.kind === 'int' && !Number.isInteger(value)) return `${spec.label} must be a whole number`;
  if (value < spec.min || value > spec.max) return `${spec.label} must be from ${spec.min} to ${spec.max}`;
  return null;
}

/** Problems of a whole parameter set, including those between parameters (MACD's fast under its slow). */
export function paramsProblems(kind: IndicatorKind, params: Record<string, unknown>): string[] {
  const problems = INDICATORS[kind].params.map((spec) => paramProblem(spec, params[spec.key])).filter((p): p is string => p !== null);
  if (problems.length === 0 && kind === 'macd' && Number(params.fast) >= Number(params.slow)) problems.push('Fast must be shorter than Slow');
  return problems;
}

/** A short name with its parameters for the legend: "EMA 21", "BB 20 2", "MACD 12 26 9". */
export function indicatorTitle(config: Pick<IndicatorConfig, 'kind' | 'params'>): string {
  const p = config.params;
  switch (config.kind) {
    case 'sma':
      return `SMA ${p.period}${p.source !== 'close' ? ` ${String(p.source)}` : ''}`;
    case 'ema':
      return `EMA ${p.period}${p.source !== 'close' ? ` ${String(p.source)}` : ''}`;
    case 'bollinger':
      return `BB ${p.period} ${p.deviations}`;
    case 'vwap':
      return p.anchor === 'none' ? 'VWAP' : `VWAP ${String(p.anchor)}`;
    case 'volumeProfile':
      return `VP ${p.rows}`;
    case 'rsi':
      return `RSI ${p.period}${p.source !== 'close' ? ` ${String(p.source)}` : ''}`;
    case 'macd':
      return `MACD ${p.fast} ${p.slow} ${p.signal}`;
    case 'atr':
      return `ATR ${p.period}`;
  }
}

const COLOR = /^#[0-9a-f]{6}$/i;

/**
 * Saved configs read back: anything malformed, of an unknown kind, with bad
 * parameters or a repeated id is dropped; missing parameters take their
 * defaults (a parameter added since the config was saved).
 */
export function parseIndicators(raw: unknown): IndicatorConfig[] {
  if (!Array.isArray(raw)) return [];
  const out: IndicatorConfig[] = [];
  const ids = new Set<string>();
  for (const item of raw) {
    if (out.length >= MAX_INDICATORS) break;
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 40 || ids.has(r.id)) continue;
    if (typeof r.kind !== 'string' || !(INDICATOR_KINDS as readonly string[]).includes(r.kind)) continue;
    const kind = r.kind as IndicatorKind;
    const given = typeof r.params === 'object' && r.params !== null ? (r.params as Record<string, unknown>) : {};
    const params: Record<string, ParamValue> = { ...defaultParams(kind) };
    for (const spec of INDICATORS[kind].params) if (spec.key in given) params[spec.key] = given[spec.key] as ParamValue;
    if (paramsProblems(kind, params).length > 0) continue;
    ids.add(r.id);
    out.push({ id: r.id, kind, params, color: typeof r.color === 'string' && COLOR.test(r.color) ? r.color : INDICATOR_PALETTE[out.length % INDICATOR_PALETTE.length]! });
  }
  return out;
}

/** A new instance of `kind` with default parameters and the next palette colour, its id unused by `existing`. */
export function newIndicator(kind: IndicatorKind, existing: readonly IndicatorConfig[]): IndicatorConfig {
  let n = existing.length + 1;
  const ids = new Set(existing.map((c) => c.id));
  while (ids.has(`${kind}-${n}`)) n++;
  const used = new Set(existing.map((c) => c.color));
  const color = INDICATOR_PALETTE.find((c) => !used.has(c)) ?? INDICATOR_PALETTE[existing.length % INDICATOR_PALETTE.length]!;
  return { id: `${kind}-${n}`, kind, params: defaultParams(kind), color };
}
