/**
 * An equity curve as one Float64Array of three columns per point (time,
 * equity, drawdown percentage), point after point: how a worker hands a
 * run's curve back (one block instead of a point object per bar) and what
 * the research store keeps (resultBlob.ts).
 */
import type { EquityPoint } from '../../shared/contract/backtests';

/** Float64 values per packed equity point: time, equity, drawdown percentage. */
export const PACKED_EQUITY_FIELDS = 3;

export function packEquity(equity: readonly EquityPoint[]): Float64Array {
  const packed = new Float64Array(equity.length * PACKED_EQUITY_FIELDS);
  for (let i = 0, at = 0; i < equity.length; i++, at += PACKED_EQUITY_FIELDS) {
    const point = equity[i]!;
    packed[at] = point.time;
    packed[at + 1] = point.equity;
    packed[at + 2] = point.drawdownPct;
  }
  return packed;
}

export function unpackEquity(packed: Float64Array): EquityPoint[] {
  const count = Math.floor(packed.length / PACKED_EQUITY_FIELDS);
  const out = new Array<EquityPoint>(count);
  for (let i = 0, at = 0; i < count; i++, at += PACKED_EQUITY_FIELDS) {
    out[i] = { time: packed[at]!, equity: packed[at + 1]!, drawdownPct: packed[at + 2]! };
  }
  return out;
}
