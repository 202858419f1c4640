/**
 * The contract's `backtests` domain: datasets of historical bars imported
 * from CSV, backtest runs of a catalog strategy on a dataset or on a venue's
 * stored history, and parameter searches. Runs and searches work in worker
 * threads: `backtests.run` and `backtests.optimize` answer an id at once, the
 * work reports `backtests.progress`, and `backtests.get` answers the result.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { empty, method, ok } from './common';
import { regimeLabelSchema } from './regime';
import { MAX_SIGNALS_LISTED, signalSchema } from './signals';
import { strategyParamsSchema, strategyTypeSchema } from './strategies';

/** A CSV file's text: first column the bar time, then Open, High, Low, Close, Volume. 64 MiB at most. */
export const MAX_DATASET_CSV_CHARS = 64 * 1024 * 1024;

/**
 * A file larger than one message carries (the WebSocket takes 256 KiB a
 * frame) goes in parts: `datasets.uploadPart` in order, then
 * `datasets.uploadFinish`. A part is at most this many characters, which
 * stays under a frame even when every character takes three bytes.
 */
export const MAX_DATASET_PART_CHARS = 80_000;

export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, "-" or "_"');

export const datasetIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a dataset id');
export const backtestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a backtest id');

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The symbol its prices are for, as the trader named it; the dataset's name when not given. */
  symbol: z.string(),
  bars: z.number().int().positive(),
  from: timestampMs,
  to: timestampMs,
  /** Median spacing of its bars (a day, an hour, a minute, a month of about 30 days...). */
  periodMs: z.number().int().positive(),
  createdAt: timestampMs,
});
export type Dataset = z.infer<typeof datasetSchema>;

/** How a backtest trades: the account, the costs and the fill model. */
export const backtestSettingsSchema = z
  .object({
    /** Starting cash in the quote currency. */
    cash: z.number().positive().max(1e15).default(10_000),
    /** Commission rate on every fill's value (0.002 = 0.2 %). */
    commission: z.number().min(0).max(0.1).default(0),
    /** Spread rate paid on entries: a long enters at price × (1 + spread), a short at price × (1 − spread). */
    spread: z.number().min(0).max(0.1).default(0),
    /** Margin requirement: 1 = no leverage, 0.1 = 10× leverage. */
    margin: z.number().gt(0).max(1).default(1),
    /** Orders placed on a bar's close fill at that close instead of the next bar's open. */
    tradeOnClose: z.boolean().default(false),
    /** A new entry first cancels the strategy's other orders and closes its position. */
    exclusiveOrders: z.boolean().default(false),
    /** Positions still open after the last bar are closed (at the last bar's open) and counted as trades. */
    finalizeTrades: z.boolean().default(false),
    /** Order sizes are whole multiples of this (1 = whole units; 0.001 for thousandths). */
    fractionalUnit: z.number().positive().max(1e6).default(1),
    /**
     * `bar`: market orders at the next bar's open (or this close with tradeOnClose), limits and stops
     * against the next bar's range. `intrabar`: the same, with `slippageTicks` against every taker fill.
     */
    fillModel: z.enum(['bar', 'intrabar']).default('bar'),
    /** Ticks of slippage on every taker fill (intrabar model only). */
    slippageTicks: z.number().int().min(0).max(1000).default(0),
    /** Only bars at or after this time (ms) are played. */
    from: timestampMs.optional(),
    /** Only bars before this time (ms) are played. */
    to: timestampMs.optional(),
  })
  .strict();
export type BacktestSettings = z.infer<typeof backtestSettingsSchema>;
export type BacktestSettingsInput = z.input<typeof backtestSettingsSchema>;

export const backtestDataSchema = z.union([
  z.object({ dataset: datasetIdSchema }).strict(),
  z
    .object({ venue: venueId, symbol, timeframe, from: timestampMs.optional(), to: timestampMs.optional() })
    .strict(),
]);
export type BacktestData = z.infer<typeof backtestDataSchema>;

export const backtestStrategySchema = z.object({ type: strategyTypeSchema, params: strategyParamsSchema }).strict();

