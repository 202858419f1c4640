import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../../../tests/support/rng';
import { ProtoWriter } from '../../../../tests/support/onnx/protoWriter';
import { ElemType, DEFAULT_OPSETS, encodeModel } from '../../../../tests/support/onnx/onnxWriter';
import { logisticModel, treeEnsembleClassifier, type Stump } from '../../../../tests/support/onnx/models';
import { OnnxModelError, isOnnxModelError, type OnnxErrorCode } from './errors';
import { OnnxModel, importOnnxModel, type OnnxImportRequest } from './onnxModel';
import type { LoadOnnxRuntime } from './runtime';

const opened: OnnxModel[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((model) => model.close()));
});

async function load(request: OnnxImportRequest): Promise<OnnxModel> {
  const model = await importOnnxModel(request);
  opened.push(model);
  return model;
}

/** The import's refusal; fails the test if the import succeeds or throws anything but an OnnxModelError. */
async function refusal(request: OnnxImportRequest, code: OnnxErrorCode): Promise<OnnxModelError> {
  const outcome = await importOnnxModel(request).then(
    (model) => {
      opened.push(model);
      return model;
    },
    (error: unknown) => error,
  );
  expect(outcome, 'the import should have been refused').toBeInstanceOf(OnnxModelError);
  const error = outcome as OnnxModelError;
  expect(error.code, error.message).toBe(code);
  return error;
}

const softmax = (z: number[]): number[] => {
  const e = z.map(Math.exp);
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
};
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

// Three classes (short, neutral, long) over three features.
const W3 = [
  [2, 0, -2],
  [-1, 0.5, 1],
  [0, 0.3, 0],
];
const B3 = [0, 0.2, 0];
const FEATURES3 = ['ret_1', 'rsi_14', 'vol_z'];
const logits3 = (x: number[]): number[] => B3.map((b, c) => b + x.reduce((sum, v, f) => sum + v * W3[f]![c]!, 0));

// A forest of three stumps as exporters write one: each leaf holds its class distribution divided by the tree count.
const leaf = (...counts: number[]): number[] => counts.map((n) => n / 30);
const STUMPS: Stump[] = [
  { feature: 0, threshold: 0, left: leaf(8, 1, 1), right: leaf(1, 1, 8) },
  { feature: 1, threshold: 50, left: leaf(6, 3, 1), right: leaf(1, 3, 6) },
  { feature: 2, threshold: 1, left: leaf(3, 5, 2), right: leaf(3, 2, 5) },
];

function closeTo(actual: ArrayLike<number>, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i], `value ${i}`).toBeCloseTo(value, digits));
}

