/**
 * A run's result as one block of bytes, what both research stores keep. The
 * equity curve (one point per bar, most of a result) is float64 bytes, not
 * JSON: saving it is one pass over the packed curve a worker answers, and
 * reading it one pass that builds the points, where JSON text cost the main
 * thread a stringify, a check of every value and a compression (about
 * 150 ms for 100,000 bars) and a parse to read. The rest (statistics,
 * trades, a search's trials, signals) stays JSON, brotli-compressed at
 * quality 1 as whole results used to be.
 *
 *   0   magic: 0x91 'K' 'R', then the format version (1)
 *   4   uint32 LE: equity points
 *   8   uint32 LE: bytes of the compressed JSON
 *   12  four zero bytes
 *   16  equity: time, equity, drawdown percentage per point, float64 LE
 *   ..  the compressed JSON of { stats, trades, optimize, signals? }
 *
 * Results stored before this format are brotli-compressed JSON of the whole
 * body; they still read. No brotli stream begins with 0x91 (its low seven
 * bits are a window size the format reserves, refused as such), so the
 * first byte tells the two apart.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import type { EquityPoint } from '../../shared/contract/backtests';
import { KeelError, errorText } from '../../shared/errors';
import { parseJsonText, toJsonText } from '../core/jsonText';
import { thinnedIndices } from './equityThinning';
import { PACKED_EQUITY_FIELDS } from './packedEquity';
import type { BacktestResultBody, BacktestResultInput } from './researchStore';

type ResultRest = Omit<BacktestResultBody, 'equity'>;

const MAGIC = [0x91, 0x4b, 0x52] as const;
const VERSION = 1;
const HEADER_BYTES = 16;
const POINT_BYTES = PACKED_EQUITY_FIELDS * 8;
const EQUITY_FIELD_NAMES = ['time', 'equity', 'drawdownPct'] as const;

/** How a stored result is named in errors: the worker that encodes it and the store that writes it say the same. */
export function resultLabel(id: string): string {
  return `Result of backtest ${id}`;
}

/** The bytes to store for `result`; VALIDATION_FAILED, naming the value, for anything that would not read back as given. */
export function encodeResult(result: BacktestResultInput, what: string): Buffer {
  const rest: ResultRest = {
    stats: result.stats,
    trades: result.trades,
    optimize: result.optimize,
    ...(result.signals === undefined ? {} : { signals: result.signals }),
    ...(result.warnings === undefined ? {} : { warnings: result.warnings }),
  };
  const json = compress(Buffer.from(toJsonText(rest, what), 'utf8'));
  const { equity } = result;
  const points = equity instanceof Float64Array ? Math.floor(equity.length / PACKED_EQUITY_FIELDS) : equity.length;
  if (equity instanceof Float64Array && equity.length !== points * PACKED_EQUITY_FIELDS) {
    throw new KeelError('VALIDATION_FAILED', `${what} cannot be stored: its packed equity holds ${equity.length} values, not a whole number of points`);
  }
  const bytes = Buffer.allocUnsafe(HEADER_BYTES + points * POINT_BYTES + json.byteLength);
  bytes.set(MAGIC, 0);
  bytes[3] = VERSION;
  bytes.writeUInt32LE(points, 4);
  bytes.writeUInt32LE(json.byteLength, 8);
  bytes.fill(0, 12, HEADER_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const put = (i: number, field: number, value: number): void => {
    if (!Number.isFinite(value)) throw new KeelError('VALIDATION_FAILED', `${what} cannot be stored: equity[${i}].${EQUITY_FIELD_NAMES[field]} is ${value}`);
    // -0 reads back as 0, as it did from JSON.
    view.setFloat64(HEADER_BYTES + i * POINT_BYTES + field * 8, value === 0 ? 0 : value, true);
  };
  if (equity instanceof Float64Array) {
    for (let i = 0, at = 0; i < points; i++, at += PACKED_EQUITY_FIELDS) {
      put(i, 0, equity[at]!);
      put(i, 1, equity[at + 1]!);
      put(i, 2, equity[at + 2]!);
    }
  } else {
    for (let i = 0; i < points; i++) {
      const point = equity[i]!;
      put(i, 0, point.time);
      put(i, 1, point.equity);
      put(i, 2, point.drawdownPct);
    }
  }
  bytes.set(json, HEADER_BYTES + points * POINT_BYTES);
  return bytes;
}

/**
 * What a store writes for `result`: bytes `encodeResult` made elsewhere (a
 * worker encodes its run's result, so the main thread only writes it) are
 * checked for this format's header and length and kept as they are; a result
 * in objects is encoded here. VALIDATION_FAILED for bytes that are not one.
 */
export function storedBytes(result: BacktestResultInput | Uint8Array, what: string): Uint8Array {
  if (!(result instanceof Uint8Array)) return encodeResult(result, what);
  const layoutError = layoutErrorOf(result);
  if (layoutError !== null) throw new KeelError('VALIDATION_FAILED', `${what} cannot be stored: its bytes are not an encoded result (${layoutError})`);
  return result;
}

/** Why `bytes` are not laid out as this format's result; null when they are. */
function layoutErrorOf(bytes: Uint8Array): string | null {
  if (bytes.byteLength < HEADER_BYTES || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2]) return 'not a result this version of Keel wrote';
  if (bytes[3] !== VERSION) return `format version ${bytes[3]} is not one this version of Keel reads`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const points = view.getUint32(4, true);
  const jsonBytes = view.getUint32(8, true);
  const size = HEADER_BYTES + points * POINT_BYTES + jsonBytes;
  return bytes.byteLength === size ? null : `${bytes.byteLength} bytes where ${points} equity points and ${jsonBytes} bytes of JSON take ${size}`;
}

