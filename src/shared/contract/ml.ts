/**
 * The contract's machine-learning domain: the model registry, training jobs
 * run in worker threads, and the market regime of an instrument (trending
 * up, trending down, ranging, volatile) with the recent history of labels
 * for the chart's band.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { modelRecordSchema, modelTargetSchema } from '../models';
import { backtestDataSchema } from './backtests';
import { empty, method, ok } from './common';
import { regimeLabelSchema } from './regime';

export * from './trainingMetrics';
export { REGIME_LABELS, regimeLabelSchema, type RegimeLabelName } from './regime';

export const regimeViewSchema = z.object({
  venue: venueId,
  symbol,
  timeframe,
  /** The label of the newest closed bar; null until enough history exists. */
  label: regimeLabelSchema.nullable(),
  /** Open time of the newest closed bar. */
  time: timestampMs.nullable(),
  /** Since when the label has held (open time of the first bar of the current run). */
  since: timestampMs.nullable(),
  /** What the label was read from. */
  adx: z.number().nullable(),
  efficiency: z.number().nullable(),
  volatilityPercentile: z.number().nullable(),
  /** The labels of recent bars, oldest first, for the chart's band. */
  history: z.array(z.object({ time: timestampMs, label: regimeLabelSchema.nullable() })),
});
export type RegimeView = z.infer<typeof regimeViewSchema>;

const modelId = z.string().min(1).max(64);

export const trainModelParamsSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    algorithm: z.enum(['gbdt', 'random-forest']),
    data: backtestDataSchema,
    /** Only bars opening at or after this time (ms), whatever the data source. */
    from: timestampMs.optional(),
    /** Only bars opening before this time (ms). An empty range, or one too short for the folds, is refused. */
    to: timestampMs.optional(),
    /** A subset of the feature pipeline's features; all of them by default. */
    features: z.array(z.string().min(1).max(80)).min(1).max(200).optional(),
    target: modelTargetSchema,
    /** Tree parameters (rounds, depth, learning rate, trees ...). */
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
    /** Not used for new decisions once older than this. */
    maxAgeMs: z.number().int().positive().optional(),
  })
  .strict();
export type TrainModelParams = z.infer<typeof trainModelParamsSchema>;

/** Largest CSV `models.predictBatch` takes (about 100,000 one-minute bars). */
export const MAX_PREDICT_CSV_CHARS = 8 * 1024 * 1024;
/** Largest ONNX model `models.import` takes, as base64 text. */
export const MAX_ONNX_BASE64_CHARS = 64 * 1024 * 1024;

export const importModelParamsSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    onnxBase64: z.string().min(1).max(MAX_ONNX_BASE64_CHARS).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
    /** Feature names in the model's input column order (Keel's pipeline names to score bars with it). */
    features: z.array(z.string().min(1).max(80)).min(1).max(1_000),
    goldenRows: z.array(z.object({ input: z.array(z.number()), expected: z.array(z.number()) })).max(100).optional(),
    /** What its outputs mean; by default long / short / neutral over the next bar. */
    target: modelTargetSchema.optional(),
    maxAgeMs: z.number().int().positive().optional(),
  })
  .strict();
export type ImportModelParams = z.infer<typeof importModelParamsSchema>;

export const predictBatchResultSchema = z.object({
  /** Column names: time (or row, the file's row for a features file without times), then one per class (p_long, p_short, p_neutral) or value. */
  columns: z.array(z.string()),
  rows: z.array(z.array(z.number())),
  /** The same table as CSV text. */
  csv: z.string(),
  /** Bars not scored because the feature pipeline was still warming up. */
  skipped: z.number().int().nonnegative(),
});
export type PredictBatchResult = z.infer<typeof predictBatchResultSchema>;

/** What a permutation importance measures the drop of: mean log loss (its rise) or accuracy (its fall). */
export const IMPORTANCE_METRICS = ['logLoss', 'accuracy'] as const;

export const importanceParamsSchema = z
  .object({
    id: modelId,
    /**
     * The bars to measure on (a dataset or a venue's history): Keel's feature pipeline makes the rows and the
     * version's target their labels. Without it, the golden rows kept with the import, each labelled with the
     * class its expected output calls.
     */
    data: backtestDataSchema.optional(),
    /** Only bars opening at or after / before this time (ms). */
    from: timestampMs.optional(),
    to: timestampMs.optional(),
    /** Default log loss. */
    metric: z.enum(IMPORTANCE_METRICS).optional(),
    /** Shuffles per feature (default 5). */
    repeats: z.number().int().min(1).max(50).optional(),
    /** Seeds the shuffles (default 1): the same seed on the same rows gives the same figures. */
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
  })
  .strict();
export type ImportanceParams = z.infer<typeof importanceParamsSchema>;

