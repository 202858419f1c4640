/**
 * What the Pipeline board shows, worked out from the host's answers: a gate
 * criterion as a line, why a card cannot be promoted, the figures of its
 * evidence, and the discovery form turned into a spec.
 */
import type { BacktestFigures, DiscoverySpecInput, GateCriterion, PipelineCard, PipelineColumn } from '../../../shared/contract';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';

export const COLUMN_LABELS: Record<PipelineColumn, string> = { discovery: 'Discovery', paper: 'Paper', live: 'Live' };

export function formatValue(value: GateCriterion['value']): string {
  if (value === null) return 'unknown';
  if (typeof value === 'boolean') return value ? 'passed' : 'failed';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(4);
}

export function criterionLine(c: GateCriterion): string {
  return `${c.label}: ${formatValue(c.value)} (needs ${c.requirement})`;
}

/** Why the Promote button is disabled, or null when the card may be promoted. */
export function promoteBlocker(card: PipelineCard): string | null {
  if (card.column === 'live') return 'Already Live, the last column';
  const gate = card.nextGate;
  if (gate === null) return 'No gate to pass';
  const failing = gate.criteria.filter((c) => !c.passed);
  if (failing.length === 0) return null;
  return `${COLUMN_LABELS[gate.column]} gate: ${failing.map(criterionLine).join('; ')}`;
}

/** One stretch's figures, short: "120 trades · +12.0 % · DD 9.0 % · Sharpe 1.50". */
export function figuresLine(f: BacktestFigures | null): string {
  if (f === null) return '—';
  const sign = f.returnPct >= 0 ? '+' : '';
  const sharpe = f.sharpeRatio === null ? '' : ` · Sharpe ${f.sharpeRatio.toFixed(2)}`;
  return `${f.trades} trades · ${sign}${f.returnPct.toFixed(1)} % · DD ${f.maxDrawdownPct.toFixed(1)} %${sharpe}`;
}

export interface DiscoverForm {
  family: string;
  /** For ML-scored: the model's name or version id. */
  model: string;
  /** `dataset:<id>` or `venue:<venue>`. */
  source: string;
  symbol: string;
  timeframe: string;
  maxTrials: string;
  folds: string;
  candidates: string;
  everyHours: string;
}

export const DEFAULT_DISCOVER_FORM: DiscoverForm = { family: 'sma-cross', model: '', source: '', symbol: '', timeframe: '1h', maxTrials: '20', folds: '3', candidates: '3', everyHours: '' };

function whole(text: string, label: string, min: number, max: number): number | string {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) return `${label} must be a whole number from ${min} to ${max}`;
  return n;
}

/** The spec the form asks for, or what is wrong with it. */
/**
 * `lotOf`: a venue instrument's lot, by venue and symbol. On a venue's
 * history the search sizes orders in it (the backtest form does the same):
 * in whole units, a coin worth more than the account can never be sized,
 * and every candidate would come out with no trades.
 */
export function discoverySpec(form: DiscoverForm, lotOf: (venue: string, symbol: string) => string | undefined = () => undefined): { spec: DiscoverySpecInput } | { error: string } {
  if (!form.source) return { error: 'Choose the data to search' };
  if (!/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(?::[A-Z0-9]{1,20})?$/.test(form.symbol.trim())) return { error: 'The symbol must read like BTC/USDT or BTC/USDT:USDT' };
  if (!(TIMEFRAMES as readonly string[]).includes(form.timeframe)) return { error: 'Choose a timeframe' };
  const maxTrials = whole(form.maxTrials, 'Trials', 1, 1000);
  const folds = whole(form.folds, 'Folds', 1, 10);
  const candidates = whole(form.candidates, 'Candidates', 1, 10);
  for (const value of [maxTrials, folds, candidates]) if (typeof value === 'string') return { error: value };
  let everyHours: number | undefined;
  if (form.everyHours.trim() !== '') {
    everyHours = Number(form.everyHours);
    if (!(everyHours > 0 && everyHours <= 720)) return { error: 'Repeat every must be hours from 0 to 720' };
  }
  if (form.family === 'ml-scored' && form.model.trim() === '') return { error: 'ML-scored variants need a model' };
  const symbol = form.symbol.trim();
  const timeframe = form.timeframe as Timeframe;
  const [kind, id] = [form.source.slice(0, form.source.indexOf(':')), form.source.slice(form.source.indexOf(':') + 1)];
  const market = kind === 'dataset' ? { dataset: id, symbol, timeframe } : { venue: id, symbol, timeframe };
  const lot = kind === 'venue' ? lotOf(id, symbol) : undefined;
  return {
    spec: {
      ...(lot === undefined ? {} : { settings: { fractionalUnit: Number(lot) } }),
      families: [{ type: form.family, ...(form.family === 'ml-scored' ? { params: { model: form.model.trim() } } : {}) }],
      markets: [market],
      maxTrials: maxTrials as number,
      folds: folds as number,
      candidates: candidates as number,
      ...(everyHours === undefined ? {} : { everyHours }),
    },
  };
}
