/**
 * How a signal reads on screen, in the feed, the order detail and the
 * chart: its direction in words (coloured too, never by colour alone), its
 * confidence as a percent, the model as "name vN", the strategy by name,
 * the regime in words, and whether the strategy acted or the note saying
 * why not. Also the choices of the feed's filters.
 */
import type { Signal, SignalDirection } from '../../../shared/contract';
import { fmtDateTime, fmtSince } from '../../lib/format';
import { fmtShare } from '../models/modelFormat';
import { REGIME_STYLE } from '../regime/regimeStyle';

export interface DirectionStyle {
  label: string;
  /** One letter, for a chart marker. */
  letter: string;
  /** Class colouring it: up colour for long, down colour for short, muted for neutral. */
  className: string;
}

export const DIRECTION_STYLE: Record<SignalDirection, DirectionStyle> = {
  long: { label: 'Long', letter: 'L', className: 'pos' },
  short: { label: 'Short', letter: 'S', className: 'neg' },
  neutral: { label: 'Neutral', letter: 'N', className: 'muted' },
};

/** 0.8123 → "81.2%". */
export function fmtConfidence(confidence: number): string {
  return fmtShare(confidence);
}

export function modelLabel(s: Pick<Signal, 'modelName' | 'modelVersion'>): string {
  return `${s.modelName} v${s.modelVersion}`;
}

export function regimeText(regime: Signal['regime']): string {
  return regime === null ? '—' : REGIME_STYLE[regime].name;
}

export interface StrategyName {
  id: string;
  name: string;
}

/** The strategy by its name while it exists, else by its id; a signal scored outside a strategy says so. */
export function strategyText(strategyId: string | null, strategies: readonly StrategyName[]): string {
  if (strategyId === null) return 'No strategy';
  return strategies.find((s) => s.id === strategyId)?.name ?? strategyId;
}

/** The start of a long hash, enough to tell two apart at a glance. */
export function shortHash(hash: string, keep = 10): string {
  return hash.length > keep ? `${hash.slice(0, keep)}…` : hash;
}

export interface Decision {
  acted: boolean;
  /** "Acted", or why not. */
  text: string;
  /** The note in full, for a tooltip. */
  title: string;
}

export function decision(s: Pick<Signal, 'acted' | 'note'>): Decision {
  if (s.acted) return { acted: true, text: 'Acted', title: s.note || 'The strategy acted on it' };
  const text = s.note || 'Not acted';
  return { acted: false, text, title: text };
}

/** One row of the feed, every cell as text. */
export interface SignalRow {
  id: string;
  time: string;
  timeTitle: string;
  symbol: string;
  timeframe: string;
  direction: DirectionStyle;
  confidence: string;
  model: string;
  strategy: string;
  regime: string;
  decision: Decision;
  orderIds: readonly string[];
}

export function signalRow(s: Signal, strategies: readonly StrategyName[], now: number = Date.now()): SignalRow {
  return {
    id: s.id,
    time: fmtSince(s.time, now),
    timeTitle: `Bar opening ${fmtDateTime(s.time)}, scored ${fmtDateTime(s.createdAt)}`,
    symbol: s.symbol,
    timeframe: s.timeframe,
    direction: DIRECTION_STYLE[s.direction],
    confidence: fmtConfidence(s.confidence),
    model: modelLabel(s),
    strategy: strategyText(s.strategyId, strategies),
    regime: regimeText(s.regime),
    decision: decision(s),
    orderIds: s.orderIds,
  };
}

/** The strategy filter's choices: every strategy, those that only old signals name, and the one chosen; by name. */
export function strategyChoices(strategies: readonly StrategyName[], signals: readonly Signal[], chosen: string | null): StrategyName[] {
  const byId = new Map(strategies.map((s) => [s.id, s]));
  for (const id of [...signals.map((s) => s.strategyId), chosen]) if (id !== null && !byId.has(id)) byId.set(id, { id, name: id });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The symbol filter's choices: the instruments', those signals name, and the one chosen; sorted, each once. */
export function symbolChoices(symbols: readonly string[], signals: readonly Signal[], chosen: string | null): string[] {
  const all = new Set([...symbols, ...signals.map((s) => s.symbol), ...(chosen === null ? [] : [chosen])]);
  return [...all].sort();
}
