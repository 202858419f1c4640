/**
 * Bars as one Float64Array of six columns per bar (time, open, high, low,
 * close, volume): what crosses to a worker. Over a SharedArrayBuffer the
 * worker reads them in place, without a copy.
 */
import type { Bar } from '../../shared/domain';
import { KeelError } from '../../shared/errors';

/** Float64 values per packed bar. */
export const PACKED_BAR_FIELDS = 6;

/** Bars as one Float64Array of six columns per bar; over a SharedArrayBuffer with `shared`, so workers read it in place. */
export function packBars(bars: readonly Bar[], options: { shared?: boolean } = {}): Float64Array {
  const bytes = bars.length * PACKED_BAR_FIELDS * Float64Array.BYTES_PER_ELEMENT;
  const packed = new Float64Array(options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  for (let i = 0, at = 0; i < bars.length; i++, at += PACKED_BAR_FIELDS) {
    const bar = bars[i]!;
    packed[at] = bar.time;
    packed[at + 1] = bar.open;
    packed[at + 2] = bar.high;
    packed[at + 3] = bar.low;
    packed[at + 4] = bar.close;
    packed[at + 5] = bar.volume;
  }
  return packed;
}

/** The first `limit` bars (all by default) of a packed array or a plain one. */
export function unpackBars(bars: Float64Array | readonly Bar[], limit = Number.POSITIVE_INFINITY): Bar[] {
  if (!(bars instanceof Float64Array)) return bars.slice(0, limit);
  if (bars.length % PACKED_BAR_FIELDS !== 0) {
    throw new KeelError('VALIDATION_FAILED', `Packed bars hold ${bars.length} values, not a whole number of bars of ${PACKED_BAR_FIELDS}`);
  }
  const count = Math.min(bars.length / PACKED_BAR_FIELDS, limit);
  const out = new Array<Bar>(count);
  for (let i = 0, at = 0; i < count; i++, at += PACKED_BAR_FIELDS) {
    out[i] = { time: bars[at]!, open: bars[at + 1]!, high: bars[at + 2]!, low: bars[at + 3]!, close: bars[at + 4]!, volume: bars[at + 5]! };
  }
  return out;
}

