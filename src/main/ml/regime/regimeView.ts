/**
 * The regime of an instrument now, read from its closed bars: the streaming
 * classifier run over the venue's recent history (the same code a strategy's
 * gate and the feature pipeline use), the newest label with what it was read
 * from, how long it has held, and the recent labels for the chart's band.
 */
import type { Bar, Timeframe } from '../../../shared/domain';
import type { RegimeView } from '../../../shared/contract/ml';
import { RegimeClassifier, regimeWarmup, type RegimeReading } from './regimeClassifier';

/** History read per answer: the classifier's warm-up, its volatility window's full depth, and room for the band. */
export const REGIME_HISTORY_BARS = 1_500;

/**
 * The classifier fed one closed bar at a time, with the labels of the last
 * `REGIME_HISTORY_BARS` bars it was fed: what an answer is read from. Kept
 * between answers (`RegimeTracker`), it takes only the bars closed since.
 */
export class RegimeState {
  private readonly classifier = new RegimeClassifier();
  private labels: Array<{ time: number; label: RegimeView['label'] }> = [];
  private reading: RegimeReading | null = null;
  private newest: Bar | null = null;

  /** The last bar fed, to check that a later read of the history still agrees with it. */
  get lastBar(): Bar | null {
    return this.newest;
  }

  feed(bar: Bar): void {
    this.reading = this.classifier.update(bar);
    this.newest = bar;
    this.labels.push({ time: bar.time, label: this.reading.label });
    // Trimmed in batches: one copy every 1,500 bars rather than a shift per bar.
    if (this.labels.length >= 2 * REGIME_HISTORY_BARS) this.labels = this.labels.slice(-REGIME_HISTORY_BARS);
  }

  view(venue: string, symbol: string, timeframe: Timeframe, historyLength: number): RegimeView {
    const labels = this.labels.length > REGIME_HISTORY_BARS ? this.labels.slice(-REGIME_HISTORY_BARS) : this.labels;
    const newest = labels.at(-1);
    let since: number | null = null;
    if (newest && newest.label !== null) {
      since = newest.time;
      for (let i = labels.length - 2; i >= 0 && labels[i]!.label === newest.label; i--) since = labels[i]!.time;
    }
    const finite = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : value);
    const last = this.reading;
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
      history: historyLength === 0 ? [] : labels.slice(-historyLength),
    };
  }
}

export function regimeView(venue: string, symbol: string, timeframe: Timeframe, bars: readonly Bar[], historyLength = 200): RegimeView {
  const state = new RegimeState();
  for (const bar of bars) state.feed(bar);
  return state.view(venue, symbol, timeframe, historyLength);
}

/** Bars a caller must read for a label on the newest one. */
export const REGIME_MIN_BARS = regimeWarmup();
