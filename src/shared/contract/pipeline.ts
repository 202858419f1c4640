/**
 * The contract's `pipeline` domain: strategy versions (cards) on a board of
 * three columns, Discovery → Paper → Live, each with the evidence that
 * decides whether it may move forward, the gates that say how much evidence
 * is enough, and the journal of every move. A card moves forward only when
 * the gate of the column it would enter passes; a card that degrades is
 * demoted with the reason.
 *
 * Percentages are percent (20 = 20 %), drawdowns positive; a figure the data
 * leaves undefined is null. `pipeline.discover` answers a job id at once and
 * reports `pipeline.discovery` progress; every change to the board is
 * published as `pipeline.updated`.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { empty, method } from './common';
import { backtestSettingsSchema, datasetIdSchema, OPTIMIZE_METHODS, OPTIMIZE_OBJECTIVES, searchDimensionSchema } from './backtests';
import { STRATEGY_STATUSES, strategyParamsSchema, strategyTypeSchema } from './strategies';

export const PIPELINE_COLUMNS = ['discovery', 'paper', 'live'] as const;
export const pipelineColumnSchema = z.enum(PIPELINE_COLUMNS);
export type PipelineColumn = z.infer<typeof pipelineColumnSchema>;

export const cardIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a card id');

/** Headline figures of one stretch of a backtest (the in-sample part, one out-of-sample fold, all of them). */
export const backtestFiguresSchema = z.object({
  from: timestampMs,
  to: timestampMs,
  /** Round trips that closed in the stretch. */
  trades: z.number().int().nonnegative(),
  returnPct: z.number(),
  /** Annualised, from the stretch's period returns. */
  sharpeRatio: z.number().nullable(),
  /** Deepest fall below the running high within the stretch, positive. */
  maxDrawdownPct: z.number().nonnegative(),
  profitFactor: z.number().nullable(),
});
export type BacktestFigures = z.infer<typeof backtestFiguresSchema>;

export const CHECK_STATUSES = ['passed', 'failed', 'not_run'] as const;
export const checkResultSchema = z.object({ status: z.enum(CHECK_STATUSES), detail: z.string() });
export type CheckResult = z.infer<typeof checkResultSchema>;

/** What the backtests say: a search on the in-sample part, the chosen set played on the folds after it. */
export const backtestEvidenceSchema = z.object({
  /** The search that found the set (a `backtests.get` id), and the full backtest of the set. */
  searchId: z.string().nullable(),
  backtestId: z.string().nullable(),
  inSample: backtestFiguresSchema.nullable(),
  /** All the out-of-sample folds together. */
  outOfSample: backtestFiguresSchema.nullable(),
  /** Walk-forward: each out-of-sample fold on its own, oldest first. */
  folds: z.array(backtestFiguresSchema),
  /** Distinct parameter sets the search tried. */
  trials: z.number().int().nonnegative(),
  /** Probability that the out-of-sample Sharpe ratio is real given the trials (deflated Sharpe ratio). */
  deflatedSharpe: z.number().nullable(),
  /** The deepest drawdown of any fold, positive. */
  worstFoldDrawdownPct: z.number().nullable(),
  /** The deepest drawdown the backtest saw anywhere (in sample or out): a running card deeper than this degrades. */
  worstDrawdownPct: z.number().nullable(),
});
export type BacktestEvidence = z.infer<typeof backtestEvidenceSchema>;

/** What a card's running instance (on paper or live) has shown since it entered its column. */
export const runEvidenceSchema = z.object({
  instanceId: z.string(),
  venue: venueId,
  /** Its instance's status when last read (stopped by the trader or the emergency stop, it stays so); `deleted` once it is gone. */
  status: z.enum([...STRATEGY_STATUSES, 'deleted']),
  startedAt: timestampMs,
  /** Whole and partial days since it started (1.5 = a day and a half). */
  days: z.number().nonnegative(),
  /** Round trips it closed. */
  trades: z.number().int().nonnegative(),
  /** Its own equity's deepest fall below its running high since it started, positive; null before it has traded. */
  drawdownPct: z.number().nonnegative().nullable(),
  /** How far it strays from a replay of the same period through the backtest; null until there is enough to compare. */
  trackingError: z.number().nonnegative().nullable(),
  /** The tracking error read before this one, to see it rising. */
  previousTrackingError: z.number().nonnegative().nullable(),
  /** Differences the venue's last reconciliation found that nobody has resolved. */
  openDifferences: z.number().int().nonnegative(),
  /** Its orders the risk stage refused since it started. */
  riskRefusals: z.number().int().nonnegative(),
});
export type RunEvidence = z.infer<typeof runEvidenceSchema>;