describe('importing generated models', () => {
  it('imports a three-class logistic model and predicts probabilities per class', async () => {
    const model = await load({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3 });
    expect(model).toMatchObject({ inputName: 'input', outputName: 'probabilities', outputKind: 'probabilities', width: 3, features: FEATURES3, warnings: [] });
    const rows = [
      [0.5, 0.1, 2],
      [-1, 2, 0],
      [0, 0, 0],
      [3, -3, 1],
    ];
    const out = await model.predict(Float32Array.from(rows.flat()), rows.length);
    closeTo(out, rows.flatMap((x) => softmax(logits3(x))));
    expect(await model.predict(new Float32Array(0), 0)).toEqual(new Float32Array(0));
  });

  it('scores rows handed over as a view into a larger buffer', async () => {
    const model = await load({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3 });
    const buffer = Float32Array.from([9, 9, 9, 1, 2, 3, 9]);
    closeTo(await model.predict(buffer.subarray(3, 6), 1), softmax(logits3([1, 2, 3])));
  });

  it('reads a sigmoid output as P(class 1) when declared binary, as a value otherwise', async () => {
    const bytes = logisticModel({ weights: [[1.5], [-2]], bias: [0.1] });
    const binary = await load({ bytes, features: ['a', 'b'], outputKind: 'binary' });
    expect(binary.width).toBe(2);
    const p = sigmoid(1.5 * 1 - 2 * 0.5 + 0.1);
    closeTo(await binary.predict(Float32Array.from([1, 0.5]), 1), [1 - p, p]);
    const value = await load({ bytes, features: ['a', 'b'] });
    expect(value).toMatchObject({ outputKind: 'value', width: 1 });
    closeTo(await value.predict(Float32Array.from([1, 0.5]), 1), [p]);
  });

  it('imports a TreeEnsembleClassifier and reads its probabilities, not its label', async () => {
    const model = await load({ bytes: treeEnsembleClassifier({ featureCount: 3, stumps: STUMPS }), features: FEATURES3 });
    expect(model).toMatchObject({ outputName: 'probabilities', outputKind: 'probabilities', width: 3 });
    const out = await model.predict(Float32Array.from([-1, 70, 0.5, 0.2, 20, 3]), 2);
    // Row 0 goes left, right, left; row 1 right, left, right.
    closeTo(out, [(8 + 1 + 3) / 30, (1 + 3 + 5) / 30, (1 + 6 + 2) / 30, (1 + 6 + 3) / 30, (1 + 3 + 2) / 30, (8 + 1 + 5) / 30]);
  });

  it('gives the right probabilities where the binary tree classifier mislabels', async () => {
    const bytes = treeEnsembleClassifier({ featureCount: 1, stumps: [{ feature: 0, threshold: 0.5, left: [0.9, 0.1], right: [0.2, 0.8] }] });
    const model = await load({ bytes, features: ['x'], goldenRows: [{ input: [0], expected: [0.9, 0.1] }] });
    closeTo(await model.predict(Float32Array.from([0, 1]), 2), [0.9, 0.1, 0.2, 0.8]);
  });

  it('runs a model with a fixed batch size in chunks of it, padding the last', async () => {
    const rows = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    for (const batch of [1, 2]) {
      const model = await load({ bytes: logisticModel({ weights: W3, bias: B3, inputShape: [batch, 3] }), features: FEATURES3 });
      closeTo(await model.predict(Float32Array.from(rows.flat()), 3), rows.flatMap((x) => softmax(logits3(x))));
    }
  });

  it('accepts an input whose column count is symbolic, with a warning', async () => {
    const model = await load({ bytes: logisticModel({ weights: W3, bias: B3, inputShape: ['batch', 'features'] }), features: FEATURES3 });
    expect(model.warnings).toEqual([expect.stringContaining('does not fix its number of columns')]);
  });

  it('refuses bad predict arguments and a closed model with typed errors', async () => {
    const model = await importOnnxModel({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3 });
    await expect(model.predict(new Float32Array(5), 2)).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('expected 2 rows × 3 features = 6') });
    await expect(model.predict(new Float32Array(3), 1.5)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await model.close();
    await model.close();
    await expect(model.predict(new Float32Array(3), 1)).rejects.toMatchObject({ code: 'PREDICT_FAILED', message: 'the model has been closed' });
  });
});

describe('input checks', () => {
  it('refuses an input with another name than the declared one', async () => {
    const error = await refusal({ bytes: logisticModel({ weights: W3, bias: B3, inputName: 'X' }), features: FEATURES3, inputName: 'features' }, 'INPUT_MISMATCH');
    expect(error.message).toBe("the model's input is named 'X', not 'features'");
  });

  it('refuses a model whose columns do not match the declared features', async () => {
    const error = await refusal({ bytes: logisticModel({ weights: W3, bias: B3 }), features: ['ret_1', 'rsi_14'] }, 'INPUT_MISMATCH');
    expect(error.message).toBe("input 'input' has shape [batch, 3]: 3 columns, but 2 feature(s) are declared (ret_1, rsi_14)");
  });

  it('refuses a rank-1 input and one without a shape', async () => {
    const rank1 = await refusal({ bytes: logisticModel({ weights: W3, bias: B3, inputShape: [3] }), features: FEATURES3 }, 'INPUT_MISMATCH');
    expect(rank1.message).toBe("input 'input' has shape [3]; Keel feeds one float32 input [batch, 3] for the 3 declared feature(s)");
    const noShape = await refusal({ bytes: logisticModel({ weights: W3, bias: B3, inputShape: null }), features: FEATURES3 }, 'INPUT_MISMATCH');
    expect(noShape.message).toBe("input 'input' declares no shape; Keel feeds one float32 input [batch, 3] for the 3 declared feature(s)");
  });

  it('refuses double and int64 inputs, naming the type', async () => {
    for (const [elemType, name] of [
      [ElemType.DOUBLE, 'float64'],
      [ElemType.INT64, 'int64'],
    ] as const) {
      const error = await refusal({ bytes: logisticModel({ weights: W3, bias: B3, inputElemType: elemType }), features: FEATURES3 }, 'INPUT_MISMATCH');
      expect(error.message).toBe(`input 'input' has element type ${name}; Keel feeds float32 (export the model with a float input)`);
    }
  });

  it('refuses a model with one input per feature', async () => {
    const bytes = encodeModel({
      opsets: DEFAULT_OPSETS,
      graph: {
        name: 'two_inputs',
        nodes: [{ opType: 'Add', inputs: ['a', 'b'], outputs: ['y'] }],
        inputs: [
          { name: 'a', elemType: ElemType.FLOAT, shape: ['batch', 1] },
          { name: 'b', elemType: ElemType.FLOAT, shape: ['batch', 1] },
        ],
        outputs: [{ name: 'y', elemType: ElemType.FLOAT, shape: ['batch', 1] }],
      },
    });
    const error = await refusal({ bytes, features: ['a', 'b'] }, 'INPUT_MISMATCH');
    expect(error.message).toBe('the model has 2 inputs (a, b); Keel feeds one float32 input [batch, 2] for the 2 declared feature(s)');
  });
});

