/**
 * The ONNX files tests/support/onnx writes by hand are real models:
 * onnxruntime-node loads them and answers the probabilities worked out
 * here from the weights.
 */
import { describe, expect, it } from 'vitest';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ElemType } from '../../../../tests/support/onnx/onnxWriter';
import { logisticModel, treeEnsembleClassifier } from '../../../../tests/support/onnx/models';
import { loadOnnxRuntime } from './runtime';

async function run(bytes: Uint8Array, rows: number[][], fetch: string[] = ['probabilities']): Promise<Record<string, Tensor>> {
  const ort = await loadOnnxRuntime();
  const session: InferenceSession = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, intraOpNumThreads: 1 });
  try {
    const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
    return (await session.run({ [session.inputNames[0]!]: input }, fetch)) as Record<string, Tensor>;
  } finally {
    await session.release();
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const softmax = (z: number[]): number[] => {
  const e = z.map(Math.exp);
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
};
const closeTo = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 5));
};

describe('hand-written ONNX models under onnxruntime-node', () => {
  it('runs MatMul + Add + Sigmoid over three inputs', async () => {
    const bytes = logisticModel({ weights: [[1.5], [-2], [0.25]], bias: [0.1] });
    const rows = [
      [1, 0.5, 2],
      [-1, 0, 0],
      [0, 0, 0],
    ];
    const out = await run(bytes, rows);
    expect(out.probabilities!.dims).toEqual([3, 1]);
    // z = 1.5·x0 − 2·x1 + 0.25·x2 + 0.1
    closeTo(out.probabilities!.data as Float32Array, [sigmoid(1.5 - 1 + 0.5 + 0.1), sigmoid(-1.5 + 0.1), sigmoid(0.1)]);
  });

  it('runs MatMul + Add + Softmax for three classes, next to an argmax label', async () => {
    const bytes = logisticModel({ weights: [[1, -1, 0], [0.5, 0, -0.5]], bias: [0, 0.1, -0.1], labelOutput: true });
    const out = await run(bytes, [[1, 2], [-2, 1]], ['probabilities', 'label']);
    expect(out.probabilities!.dims).toEqual([2, 3]);
    // logits row 0: [1 + 1, −1 + 0.1, −1 − 0.1]; row 1: [−2 + 0.5, 2 + 0.1, −0.5 − 0.1]
    closeTo(out.probabilities!.data as Float32Array, [...softmax([2, -0.9, -1.1]), ...softmax([-1.5, 2.1, -0.6])]);
    expect(Array.from(out.label!.data as BigInt64Array)).toEqual([0n, 1n]);
  });

  it('casts a double input inside the graph, so a model with a non-float input still loads', async () => {
    const ort = await loadOnnxRuntime();
    const bytes = logisticModel({ weights: [[2]], bias: [0], inputElemType: ElemType.DOUBLE });
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
    try {
      expect(session.inputMetadata[0]).toMatchObject({ name: 'input', isTensor: true, type: 'float64' });
      const out = (await session.run({ input: new ort.Tensor('float64', Float64Array.from([0.5]), [1, 1]) })) as Record<string, Tensor>;
      closeTo(out.probabilities!.data as Float32Array, [sigmoid(1)]);
    } finally {
      await session.release();
    }
  });

  it('runs an ai.onnx.ml TreeEnsembleClassifier of stumps: probabilities are the summed leaf weights', async () => {
    const bytes = treeEnsembleClassifier({
      featureCount: 3,
      stumps: [
        { feature: 0, threshold: 0.5, left: [0.3, 0.02, 0.01], right: [0.05, 0.25, 0.03] },
        { feature: 1, threshold: -1, left: [0.02, 0.01, 0.3], right: [0.2, 0.1, 0.03] },
        { feature: 2, threshold: 10, left: [0.1, 0.2, 0.03], right: [0.01, 0.02, 0.3] },
      ],
    });
    const rows = [
      [0, 0, 0], // left, right, left
      [1, -5, 20], // right, left, right
      [0.5, -1, 10], // thresholds are inclusive (x <= t): left, left, left
    ];
    const out = await run(bytes, rows, ['probabilities', 'label']);
    expect(out.probabilities!.dims).toEqual([3, 3]);
    closeTo(out.probabilities!.data as Float32Array, [
      ...[0.3 + 0.2 + 0.1, 0.02 + 0.1 + 0.2, 0.01 + 0.03 + 0.03],
      ...[0.05 + 0.02 + 0.01, 0.25 + 0.01 + 0.02, 0.03 + 0.3 + 0.3],
      ...[0.3 + 0.02 + 0.1, 0.02 + 0.01 + 0.2, 0.01 + 0.3 + 0.03],
    ]);
    expect(Array.from(out.label!.data as BigInt64Array)).toEqual([0n, 2n, 0n]);
  });

  it('applies base values and a softmax post transform', async () => {
    const bytes = treeEnsembleClassifier({
      featureCount: 1,
      stumps: [{ feature: 0, threshold: 0, left: [1, 0, -1], right: [-1, 0, 1] }],
      baseValues: [0.5, 0, 0],
      postTransform: 'SOFTMAX',
    });
    const out = await run(bytes, [[-1], [1]]);
    closeTo(out.probabilities!.data as Float32Array, [...softmax([1.5, 0, -1]), ...softmax([-0.5, 0, 1])]);
  });

  it("shows the binary classifier's label quirk: label 1 while the probabilities favour class 0", async () => {
    const bytes = treeEnsembleClassifier({ featureCount: 1, stumps: [{ feature: 0, threshold: 0.5, left: [0.9, 0.1], right: [0.2, 0.8] }] });
    const out = await run(bytes, [[0], [1]], ['probabilities', 'label']);
    closeTo(out.probabilities!.data as Float32Array, [0.9, 0.1, 0.2, 0.8]);
    // Why Keel reads probabilities and never the label output.
    expect(Array.from(out.label!.data as BigInt64Array)).toEqual([1n, 1n]);
  });
});