export const cardEvidenceSchema = z.object({
  backtest: backtestEvidenceSchema,
  checks: z.object({
    /** The strategy decides the same on bars cut short as on the full history (it reads no future bar). */
    lookahead: checkResultSchema,
    /** It makes no decision inside its declared warm-up, wherever the data starts. */
    warmup: checkResultSchema,
  }),
  run: runEvidenceSchema.nullable(),
  updatedAt: timestampMs,
});
export type CardEvidence = z.infer<typeof cardEvidenceSchema>;

/** One criterion of a gate: what it measures, the value seen, what it needs, and whether it holds. */
export const gateCriterionSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.union([z.number(), z.boolean(), z.null()]),
  /** What it needs, in words ("≥ 100", "< 20 %"). */
  requirement: z.string(),
  passed: z.boolean(),
});
export type GateCriterion = z.infer<typeof gateCriterionSchema>;

export const gateResultSchema = z.object({
  column: pipelineColumnSchema,
  passed: z.boolean(),
  criteria: z.array(gateCriterionSchema),
});
export type GateResult = z.infer<typeof gateResultSchema>;

/** A gate on backtest evidence: what a candidate needs to be kept (Discovery) or to enter Paper. */
export const backtestGateSchema = z
  .object({
    minOosTrades: z.number().int().nonnegative().max(1_000_000),
    /** Deflated Sharpe probability the card must exceed (0.95 = 95 %). */
    minDeflatedSharpe: z.number().min(0).max(1),
    /** Every fold's drawdown must stay under this, in percent. */
    maxWorstFoldDrawdownPct: z.number().positive().max(100),
    /** The lookahead and warm-up checks must have passed. */
    requireChecks: z.boolean(),
  })
  .strict();
export type BacktestGate = z.infer<typeof backtestGateSchema>;

export const liveGateSchema = z
  .object({
    minPaperDays: z.number().nonnegative().max(3650),
    minPaperTrades: z.number().int().nonnegative().max(1_000_000),
    /** The tracking error (RMS of live-minus-replay trade returns) must be under this bound (a fraction: 0.05 = 5 % = 500 bps). */
    maxTrackingError: z.number().positive().max(10),
    maxOpenDifferences: z.number().int().nonnegative().max(1000),
  })
  .strict();
export type LiveGate = z.infer<typeof liveGateSchema>;

export const gateSettingsSchema = z
  .object({
    discovery: backtestGateSchema,
    paper: backtestGateSchema,
    live: liveGateSchema,
    /** Move a card forward as soon as its gate passes, without a click. */
    autoPromote: z.boolean(),
    /** Demote a degrading card without a click. */
    autoDemote: z.boolean(),
    /** A running card degrades when its drawdown exceeds its backtest's worst times this. */
    drawdownMultiple: z.number().positive().max(10),
    /** Live orders are sized at this share of the paper size (0.25 = a quarter). */
    liveSizeFactor: z.number().positive().max(1),
    /** The real venue a card goes live on; null = the only real venue that is ready. */
    liveVenue: venueId.nullable(),
  })
  .strict();
export type GateSettings = z.infer<typeof gateSettingsSchema>;

export const DEFAULT_GATE_SETTINGS: GateSettings = {
  discovery: { minOosTrades: 20, minDeflatedSharpe: 0.5, maxWorstFoldDrawdownPct: 40, requireChecks: false },
  paper: { minOosTrades: 100, minDeflatedSharpe: 0.95, maxWorstFoldDrawdownPct: 20, requireChecks: true },
  live: { minPaperDays: 14, minPaperTrades: 30, maxTrackingError: 0.05, maxOpenDifferences: 0 },
  autoPromote: false,
  autoDemote: true,
  drawdownMultiple: 1,
  liveSizeFactor: 0.25,
  liveVenue: null,
};

