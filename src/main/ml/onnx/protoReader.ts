/**
 * A bounds-checked reader of the protobuf wire format, for the few ONNX
 * fields onnxruntime's JS API does not expose (metadata_props, opsets).
 * Every read checks the buffer's end, so hostile bytes end in a
 * ProtoDecodeError, never in an out-of-range read or an endless loop.
 * https://protobuf.dev/programming-guides/encoding/
 */

export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

export class ProtoDecodeError extends Error {
  override readonly name = 'ProtoDecodeError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

export interface FieldTag {
  field: number;
  wire: number;
  /** Offset of the tag, for messages. */
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one message: `bytes[start, end)`. Nested messages get their own reader over a sub-range. */
export class ProtoReader {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  tag(): FieldTag {
    const offset = this.pos;
    const key = this.varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0 || field > 536_870_911) throw new ProtoDecodeError(`invalid field number ${field}`, offset);
    if (wire !== WireType.VARINT && wire !== WireType.I64 && wire !== WireType.LEN && wire !== WireType.I32) {
      throw new ProtoDecodeError(`unsupported wire type ${wire} (field ${field})`, offset);
    }
    return { field, wire, offset };
  }

  /** An unsigned 64-bit varint (at most 10 bytes). */
  varint(): bigint {
    const offset = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError('truncated varint', offset);
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtoDecodeError('varint longer than 10 bytes', offset);
  }

  /** An int64 / int32 field as a JS number (two's complement; beyond ±2^53 it loses precision, which no field read here reaches). */
  int(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  /** A length-delimited field's bytes, as a view (no copy). */
  lengthDelimited(): Uint8Array {
    const offset = this.pos;
    const length = this.varint();
    if (length > BigInt(this.end - this.pos)) throw new ProtoDecodeError(`length ${length} runs past the end of the message`, offset);
    const start = this.pos;
    this.pos += Number(length);
    return this.bytes.subarray(start, this.pos);
  }

  /** A nested message's reader (offsets stay those of the whole buffer); the parent skips past it. */
  message(): ProtoReader {
    const view = this.lengthDelimited();
    return new ProtoReader(this.bytes, this.pos - view.length, this.pos);
  }

  string(): string {
    const offset = this.pos;
    const view = this.lengthDelimited();
    try {
      return utf8.decode(view);
    } catch {
      throw new ProtoDecodeError('string is not valid UTF-8', offset);
    }
  }

  skip(wire: number): void {
    const offset = this.pos;
    switch (wire) {
      case WireType.VARINT:
        this.varint();
        return;
      case WireType.LEN:
        this.lengthDelimited();
        return;
      case WireType.I64:
      case WireType.I32: {
        const size = wire === WireType.I64 ? 8 : 4;
        if (this.end - this.pos < size) throw new ProtoDecodeError('truncated fixed-width field', offset);
        this.pos += size;
        return;
      }
      default:
        throw new ProtoDecodeError(`cannot skip wire type ${wire}`, offset);
    }
  }

  /** Fails unless the tag has the wire type the schema gives its field (protobuf parsers refuse a mismatch too). */
  expect(tag: FieldTag, wire: number): void {
    if (tag.wire !== wire) throw new ProtoDecodeError(`field ${tag.field} has wire type ${tag.wire}, expected ${wire}`, tag.offset);
  }
}
