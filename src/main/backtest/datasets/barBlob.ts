/**
 * A dataset's bars as one block of bytes: six little-endian float64 per bar
 * (time, open, high, low, close, volume), bar after bar. Every double comes
 * back bit for bit, and a million bars are one 48 MB copy each way instead
 * of a million rows or a JSON text several times larger. Little-endian is
 * written explicitly, so a file moved between machines reads the same.
 *
 * The layout is the one a worker takes (`packBars`: six float64 columns per
 * bar), so `decodePackedBars` hands a backtest its bars as one copy of the
 * bytes in its date range, with no bar object built on the way.
 */
import { endianness } from 'node:os';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { PACKED_BAR_FIELDS } from '../../workers/packedBars';

export const BAR_BYTES = PACKED_BAR_FIELDS * 8;

/** Bars from `from` (included) to `to` (excluded); either end open when not given. */
export interface BarRange {
  from?: number | undefined;
  to?: number | undefined;
}

/** On a little-endian machine the stored bytes are already the packed form: a copy is enough. */
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export function encodeBars(bars: readonly Bar[]): Buffer {
  const bytes = Buffer.allocUnsafe(bars.length * BAR_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (const bar of bars) {
    view.setFloat64(at, bar.time, true);
    view.setFloat64(at + 8, bar.open, true);
    view.setFloat64(at + 16, bar.high, true);
    view.setFloat64(at + 24, bar.low, true);
    view.setFloat64(at + 32, bar.close, true);
    view.setFloat64(at + 40, bar.volume, true);
    at += BAR_BYTES;
  }
  return bytes;
}

/** The bars in `bytes`, which must hold exactly `count` of them; anything else is a damaged store and says so. */
export function decodeBars(bytes: Uint8Array, count: number, what: string): Bar[] {
  checkBarBytes(bytes, count, what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bars: Bar[] = new Array<Bar>(count);
  for (let i = 0, at = 0; i < count; i++, at += BAR_BYTES) {
    bars[i] = {
      time: view.getFloat64(at, true),
      open: view.getFloat64(at + 8, true),
      high: view.getFloat64(at + 16, true),
      low: view.getFloat64(at + 24, true),
      close: view.getFloat64(at + 32, true),
      volume: view.getFloat64(at + 40, true),
    };
  }
  return bars;
}

/**
 * The bars in `bytes` within `range`, packed as `packBars` packs them (over
 * a SharedArrayBuffer with `shared`), the same bars `barsInRange` keeps of
 * the decoded ones. Bars in time order (what an import stores) are found by
 * binary search and copied as one block (checking the order is one pass
 * over the time column); any other order falls back to a bar-by-bar
 * filter, so the answer never depends on it.
 */
export function decodePackedBars(bytes: Uint8Array, count: number, what: string, range: BarRange = {}, options: { shared?: boolean } = {}): Float64Array {
  checkBarBytes(bytes, count, what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const timeOf = (i: number): number => view.getFloat64(i * BAR_BYTES, true);
  const allocate = (bars: number): Float64Array => {
    const size = bars * BAR_BYTES;
    return new Float64Array(options.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  };
  if (!inTimeOrder(count, timeOf) || Number.isNaN(range.from) || Number.isNaN(range.to)) {
    const kept: number[] = [];
    for (let i = 0; i < count; i++) if (inRange(timeOf(i), range)) kept.push(i);
    const out = allocate(kept.length);
    kept.forEach((bar, i) => copyBars(view, bar, 1, out, i));
    return out;
  }
  const first = range.from === undefined ? 0 : firstAtOrAfter(range.from, count, timeOf);
  const end = range.to === undefined ? count : firstAtOrAfter(range.to, count, timeOf);
  const out = allocate(Math.max(0, end - first));
  copyBars(view, first, out.length / PACKED_BAR_FIELDS, out, 0);
  return out;
}

function checkBarBytes(bytes: Uint8Array, count: number, what: string): void {
  if (bytes.byteLength !== count * BAR_BYTES) {
    throw new KeelError('INTERNAL', `Stored bars of ${what} are damaged: ${bytes.byteLength} bytes for ${count} bars of ${BAR_BYTES}`);
  }
}

/** Non-decreasing times and no NaN: what a binary search needs to find the range. */
function inTimeOrder(count: number, timeOf: (i: number) => number): boolean {
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const time = timeOf(i);
    if (!(time >= previous)) return false;
    previous = time;
  }
  return true;
}

function inRange(time: number, range: BarRange): boolean {
  return (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);
}

/** The index of the first bar at or after `time` (`count` when there is none), the bars being in time order. */
function firstAtOrAfter(time: number, count: number, timeOf: (i: number) => number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeOf(middle) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Copies `bars` bars from bar `from` of the stored bytes to bar `at` of `out`. */
function copyBars(view: DataView, from: number, bars: number, out: Float64Array, at: number): void {
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer, out.byteOffset + at * BAR_BYTES, bars * BAR_BYTES).set(new Uint8Array(view.buffer, view.byteOffset + from * BAR_BYTES, bars * BAR_BYTES));
    return;
  }
  for (let i = 0, src = from * BAR_BYTES, dst = at * PACKED_BAR_FIELDS; i < bars * PACKED_BAR_FIELDS; i++, src += 8, dst++) out[dst] = view.getFloat64(src, true);
}
