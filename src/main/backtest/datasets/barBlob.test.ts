import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { packBars } from '../../workers/packedBars';
import { barsInRange } from '../strategyBacktest';
import { BAR_BYTES, decodeBars, decodePackedBars, encodeBars, type BarRange } from './barBlob';

const bars: Bar[] = [
  { time: 1_700_000_000_000, open: 0.1 + 0.2, high: 1.797_693_134_862_315_7e308, low: 5e-324, close: -0, volume: 0 },
  { time: -86_400_000, open: 123_456.789_012_345_67, high: 2 ** 53 + 2, low: 1 / 3, close: 1e-300, volume: 9_007_199_254_740_991 },
];

describe('bar blob', () => {
  it('gives every double back bit for bit', () => {
    const bytes = encodeBars(bars);
    expect(bytes.byteLength).toBe(2 * BAR_BYTES);
    const back = decodeBars(bytes, 2, 'test');
    expect(back).toEqual(bars);
    expect(Object.is(back[0]!.close, -0)).toBe(true);
    expect(back[0]!.open).toBe(0.1 + 0.2);
  });

  it('writes little-endian whatever the machine: time first, as a float64', () => {
    const bytes = encodeBars([{ time: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 }]);
    // 1.0 is 0x3FF0000000000000; little-endian puts 0xF0 0x3F last.
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(bytes.readDoubleLE(40)).toBe(6);
  });

  it('reads bytes that do not start on an 8-byte boundary, as a database may hand them over', () => {
    const encoded = encodeBars(bars);
    const shifted = new Uint8Array(encoded.byteLength + 3);
    shifted.set(encoded, 3);
    expect(decodeBars(shifted.subarray(3), 2, 'test')).toEqual(bars);
  });

  it('encodes no bars as no bytes', () => {
    expect(encodeBars([]).byteLength).toBe(0);
    expect(decodeBars(new Uint8Array(0), 0, 'test')).toEqual([]);
  });

  it('refuses bytes that do not hold exactly the bars expected, as damage', () => {
    const bytes = encodeBars(bars);
    for (const [data, count] of [
      [bytes, 3],
      [bytes, 1],
      [bytes.subarray(0, bytes.byteLength - 1), 2],
    ] as const) {
      expect(() => decodeBars(data, count, 'dataset d1')).toThrow(KeelError);
      expect(() => decodeBars(data, count, 'dataset d1')).toThrow(/dataset d1 are damaged/);
    }
  });
});