/** Where a card trades once promoted: the symbol and timeframe its backtests stood for. */
export const cardMarketSchema = z.object({ symbol, timeframe });

export const pipelineCardSchema = z.object({
  id: z.string(),
  name: z.string(),
  column: pipelineColumnSchema,
  /** The strategy version: catalog type, parameters, and the model version an ML-scored card scores. */
  type: z.string(),
  params: strategyParamsSchema,
  model: z.object({ name: z.string(), version: z.number().int().positive().nullable() }).nullable(),
  symbol,
  timeframe,
  /** Where its backtests took their bars from, in words (a dataset's name, a venue's history). */
  dataLabel: z.string(),
  /** The instance running it in Paper or Live; null in Discovery. */
  instanceId: z.string().nullable(),
  /** Its venue in Paper or Live. */
  venue: venueId.nullable(),
  /** Live only: the share of the paper size it trades at. */
  sizeFactor: z.number().positive().max(1).nullable(),
  evidence: cardEvidenceSchema,
  /** The gate of the next column, evaluated on the evidence; null in Live. */
  nextGate: gateResultSchema.nullable(),
  /** Why it would be demoted now; null while it is healthy (or in Discovery). */
  degradation: z.string().nullable(),
  discoveryId: z.string().nullable(),
  createdAt: timestampMs,
  updatedAt: timestampMs,
});
export type PipelineCard = z.infer<typeof pipelineCardSchema>;

export const pipelineMoveSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  kind: z.enum(['created', 'promote', 'demote']),
  from: pipelineColumnSchema.nullable(),
  to: pipelineColumnSchema,
  reason: z.string(),
  /** Made by Keel (an automatic promotion or demotion) rather than the trader. */
  automatic: z.boolean(),
  /** The evidence and gate as they stood when the move was made. */
  evidence: cardEvidenceSchema,
  gate: gateResultSchema.nullable(),
  at: timestampMs,
});
export type PipelineMove = z.infer<typeof pipelineMoveSchema>;

/** Bars a discovery searches: a venue's stored history, or a dataset with the market its cards would trade. */
export const discoveryMarketSchema = z.union([
  z.object({ venue: venueId, symbol, timeframe, from: timestampMs.optional(), to: timestampMs.optional() }).strict(),
  z.object({ dataset: datasetIdSchema, symbol, timeframe }).strict(),
]);
export type DiscoveryMarket = z.infer<typeof discoveryMarketSchema>;

export const discoveryFamilySchema = z
  .object({
    type: strategyTypeSchema,
    /** Fixed parameters; for `ml-scored`, `model` names the model its variants score. */
    params: strategyParamsSchema.optional(),
    /** Ranges to search; default: around each numeric parameter's default. */
    space: z.record(z.string().max(64), searchDimensionSchema).optional(),
  })
  .strict();
export type DiscoveryFamily = z.infer<typeof discoveryFamilySchema>;

export const discoverySpecSchema = z
  .object({
    families: z.array(discoveryFamilySchema).min(1).max(10),
    markets: z.array(discoveryMarketSchema).min(1).max(10),
    method: z.enum(OPTIMIZE_METHODS).default('random'),
    objective: z.enum(OPTIMIZE_OBJECTIVES).default('sharpe'),
    /** Parameter sets per family and market. */
    maxTrials: z.number().int().positive().max(1000).default(20),
    /** The best sets of each search taken on to the out-of-sample folds. */
    candidates: z.number().int().positive().max(10).default(3),
    /** Share of the bars the search sees; the rest is split into the out-of-sample folds. */
    inSampleFraction: z.number().min(0.3).max(0.9).default(0.6),
    folds: z.number().int().min(1).max(10).default(3),
    settings: backtestSettingsSchema.default(backtestSettingsSchema.parse({})),
    seed: z.number().int().nonnegative().optional(),
    /** Run the same discovery again every this many hours (0 or absent: once). */
    everyHours: z.number().nonnegative().max(24 * 30).optional(),
  })
  .strict();