/**
 * A permutation importance kept with an imported version (in its `metrics.importance`; the version's
 * `featureImportance` then holds each feature's mean drop): how much the metric got worse when one
 * feature's column was shuffled, breaking its link to the label.
 */
export const permutationImportanceSchema = z.object({
  kind: z.literal('permutation'),
  metric: z.enum(IMPORTANCE_METRICS),
  /** The metric on the rows as they are. */
  baseline: z.number(),
  repeats: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  /** Rows measured on. */
  rows: z.number().int().positive(),
  /** Where the rows came from: bars (with the data source and the open times of the first and last row) or the import's golden rows. */
  source: z.enum(['bars', 'golden-rows']),
  data: backtestDataSchema.nullable(),
  from: timestampMs.nullable(),
  to: timestampMs.nullable(),
  /** Per feature in the model's order: the mean drop and its standard deviation over the repeats. */
  features: z.array(z.object({ feature: z.string(), importance: z.number(), std: z.number() })),
  computedAt: timestampMs,
});
export type PermutationImportance = z.infer<typeof permutationImportanceSchema>;

export const jobViewSchema = z.object({
  id: z.string(),
  /** A training, or a permutation importance of an imported model (`name` is then the version's, "name vN"). */
  kind: z.enum(['train', 'importance']),
  name: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  done: z.number(),
  total: z.number(),
  message: z.string(),
  startedAt: timestampMs,
  finishedAt: timestampMs.nullable(),
  /** The model a finished training registered, or whose importance a finished importance job stored. */
  modelId: z.string().nullable(),
  error: z.string().nullable(),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const mlMethods = {
  'models.list': method('query', empty, z.object({ models: z.array(modelRecordSchema) })),
  'models.get': method('query', z.object({ id: modelId }).strict(), modelRecordSchema),
  /**
   * Trains in a worker; answers the job once the bars are loaded (progress as `jobs.progress`). Refused at
   * once: bad tree parameters, an empty range, a range too short for the folds. The model is registered as
   * a candidate, its training window the bars actually used.
   */
  'models.train': method('command', trainModelParamsSchema, z.object({ jobId: z.string() })),
  /** Makes a version the active one of its name (the one before is retired): activating an older version rolls back. */
  'models.activate': method('command', z.object({ id: modelId }).strict(), modelRecordSchema),
  /** Refused for the active version. */
  'models.delete': method('command', z.object({ id: modelId }).strict(), ok),
  /** Retires a version without activating another: no version of that name is then used. */
  'models.retire': method('command', z.object({ id: modelId }).strict(), modelRecordSchema),
  /**
   * Imports an ONNX model: its input is checked against the declared features (in
   * column order) and the golden rows (input and expected output) are run; any
   * difference refuses it. Registered as a candidate.
   */
  'models.import': method('command', importModelParamsSchema, modelRecordSchema),
  /**
   * Scores a CSV with a model in the ML worker: bars (time, open, high, low, close, volume), or rows of the
   * model's features named in the header (optionally after a time column), in any order. A missing feature,
   * a column that is none of them, or a bad number is refused with its row and column. A table and the same as CSV.
   */
  'models.predictBatch': method('command', z.object({ id: modelId, csv: z.string().min(1).max(MAX_PREDICT_CSV_CHARS) }).strict(), predictBatchResultSchema),
  /**
   * Permutation importance of an imported (ONNX) classifier, computed in an ML worker: each feature's column
   * shuffled in turn (`repeats` times, seeded), the drop in the metric measured. Answers a job (progress as
   * `jobs.progress`, cancellable); when done, the version keeps it (`metrics.importance`, `featureImportance`)
   * and `models.updated` tells every window. Refused at once: not an import, not a classifier, features the
   * pipeline does not compute (with `data`), no golden rows kept (without it), a range with too few rows.
   */
  'models.importance': method('command', importanceParamsSchema, z.object({ jobId: z.string() })),
  /** The newest training jobs (the last 200 and every running one), kept across restarts: one running when Keel stopped is failed, "Keel stopped while it was running". */
  'jobs.list': method('query', empty, z.object({ jobs: z.array(jobViewSchema) })),
  'jobs.cancel': method('command', z.object({ id: z.string().min(1).max(64) }).strict(), ok),
  'regime.current': method('query', z.object({ venue: venueId, symbol, timeframe, history: z.number().int().min(0).max(1_000).optional() }).strict(), regimeViewSchema),
} as const;

export const mlEvents = {
  /** A job's progress, and its end (status done, failed or cancelled). */
  'jobs.progress': jobViewSchema,
  /** The registry changed (a version registered, activated, retired or deleted): every version, newest first. */
  'models.updated': z.object({ models: z.array(modelRecordSchema) }),
} as const;

