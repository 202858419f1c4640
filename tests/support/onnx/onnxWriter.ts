/**
 * ONNX models written from plain descriptions, for tests: ModelProto,
 * GraphProto, NodeProto, TensorProto, ValueInfoProto and AttributeProto
 * encoded with the hand-written protobuf writer. Field numbers are those of
 * onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
import { ProtoWriter } from './protoWriter';

/** TensorProto.DataType values the fixtures use. */
export const ElemType = { FLOAT: 1, INT32: 6, INT64: 7, STRING: 8, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorSpec {
  name: string;
  dims: readonly number[];
  /** FLOAT (float_data) or INT64 (int64_data). */
  dataType: typeof ElemType.FLOAT | typeof ElemType.INT64;
  values: readonly number[];
}

/** A graph input or output; `shape` undefined writes no shape at all, a `null` dim is an unknown one. */
export interface ValueInfoSpec {
  name: string;
  elemType: number;
  shape?: readonly (number | string | null)[];
}

export type AttributeSpec =
  | { name: string; float: number }
  | { name: string; int: number }
  | { name: string; string: string }
  | { name: string; floats: readonly number[] }
  | { name: string; ints: readonly number[] }
  | { name: string; strings: readonly string[] };

export interface NodeSpec {
  opType: string;
  domain?: string;
  name?: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly AttributeSpec[];
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers?: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
}

export interface ModelSpec {
  irVersion?: number;
  opsets: readonly { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  graph: GraphSpec;
  metadata?: Readonly<Record<string, string>>;
}

/** The standard operator set and the classic-ML one, at versions onnxruntime 1.30 runs. */
export const DEFAULT_OPSETS = [
  { domain: '', version: 13 },
  { domain: 'ai.onnx.ml', version: 3 },
] as const;

export function encodeModel(spec: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, spec.irVersion ?? 8); // ir_version
  w.string(2, spec.producerName ?? 'keel-tests'); // producer_name
  if (spec.producerVersion !== undefined) w.string(3, spec.producerVersion);
  w.message(7, (g) => writeGraph(g, spec.graph)); // graph
  for (const opset of spec.opsets) {
    w.message(8, (o) => o.string(1, opset.domain).varint(2, opset.version)); // opset_import
  }
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    w.message(14, (e) => e.string(1, key).string(2, value)); // metadata_props
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: GraphSpec): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers ?? []) w.message(5, (t) => writeTensor(t, tensor));
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtoWriter, node: NodeSpec): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name !== undefined) w.string(3, node.name);
  w.string(4, node.opType);
  for (const attribute of node.attributes ?? []) w.message(5, (a) => writeAttribute(a, attribute));
  if (node.domain !== undefined) w.string(7, node.domain);
}

function writeAttribute(w: ProtoWriter, attribute: AttributeSpec): void {
  w.string(1, attribute.name);
  if ('float' in attribute) w.float(2, attribute.float).varint(20, AttrType.FLOAT);
  else if ('int' in attribute) w.varint(3, attribute.int).varint(20, AttrType.INT);
  else if ('string' in attribute) w.string(4, attribute.string).varint(20, AttrType.STRING);
  else if ('floats' in attribute) w.packedFloats(7, attribute.floats).varint(20, AttrType.FLOATS);
  else if ('ints' in attribute) w.packedVarints(8, attribute.ints).varint(20, AttrType.INTS);
  else {
    for (const s of attribute.strings) w.string(9, s);
    w.varint(20, AttrType.STRINGS);
  }
}

function writeTensor(w: ProtoWriter, tensor: TensorSpec): void {
  w.packedVarints(1, tensor.dims); // dims
  w.varint(2, tensor.dataType); // data_type
  if (tensor.dataType === ElemType.FLOAT) w.packedFloats(4, tensor.values); // float_data
  else w.packedVarints(7, tensor.values); // int64_data
  w.string(8, tensor.name); // name
}

function writeValueInfo(w: ProtoWriter, info: ValueInfoSpec): void {
  w.string(1, info.name);
  // type: TypeProto { tensor_type: Tensor { elem_type, shape: TensorShapeProto { dim* } } }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, info.elemType);
      const shape = info.shape;
      if (shape === undefined) return;
      tensor.message(2, (s) => {
        for (const dim of shape) {
          s.message(1, (d) => {
            if (typeof dim === 'number') d.varint(1, dim); // dim_value
            else if (typeof dim === 'string') d.string(2, dim); // dim_param
          });
        }
      });
    }),
  );
}
