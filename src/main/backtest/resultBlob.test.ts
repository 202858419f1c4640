import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { backtestResultBody } from '../../../tests/support/researchStoreConformance';
import type { EquityPoint } from '../../shared/contract';
import { packEquity } from './packedEquity';
import { thinnedIndices } from './equityThinning';
import { decodeResult, encodeResult } from './resultBlob';
import { keelErrorOf } from '../../../tests/support/keelError';

/** A result as results were stored before the packed format: the whole body as JSON, brotli-compressed at quality 1. */
function legacyBlob(body: object): Buffer {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  return brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: text.byteLength } });
}

describe('result blob', () => {
  const odd: EquityPoint[] = [
    { time: 1_700_000_000_000, equity: 0.1 + 0.2, drawdownPct: 0 },
    { time: 1_700_000_060_000, equity: 1.797_693_134_862_315_7e308, drawdownPct: 5e-324 },
    { time: -86_400_000, equity: 1 / 3, drawdownPct: 12.345_678_901_234_567 },
  ];

  it('gives back the equity to the last bit, whether it was saved as points or packed, and the rest as it was', () => {
    const body = backtestResultBody(1_000, { equity: odd });
    const fromPoints = decodeResult(encodeResult(body, 'test'), 'test');
    const fromPacked = decodeResult(encodeResult({ ...body, equity: packEquity(body.equity) }, 'test'), 'test');
    expect(fromPoints).toEqual(body);
    expect(fromPacked).toEqual(body);
    expect(fromPacked.equity[0]!.equity).toBe(0.1 + 0.2);
    expect(fromPacked.equity[1]!.drawdownPct).toBe(5e-324);
    expect(Object.keys(fromPacked)).toEqual(['stats', 'trades', 'equity', 'optimize']);
    const withSignals = { ...body, signals: { count: 1_000, acted: 0, list: [] } };
    expect(decodeResult(encodeResult({ ...withSignals, equity: packEquity(body.equity) }, 'test'), 'test')).toEqual(withSignals);
    const withWarnings = { ...body, warnings: [{ message: 'SMA cross: buy order not sent: its size came to less than one lot', count: 12 }] };
    expect(decodeResult(encodeResult({ ...withWarnings, equity: packEquity(body.equity) }, 'test'), 'test')).toEqual(withWarnings);
  });

  it('reads a thinned curve when asked for fewer points, the same from both formats, and says how many there were', () => {
    const body = backtestResultBody(50_000);
    const chosen = thinnedIndices(50_000, 1_000, (i) => body.equity[i]!.equity, (i) => body.equity[i]!.drawdownPct).map((i) => body.equity[i]!);
    const expected = { ...body, equity: chosen, equityTotal: 50_000 };
    expect(chosen.length).toBeLessThanOrEqual(1_000);
    expect(decodeResult(encodeResult({ ...body, equity: packEquity(body.equity) }, 'test'), 'test', { equityPoints: 1_000 })).toEqual(expected);
    expect(decodeResult(legacyBlob(body), 'test', { equityPoints: 1_000 })).toEqual(expected);
    // A curve within the limit comes whole, with no total.
    expect(decodeResult(encodeResult(body, 'test'), 'test', { equityPoints: 50_000 })).toEqual(body);
    expect(decodeResult(legacyBlob(body), 'test', { equityPoints: 60_000 })).toEqual(body);
  });

  it('keeps the equity as float64 bytes after a 16-byte header, and -0 reads back as 0 as it did from JSON', () => {
    const equity = backtestResultBody(10_000).equity;
    const bytes = encodeResult({ stats: null, trades: [], equity: packEquity(equity), optimize: null }, 'test');
    expect(bytes[0]).toBe(0x91);
    expect(bytes.readUInt32LE(4)).toBe(10_000);
    expect(bytes.readDoubleLE(16 + 24 * 9_999 + 8)).toBe(equity[9_999]!.equity);
    expect(bytes.byteLength).toBe(16 + 24 * 10_000 + bytes.readUInt32LE(8));
    const negativeZero = decodeResult(encodeResult({ stats: null, trades: [], equity: new Float64Array([-0, -0, -0]), optimize: null }, 'test'), 'test');
    expect(Object.is(negativeZero.equity[0]!.time, 0)).toBe(true);
    expect(Object.is(negativeZero.equity[0]!.drawdownPct, 0)).toBe(true);
  });

  it('stores no equity as a header and the rest', () => {
    const body = { stats: null, trades: [], equity: [], optimize: null };
    expect(decodeResult(encodeResult(body, 'test'), 'test')).toEqual(body);
    expect(decodeResult(encodeResult({ ...body, equity: new Float64Array(0) }, 'test'), 'test')).toEqual(body);
  });

  it('reads a result stored as compressed JSON before, exactly as it read then', () => {
    const body = backtestResultBody(500, { equity: odd });
    expect(decodeResult(legacyBlob(body), 'test')).toEqual(body);
    const packedThen = { ...body, signals: { count: 500, acted: 0, list: [] } };
    expect(decodeResult(legacyBlob(packedThen), 'test')).toEqual(packedThen);
  });

  it('refuses a value that would not read back as given, naming it, with VALIDATION_FAILED', () => {
    const body = backtestResultBody(3);
    const packed = packEquity(body.equity);
    packed[4] = Number.NaN;
    expect(keelErrorOf(() => encodeResult({ ...body, equity: packed }, 'Result of backtest b1'))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/Result of backtest b1.*equity\[1\]\.equity is NaN/) });
    const infinite = body.equity.map((p, i) => (i === 2 ? { ...p, time: Number.POSITIVE_INFINITY } : p));
    expect(keelErrorOf(() => encodeResult({ ...body, equity: infinite }, 'test'))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/equity\[2\]\.time is Infinity/) });
    expect(keelErrorOf(() => encodeResult({ ...body, equity: new Float64Array(4) }, 'test')).code).toBe('VALIDATION_FAILED');
    expect(keelErrorOf(() => encodeResult({ ...body, stats: { ...body.stats!, sqn: Number.NaN } }, 'test'))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/stats\.sqn is NaN/) });
  });

  it('reports damaged bytes with INTERNAL', () => {
    const bytes = encodeResult(backtestResultBody(10), 'test');
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['cut short', bytes.subarray(0, bytes.byteLength - 1), /damaged/],
      ['one byte longer', Buffer.concat([bytes, Buffer.from([0])]), /damaged/],
      ['header only in part', bytes.subarray(0, 10), /damaged/],
      ['a later format', Buffer.concat([bytes.subarray(0, 3), Buffer.from([2]), bytes.subarray(4)]), /format version 2/],
      ['not brotli, not ours', Buffer.from([0, 1, 2, 3]), /damaged/],
      ['nothing', new Uint8Array(0), /damaged/],
      ['legacy, not JSON', brotliCompressSync(Buffer.from('{"stats":')), /unreadable/],
    ];
    for (const [what, damaged, message] of cases) {
      const error = keelErrorOf(() => decodeResult(damaged, 'result of backtest b1'));
      expect(error.code, what).toBe('INTERNAL');
      expect(error.message, what).toMatch(message);
    }
  });
});
