/**
 * The regime of an instrument now, read from its closed bars: the streaming
 * classifier run over the venue's recent history (the same code a strategy's
 * gate and the feature pipeline use), the newest label with what it was read
 * from, how long it has held, and the recent labels for the chart's band.
 */
import type { Bar, Timeframe } from '../../../shared/domain';
import type { RegimeView } from '../../../shared/contract/ml';
import { RegimeClassifier, regimeWarmup } from './regimeClassifier';

/** History read per answer: the classifier's warm-up, its volatility window's full depth, and room for the band. */
export const REGIME_HISTORY_BARS = 1_500;

export function regimeView(venue: string, symbol: string, timeframe: Timeframe, bars: readonly Bar[], historyLength = 200): RegimeView {
  const classifier = new RegimeClassifier();
  const labels: Array<{ time: number; label: RegimeView['label'] }> = [];
  let last: ReturnType<RegimeClassifier['update']> | null = null;
  for (const bar of bars) {
    last = classifier.update(bar);
    labels.push({ time: bar.time, label: last.label });
  }
  const newest = labels.at(-1);
  let since: number | null = null;
  if (newest && newest.label !== null) {
    since = newest.time;
    for (let i = labels.length - 2; i >= 0 && labels[i]!.label === newest.label; i--) since = labels[i]!.time;
  }
  const finite = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : value);
  return {
    venue,
    symbol,
    timeframe,
    label: newest?.label ?? null,
    time: newest?.time ?? null,
    since,
    adx: finite(last?.adx),
    efficiency: finite(last?.efficiency),
    volatilityPercentile: finite(last?.volatilityPercentile),
    history: labels.slice(-historyLength),
  };
}

/** Bars a caller must read for a label on the newest one. */
export const REGIME_MIN_BARS = regimeWarmup();
