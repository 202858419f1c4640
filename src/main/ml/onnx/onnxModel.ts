/**
 * Import of a trader's own ONNX model, and scoring with it.
 *
 * A model is accepted only if Keel can feed it and read it the way it will
 * at scoring time: one float32 input [batch, F] over the declared features
 * (and the `keel_features` metadata agrees, when the model has it), one
 * float output read as probabilities per class or as a value, and the
 * golden rows the trader supplied come back as expected. Label outputs are
 * never read: onnxruntime's binary TreeEnsembleClassifier can label a row
 * 1 while its probabilities say class 0.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { errorText, shorten } from '../../../shared/errors';
import { OnnxModelError } from './errors';
import { KEEL_FEATURES_KEY, parseFeatureList, readOnnxModelInfo, type OnnxModelInfo } from './modelInfo';
import { loadOnnxRuntime, type LoadOnnxRuntime, type OnnxRuntime } from './runtime';

/** A row of inputs and what the model must answer for it. */
export interface GoldenRow {
  /** One value per declared feature. */
  input: readonly number[];
  /** Probabilities per class, or the model's one value. For a `binary` output, [P(1)] or [P(0), P(1)]. */
  expected: readonly number[];
}

/**
 * How the chosen output is read:
 * - `probabilities`: C ≥ 2 columns, each row a distribution over the classes;
 * - `binary`: one column holding P(class 1), returned as [1 − p, p];
 * - `value`: one column, returned as is (a regression, a score).
 */
export type OnnxOutputKind = 'probabilities' | 'binary' | 'value';

export interface OnnxImportRequest {
  bytes: Uint8Array;
  /** Feature names in input column order. Empty: taken from the model's `keel_features` metadata. */
  features: readonly string[];
  goldenRows?: readonly GoldenRow[];
  /** Largest absolute difference a golden row may show; default 1e-4 (models compute in float32). */
  tolerance?: number;
  /** The input the features feed, when the trader names it; a model with another input name is refused. */
  inputName?: string;
  /** The output to read; default the model's one float output (preferring a name with "prob" in it). */
  outputName?: string;
  /** Default: `probabilities` for an output with several columns, `value` for one column. */
  outputKind?: OnnxOutputKind;
  /** Threads one run may use; default 1, because scoring is spread over worker threads instead. */
  threads?: number;
}

export interface OnnxImportOptions {
  loadRuntime?: LoadOnnxRuntime;
}

export const DEFAULT_GOLDEN_TOLERANCE = 1e-4;
/** How far a row of probabilities may sum from 1 (float32 softmax, averaged trees). */
const PROBABILITY_SUM_TOLERANCE = 1e-3;

interface OutputChoice {
  name: string;
  kind: OnnxOutputKind;
  /** Columns the model itself returns (1 for `binary` and `value`). */
  modelWidth: number;
}

export class OnnxModel {
  /** Columns of each predicted row: the class count (2 for `binary`), or 1 for `value`. */
  readonly width: number;
  private closed = false;

