/**
 * The shape of a trained model's `metrics`, as the training writes them: the
 * walk-forward folds' out-of-sample figures averaged, and each fold in full
 * (its classification or regression figures and, for a direction model,
 * the ML-scored strategy's backtest on the test block). A direction target gives `classification` metrics, a
 * return target `regression` ones.
 *
 * The record's `metrics` stays a free record in `modelRecordSchema`: an
 * imported model has other figures, and versions trained before this shape
 * existed have no `kind` and no fold backtests, or a gross one of the calls.
 * `readableTrainingMetricsSchema` reads the current shape and those older
 * rows (a missing backtest is null, a gross one is read as such); anything
 * else is not training metrics.
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
 * A fold's calls traded on its own test block the way an earlier Keel
 * recorded them: at each row's close the position was the call, held to
 * the next close, gross of fees and slippage. Only read from versions
 * trained before folds were backtested with the ML-scored strategy.
 */
export const legacyFoldBacktestSchema = z.object({
  bars: z.number().int().nonnegative(),
  trades: z.number().int().nonnegative(),
  exposure: figure,
  returnPct: figure,
  buyHoldReturnPct: figure,
  maxDrawdownPct: figure,
  hitRate: maybe,
});
export type LegacyFoldBacktest = z.infer<typeof legacyFoldBacktestSchema>;

/**
 * A fold's backtest: the catalog's ML-scored strategy with its default
 * parameters, trading the fold's model on the fold's test block through the
 * backtest kernel (bar fill model: market orders at the next bar's open;
 * fees on every fill), from 10,000 of cash, the position left at the end
 * closed at the open of the bar after the block. Figures as the backtests'
 * statistics define them.
 */
export const foldStrategyBacktestSchema = z.object({
  /** The catalog strategy played (`ml-scored`). */
  strategy: z.string(),
  /** Its confidence threshold (the default, 0.75). */
  threshold: figure,
  /** Fee rate on each fill's value (0.001 = 0.1 %). */
  commission: figure,
  /** Open time of the first and last bar decided on (later than the block's start when the data before it is shorter than the strategy's warm-up). */
  from: timestampMs,
  to: timestampMs,
  /** Bars decided on. */
  bars: z.number().int().nonnegative(),
  /** Bars the model scored, and the signals the strategy acted on. */
  signals: z.number().int().nonnegative(),
  acted: z.number().int().nonnegative(),
  /** Closed round trips. */
  trades: z.number().int().nonnegative(),
  /** The trades' profit, net of their fees, in the quote currency. */
  netPnl: figure,
  /** Fees paid. */
  fees: figure,
  /** Equity change over the run, percent. */
  returnPct: figure,
  /** Holding the instrument from the first bar decided on, percent. */
  buyHoldReturnPct: figure,
  /** Largest fall of equity from its running peak, a negative percentage (0 when it never fell). */
  maxDrawdownPct: figure,
  /** Annualised; null when undefined (too few returns, no variation). */
  sharpeRatio: maybe,
  /** Share of trades that gained, percent; null without trades. */
  winRatePct: maybe,
  /** Share of the bars in a position, percent. */
  exposurePct: figure,
});
export type FoldStrategyBacktest = z.infer<typeof foldStrategyBacktestSchema>;

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

/** A direction model's fold: null backtest when the block ends before the strategy's warm-up does. */
export const classificationFoldSchema = z.object({ ...foldFields, metrics: classificationFiguresSchema, backtest: foldStrategyBacktestSchema.nullable() });
/** A return model's fold: no backtest (the ML-scored strategy trades direction models only). */
export const regressionFoldSchema = z.object({ ...foldFields, metrics: regressionFiguresSchema, backtest: z.null() });
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

// Versions trained before the shape was fixed: no `kind` (the figures tell), no fold backtests, or the
// calls traded gross of costs (kept apart: they are not the strategy's figures).
const readableBacktest = z.union([foldStrategyBacktestSchema, legacyFoldBacktestSchema]).nullable().default(null);
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