describe('bar blob to packed bars', () => {
  const MINUTE = 60_000;
  const T0 = 1_700_000_000_000;
  /** Ten bars a minute apart, their prices odd doubles so any rounding on the way shows. */
  const walk: Bar[] = Array.from({ length: 10 }, (_, i) => ({ time: T0 + i * MINUTE, open: i / 3, high: i / 3 + 0.1, low: -i / 7, close: i === 4 ? -0 : 0.1 + i, volume: 2 ** 53 - i }));
  const stored = encodeBars(walk);
  /** What a backtest was handed before: decoded bar objects, filtered, packed. */
  const throughObjects = (bars: readonly Bar[], range: BarRange): Float64Array => packBars(barsInRange(bars, range));

  const expectSameBits = (actual: Float64Array, expected: Float64Array): void => {
    expect(actual.length).toBe(expected.length);
    expect(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
  };

  it('packs the same bars, bit for bit, as decoding, filtering and packing them did, at every edge of the range', () => {
    const at = (i: number): number => T0 + i * MINUTE;
    const ranges: Array<[string, BarRange]> = [
      ['no range', {}],
      ['from the first bar', { from: at(0) }],
      ['to past the last bar', { to: at(10) }],
      ['to the last bar, which is left out', { to: at(9) }],
      ['from a bar to a bar', { from: at(3), to: at(7) }],
      ['from and to between bars', { from: at(2) + 1, to: at(6) - 1 }],
      ['from the last bar', { from: at(9) }],
      ['from before the first bar', { from: at(-5) }],
      ['to the first bar: none', { to: at(0) }],
      ['from after the last bar: none', { from: at(9) + 1 }],
      ['from and to equal: none', { from: at(4), to: at(4) }],
      ['from after to: none', { from: at(6), to: at(3) }],
      ['one bar', { from: at(5), to: at(5) + 1 }],
    ];
    for (const [what, range] of ranges) {
      const packed = decodePackedBars(stored, walk.length, 'test', range);
      expectSameBits(packed, throughObjects(walk, range));
      expect(packed.length % 6, what).toBe(0);
    }
    expect(decodePackedBars(stored, walk.length, 'test', { from: at(3), to: at(7) }).length).toBe(4 * 6);
    expect(decodePackedBars(stored, walk.length, 'test', { to: at(0) })).toHaveLength(0);
    // Negative zero comes through as it was stored.
    expect(Object.is(decodePackedBars(stored, walk.length, 'test')[4 * 6 + 4], -0)).toBe(true);
  });

  it('puts the bars in shared memory when asked, for workers to read in place', () => {
    expect(decodePackedBars(stored, walk.length, 'test', {}, { shared: true }).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(decodePackedBars(stored, walk.length, 'test').buffer).toBeInstanceOf(ArrayBuffer);
    // Its own memory: changing the packed bars leaves the stored bytes alone.
    decodePackedBars(stored, walk.length, 'test').fill(0);
    expect(decodeBars(stored, walk.length, 'test')).toEqual(walk);
  });

  it('reads bytes that do not start on an 8-byte boundary', () => {
    const shifted = new Uint8Array(stored.byteLength + 5);
    shifted.set(stored, 5);
    expectSameBits(decodePackedBars(shifted.subarray(5), walk.length, 'test', { from: T0 + MINUTE }), throughObjects(walk, { from: T0 + MINUTE }));
  });

  it('keeps every bar of a repeated time on the side of the range it falls', () => {
    const repeated = [walk[0]!, walk[1]!, { ...walk[1]!, open: 7 }, { ...walk[1]!, open: 8 }, walk[2]!];
    const bytes = encodeBars(repeated);
    for (const range of [{ from: T0 + MINUTE }, { to: T0 + MINUTE }, { from: T0 + MINUTE, to: T0 + MINUTE + 1 }, { from: T0 + 1, to: T0 + 2 * MINUTE }]) {
      expectSameBits(decodePackedBars(bytes, repeated.length, 'test', range), throughObjects(repeated, range));
    }
    expect(decodePackedBars(bytes, repeated.length, 'test', { from: T0 + MINUTE, to: T0 + MINUTE + 1 })).toHaveLength(3 * 6);
  });

  it('keeps the same bars as the filter when the stored bars are out of time order or have no time', () => {
    const shuffled = [walk[5]!, walk[1]!, walk[8]!, walk[1]!, walk[0]!, { ...walk[2]!, time: Number.NaN }, walk[9]!];
    const bytes = encodeBars(shuffled);
    for (const range of [{}, { from: T0 + MINUTE }, { to: T0 + 6 * MINUTE }, { from: T0 + MINUTE, to: T0 + 9 * MINUTE }, { from: T0 + 20 * MINUTE }]) {
      const packed = decodePackedBars(bytes, shuffled.length, 'test', range, { shared: true });
      expectSameBits(packed, throughObjects(shuffled, range));
      expect(packed.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // A range with no time keeps nothing, as the filter does.
    for (const range of [{ from: Number.NaN }, { to: Number.NaN }]) expectSameBits(decodePackedBars(stored, walk.length, 'test', range), throughObjects(walk, range));
    expect(decodePackedBars(stored, walk.length, 'test', { from: Number.NaN })).toHaveLength(0);
  });

  it('refuses bytes that do not hold exactly the bars expected, as damage', () => {
    expect(() => decodePackedBars(stored.subarray(0, stored.byteLength - 8), walk.length, 'dataset d1')).toThrow(KeelError);
    expect(() => decodePackedBars(stored, walk.length + 1, 'dataset d1', { from: T0 })).toThrow(/dataset d1 are damaged/);
  });
});