  private constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: InferenceSession,
    readonly features: readonly string[],
    readonly inputName: string,
    private readonly output: OutputChoice,
    /** A fixed batch size the model's input declares; rows are run in chunks of it. Null when the batch is free. */
    private readonly fixedBatch: number | null,
    readonly info: OnnxModelInfo,
    /** Things the import could not check (a symbolic feature dimension). */
    readonly warnings: readonly string[],
  ) {
    this.width = output.kind === 'binary' ? 2 : output.modelWidth;
  }

  get outputName(): string {
    return this.output.name;
  }

  get outputKind(): OnnxOutputKind {
    return this.output.kind;
  }

  /**
   * Scores `count` rows laid out row-major (`count × features.length`
   * values) and answers `count × width` values: probabilities per class, or
   * the model's value.
   */
  async predict(rows: Float32Array, count: number): Promise<Float32Array> {
    const featureCount = this.features.length;
    if (!Number.isSafeInteger(count) || count < 0) throw new OnnxModelError('INVALID_REQUEST', `row count must be a whole number ≥ 0, got ${count}`);
    if (!(rows instanceof Float32Array) || rows.length !== count * featureCount) {
      throw new OnnxModelError('INVALID_REQUEST', `expected ${count} rows × ${featureCount} features = ${count * featureCount} float32 values, got ${rows instanceof Float32Array ? rows.length : typeof rows}`);
    }
    if (this.closed) throw new OnnxModelError('PREDICT_FAILED', 'the model has been closed');
    const out = new Float32Array(count * this.width);
    if (count === 0) return out;
    const batch = this.fixedBatch ?? count;
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      let chunk = rows.subarray(start * featureCount, (start + n) * featureCount);
      if (n < batch) {
        // A fixed-batch model gets its last chunk padded with zero rows, whose outputs are dropped.
        const padded = new Float32Array(batch * featureCount);
        padded.set(chunk);
        chunk = padded;
      }
      const values = await this.run(chunk, batch);
      this.copyOut(values, n, out, start);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }

  /** Runs `n` rows and answers the model's own output columns (n × modelWidth). */
  private async run(rows: Float32Array, n: number): Promise<Float32Array> {
    const { name, modelWidth } = this.output;
    let result: InferenceSession.ReturnType;
    try {
      const input = new this.ort.Tensor('float32', rows, [n, this.features.length]);
      result = await this.session.run({ [this.inputName]: input }, [name]);
    } catch (error) {
      throw new OnnxModelError('PREDICT_FAILED', `the model failed to score ${n} row(s): ${shorten(errorText(error), 400)}`);
    }
    const tensor = result[name] as Tensor | undefined;
    if (!tensor || (tensor.type !== 'float32' && tensor.type !== 'float64')) throw new OnnxModelError('PREDICT_FAILED', `output '${name}' is missing or not a float tensor`);
    const dims = tensor.dims;
    const shapeOk = dims[0] === n && (dims.length === 1 ? modelWidth === 1 : dims.length === 2 && dims[1] === modelWidth);
    if (!shapeOk) throw new OnnxModelError('PREDICT_FAILED', `output '${name}' has shape [${dims.join(', ')}], expected [${n}, ${modelWidth}]`);
    const data = tensor.data as Float32Array | Float64Array;
    return data instanceof Float32Array ? data : Float32Array.from(data);
  }

  private copyOut(values: Float32Array, n: number, out: Float32Array, startRow: number): void {
    if (this.output.kind !== 'binary') {
      out.set(values.subarray(0, n * this.width), startRow * this.width);
      return;
    }
    for (let i = 0; i < n; i++) {
      const p = values[i]!;
      out[(startRow + i) * 2] = 1 - p;
      out[(startRow + i) * 2 + 1] = p;
    }
  }

  /** Imports a model (see the module comment); every refusal is an OnnxModelError. */
  static async import(request: OnnxImportRequest, options: OnnxImportOptions = {}): Promise<OnnxModel> {
    const declared = checkRequest(request);
    const info = readOnnxModelInfo(request.bytes);
    if (info.externalTensors.length > 0) {
      throw new OnnxModelError('MODEL_REJECTED', `the model keeps tensors in external files (${info.externalTensors.slice(0, 3).join(', ')}); export it as one self-contained file`);
    }
    const features = reconcileFeatures(declared, info);
    (request.goldenRows ?? []).forEach((row, i) => {
      if (row.input.length !== features.length) {
        throw new OnnxModelError('INVALID_REQUEST', `golden row ${i} has ${row.input.length} input value(s); there are ${features.length} features (${features.join(', ')})`, { row: i });
      }
    });
    const ort = await (options.loadRuntime ?? loadOnnxRuntime)();

    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(request.bytes, {
        intraOpNumThreads: request.threads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        logSeverityLevel: 3,
      });
    } catch (error) {
      const text = errorText(error);
      const code = /protobuf parsing failed/i.test(text) ? 'MALFORMED_MODEL' : 'MODEL_REJECTED';
      throw new OnnxModelError(code, `the ONNX runtime cannot load the model: ${shorten(text, 400)}`);
    }

    try {
      const warnings: string[] = [];
      const { inputName, fixedBatch } = checkInput(session, features, request.inputName, warnings);
      const chosen = chooseOutput(session, request.outputName);
      const asModelRejection = (error: unknown): never => {
        throw error instanceof OnnxModelError && error.code === 'PREDICT_FAILED' ? new OnnxModelError('MODEL_REJECTED', error.message) : error;
      };
      const modelWidth =
        chosen.modelWidth > 0 ? chosen.modelWidth : await measureWidth(ort, session, inputName, chosen.name, features.length, fixedBatch ?? 1).catch(asModelRejection);
      const output = { name: chosen.name, modelWidth };
      // The golden rows (or one row of zeros) show that the model runs and what its output holds.
      const golden = request.goldenRows ?? [];
      const probeRows = golden.length > 0 ? golden.map((row) => row.input) : [features.map(() => 0)];
      const probeModel = new OnnxModel(ort, session, features, inputName, { ...output, kind: 'value' }, fixedBatch, info, warnings);
      const raw = await probeModel.predict(Float32Array.from(probeRows.flat()), probeRows.length).catch(asModelRejection);
      const kind = decideKind(output, request.outputKind);
      checkOutputValues(raw, probeRows.length, { ...output, kind });
      const model = new OnnxModel(ort, session, features, inputName, { ...output, kind }, fixedBatch, info, warnings);
      if (golden.length > 0) await model.checkGoldenRows(golden, request.tolerance ?? DEFAULT_GOLDEN_TOLERANCE);
      return model;
    } catch (error) {
      await session.release().catch(() => undefined);
      throw error;
    }
  }

  private async checkGoldenRows(golden: readonly GoldenRow[], tolerance: number): Promise<void> {
    const predicted = await this.predict(Float32Array.from(golden.flatMap((row) => row.input)), golden.length);
    golden.forEach((row, i) => {
      // A binary model's golden row may give only P(class 1).
      const offset = this.output.kind === 'binary' && row.expected.length === 1 ? 1 : 0;
      if (row.expected.length + offset !== this.width) {
        throw new OnnxModelError('INVALID_REQUEST', `golden row ${i} expects ${row.expected.length} value(s); the model answers ${this.width} per row (${this.describeColumns()})`, { row: i });
      }
      row.expected.forEach((expected, j) => {
        const column = j + offset;
        const actual = predicted[i * this.width + column]!;
        if (!(Math.abs(actual - expected) <= tolerance)) {
          const label = this.output.kind === 'value' ? 'value' : `P(class ${column})`;
          throw new OnnxModelError(
            'GOLDEN_ROW_MISMATCH',
            // float32 outputs printed to 7 significant digits, the precision they carry.
            `golden row ${i} differs: ${label} expected ${expected}, the model gives ${Number(actual.toPrecision(7))} (tolerance ${tolerance})`,
            { row: i, column, expected, actual, tolerance },
          );
        }
      });
    });
  }

  private describeColumns(): string {
    return this.output.kind === 'value' ? 'one value' : `probabilities of ${this.width} classes`;
  }
}