/** The statistics, as the reference backtester defines them (percentages as percent, durations in ms). */
export const backtestStatsSchema = z.object({
  start: timestampMs,
  end: timestampMs,
  durationMs: z.number(),
  exposureTimePct: z.number(),
  equityFinal: z.number(),
  equityPeak: z.number(),
  commissions: z.number(),
  returnPct: z.number(),
  buyHoldReturnPct: z.number(),
  returnAnnPct: z.number().nullable(),
  volatilityAnnPct: z.number().nullable(),
  cagrPct: z.number().nullable(),
  sharpeRatio: z.number().nullable(),
  sortinoRatio: z.number().nullable(),
  calmarRatio: z.number().nullable(),
  alphaPct: z.number().nullable(),
  beta: z.number().nullable(),
  maxDrawdownPct: z.number(),
  avgDrawdownPct: z.number().nullable(),
  maxDrawdownDurationMs: z.number().nullable(),
  avgDrawdownDurationMs: z.number().nullable(),
  trades: z.number().int(),
  winRatePct: z.number().nullable(),
  bestTradePct: z.number().nullable(),
  worstTradePct: z.number().nullable(),
  avgTradePct: z.number().nullable(),
  maxTradeDurationMs: z.number().nullable(),
  avgTradeDurationMs: z.number().nullable(),
  profitFactor: z.number().nullable(),
  expectancyPct: z.number().nullable(),
  sqn: z.number().nullable(),
  kellyCriterion: z.number().nullable(),
  probabilisticSharpe: z.number().nullable(),
});
export type BacktestStats = z.infer<typeof backtestStatsSchema>;

export const backtestTradeSchema = z.object({
  /** Signed units: positive long, negative short. */
  size: z.number(),
  entryBar: z.number().int().nonnegative(),
  exitBar: z.number().int().nonnegative(),
  entryTime: timestampMs,
  exitTime: timestampMs,
  entryPrice: z.number(),
  exitPrice: z.number(),
  /** Net of both commissions. */
  pnl: z.number(),
  commission: z.number(),
  /** Net return as a percentage. */
  returnPct: z.number(),
  /** The market regime its entry filled in, for a strategy that reads the regime (a model-driven one). */
  regime: regimeLabelSchema.nullable().optional(),
});
export type BacktestTrade = z.infer<typeof backtestTradeSchema>;

export const equityPointSchema = z.object({
  time: timestampMs,
  equity: z.number(),
  /** Drawdown from the running peak, as a positive percentage. */
  drawdownPct: z.number(),
});
export type EquityPoint = z.infer<typeof equityPointSchema>;

export const BACKTEST_STATUSES = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
export const backtestStatusSchema = z.enum(BACKTEST_STATUSES);
export type BacktestStatus = z.infer<typeof backtestStatusSchema>;

export const OPTIMIZE_OBJECTIVES = ['sharpe', 'return', 'profitFactor', 'returnWithinDrawdown'] as const;
export const OPTIMIZE_METHODS = ['grid', 'random', 'tpe'] as const;

/** One parameter's search range: numbers from `min` to `max` by `step`, or a list of values. */
export const searchDimensionSchema = z.union([
  z.object({ min: z.number(), max: z.number(), step: z.number().positive().optional(), log: z.boolean().optional() }).strict(),
  z.object({ values: z.array(z.union([z.number(), z.boolean(), z.string().max(64)])).min(1).max(1000) }).strict(),
]);

/** One trial of a search: its parameters, its objective and the headline figures. */
export const optimizeTrialSchema = z.object({
  params: strategyParamsSchema,
  /** The objective's value; null when the trial cannot be scored (no trades, a broken constraint). */
  objective: z.number().nullable(),
  /** Bars the trial was scored on (successive halving scores early trials on a prefix). */
  bars: z.number().int().nonnegative(),
  returnPct: z.number().nullable(),
  sharpeRatio: z.number().nullable(),
  maxDrawdownPct: z.number().nullable(),
  profitFactor: z.number().nullable(),
  trades: z.number().int().nonnegative(),
  /** Orders the strategy could not send or had refused (a size under one unit, a refusal); absent when none. */
  notSent: z.number().int().positive().optional(),
});
export type OptimizeTrial = z.infer<typeof optimizeTrialSchema>;

export const optimizeResultSchema = z.object({
  objective: z.enum(OPTIMIZE_OBJECTIVES),
  method: z.enum(OPTIMIZE_METHODS),
  trials: z.array(optimizeTrialSchema),
  best: optimizeTrialSchema.nullable(),
  /** Probability that the best trial's Sharpe ratio is real given how many were tried. */
  deflatedSharpe: z.number().nullable(),
});
export type OptimizeResult = z.infer<typeof optimizeResultSchema>;

