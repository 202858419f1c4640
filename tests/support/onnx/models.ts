/**
 * Small ONNX models for tests, generated on the fly: a logistic model
 * (MatMul + Add + Sigmoid, or Softmax for several classes) and an
 * ai.onnx.ml TreeEnsembleClassifier made of stumps. Each takes options to
 * produce the wrong-but-loadable variants an importer must refuse (another
 * input name or element type, a rank-1 input, a ZipMap-free label output).
 */
import { DEFAULT_OPSETS, ElemType, encodeModel, type NodeSpec, type ValueInfoSpec } from './onnxWriter';

export interface LogisticModelOptions {
  /** weights[f][c]: F rows (features) × C columns; C = 1 gives a Sigmoid, C ≥ 2 a Softmax. */
  weights: readonly (readonly number[])[];
  bias: readonly number[];
  inputName?: string;
  outputName?: string;
  /** Element type of the input; anything but FLOAT is cast to float inside the graph, so the model still loads. */
  inputElemType?: number;
  /** The input's declared shape; default ['batch', F]; null declares none. A rank-1 [F] input also loads (MatMul accepts it). */
  inputShape?: readonly (number | string | null)[] | null;
  /** Also output an int64 argmax label, like converted classifiers do. */
  labelOutput?: boolean;
  metadata?: Readonly<Record<string, string>>;
}

/** MatMul + Add + Sigmoid/Softmax over N float inputs. */
export function logisticModel(options: LogisticModelOptions): Uint8Array {
  const featureCount = options.weights.length;
  const classCount = options.bias.length;
  if (featureCount === 0 || options.weights.some((row) => row.length !== classCount)) throw new Error('weights must be F × C with C = bias.length');
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'probabilities';
  const elemType = options.inputElemType ?? ElemType.FLOAT;
  const inputShape = options.inputShape === undefined ? ['batch', featureCount] : options.inputShape;
  const rank = inputShape?.length ?? 2;

  const nodes: NodeSpec[] = [];
  let x = inputName;
  if (elemType !== ElemType.FLOAT) {
    nodes.push({ opType: 'Cast', inputs: [x], outputs: ['x_float'], attributes: [{ name: 'to', int: ElemType.FLOAT }] });
    x = 'x_float';
  }
  nodes.push({ opType: 'MatMul', inputs: [x, 'W'], outputs: ['logits_raw'] });
  nodes.push({ opType: 'Add', inputs: ['logits_raw', 'B'], outputs: ['logits'] });
  nodes.push(
    classCount === 1
      ? { opType: 'Sigmoid', inputs: ['logits'], outputs: [outputName] }
      : { opType: 'Softmax', inputs: ['logits'], outputs: [outputName], attributes: [{ name: 'axis', int: -1 }] },
  );
  const outputShape = rank === 1 ? [classCount] : ['batch', classCount];
  const outputs: ValueInfoSpec[] = [{ name: outputName, elemType: ElemType.FLOAT, shape: outputShape }];
  if (options.labelOutput) {
    nodes.push({ opType: 'ArgMax', inputs: ['logits'], outputs: ['label'], attributes: [{ name: 'axis', int: -1 }, { name: 'keepdims', int: 0 }] });
    outputs.unshift({ name: 'label', elemType: ElemType.INT64, shape: rank === 1 ? [] : ['batch'] });
  }

  return encodeModel({
    opsets: DEFAULT_OPSETS,
    producerName: 'keel-tests',
    producerVersion: '1',
    metadata: options.metadata,
    graph: {
      name: 'logistic',
      nodes,
      initializers: [
        { name: 'W', dims: [featureCount, classCount], dataType: ElemType.FLOAT, values: options.weights.flat() },
        { name: 'B', dims: [classCount], dataType: ElemType.FLOAT, values: options.bias },
      ],
      inputs: [{ name: inputName, elemType, ...(inputShape === null ? {} : { shape: inputShape }) }],
      outputs,
    },
  });
}

/** A one-split tree: x[feature] <= threshold goes to `left`, else to `right`; each leaf holds one weight per class. */
export interface Stump {
  feature: number;
  threshold: number;
  left: readonly number[];
  right: readonly number[];
}

