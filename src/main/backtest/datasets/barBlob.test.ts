import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { BAR_BYTES, decodeBars, encodeBars } from './barBlob';

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
