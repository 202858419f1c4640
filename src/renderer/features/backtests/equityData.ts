/**
 * A run's equity curve and trades shaped for drawing: points in ascending
 * time with one value per second (the chart's resolution; a later point in
 * the same second wins), drawdown as a negative area under the curve, and a
 * marker at each entry and exit, placed on the curve's own points so the
 * chart can always attach it.
 */
import type { BacktestTrade, EquityPoint } from '../../../shared/contract';

/**
 * Equity points asked for a run: about one per pixel of the widest chart, in
 * spans that keep every peak and trough (the engine thins a longer curve; a
 * million-bar run's whole curve would hold the engine's thread for most of a
 * second and the chart could not show it anyway).
 */
export const CHART_EQUITY_POINTS = 10_000;

export interface SeriesPoint {
  /** Seconds since the epoch (the chart's time unit). */
  time: number;
  value: number;
}

export interface TradeMarker {
  time: number;
  kind: 'entry' | 'exit';
  side: 'long' | 'short';
  text: string;
  /** The trade's net PnL (exits), to colour winners and losers. */
  pnl: number | null;
}

/** What a marker needs of a trade: a backtest's trade, or a round trip of the trade journal. */
export type MarkedTrade = Pick<BacktestTrade, 'size' | 'entryTime' | 'exitTime' | 'pnl'>;

export interface EquitySeries {
  equity: SeriesPoint[];
  /** Drawdown below the running peak, as a negative percentage (0 at a new high). */
  drawdown: SeriesPoint[];
}

export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function equitySeries(points: readonly EquityPoint[]): EquitySeries {
  const sorted = [...points].filter((p) => Number.isFinite(p.time) && Number.isFinite(p.equity)).sort((a, b) => a.time - b.time);
  const equity: SeriesPoint[] = [];
  const drawdown: SeriesPoint[] = [];
  for (const p of sorted) {
    const time = toSeconds(p.time);
    // `|| 0`: no drawdown is 0, not -0 (which the chart would label "-0.00").
    const dd = Number.isFinite(p.drawdownPct) ? -Math.abs(p.drawdownPct) || 0 : 0;
    if (equity.length > 0 && equity[equity.length - 1]!.time === time) {
      equity[equity.length - 1] = { time, value: p.equity };
      drawdown[drawdown.length - 1] = { time, value: dd };
    } else {
      equity.push({ time, value: p.equity });
      drawdown.push({ time, value: dd });
    }
  }
  return { equity, drawdown };
}

/** The last of `times` (ascending) at or before `t`; the first one when `t` is before them all. */
export function snapTime(times: readonly number[], t: number): number | null {
  if (times.length === 0) return null;
  let lo = 0;
  let hi = times.length - 1;
  if (t <= times[0]!) return times[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return times[lo]!;
}

/** Entry and exit markers on the curve's times, oldest first; at most `limit` trades (the most recent) to keep the chart legible. */
export function tradeMarkers(trades: readonly MarkedTrade[], times: readonly number[], limit = 400): TradeMarker[] {
  const recent = trades.length > limit ? trades.slice(trades.length - limit) : trades;
  const out: TradeMarker[] = [];
  for (const t of recent) {
    const side = t.size >= 0 ? 'long' : 'short';
    const entry = snapTime(times, toSeconds(t.entryTime));
    const exit = snapTime(times, toSeconds(t.exitTime));
    if (entry !== null) out.push({ time: entry, kind: 'entry', side, text: side === 'long' ? 'L' : 'S', pnl: null });
    if (exit !== null) out.push({ time: exit, kind: 'exit', side, text: '', pnl: t.pnl });
  }
  // The chart wants markers in time order; at one time, entries after exits (a reversal closes first).
  return out.sort((a, b) => a.time - b.time || (a.kind === b.kind ? 0 : a.kind === 'exit' ? -1 : 1));
}
