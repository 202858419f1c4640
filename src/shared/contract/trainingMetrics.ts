/**
 * The shape of a trained model's `metrics`, as the training writes them: the
 * walk-forward folds' out-of-sample figures averaged, and each fold in full
 * (its classification or regression figures and a backtest of its calls on
 * the test block). A direction target gives `classification` metrics, a
 * return target `regression` ones.
 *
 * The record's `metrics` stays a free record in `modelRecordSchema`: an
 * imported model has other figures, and versions trained before this shape
 * existed have no `kind` and no fold backtests. `readableTrainingMetricsSchema`
 * reads both the current shape and those older rows (a missing backtest is
 * null); anything else is not training metrics.
 */
import { z } from 'zod';
import { timestampMs } from '../domain';

/** Share 0..1 or a score; null where it cannot be computed (no rows of a class, no outcome of a sign). */
const figure = z.number();
const maybe = z.number().nullable();

export const perClassFigureSchema = z.object({
  /** The class code: 0 long, 1 short, 2 neutral for a direction target. */
  label: z.number().int().nonnegative(),
  /** Of the rows called this class, the share that were; null when it was never called. */
  precision: maybe,
  /** Of the rows of this class, the share called so; null when none occurred. */
  recall: maybe,
  support: z.number().int().nonnegative(),
});
export type PerClassFigure = z.infer<typeof perClassFigureSchema>;

/** One of ten bins of the chosen class's probability. */
export const calibrationBinSchema = z.object({
  from: figure,
  to: figure,
  /** Mean probability of the chosen class in the bin (0 for an empty bin). */
  confidence: figure,
  /** How often the chosen class was right in the bin (0 for an empty bin). */
  hitRate: figure,
  rows: z.number().int().nonnegative(),
});
export type CalibrationBin = z.infer<typeof calibrationBinSchema>;

export const classificationFiguresSchema = z.object({
  rows: z.number().int().nonnegative(),
  accuracy: figure,
  logLoss: figure,
  /** Mean one-against-rest AUC over the classes that occur; null when none has both outcomes. */
  auc: maybe,
  perClass: z.array(perClassFigureSchema),
  calibration: z.array(calibrationBinSchema),
});
export type ClassificationFigures = z.infer<typeof classificationFiguresSchema>;

export const regressionFiguresSchema = z.object({
  rows: z.number().int().nonnegative(),
  rmse: figure,
  mae: figure,
  r2: maybe,
  /** Share of rows whose forecast had the sign of the outcome (zero outcomes left out). */
  directionHitRate: maybe,
});
export type RegressionFigures = z.infer<typeof regressionFiguresSchema>;

/**
 * A fold's calls traded on its own test block: at each row's close the
 * position is the call (long +1, short −1, neutral or a zero forecast flat),
 * held to the next bar's close, equity compounding. Gross of fees and
 * slippage: a first look at whether the calls were worth acting on, not a
 * backtest of a strategy.
 */
export const foldBacktestSchema = z.object({
  /** Bars traded (the fold's test rows). */
  bars: z.number().int().nonnegative(),
  /** Positions opened: a bar whose position is not flat and differs from the bar before. */
  trades: z.number().int().nonnegative(),
  /** Share of bars with a position. */
  exposure: figure,
  /** Equity change over the block, percent. */
  returnPct: figure,
  /** Holding the instrument over the same bars, percent. */
  buyHoldReturnPct: figure,
  /** Largest fall of equity from its running peak, as a positive percentage. */
  maxDrawdownPct: figure,
  /** Of the bars in a position whose price moved, the share that gained; null when there were none. */
  hitRate: maybe,
});
export type FoldBacktest = z.infer<typeof foldBacktestSchema>;

const foldFields = {
  /** 1-based. */
  fold: z.number().int().positive(),
  /** Rows it trained on (all before its test block, less the purge). */
  trainRows: z.number().int().nonnegative(),
  testRows: z.number().int().nonnegative(),
  /** Open time of the first and last test bar. */
  from: timestampMs,
  to: timestampMs,
};

export const classificationFoldSchema = z.object({ ...foldFields, metrics: classificationFiguresSchema, backtest: foldBacktestSchema });
export const regressionFoldSchema = z.object({ ...foldFields, metrics: regressionFiguresSchema, backtest: foldBacktestSchema });
export type ClassificationFold = z.infer<typeof classificationFoldSchema>;
export type RegressionFold = z.infer<typeof regressionFoldSchema>;

const summaryFields = {
  /** How the model is stored (`keel-trees/1`). */
  format: z.string(),
  /** Rows with features and a target. */
  rows: z.number().int().nonnegative(),
};

export const classificationTrainingMetricsSchema = z.object({
  kind: z.literal('classification'),
  ...summaryFields,
  /** The folds' figures averaged; null when no fold has one. */
  accuracy: maybe,
  logLoss: maybe,
  auc: maybe,
  folds: z.array(classificationFoldSchema),
});

export const regressionTrainingMetricsSchema = z.object({
  kind: z.literal('regression'),
  ...summaryFields,
  rmse: maybe,
  mae: maybe,
  r2: maybe,
  directionHitRate: maybe,
  folds: z.array(regressionFoldSchema),
});

/** What a training registers as the version's `metrics`. */
export const trainingMetricsSchema = z.discriminatedUnion('kind', [classificationTrainingMetricsSchema, regressionTrainingMetricsSchema]);
export type TrainingMetrics = z.infer<typeof trainingMetricsSchema>;
export type ClassificationTrainingMetrics = z.infer<typeof classificationTrainingMetricsSchema>;
export type RegressionTrainingMetrics = z.infer<typeof regressionTrainingMetricsSchema>;

// Versions trained before the shape was fixed: no `kind` (the figures tell), no fold backtests.
const readableBacktest = foldBacktestSchema.nullable().default(null);
const readableClassification = classificationTrainingMetricsSchema.extend({
  kind: z.literal('classification').default('classification'),
  format: z.string().optional(),
  folds: z.array(classificationFoldSchema.extend({ backtest: readableBacktest })),
});
const readableRegression = regressionTrainingMetricsSchema.extend({
  kind: z.literal('regression').default('regression'),
  format: z.string().optional(),
  folds: z.array(regressionFoldSchema.extend({ backtest: readableBacktest })),
});

/** Training metrics as stored, old rows included: use with `safeParse`; a failure means the version has none (an import). */
export const readableTrainingMetricsSchema = z.union([readableClassification, readableRegression]);
export type ReadableTrainingMetrics = z.infer<typeof readableTrainingMetricsSchema>;
export type ReadableFold = ReadableTrainingMetrics['folds'][number];
