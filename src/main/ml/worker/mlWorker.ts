/**
 * The machine-learning worker: training runs here, off the main thread, so
 * the engine, the screen and the emergency stop never wait for a model. Bars
 * arrive packed (over a SharedArrayBuffer when the caller shares them);
 * progress goes back as it trains; a cancel stops it between rounds. Batch
 * predictions are scored here too, from bars or from rows of features, so
 * is the permutation importance of an imported model, and
 * so is the live scoring of closed bars for model-driven strategies (in a
 * pool of its own): a model scored row by row is parsed (tree JSON) or
 * loaded (ONNX session) once per worker and key.
 */
import type { ModelTarget } from '../../../shared/models';
import type { Handlers } from '../../workers/protocol';
import { serveWorker } from '../../workers/server';
import { unpackBars } from '../../workers/packedBars';
import { trainModel, type TrainOutcome } from '../training/trainModel';
import { importOnnxModel, type GoldenRow, type OnnxModel } from '../onnx';
import { scoreBars, scoreFeatureRows, type ScoredBars, type StoredModel } from '../scoring/scoreBars';
import { matrix, modelFromJsonText, predict, type TreeModel } from '../trees';
import { runPermutationJob, type PermutationJob, type PermutationOutcome } from '../importance/permutationJob';

export interface OnnxImportJob {
  bytes: Uint8Array;
  features: string[];
  goldenRows?: GoldenRow[];
}

export interface OnnxImportResult {
  features: string[];
  width: number;
  outputKind: string;
  warnings: string[];
  producer: string | null;
}

export interface TrainJob {
  algorithm: 'gbdt' | 'random-forest';
  bars: Float64Array;
  target: ModelTarget;
  features?: string[];
  params?: Record<string, unknown>;
  folds?: number;
}

/** A permutation importance job as it crosses to the worker: bars packed (`packBars`). */
export interface ImportanceJob extends Omit<PermutationJob, 'source'> {
  source: { bars: Float64Array; target: ModelTarget } | { goldenRows: GoldenRow[] };
}

export interface TrainProgress {
  done: number;
  total: number;
  message: string;
}

export interface MlWorkerMethods {
  train: { params: TrainJob; result: TrainOutcome; progress: TrainProgress };
  /** Checks an ONNX model (inputs against its features, golden rows) in the worker: a native crash stays out of the main process. */
  importOnnx: { params: OnnxImportJob; result: OnnxImportResult };
  /** Permutation importance of an imported ONNX classifier on bars or its golden rows; progress per feature. */
  permutationImportance: { params: ImportanceJob; result: PermutationOutcome; progress: { done: number; total: number } };
  scoreBars: { params: { model: StoredModel; bars: Float64Array }; result: ScoredBars };
  /** Scores rows of the model's own features (row-major, in its order), read from a features file. */
  scoreFeatures: { params: { model: StoredModel; rows: Float32Array; count: number }; result: { values: Float64Array; width: number } };
  /** Scores rows of features (row-major) with a tree model; `key` names the model so each worker parses it once. */
  scoreRows: { params: { key: string; json: string; rows: Float32Array; cols: number }; result: Float64Array };
  /** Scores rows of features (row-major, in `features` order) with an imported ONNX model; `key` names it so each worker loads it once. */
  scoreOnnxRows: { params: { key: string; bytes: Uint8Array; features: string[]; rows: Float32Array; cols: number }; result: Float64Array };
}

/** Tree models parsed in this worker, by key; the oldest is dropped past a few. */
const parsedModels = new Map<string, TreeModel>();
const PARSED_MODELS_KEPT = 8;

function parsedModel(key: string, json: string): TreeModel {
  let model = parsedModels.get(key);
  if (!model) {
    model = modelFromJsonText(json);
    parsedModels.set(key, model);
    if (parsedModels.size > PARSED_MODELS_KEPT) parsedModels.delete(parsedModels.keys().next().value!);
  }
  return model;
}

/** ONNX sessions loaded in this worker, by key (a load in progress is shared); the oldest is closed past a few. */
const loadedOnnx = new Map<string, Promise<OnnxModel>>();

function onnxModel(key: string, bytes: Uint8Array, features: string[]): Promise<OnnxModel> {
  let model = loadedOnnx.get(key);
  if (!model) {
    model = importOnnxModel({ bytes, features });
    loadedOnnx.set(key, model);
    // A model that would not load is not kept: the next request tries again and says why.
    model.catch(() => loadedOnnx.delete(key));
    if (loadedOnnx.size > PARSED_MODELS_KEPT) {
      const oldest = loadedOnnx.keys().next().value!;
      void loadedOnnx.get(oldest)?.then((m) => m.close()).catch(() => undefined);
      loadedOnnx.delete(oldest);
    }
  }
  return model;
}

export function createMlHandlers(): Handlers<MlWorkerMethods> {
  return {
    train: (job, { signal, progress }) =>
      trainModel(
        { algorithm: job.algorithm, bars: unpackBars(job.bars), target: job.target, ...(job.features ? { features: job.features } : {}), ...(job.params ? { params: job.params } : {}), ...(job.folds ? { folds: job.folds } : {}) },
        { onProgress: (done, total, message) => progress({ done, total, message }), isCancelled: () => signal.aborted },
      ),
    importOnnx: async (job) => {
      const model = await importOnnxModel({ bytes: job.bytes, features: job.features, ...(job.goldenRows ? { goldenRows: job.goldenRows } : {}) });
      try {
        return { features: [...model.features], width: model.width, outputKind: model.outputKind, warnings: [...model.warnings], producer: model.info.producerName ?? null };
      } finally {
        await model.close();
      }
    },
    permutationImportance: (job, { signal, progress }) =>
      runPermutationJob(
        { ...job, source: 'bars' in job.source ? { bars: unpackBars(job.source.bars), target: job.source.target } : job.source },
        { onProgress: (done, total) => progress({ done, total }), signal },
      ),
    scoreBars: (job) => scoreBars(job.model, unpackBars(job.bars)),
    scoreFeatures: (job) => scoreFeatureRows(job.model, job.rows, job.count),
    scoreRows: (job) => predict(parsedModel(job.key, job.json), matrix(job.rows, job.rows.length / job.cols, job.cols)),
    scoreOnnxRows: async (job) => {
      const model = await onnxModel(job.key, job.bytes, job.features);
      return Float64Array.from(await model.predict(job.rows, job.rows.length / job.cols));
    },
  };
}

serveWorker<MlWorkerMethods>(createMlHandlers());