describe('output checks', () => {
  it('refuses an output that holds raw scores as probabilities', async () => {
    const scores = treeEnsembleClassifier({ featureCount: 1, stumps: [{ feature: 0, threshold: 0, left: [2, 1], right: [1, 2] }] });
    const error = await refusal({ bytes: scores, features: ['x'] }, 'OUTPUT_MISMATCH');
    expect(error.message).toMatch(/^output 'probabilities' does not hold probabilities: probe row 0 is \[2\.000, 1\.000\]/);
  });

  it('refuses a model with no float output, and a named output that does not exist', async () => {
    const labelOnly = encodeModel({
      opsets: DEFAULT_OPSETS,
      graph: {
        name: 'argmax',
        nodes: [{ opType: 'ArgMax', inputs: ['input'], outputs: ['label'], attributes: [{ name: 'axis', int: 1 }, { name: 'keepdims', int: 0 }] }],
        inputs: [{ name: 'input', elemType: ElemType.FLOAT, shape: ['batch', 2] }],
        outputs: [{ name: 'label', elemType: ElemType.INT64, shape: ['batch'] }],
      },
    });
    const none = await refusal({ bytes: labelOnly, features: ['a', 'b'] }, 'OUTPUT_MISMATCH');
    expect(none.message).toMatch(/^the model's outputs are label \(int64\); none is a float tensor/);
    const missing = await refusal({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3, outputName: 'scores' }, 'OUTPUT_MISMATCH');
    expect(missing.message).toBe("the model has no output 'scores'; its outputs: probabilities (float32)");
    const label = await refusal({ bytes: logisticModel({ weights: W3, bias: B3, labelOutput: true }), features: FEATURES3, outputName: 'label' }, 'OUTPUT_MISMATCH');
    expect(label.message).toBe('output label (int64) is not a float tensor Keel can read');
  });

  it('refuses reading a one-column output as probabilities, and several columns as binary', async () => {
    await refusal({ bytes: logisticModel({ weights: [[1]], bias: [0] }), features: ['x'], outputKind: 'probabilities' }, 'OUTPUT_MISMATCH');
    await refusal({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3, outputKind: 'binary' }, 'OUTPUT_MISMATCH');
  });
});

describe('golden rows', () => {
  const bytes = logisticModel({ weights: W3, bias: B3 });
  const inputs = [
    [0.5, 0.1, 2],
    [-1, 2, 0],
    [0, 0, 0],
  ];
  const expected = inputs.map((x) => softmax(logits3(x)));

  it('accepts a model whose golden rows match within the tolerance', async () => {
    const model = await load({ bytes, features: FEATURES3, goldenRows: inputs.map((input, i) => ({ input, expected: expected[i]!.map((p) => p + 5e-5) })) });
    expect(model.width).toBe(3);
  });

  it('refuses the model at the first differing row, naming it', async () => {
    const goldenRows = inputs.map((input, i) => ({ input, expected: [...expected[i]!] }));
    goldenRows[1]!.expected[2] = expected[1]![2]! + 0.01;
    goldenRows[2]!.expected[0] = 0.9;
    const error = await refusal({ bytes, features: FEATURES3, goldenRows }, 'GOLDEN_ROW_MISMATCH');
    expect(error.message).toMatch(/^golden row 1 differs: P\(class 2\) expected 0\.\d+, the model gives 0\.\d+ \(tolerance 0\.0001\)$/);
    expect(error.details).toMatchObject({ row: 1, column: 2, tolerance: 1e-4 });
    expect((error.details!.actual as number) - (error.details!.expected as number)).toBeCloseTo(-0.01, 5);
  });

  it('honours a looser tolerance', async () => {
    const goldenRows = inputs.map((input, i) => ({ input, expected: expected[i]!.map((p) => p + 0.004) }));
    await refusal({ bytes, features: FEATURES3, goldenRows }, 'GOLDEN_ROW_MISMATCH');
    await load({ bytes, features: FEATURES3, goldenRows, tolerance: 0.005 });
  });

  it('takes [P(1)] or [P(0), P(1)] for a binary model, and checks values of a value model', async () => {
    const sigmoidModel = logisticModel({ weights: [[2]], bias: [-1] });
    const p = sigmoid(2 * 0.75 - 1);
    await load({ bytes: sigmoidModel, features: ['x'], outputKind: 'binary', goldenRows: [{ input: [0.75], expected: [p] }, { input: [0.75], expected: [1 - p, p] }] });
    await load({ bytes: sigmoidModel, features: ['x'], goldenRows: [{ input: [0.75], expected: [p] }] });
    const error = await refusal({ bytes: sigmoidModel, features: ['x'], goldenRows: [{ input: [0.75], expected: [0.5] }] }, 'GOLDEN_ROW_MISMATCH');
    expect(error.message).toMatch(/^golden row 0 differs: value expected 0\.5/);
  });

  it('refuses golden rows of the wrong length or with non-finite numbers as a bad request', async () => {
    const wrongWidth = await refusal({ bytes, features: FEATURES3, goldenRows: [{ input: inputs[0]!, expected: [0.5, 0.5] }] }, 'INVALID_REQUEST');
    expect(wrongWidth.message).toBe('golden row 0 expects 2 value(s); the model answers 3 per row (probabilities of 3 classes)');
    await refusal({ bytes, features: FEATURES3, goldenRows: [{ input: [Number.NaN, 0, 0], expected: [1, 0, 0] }] }, 'INVALID_REQUEST');
    const short = await refusal({ bytes, features: FEATURES3, goldenRows: [{ input: [0, 0], expected: [1, 0, 0] }] }, 'INVALID_REQUEST');
    expect(short.message).toBe('golden row 0 has 2 input value(s); there are 3 features (ret_1, rsi_14, vol_z)');
  });
});

describe('keel_features metadata', () => {
  it('is read from metadata_props and must agree with the declared features', async () => {
    const bytes = logisticModel({ weights: W3, bias: B3, metadata: { keel_features: JSON.stringify(FEATURES3), author: 'quant' } });
    const model = await load({ bytes, features: FEATURES3 });
    expect(model.info.metadata).toEqual({ keel_features: '["ret_1","rsi_14","vol_z"]', author: 'quant' });
  });

  it('supplies the features when none are declared', async () => {
    const model = await load({ bytes: logisticModel({ weights: W3, bias: B3, metadata: { keel_features: 'ret_1, rsi_14, vol_z' } }), features: [] });
    expect(model.features).toEqual(FEATURES3);
  });

  it('refuses a declaration that disagrees, naming the first differing feature', async () => {
    const bytes = logisticModel({ weights: W3, bias: B3, metadata: { keel_features: JSON.stringify(FEATURES3) } });
    const swapped = await refusal({ bytes, features: ['ret_1', 'vol_z', 'rsi_14'] }, 'FEATURES_MISMATCH');
    expect(swapped.message).toBe("feature 1 is declared as 'vol_z', but it is 'rsi_14' in the model (keel_features: ret_1, rsi_14, vol_z)");
    expect(swapped.details).toEqual({ index: 1, declared: 'vol_z', model: 'rsi_14' });
    const short = await refusal({ bytes, features: ['ret_1', 'rsi_14'] }, 'FEATURES_MISMATCH');
    expect(short.message).toMatch(/^feature 2 is declared as absent, but the model also lists 'vol_z'/);
  });

  it('refuses unreadable metadata, and no features at all', async () => {
    await refusal({ bytes: logisticModel({ weights: W3, bias: B3, metadata: { keel_features: '[1,2,3]' } }), features: FEATURES3 }, 'FEATURES_MISMATCH');
    const none = await refusal({ bytes: logisticModel({ weights: W3, bias: B3 }), features: [] }, 'INVALID_REQUEST');
    expect(none.message).toBe('no features declared, and the model has no keel_features metadata to take them from');
  });
});

describe('bytes that are not a usable model', () => {
  it('refuses empty and garbage bytes as MALFORMED_MODEL', async () => {
    await refusal({ bytes: new Uint8Array(0), features: ['x'] }, 'MALFORMED_MODEL');
    await refusal({ bytes: new TextEncoder().encode('definitely not an onnx file, just text'), features: ['x'] }, 'MALFORMED_MODEL');
    const model = logisticModel({ weights: W3, bias: B3 });
    await refusal({ bytes: model.subarray(0, model.length - 7), features: FEATURES3 }, 'MALFORMED_MODEL');
  });

  it('answers 300 random and corrupted buffers with typed errors, never a crash', async () => {
    const rng = new Rng(7);
    const valid = logisticModel({ weights: W3, bias: B3 });
    for (let i = 0; i < 300; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) bytes = Uint8Array.from({ length: rng.between(1, 200) }, () => rng.int(256));
      else {
        // Flip a few bytes of a valid model: these get past the framing more often and reach the runtime.
        bytes = valid.slice();
        for (let k = rng.between(1, 4); k > 0; k--) bytes[rng.int(bytes.length)] = rng.int(256);
      }
      const outcome = await importOnnxModel({ bytes, features: FEATURES3 }).then(
        (model) => model.close().then(() => null),
        (error: unknown) => error,
      );
      if (outcome !== null) expect(isOnnxModelError(outcome), String(outcome)).toBe(true);
    }
  });

  it('refuses a well-formed model the runtime cannot load (unknown operator)', async () => {
    const bytes = encodeModel({
      opsets: DEFAULT_OPSETS,
      graph: {
        name: 'mystery',
        nodes: [{ opType: 'NoSuchOperator', inputs: ['input'], outputs: ['probabilities'] }],
        inputs: [{ name: 'input', elemType: ElemType.FLOAT, shape: ['batch', 2] }],
        outputs: [{ name: 'probabilities', elemType: ElemType.FLOAT, shape: ['batch', 2] }],
      },
    });
    const error = await refusal({ bytes, features: ['a', 'b'] }, 'MODEL_REJECTED');
    expect(error.message).toMatch(/^the ONNX runtime cannot load the model: .*NoSuchOperator/);
  });

  it('refuses initializers kept in external files before the runtime reads them', async () => {
    const bytes = new ProtoWriter()
      .varint(1, 8)
      .message(7, (g) => g.string(2, 'g').message(5, (t) => t.varint(2, 1).string(8, 'W').varint(14, 1)))
      .message(8, (o) => o.string(1, '').varint(2, 13))
      .finish();
    const error = await refusal({ bytes, features: ['a'] }, 'MODEL_REJECTED');
    expect(error.message).toBe('the model keeps tensors in external files (W); export it as one self-contained file');
  });

  it('says so when the ONNX runtime does not load on this platform', async () => {
    const unavailable: LoadOnnxRuntime = () => Promise.reject(new OnnxModelError('RUNTIME_UNAVAILABLE', 'the ONNX runtime does not load on darwin-x64: no binary'));
    await expect(importOnnxModel({ bytes: logisticModel({ weights: W3, bias: B3 }), features: FEATURES3 }, { loadRuntime: unavailable })).rejects.toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
    });
  });

  it('refuses duplicate or empty feature names as a bad request', async () => {
    const bytes = logisticModel({ weights: W3, bias: B3 });
    await refusal({ bytes, features: ['a', 'a', 'b'] }, 'INVALID_REQUEST');
    await refusal({ bytes, features: ['a', ' ', 'b'] }, 'INVALID_REQUEST');
  });
});