/** The same as `OnnxModel.import`. */
export function importOnnxModel(request: OnnxImportRequest, options?: OnnxImportOptions): Promise<OnnxModel> {
  return OnnxModel.import(request, options);
}

function checkRequest(request: OnnxImportRequest): string[] {
  if (!(request.bytes instanceof Uint8Array) || request.bytes.length === 0) throw new OnnxModelError('MALFORMED_MODEL', 'the model file is empty');
  const features = [...request.features];
  const seen = new Set<string>();
  for (const name of features) {
    if (typeof name !== 'string' || name.trim() === '') throw new OnnxModelError('INVALID_REQUEST', 'feature names must be non-empty text');
    if (seen.has(name)) throw new OnnxModelError('INVALID_REQUEST', `feature '${name}' is declared twice`);
    seen.add(name);
  }
  const tolerance = request.tolerance ?? DEFAULT_GOLDEN_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new OnnxModelError('INVALID_REQUEST', `tolerance must be a number ≥ 0, got ${tolerance}`);
  const threads = request.threads ?? 1;
  if (!Number.isSafeInteger(threads) || threads < 1) throw new OnnxModelError('INVALID_REQUEST', `threads must be a whole number ≥ 1, got ${threads}`);
  (request.goldenRows ?? []).forEach((row, i) => {
    const values = [...row.input, ...row.expected];
    if (row.expected.length === 0 || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new OnnxModelError('INVALID_REQUEST', `golden row ${i} must hold finite numbers, with at least one expected value`, { row: i });
    }
  });
  return features;
}