export type DiscoverySpec = z.infer<typeof discoverySpecSchema>;
export type DiscoverySpecInput = z.input<typeof discoverySpecSchema>;

export const discoveryProgressSchema = z.object({
  jobId: z.string(),
  /** What it searches, in words ("SMA cross on paper BTC/USDT:USDT 1h"); absent on runs kept by older versions. */
  label: z.string().optional(),
  status: z.enum(['running', 'done', 'failed']),
  /** Searches and candidate backtests finished, of all planned. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Cards kept so far. */
  kept: z.number().int().nonnegative(),
  message: z.string(),
  /** The schedule that started it; null or absent for a discovery run once. */
  scheduleId: z.string().nullable().optional(),
  startedAt: timestampMs.optional(),
});
export type DiscoveryProgress = z.infer<typeof discoveryProgressSchema>;

export const scheduleIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a schedule id');

/** A discovery repeated every `spec.everyHours` on the engine clock; kept in the journal, so it survives a restart. */
export const discoveryScheduleSchema = z.object({
  id: z.string(),
  /** What it searches, in words ("SMA cross on paper BTC/USDT:USDT 1h"). */
  label: z.string(),
  spec: discoverySpecSchema,
  createdAt: timestampMs,
  /** When it runs next (a run missed while Keel was stopped runs once right after start). */
  nextRunAt: timestampMs,
  lastJobId: z.string().nullable(),
  lastRunAt: timestampMs.nullable(),
  /** Why the last time it fell due started nothing (its previous run was still going); null when it ran. */
  lastSkipped: z.string().nullable(),
});
export type DiscoverySchedule = z.infer<typeof discoveryScheduleSchema>;

export const pipelineListSchema = z.object({
  cards: z.array(pipelineCardSchema),
  /** The newest moves first (at most 100). */
  moves: z.array(pipelineMoveSchema),
  /** The recent discoveries, newest first (kept in the journal; one under way when Keel stopped is listed failed). */
  discoveries: z.array(discoveryProgressSchema),
  /** The discovery schedules, oldest first. */
  schedules: z.array(discoveryScheduleSchema),
});
export type PipelineList = z.infer<typeof pipelineListSchema>;

export const promoteParams = z
  .object({
    cardId: cardIdSchema,
    /** Into Live: the real venue (default: the gate settings' `liveVenue`, else the only one ready). */
    venue: venueId.optional(),
    /** Into Live: the share of the paper size (default: the gate settings' `liveSizeFactor`). */
    sizeFactor: z.number().positive().max(1).optional(),
  })
  .strict();

export const pipelineMethods = {
  'pipeline.list': method('query', empty, pipelineListSchema),
  /** Moves a card to the next column when that column's gate passes; entering Paper or Live starts its instance there. */
  'pipeline.promote': method('command', promoteParams, pipelineCardSchema),
  /** Moves a card one column back, stopping its instance (its orders cancelled). */
  'pipeline.demote': method('command', z.object({ cardId: cardIdSchema, reason: z.string().trim().min(1).max(500) }).strict(), pipelineCardSchema),
  'pipeline.gates.get': method('query', empty, gateSettingsSchema),
  'pipeline.gates.set': method('command', z.object({ settings: gateSettingsSchema.partial() }).strict(), gateSettingsSchema),
  /** Starts a discovery in worker threads; answers its job id at once, and with `everyHours` the schedule that repeats it. */
  'pipeline.discover': method('command', z.object({ spec: discoverySpecSchema }).strict(), z.object({ jobId: z.string(), scheduleId: z.string().optional() })),
  'pipeline.schedules.list': method('query', empty, z.array(discoveryScheduleSchema)),
  /** Ends a schedule: it starts no more runs (a run under way finishes). Answers the schedules left. */
  'pipeline.schedules.remove': method('command', z.object({ scheduleId: scheduleIdSchema }).strict(), z.array(discoveryScheduleSchema)),
} as const;

export const pipelineEvents = {
  /** The board changed: a card added, moved, its evidence refreshed. */
  'pipeline.updated': pipelineListSchema,
  'pipeline.discovery': discoveryProgressSchema,
} as const;