export const backtestSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['backtest', 'optimize']),
  name: z.string(),
  status: backtestStatusSchema,
  error: z.string().nullable(),
  strategy: z.object({ type: z.string(), params: strategyParamsSchema }),
  data: backtestDataSchema,
  settings: backtestSettingsSchema,
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /** Headline figures once done. */
  returnPct: z.number().nullable(),
  sharpeRatio: z.number().nullable(),
  /** Closed trades once done (the full list is in `backtests.get`'s `trades`). */
  tradeCount: z.number().int().nullable(),
  createdAt: timestampMs,
  finishedAt: timestampMs.nullable(),
});
export type BacktestSummary = z.infer<typeof backtestSummarySchema>;

/** Signals kept with a run: in full up to this many; past it, those acted on (the newest). */
export const MAX_BACKTEST_SIGNALS = MAX_SIGNALS_LISTED;

/** What a model-driven strategy's model said during a run (scored in the backtest with the same code as live). */
export const backtestSignalsSchema = z.object({
  /** Bars scored: one signal each. */
  count: z.number().int().nonnegative(),
  /** Signals the strategy acted on. */
  acted: z.number().int().nonnegative(),
  /** For the chart's markers: every signal when there are at most MAX_BACKTEST_SIGNALS, otherwise those acted on (the newest of them). */
  list: z.array(signalSchema),
});
export type BacktestSignals = z.infer<typeof backtestSignalsSchema>;

/** Something the strategy could not do during a run (an order not sent or refused), with how often it came. */
export const backtestWarningSchema = z.object({ message: z.string(), count: z.number().int().positive() });
export type BacktestWarning = z.infer<typeof backtestWarningSchema>;

export const backtestResultSchema = backtestSummarySchema.extend({
  stats: backtestStatsSchema.nullable(),
  trades: z.array(backtestTradeSchema),
  equity: z.array(equityPointSchema),
  /** For a search: every trial and the best one. */
  optimize: optimizeResultSchema.nullable(),
  /** A model-driven strategy's signals; absent for a strategy that scores no model. */
  signals: backtestSignalsSchema.optional(),
  /** What the strategy could not do (orders not sent or refused), each distinct message once; absent when nothing. */
  warnings: z.array(backtestWarningSchema).optional(),
  /** How many points the whole equity curve has, present only when `equity` holds fewer (asked with `equityPoints`). */
  equityTotal: z.number().int().nonnegative().optional(),
});
export type BacktestResult = z.infer<typeof backtestResultSchema>;

export const runBacktestParams = z
  .object({
    name: z.string().min(1).max(80).optional(),
    strategy: backtestStrategySchema,
    data: backtestDataSchema,
    settings: backtestSettingsSchema.default(backtestSettingsSchema.parse({})),
  })
  .strict();
export type RunBacktestParams = z.infer<typeof runBacktestParams>;

export const optimizeParams = z
  .object({
    name: z.string().min(1).max(80).optional(),
    strategy: z
      .object({
        type: strategyTypeSchema,
        /** Fixed parameters (not searched). */
        params: strategyParamsSchema.optional(),
        /** Grid: every combination of these values. */
        grid: z.record(z.string().max(64), z.array(z.union([z.number(), z.boolean(), z.string().max(64)])).min(1).max(1000)).optional(),
        /** Random and TPE: ranges to sample. */
        space: z.record(z.string().max(64), searchDimensionSchema).optional(),
      })
      .strict()
      .refine((s) => (s.grid === undefined) !== (s.space === undefined), { message: 'give either a grid or a space' }),
    data: backtestDataSchema,
    settings: backtestSettingsSchema.default(backtestSettingsSchema.parse({})),
    objective: z.enum(OPTIMIZE_OBJECTIVES).default('sharpe'),
    method: z.enum(OPTIMIZE_METHODS).default('grid'),
    maxTrials: z.number().int().positive().max(100_000).optional(),
    /** For `returnWithinDrawdown`: the deepest drawdown allowed, as a positive percentage. */
    maxDrawdownPct: z.number().positive().max(100).optional(),
    /** Seed of the random and TPE samplers (same seed, same trials). */
    seed: z.number().int().nonnegative().optional(),
  })
  .strict();
export type OptimizeParams = z.infer<typeof optimizeParams>;

/** `datasets.bars` answers at most this many bars unless asked for fewer. */
export const DEFAULT_DATASET_BARS = 5_000;
export const MIN_DATASET_BARS = 10;
export const MAX_DATASET_BARS = 10_000;

