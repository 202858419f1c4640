/**
 * The markers drawn on the chart's candles, built apart from the chart so
 * they can be tested: fills (an arrow beside the bar they fall in) and
 * model signals (a dot at the signal's bar: long below it, short above;
 * solid when the strategy acted on it, faint when it did not; neutral ones
 * are not drawn). Both kinds are shown together, in time order. The signal
 * markers are also put in words, for whoever cannot see the canvas.
 */
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { Signal } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { fmtDateTime } from '../../lib/format';
import { DIRECTION_STYLE, fmtConfidence, modelLabel } from '../signals/signalFormat';
import { CHART_COLORS } from './chartColors';

export interface FillMarkerSpec {
  timeMs: number;
  side: 'buy' | 'sell';
  text: string;
}

/** Signal markers drawn at most: the newest. */
export const MAX_SIGNAL_MARKERS = 500;

/** A signal the strategy did not act on: the direction's colour, faint, and smaller. */
export const SIGNAL_MUTED = { long: 'rgba(14, 203, 129, 0.4)', short: 'rgba(246, 70, 93, 0.4)' } as const;

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

/** Fill markers, snapped to the start of the bar they fall in. */
export function fillMarkers(fills: readonly FillMarkerSpec[], barMs: number): SeriesMarker<Time>[] {
  return fills
    .map((f) => ({ ...f, bar: Math.floor(f.timeMs / barMs) * barMs }))
    .sort((a, b) => a.bar - b.bar)
    .map((f) => ({
      time: toTime(f.bar),
      position: f.side === 'buy' ? 'belowBar' : 'aboveBar',
      shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown',
      color: f.side === 'buy' ? CHART_COLORS.up : CHART_COLORS.down,
      text: f.text,
      size: 1,
    }));
}

/** The signals a chart of `timeframe` marks (signals newest first, as lists hold them): its own timeframe's, not neutral, the newest up to the limit; newest first. */
export function markedSignals(signals: readonly Signal[], timeframe: Timeframe): Signal[] {
  const marked: Signal[] = [];
  for (const s of signals) {
    if (marked.length >= MAX_SIGNAL_MARKERS) break;
    if (s.timeframe === timeframe && s.direction !== 'neutral') marked.push(s);
  }
  return marked;
}

/**
 * Markers for the signals on the chart's timeframe (signals newest first, as
 * lists hold them): a dot at the bar, long below and short above, labelled
 * with its direction's letter and confidence when the strategy acted on it.
 */
export function signalMarkers(signals: readonly Signal[], timeframe: Timeframe): SeriesMarker<Time>[] {
  return markedSignals(signals, timeframe)
    .map((s): SeriesMarker<Time> => {
      const long = s.direction === 'long';
      return {
        id: `signal:${s.id}`,
        time: toTime(s.time),
        position: long ? 'belowBar' : 'aboveBar',
        shape: 'circle',
        color: s.acted ? (long ? CHART_COLORS.up : CHART_COLORS.down) : SIGNAL_MUTED[long ? 'long' : 'short'],
        size: s.acted ? 1 : 0.6,
        ...(s.acted ? { text: `${DIRECTION_STYLE[s.direction].letter} ${fmtConfidence(s.confidence)}` } : {}),
      };
    })
    .sort((a, b) => (a.time as number) - (b.time as number));
}

/**
 * The signal markers in words (the canvas is not read aloud): how many are
 * drawn, how many the strategy acted on, and the newest.
 */
export function describeSignalMarkers(signals: readonly Signal[], timeframe: Timeframe): string {
  const marked = markedSignals(signals, timeframe);
  const newest = marked[0];
  if (!newest) return `No model signals marked on this ${timeframe} chart.`;
  const acted = marked.filter((s) => s.acted).length;
  return (
    `Model signals marked on this ${timeframe} chart: ${marked.length} (${acted} acted on). ` +
    `Newest: ${DIRECTION_STYLE[newest.direction].label} ${fmtConfidence(newest.confidence)}, ${modelLabel(newest)}, ` +
    `bar of ${fmtDateTime(newest.time)}, ${newest.acted ? 'acted on' : 'not acted on'}.`
  );
}

/** Several kinds of markers as one list in time order; at the same bar, the earlier lists' markers first. */
export function mergeMarkers(...lists: ReadonlyArray<readonly SeriesMarker<Time>[]>): SeriesMarker<Time>[] {
  return lists.flat().sort((a, b) => (a.time as number) - (b.time as number));
}
