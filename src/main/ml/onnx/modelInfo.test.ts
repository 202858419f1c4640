import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../tests/support/rng';
import { ProtoWriter } from '../../../../tests/support/onnx/protoWriter';
import { logisticModel, treeEnsembleClassifier } from '../../../../tests/support/onnx/models';
import { OnnxModelError, isOnnxModelError } from './errors';
import { parseFeatureList, readOnnxModelInfo } from './modelInfo';
import { ProtoDecodeError, ProtoReader } from './protoReader';

describe('protobuf reader', () => {
  it('reads back what the writer wrote: varints (negative too), strings, nested messages, fixed32 skipped', () => {
    const bytes = new ProtoWriter()
      .varint(1, 300)
      .varint(2, -1)
      .string(3, 'Keel ⚓')
      .float(4, 1.5)
      .message(5, (m) => m.varint(1, 2n ** 40n))
      .finish();
    const r = new ProtoReader(bytes);
    expect(r.tag()).toMatchObject({ field: 1, wire: 0 });
    expect(r.int()).toBe(300);
    expect(r.tag()).toMatchObject({ field: 2, wire: 0 });
    expect(r.int()).toBe(-1);
    expect(r.tag()).toMatchObject({ field: 3, wire: 2 });
    expect(r.string()).toBe('Keel ⚓');
    const fixed = r.tag();
    expect(fixed).toMatchObject({ field: 4, wire: 5 });
    r.skip(fixed.wire);
    expect(r.tag()).toMatchObject({ field: 5, wire: 2 });
    const inner = r.message();
    inner.tag();
    expect(inner.int()).toBe(2 ** 40);
    expect(inner.done).toBe(true);
    expect(r.done).toBe(true);
  });

  it('refuses a length running past the end, an 11-byte varint, field 0, group wire types and bad UTF-8', () => {
    const cases: [string, number[]][] = [
      ['runs past the end', [0x0a, 0x05, 0x41]],
      ['longer than 10 bytes', [0x08, ...Array<number>(10).fill(0xff), 0x01]],
      ['invalid field number 0', [0x00, 0x01]],
      ['unsupported wire type 3', [0x0b]],
      ['not valid UTF-8', [0x0a, 0x02, 0xc3, 0x28]],
    ];
    for (const [message, bytes] of cases) {
      const r = new ProtoReader(Uint8Array.from(bytes));
      expect(() => {
        while (!r.done) {
          const tag = r.tag();
          if (tag.wire === 2) r.string();
          else r.skip(tag.wire);
        }
      }, message).toThrow(ProtoDecodeError);
    }
  });
});

describe('readOnnxModelInfo', () => {
  it('reads IR version, producer, opsets and metadata_props of a generated model', () => {
    const bytes = logisticModel({ weights: [[1], [2]], bias: [0], metadata: { keel_features: '["ret_1","rsi_14"]', trained_on: 'BTCUSDT 1h' } });
    const info = readOnnxModelInfo(bytes);
    expect(info).toMatchObject({
      irVersion: 8,
      producerName: 'keel-tests',
      producerVersion: '1',
      graphName: 'logistic',
      opsets: [
        { domain: '', version: 13 },
        { domain: 'ai.onnx.ml', version: 3 },
      ],
      metadata: { keel_features: '["ret_1","rsi_14"]', trained_on: 'BTCUSDT 1h' },
      externalTensors: [],
    });
    expect(readOnnxModelInfo(treeEnsembleClassifier({ featureCount: 1, stumps: [{ feature: 0, threshold: 0, left: [1, 0], right: [0, 1] }] })).metadata).toEqual({});
  });

  it('names initializers whose data lives in external files', () => {
    const bytes = new ProtoWriter()
      .varint(1, 8)
      .message(7, (g) =>
        g.string(2, 'g').message(5, (t) =>
          t
            .varint(2, 1)
            .string(8, 'W')
            .message(13, (e) => e.string(1, 'location').string(2, '../../secret.bin'))
            .varint(14, 1),
        ),
      )
      .finish();
    expect(readOnnxModelInfo(bytes).externalTensors).toEqual(['W']);
  });

  it('refuses bytes without a graph or IR version, and a field of the wrong wire type', () => {
    const noGraph = new ProtoWriter().varint(1, 8).string(2, 'x').finish();
    const noIr = new ProtoWriter().message(7, (g) => g.string(2, 'g')).finish();
    const wrongWire = new ProtoWriter().string(1, 'eight').message(7, (g) => g.string(2, 'g')).finish();
    for (const bytes of [new Uint8Array(0), noGraph, noIr, wrongWire]) {
      expect(() => readOnnxModelInfo(bytes)).toThrow(expect.objectContaining({ code: 'MALFORMED_MODEL' }) as Error);
    }
  });

  it('answers every truncation of a model and 2,000 random buffers with info or MALFORMED_MODEL, nothing else', () => {
    const model = logisticModel({ weights: [[1, 0], [0, 1]], bias: [0, 0], metadata: { keel_features: 'a,b' } });
    const inputs: Uint8Array[] = [];
    for (let n = 0; n < model.length; n++) inputs.push(model.subarray(0, n));
    const rng = new Rng(20261130);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: rng.between(4, 64) }, () => rng.int(256));
      // Half of them start like a ModelProto (ir_version, then a graph tag) so the reader goes deeper.
      if (i % 2 === 0) bytes.set([0x08, 0x08, 0x3a], 0);
      inputs.push(bytes);
    }
    let refused = 0;
    for (const bytes of inputs) {
      try {
        readOnnxModelInfo(bytes);
      } catch (error) {
        expect(isOnnxModelError(error, 'MALFORMED_MODEL'), String(error)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(inputs.length * 0.9);
  });

  it('wraps reader failures with the offset', () => {
    try {
      readOnnxModelInfo(Uint8Array.from([0x08, 0x08, 0x3a, 0x40]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OnnxModelError);
      expect((error as OnnxModelError).details).toEqual({ offset: 3 });
      expect((error as Error).message).toMatch(/^not an ONNX model: length 64 runs past the end/);
    }
  });
});

describe('parseFeatureList', () => {
  it('takes a JSON array of names or a comma-separated list', () => {
    expect(parseFeatureList('["ret_1", "rsi_14"]')).toEqual(['ret_1', 'rsi_14']);
    expect(parseFeatureList(' ret_1, rsi_14 ,atr ')).toEqual(['ret_1', 'rsi_14', 'atr']);
  });

  it('answers null for anything else', () => {
    for (const text of ['', 'a,,b', '[1, 2]', '["a", 3]', '[not json']) expect(parseFeatureList(text), text).toBeNull();
  });
});