export const datasetBarsParams = z
  .object({
    id: datasetIdSchema,
    /** Only bars at or after this time (ms). */
    from: timestampMs.optional(),
    /** Only bars before this time (ms). */
    to: timestampMs.optional(),
    /** The most bars answered; more in the range are aggregated into buckets. */
    maxBars: z.number().int().min(MIN_DATASET_BARS).max(MAX_DATASET_BARS).default(DEFAULT_DATASET_BARS),
  })
  .strict();
export type DatasetBarsParams = z.input<typeof datasetBarsParams>;

/** One bar of a dataset, as numbers (a dataset's bars are doubles, not venue decimals). */
export const datasetBarSchema = z.object({
  time: timestampMs,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});
export type DatasetBar = z.infer<typeof datasetBarSchema>;

export const datasetBarsResultSchema = z.object({
  /** Ascending by time; a bucket is stamped with its first bar's time. */
  bars: z.array(datasetBarSchema),
  /** The time one answered bar spans: the data's period, or that times the bars in a bucket. */
  bucketMs: z.number().int().positive(),
});
export type DatasetBarsResult = z.infer<typeof datasetBarsResultSchema>;

const idParams = z.object({ id: backtestIdSchema }).strict();

/** The most equity points `backtests.get` may be asked for (as many as a million-bar run has). */
export const MAX_EQUITY_POINTS_ASKED = 1_000_000;
/** Fewer points than this would not draw a curve. */
export const MIN_EQUITY_POINTS_ASKED = 100;
const getParams = z
  .object({
    id: backtestIdSchema,
    /**
     * At most this many points of the equity curve: in each of equal spans of
     * the run, its first and last point, highest and lowest equity and deepest
     * drawdown (a chart's worth of a million-bar run, every extreme kept).
     * Absent: every point.
     */
    equityPoints: z.number().int().min(MIN_EQUITY_POINTS_ASKED).max(MAX_EQUITY_POINTS_ASKED).optional(),
  })
  .strict();

export const backtestMethods = {
  /** Imports a CSV of bars; a malformed file is refused with the row and column at fault. */
  'datasets.import': method(
    'command',
    z
      .object({ name: z.string().min(1).max(80), csv: z.string().min(1).max(MAX_DATASET_CSV_CHARS), symbol: z.string().min(1).max(40).optional() })
      .strict(),
    datasetSchema,
  ),
  'datasets.list': method('query', empty, z.object({ datasets: z.array(datasetSchema) })),
  'datasets.delete': method('command', z.object({ id: datasetIdSchema }).strict(), ok),
  /** Starts a backtest in a worker; answers its id at once. */
  'backtests.run': method('command', runBacktestParams, z.object({ id: z.string() })),
  'backtests.get': method('query', getParams, backtestResultSchema),
  'backtests.list': method('query', empty, z.object({ backtests: z.array(backtestSummarySchema) })),
  'backtests.cancel': method('command', idParams, ok),
  'backtests.delete': method('command', idParams, ok),
  /** Starts a parameter search over all cores; answers its id at once. */
  'backtests.optimize': method('command', optimizeParams, z.object({ id: z.string() })),
  /**
   * One part of a large CSV file, in order from 0, under an id the client
   * chose. The first part names the dataset. An upload left idle for ten
   * minutes is dropped.
   */
  'datasets.uploadPart': method(
    'command',
    z
      .object({
        uploadId: uploadIdSchema,
        index: z.number().int().nonnegative().max(MAX_DATASET_CSV_CHARS / MAX_DATASET_PART_CHARS + 1),
        part: z.string().min(1).max(MAX_DATASET_PART_CHARS),
        name: z.string().min(1).max(80).optional(),
        symbol: z.string().min(1).max(40).optional(),
      })
      .strict(),
    z.object({ uploadId: z.string(), parts: z.number().int().positive(), chars: z.number().int().positive() }),
  ),
  /** Imports the parts received, as `datasets.import` imports one text. */
  'datasets.uploadFinish': method('command', z.object({ uploadId: uploadIdSchema }).strict(), datasetSchema),
  /**
   * The dataset's bars within [from, to) for drawing. More than `maxBars`
   * are aggregated into buckets of equally many consecutive bars (open of the
   * first, highest high, lowest low, close of the last, volume summed), so
   * the answer never holds more than `maxBars`.
   */
  'datasets.bars': method('query', datasetBarsParams, datasetBarsResultSchema),
} as const;

export const backtestEvents = {
  'backtests.progress': z.object({ id: z.string(), done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /** A run or search changed status (queued, running, done, failed, canceled). */
  'backtests.updated': backtestSummarySchema,
} as const;