/** How much of a stored result to read. */
export interface ResultReading {
  /** At most this many equity points, thinned as `thinnedIndices` chooses; absent: all. */
  equityPoints?: number;
}

/**
 * The result in stored bytes, of this format or the JSON one before it;
 * INTERNAL when they are damaged. Asked for fewer equity points than it
 * has, it builds only the points kept (and says how many there were in
 * `equityTotal`).
 */
export function decodeResult(bytes: Uint8Array, what: string, reading: ResultReading = {}): BacktestResultBody {
  if (bytes[0] !== MAGIC[0]) return thinned(parseJsonText<BacktestResultBody>(decompress(bytes, what), what), reading.equityPoints);
  const layoutError = layoutErrorOf(bytes);
  if (layoutError !== null) throw new KeelError('INTERNAL', `Stored ${what} is damaged: ${layoutError}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const points = view.getUint32(4, true);
  const jsonAt = HEADER_BYTES + points * POINT_BYTES;
  const rest = parseJsonText<ResultRest>(decompress(bytes.subarray(jsonAt), what), what);
  const field = (i: number, offset: number): number => view.getFloat64(HEADER_BYTES + i * POINT_BYTES + offset, true);
  const kept = reading.equityPoints === undefined || points <= reading.equityPoints ? null : thinnedIndices(points, reading.equityPoints, (i) => field(i, 8), (i) => field(i, 16));
  const count = kept === null ? points : kept.length;
  const equity = new Array<EquityPoint>(count);
  for (let k = 0; k < count; k++) {
    const i = kept === null ? k : kept[k]!;
    equity[k] = { time: field(i, 0), equity: field(i, 8), drawdownPct: field(i, 16) };
  }
  return {
    ...(kept === null ? {} : { equityTotal: points }),
    stats: rest.stats,
    trades: rest.trades,
    equity,
    optimize: rest.optimize,
    ...(rest.signals === undefined ? {} : { signals: rest.signals }),
    ...(rest.warnings === undefined ? {} : { warnings: rest.warnings }),
  };
}

/** A result read whole (one stored before this format) cut to `equityPoints`, as `decodeResult` cuts one of this format. */
function thinned(body: BacktestResultBody, equityPoints: number | undefined): BacktestResultBody {
  const all = body.equity;
  if (equityPoints === undefined || all.length <= equityPoints) return body;
  const kept = thinnedIndices(all.length, equityPoints, (i) => all[i]!.equity, (i) => all[i]!.drawdownPct);
  return { ...body, equity: kept.map((i) => all[i]!), equityTotal: all.length };
}

/** Quality 1 costs about what writing the JSON does and keeps about a quarter of its bytes. */
function compress(text: Buffer): Buffer {
  return brotliCompressSync(text, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: text.byteLength },
  });
}

function decompress(bytes: Uint8Array, what: string): string {
  try {
    return brotliDecompressSync(bytes).toString('utf8');
  } catch (error) {
    throw new KeelError('INTERNAL', `Stored ${what} is damaged: ${errorText(error)}`);
  }
}