/** The declared features, checked against `keel_features`; when none are declared, the model's own list. */
function reconcileFeatures(declared: string[], info: OnnxModelInfo): string[] {
  const raw = info.metadata[KEEL_FEATURES_KEY];
  const fromModel = raw === undefined ? null : parseFeatureList(raw);
  if (raw !== undefined && fromModel === null) {
    throw new OnnxModelError('FEATURES_MISMATCH', `the model's ${KEEL_FEATURES_KEY} metadata is not a list of names: ${shorten(JSON.stringify(raw), 120)}`);
  }
  if (declared.length === 0) {
    if (fromModel === null) throw new OnnxModelError('INVALID_REQUEST', `no features declared, and the model has no ${KEEL_FEATURES_KEY} metadata to take them from`);
    return fromModel;
  }
  if (fromModel !== null) {
    const n = Math.max(declared.length, fromModel.length);
    for (let i = 0; i < n; i++) {
      if (declared[i] !== fromModel[i]) {
        const what = i >= fromModel.length ? `the model lists only ${fromModel.length}` : i >= declared.length ? `the model also lists '${fromModel[i]}'` : `it is '${fromModel[i]}' in the model`;
        throw new OnnxModelError(
          'FEATURES_MISMATCH',
          `feature ${i} is declared as ${declared[i] === undefined ? 'absent' : `'${declared[i]}'`}, but ${what} (${KEEL_FEATURES_KEY}: ${fromModel.join(', ')})`,
          { index: i, declared: declared[i] ?? null, model: fromModel[i] ?? null },
        );
      }
    }
  }
  return declared;
}

function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.map((d) => (d === '' ? '?' : String(d))).join(', ')}]`;
}

function checkInput(session: InferenceSession, features: readonly string[], wantedName: string | undefined, warnings: string[]): { inputName: string; fixedBatch: number | null } {
  const f = features.length;
  const inputs = session.inputMetadata;
  const expected = `one float32 input [batch, ${f}] for the ${f} declared feature(s)`;
  if (inputs.length !== 1) {
    throw new OnnxModelError('INPUT_MISMATCH', `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); Keel feeds ${expected}`, {
      inputs: inputs.map((i) => i.name),
    });
  }
  const input = inputs[0]!;
  if (wantedName !== undefined && input.name !== wantedName) {
    throw new OnnxModelError('INPUT_MISMATCH', `the model's input is named '${input.name}', not '${wantedName}'`, { input: input.name });
  }
  if (!input.isTensor) throw new OnnxModelError('INPUT_MISMATCH', `input '${input.name}' is not a tensor; Keel feeds ${expected}`, { input: input.name });
  if (input.type !== 'float32') {
    throw new OnnxModelError('INPUT_MISMATCH', `input '${input.name}' has element type ${input.type}; Keel feeds float32 (export the model with a float input)`, {
      input: input.name,
      type: input.type,
    });
  }
  const shape = input.shape;
  if (shape.length !== 2) {
    const has = shape.length === 0 ? 'declares no shape' : `has shape ${formatShape(shape)}`;
    throw new OnnxModelError('INPUT_MISMATCH', `input '${input.name}' ${has}; Keel feeds ${expected}`, { input: input.name, shape: [...shape] });
  }
  const [batch, width] = shape as [number | string, number | string];
  if (typeof width === 'number' && width >= 0 && width !== f) {
    throw new OnnxModelError('INPUT_MISMATCH', `input '${input.name}' has shape ${formatShape(shape)}: ${width} columns, but ${f} feature(s) are declared (${features.join(', ')})`, {
      input: input.name,
      shape: [...shape],
    });
  }
  if (typeof width !== 'number' || width < 0) warnings.push(`input '${input.name}' does not fix its number of columns; the golden rows are what check it`);
  const fixedBatch = typeof batch === 'number' && batch > 0 ? batch : null;
  return { inputName: input.name, fixedBatch };
}

