/**
 * The volume profile of a range of bars: how much traded at each price, in
 * equal rows from the range's low to its high. A bar's volume is spread over
 * the rows its low-high range covers in proportion to the overlap (bars do
 * not say where inside their range the volume traded, so evenly is the
 * honest guess), and counted as up or down volume by the bar's direction.
 * The point of control is the fullest row; the value area is grown from it,
 * one neighbouring row at a time (the fuller first), until it holds the
 * asked share of the volume.
 */
import type { Bar } from '../../../../shared/domain';

export interface ProfileRow {
  low: number;
  high: number;
  volume: number;
  /** Volume of bars that closed at or above their open. */
  upVolume: number;
}

export interface VolumeProfile {
  rows: ProfileRow[];
  /** Index of the row with the most volume (the lowest such row on a tie). */
  pocIndex: number;
  /** Rows [from, to] (inclusive) of the value area. */
  valueArea: { from: number; to: number };
  totalVolume: number;
}

/** Null when the bars hold no volume or no usable prices. */
export function volumeProfile(bars: readonly Bar[], rowCount: number, valueAreaPercent: number): VolumeProfile | null {
  if (!Number.isInteger(rowCount) || rowCount < 1) throw new RangeError(`rows must be a positive whole number, not ${rowCount}`);
  if (!(valueAreaPercent > 0 && valueAreaPercent <= 100)) throw new RangeError(`the value area is a share above 0 and up to 100 %, not ${valueAreaPercent}`);
  let low = Infinity;
  let high = -Infinity;
  for (const b of bars) {
    if (!(b.volume > 0) || !Number.isFinite(b.low) || !Number.isFinite(b.high)) continue;
    low = Math.min(low, b.low);
    high = Math.max(high, b.high);
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  const span = high - low;
  const size = span > 0 ? span / rowCount : 1;
  const rows: ProfileRow[] = Array.from({ length: rowCount }, (_, i) => ({
    low: low + i * size,
    high: i === rowCount - 1 && span > 0 ? high : low + (i + 1) * size,
    volume: 0,
    upVolume: 0,
  }));
  const rowOf = (price: number) => Math.min(rowCount - 1, Math.max(0, Math.floor((price - low) / size)));
  let total = 0;
  for (const b of bars) {
    if (!(b.volume > 0) || !Number.isFinite(b.low) || !Number.isFinite(b.high)) continue;
    const up = b.close >= b.open;
    const add = (i: number, v: number) => {
      rows[i]!.volume += v;
      if (up) rows[i]!.upVolume += v;
    };
    total += b.volume;
    const barLow = Math.min(b.low, b.high);
    const barHigh = Math.max(b.low, b.high);
    if (barHigh - barLow <= 0) {
      add(rowOf(barLow), b.volume);
      continue;
    }
    const first = rowOf(barLow);
    const last = rowOf(barHigh);
    for (let i = first; i <= last; i++) {
      const overlap = Math.min(barHigh, rows[i]!.high) - Math.max(barLow, rows[i]!.low);
      if (overlap > 0) add(i, (b.volume * overlap) / (barHigh - barLow));
    }
  }
  let pocIndex = 0;
  rows.forEach((r, i) => {
    if (r.volume > rows[pocIndex]!.volume) pocIndex = i;
  });
  const target = (total * valueAreaPercent) / 100;
  let from = pocIndex;
  let to = pocIndex;
  let inside = rows[pocIndex]!.volume;
  while (inside < target && (from > 0 || to < rowCount - 1)) {
    const below = from > 0 ? rows[from - 1]!.volume : -1;
    const above = to < rowCount - 1 ? rows[to + 1]!.volume : -1;
    if (above >= below) inside += rows[++to]!.volume;
    else inside += rows[--from]!.volume;
  }
  return { rows, pocIndex, valueArea: { from, to }, totalVolume: total };
}