export interface TreeEnsembleOptions {
  featureCount: number;
  stumps: readonly Stump[];
  /** int64 class labels, one per class; default 0..C-1. */
  classLabels?: readonly number[];
  postTransform?: 'NONE' | 'SOFTMAX' | 'LOGISTIC';
  baseValues?: readonly number[];
  inputName?: string;
  metadata?: Readonly<Record<string, string>>;
}

/**
 * ai.onnx.ml TreeEnsembleClassifier: outputs `label` (int64 [N]) and
 * `probabilities` (float [N, C]), the latter the per-class sum of the leaf
 * weights each row reaches (plus base values), then the post transform.
 */
export function treeEnsembleClassifier(options: TreeEnsembleOptions): Uint8Array {
  const classCount = options.stumps[0]?.left.length ?? 0;
  if (classCount === 0) throw new Error('at least one stump with class weights');
  const classLabels = options.classLabels ?? Array.from({ length: classCount }, (_, i) => i);
  const inputName = options.inputName ?? 'input';

  const nodes = { treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], values: [] as number[], modes: [] as string[], trueIds: [] as number[], falseIds: [] as number[] };
  const classes = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
  options.stumps.forEach((stump, tree) => {
    if (stump.left.length !== classCount || stump.right.length !== classCount) throw new Error('every leaf needs one weight per class');
    // node 0 splits, node 1 is the "true" (x <= threshold) leaf, node 2 the "false" one.
    const rows: [number, string, number, number, number, number][] = [
      [0, 'BRANCH_LEQ', stump.feature, stump.threshold, 1, 2],
      [1, 'LEAF', 0, 0, 0, 0],
      [2, 'LEAF', 0, 0, 0, 0],
    ];
    for (const [id, mode, feature, value, t, f] of rows) {
      nodes.treeIds.push(tree);
      nodes.nodeIds.push(id);
      nodes.modes.push(mode);
      nodes.featureIds.push(feature);
      nodes.values.push(value);
      nodes.trueIds.push(t);
      nodes.falseIds.push(f);
    }
    for (const [leaf, weights] of [[1, stump.left], [2, stump.right]] as const) {
      weights.forEach((weight, c) => {
        classes.treeIds.push(tree);
        classes.nodeIds.push(leaf);
        classes.ids.push(c);
        classes.weights.push(weight);
      });
    }
  });

  return encodeModel({
    opsets: DEFAULT_OPSETS,
    producerName: 'keel-tests',
    metadata: options.metadata,
    graph: {
      name: 'stumps',
      nodes: [
        {
          opType: 'TreeEnsembleClassifier',
          domain: 'ai.onnx.ml',
          inputs: [inputName],
          outputs: ['label', 'probabilities'],
          attributes: [
            { name: 'classlabels_int64s', ints: classLabels },
            { name: 'class_treeids', ints: classes.treeIds },
            { name: 'class_nodeids', ints: classes.nodeIds },
            { name: 'class_ids', ints: classes.ids },
            { name: 'class_weights', floats: classes.weights },
            { name: 'nodes_treeids', ints: nodes.treeIds },
            { name: 'nodes_nodeids', ints: nodes.nodeIds },
            { name: 'nodes_featureids', ints: nodes.featureIds },
            { name: 'nodes_values', floats: nodes.values },
            { name: 'nodes_modes', strings: nodes.modes },
            { name: 'nodes_truenodeids', ints: nodes.trueIds },
            { name: 'nodes_falsenodeids', ints: nodes.falseIds },
            { name: 'post_transform', string: options.postTransform ?? 'NONE' },
            ...(options.baseValues ? [{ name: 'base_values', floats: options.baseValues }] : []),
          ],
        },
      ],
      inputs: [{ name: inputName, elemType: ElemType.FLOAT, shape: ['batch', options.featureCount] }],
      outputs: [
        { name: 'label', elemType: ElemType.INT64, shape: ['batch'] },
        { name: 'probabilities', elemType: ElemType.FLOAT, shape: ['batch', classCount] },
      ],
    },
  });
}