function chooseOutput(session: InferenceSession, wantedName: string | undefined): Omit<OutputChoice, 'kind'> {
  const outputs = session.outputMetadata;
  const describe = (o: InferenceSession.ValueMetadata): string => `${o.name} (${o.isTensor ? o.type : 'not a tensor: a sequence or map, such as ZipMap'})`;
  const isFloat = (o: InferenceSession.ValueMetadata): o is InferenceSession.TensorValueMetadata => o.isTensor && (o.type === 'float32' || o.type === 'float64');
  let chosen: InferenceSession.TensorValueMetadata;
  if (wantedName !== undefined) {
    const found = outputs.find((o) => o.name === wantedName);
    if (!found) throw new OnnxModelError('OUTPUT_MISMATCH', `the model has no output '${wantedName}'; its outputs: ${outputs.map(describe).join(', ')}`);
    if (!isFloat(found)) throw new OnnxModelError('OUTPUT_MISMATCH', `output ${describe(found)} is not a float tensor Keel can read`);
    chosen = found;
  } else {
    const floats = outputs.filter(isFloat);
    const named = floats.filter((o) => /prob/i.test(o.name));
    const pick = floats.length === 1 ? floats[0] : named.length === 1 ? named[0] : undefined;
    if (!pick) {
      const why =
        floats.length === 0
          ? 'none is a float tensor (for scikit-learn classifiers, export without ZipMap so probabilities come as a tensor)'
          : 'several are float tensors: name the one to read';
      throw new OnnxModelError('OUTPUT_MISMATCH', `the model's outputs are ${outputs.map(describe).join(', ')}; ${why}`, { outputs: outputs.map((o) => o.name) });
    }
    chosen = pick;
  }
  const shape = chosen.shape;
  if (shape.length === 1) return { name: chosen.name, modelWidth: 1 };
  if (shape.length === 2 && typeof shape[1] === 'number' && shape[1] > 0) return { name: chosen.name, modelWidth: shape[1] };
  if (shape.length === 2) return { name: chosen.name, modelWidth: -1 };
  throw new OnnxModelError('OUTPUT_MISMATCH', `output '${chosen.name}' has shape ${formatShape(shape)}; Keel reads [batch] or [batch, classes]`, { output: chosen.name });
}

/** The column count of an output whose shape leaves it symbolic, from one run over zero rows. */
async function measureWidth(ort: OnnxRuntime, session: InferenceSession, inputName: string, outputName: string, featureCount: number, batch: number): Promise<number> {
  let tensor: Tensor | undefined;
  try {
    const input = new ort.Tensor('float32', new Float32Array(batch * featureCount), [batch, featureCount]);
    tensor = (await session.run({ [inputName]: input }, [outputName]))[outputName] as Tensor | undefined;
  } catch (error) {
    throw new OnnxModelError('MODEL_REJECTED', `the model failed to score a row of zeros: ${shorten(errorText(error), 400)}`);
  }
  const dims = tensor?.dims ?? [];
  if (dims.length === 1 && dims[0] === batch) return 1;
  if (dims.length === 2 && dims[0] === batch && dims[1]! > 0) return dims[1]!;
  throw new OnnxModelError('OUTPUT_MISMATCH', `output '${outputName}' came back with shape [${dims.join(', ')}] for ${batch} row(s); Keel reads [batch] or [batch, classes]`);
}

function decideKind(output: Omit<OutputChoice, 'kind'>, wanted: OnnxOutputKind | undefined): OnnxOutputKind {
  const width = output.modelWidth;
  const kind = wanted ?? (width >= 2 ? 'probabilities' : 'value');
  if (kind === 'probabilities' && width < 2) {
    throw new OnnxModelError('OUTPUT_MISMATCH', `output '${output.name}' has one column; probabilities need one per class (declare it 'binary' if it holds P(class 1))`);
  }
  if ((kind === 'binary' || kind === 'value') && width !== 1) {
    throw new OnnxModelError('OUTPUT_MISMATCH', `output '${output.name}' has ${width} columns; a '${kind}' output has one`);
  }
  return kind;
}

/** Probabilities must look like probabilities; a model emitting raw scores is refused rather than misread. */
function checkOutputValues(values: Float32Array, rows: number, output: OutputChoice): void {
  const width = output.modelWidth;
  for (let i = 0; i < rows; i++) {
    const row = values.subarray(i * width, (i + 1) * width);
    if (!row.every(Number.isFinite)) throw new OnnxModelError('OUTPUT_MISMATCH', `output '${output.name}' gives a non-finite value for probe row ${i}`);
    if (output.kind === 'value') continue;
    const inRange = row.every((p) => p >= -PROBABILITY_SUM_TOLERANCE && p <= 1 + PROBABILITY_SUM_TOLERANCE);
    const sum = row.reduce((a, b) => a + b, 0);
    if (!inRange || (output.kind === 'probabilities' && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE)) {
      throw new OnnxModelError(
        'OUTPUT_MISMATCH',
        `output '${output.name}' does not hold probabilities: probe row ${i} is [${Array.from(row, (v) => v.toPrecision(4)).join(', ')}]; declare it a 'value' output to read it as is`,
      );
    }
  }
}
