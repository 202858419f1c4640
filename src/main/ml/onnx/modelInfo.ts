/**
 * What an ONNX file says about itself, read straight from its ModelProto:
 * IR version, producer, operator sets, the `metadata_props` key/value pairs
 * (where an exporter can put `keel_features`) and initializers whose data
 * lives outside the file. onnxruntime's JS API exposes none of these.
 * Field numbers: onnx/onnx.proto.
 */
import { OnnxModelError } from './errors';
import { ProtoDecodeError, ProtoReader, WireType } from './protoReader';

export interface OnnxOpset {
  /** '' is the default operator set, ai.onnx. */
  domain: string;
  version: number;
}

export interface OnnxModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  opsets: OnnxOpset[];
  metadata: Record<string, string>;
  graphName: string;
  /** Initializers stored in files beside the model; Keel imports a model as one self-contained file. */
  externalTensors: string[];
}

/** The metadata key under which an exporter lists the model's feature names, in input column order. */
export const KEEL_FEATURES_KEY = 'keel_features';

/** Reads the ModelProto fields above; anything that is not a well-formed ModelProto with a graph is MALFORMED_MODEL. */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  try {
    return readModel(new ProtoReader(bytes));
  } catch (error) {
    if (error instanceof ProtoDecodeError) throw new OnnxModelError('MALFORMED_MODEL', `not an ONNX model: ${error.message}`, { offset: error.offset });
    throw error;
  }
}

function readModel(r: ProtoReader): OnnxModelInfo {
  const info: OnnxModelInfo = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    opsets: [],
    metadata: {},
    graphName: '',
    externalTensors: [],
  };
  let hasGraph = false;
  while (!r.done) {
    const tag = r.tag();
    switch (tag.field) {
      case 1: // ir_version
        r.expect(tag, WireType.VARINT);
        info.irVersion = r.int();
        break;
      case 2: // producer_name
        r.expect(tag, WireType.LEN);
        info.producerName = r.string();
        break;
      case 3: // producer_version
        r.expect(tag, WireType.LEN);
        info.producerVersion = r.string();
        break;
      case 4: // domain
        r.expect(tag, WireType.LEN);
        info.domain = r.string();
        break;
      case 5: // model_version
        r.expect(tag, WireType.VARINT);
        info.modelVersion = r.int();
        break;
      case 6: // doc_string
        r.expect(tag, WireType.LEN);
        info.docString = r.string();
        break;
      case 7: // graph
        r.expect(tag, WireType.LEN);
        readGraph(r.message(), info);
        hasGraph = true;
        break;
      case 8: // opset_import
        r.expect(tag, WireType.LEN);
        info.opsets.push(readOpset(r.message()));
        break;
      case 14: {
        // metadata_props
        r.expect(tag, WireType.LEN);
        const [key, value] = readStringPair(r.message());
        info.metadata[key] = value;
        break;
      }
      default:
        r.skip(tag.wire);
    }
  }
  if (!hasGraph) throw new OnnxModelError('MALFORMED_MODEL', 'not an ONNX model: it has no graph');
  if (info.irVersion <= 0) throw new OnnxModelError('MALFORMED_MODEL', 'not an ONNX model: it has no IR version');
  return info;
}

function readOpset(r: ProtoReader): OnnxOpset {
  const opset: OnnxOpset = { domain: '', version: 0 };
  while (!r.done) {
    const tag = r.tag();
    if (tag.field === 1) {
      r.expect(tag, WireType.LEN);
      opset.domain = r.string();
    } else if (tag.field === 2) {
      r.expect(tag, WireType.VARINT);
      opset.version = r.int();
    } else r.skip(tag.wire);
  }
  return opset;
}

/** StringStringEntryProto: key = 1, value = 2. */
function readStringPair(r: ProtoReader): [string, string] {
  let key = '';
  let value = '';
  while (!r.done) {
    const tag = r.tag();
    if (tag.field === 1 || tag.field === 2) {
      r.expect(tag, WireType.LEN);
      if (tag.field === 1) key = r.string();
      else value = r.string();
    } else r.skip(tag.wire);
  }
  return [key, value];
}

function readGraph(r: ProtoReader, info: OnnxModelInfo): void {
  while (!r.done) {
    const tag = r.tag();
    if (tag.field === 2) {
      r.expect(tag, WireType.LEN);
      info.graphName = r.string();
    } else if (tag.field === 5) {
      // initializer: TensorProto
      r.expect(tag, WireType.LEN);
      const tensor = readTensorStorage(r.message());
      if (tensor.external) info.externalTensors.push(tensor.name);
    } else r.skip(tag.wire);
  }
}

/** TensorProto: name = 8, external_data = 13, data_location = 14 (1 = EXTERNAL). */
function readTensorStorage(r: ProtoReader): { name: string; external: boolean } {
  let name = '';
  let external = false;
  while (!r.done) {
    const tag = r.tag();
    if (tag.field === 8) {
      r.expect(tag, WireType.LEN);
      name = r.string();
    } else if (tag.field === 13) {
      r.expect(tag, WireType.LEN);
      r.skip(tag.wire);
      external = true;
    } else if (tag.field === 14) {
      r.expect(tag, WireType.VARINT);
      if (r.int() === 1) external = true;
    } else r.skip(tag.wire);
  }
  return { name, external };
}

/**
 * A feature list from metadata: a JSON array of strings, or names separated
 * by commas. Null when the value is neither.
 */
export function parseFeatureList(value: string): string[] | null {
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((name): name is string => typeof name === 'string')) return parsed.map((name) => name.trim());
    } catch {
      // falls through: not JSON after all
    }
    return null;
  }
  const names = text.split(',').map((name) => name.trim());
  return names.length > 0 && names.every((name) => name.length > 0) ? names : null;
}
