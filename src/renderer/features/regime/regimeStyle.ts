/**
 * How a market regime reads and looks: its name in words, a short label for
 * the watchlist, and a colour from the Okabe–Ito palette (told apart with
 * the common kinds of colour blindness: blue and orange for the two trends,
 * reddish purple for volatile, grey for ranging), always shown with words so
 * colour is never the only cue. Also when to ask again: every 30 s, and just
 * after a bar of the timeframe closes, whichever comes first.
 */
import { REGIME_LABELS, type RegimeLabelName, type RegimeView } from '../../../shared/contract';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import { fmtSince } from '../../lib/format';
import type { BandPoint } from '../chart/chartController';

export interface RegimeStyle {
  name: string;
  short: string;
  color: string;
}

export const REGIME_STYLE: Record<RegimeLabelName, RegimeStyle> = {
  trending_up: { name: 'Trending up', short: 'Up', color: '#56b4e9' },
  trending_down: { name: 'Trending down', short: 'Down', color: '#e69f00' },
  ranging: { name: 'Ranging', short: 'Range', color: '#9aa5b8' },
  volatile: { name: 'Volatile', short: 'Volatile', color: '#cc79a7' },
};

/** The regimes in the order the key lists them. */
export const REGIME_ORDER: readonly RegimeLabelName[] = REGIME_LABELS;

/** The band's colour for a bar (slightly see-through so the grid shows); null draws nothing. */
export function bandColor(label: RegimeLabelName | null): string | null {
  return label === null ? null : `${REGIME_STYLE[label].color}cc`;
}

/** The chart's band from a regime history: a colour and its name per bar. */
export function regimeBand(history: RegimeView['history']): BandPoint[] {
  return history.map((h) => ({ timeMs: h.time, color: bandColor(h.label), text: h.label === null ? null : REGIME_STYLE[h.label].name }));
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** The regime in a sentence, with what it was read from: for a tooltip and screen readers. */
export function describeRegime(view: RegimeView | undefined, timeframe: Timeframe, now: number = Date.now()): string {
  if (!view) return `Regime on ${timeframe}: not known yet`;
  if (view.label === null) return `Regime on ${timeframe}: not enough history yet`;
  const since = view.since !== null ? ` since ${fmtSince(view.since, now)}` : '';
  const vol = view.volatilityPercentile !== null ? `${ordinal(Math.round(view.volatilityPercentile * 100))} percentile` : '—';
  return `Regime on ${timeframe}: ${REGIME_STYLE[view.label].name}${since} (ADX ${fixed(view.adx, 1)}, efficiency ${fixed(view.efficiency, 2)}, volatility ${vol})`;
}

/** The longest a regime shown may go unrefreshed. */
export const REGIME_REFRESH_MS = 30_000;
/** After a bar's close, the wait before asking: the venue closes the bar first. */
export const BAR_CLOSE_GRACE_MS = 1_500;

/** How long to wait before asking again: until just after the next bar closes, at most REGIME_REFRESH_MS. */
export function nextRegimeDelay(now: number, timeframe: Timeframe): number {
  const bar = TIMEFRAME_MS[timeframe];
  const untilClose = Math.ceil((now + 1) / bar) * bar - now;
  return Math.min(REGIME_REFRESH_MS, untilClose + BAR_CLOSE_GRACE_MS);
}
