/**
 * The contract's `strategies` domain: the catalog of strategy types (built in
 * and the user's own files), and the instances a trader creates from it,
 * starts, pauses, resumes, stops and deletes. Orders an instance places carry
 * `source: "strategy"` and `sourceId` = the instance's id.
 */
import { z } from 'zod';
import { decimalString, positiveDecimalString, symbol, timeframe, timestampMs, venueId } from '../domain';
import { method, empty, ok } from './common';
import { regimeLabelSchema } from './regime';

const name = z.string().min(1).max(80);
export const strategyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a strategy id');
export const strategyTypeSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a strategy type (lower-case letters, digits, "-", "_")');

export const STRATEGY_PARAM_TYPES = ['int', 'float', 'bool', 'enum', 'model'] as const;

/**
 * One declared parameter: what the form shows and what validation enforces.
 * A `model` parameter names a model of the registry: its name (the active
 * version is used) or one version's id (that version, pinned).
 */
export const strategyParamSpecSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(STRATEGY_PARAM_TYPES),
  default: z.union([z.number(), z.boolean(), z.string()]),
  min: z.number().nullable(),
  max: z.number().nullable(),
  step: z.number().nullable(),
  options: z.array(z.string()).nullable(),
  description: z.string(),
});
export type StrategyParamSpec = z.infer<typeof strategyParamSpecSchema>;

/** Parameter values by name: numbers, switches, choices and model references (a model's name, up to 80 characters). */
export const strategyParamsSchema = z.record(z.string().max(64), z.union([z.number(), z.boolean(), z.string().max(80)]));
export type StrategyParams = z.infer<typeof strategyParamsSchema>;

export const strategyCatalogEntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  /** One line for the list. */
  summary: z.string(),
  /** The page of explanation: how it decides, how it sizes, when it suits, its risks (paragraphs separated by blank lines). */
  explanation: z.string(),
  params: z.array(strategyParamSpecSchema),
  /** Constraints between parameters, in words ("fast < slow"). */
  constraints: z.array(z.string()),
  origin: z.enum(['builtin', 'user']),
  /** The user file it came from; null for built-ins. */
  file: z.string().nullable(),
  /** Why a user file could not be loaded; such an entry cannot be instantiated. */
  error: z.string().nullable(),
});
export type StrategyCatalogEntry = z.infer<typeof strategyCatalogEntrySchema>;

/** Per-instance limits on top of the account's risk limits; null = no limit of that kind. */
export const strategyLimitsSchema = z
  .object({
    /** Largest position value (quantity × price) the instance may build, in the quote currency. */
    maxPositionValue: positiveDecimalString.nullable(),
    /** Most open orders it may have at once. */
    maxOpenOrders: z.number().int().positive().max(10_000).nullable(),
    /** Loss since the start of the UTC day (realized net of fees + unrealized) that stops it. */
    maxDailyLoss: positiveDecimalString.nullable(),
  })
  .strict();
export type StrategyLimits = z.infer<typeof strategyLimitsSchema>;

export const STRATEGY_STATUSES = ['stopped', 'starting', 'running', 'paused', 'error'] as const;
export const strategyStatusSchema = z.enum(STRATEGY_STATUSES);
export type StrategyStatus = z.infer<typeof strategyStatusSchema>;

/** What an instance has done: its own fills, position and signals. */
export const strategyAccountingSchema = z.object({
  realizedPnl: decimalString,
  unrealizedPnl: decimalString,
  fees: decimalString,
  /** Closed round trips. */
  trades: z.number().int().nonnegative(),
  wins: z.number().int().nonnegative(),
  winRatePct: z.number().nullable(),
  /** Its own net position, signed (+ long, − short). */
  position: decimalString,
  entryPrice: decimalString.nullable(),
  openOrders: z.number().int().nonnegative(),
  lastSignal: z.object({ time: timestampMs, text: z.string() }).nullable(),
  /**
   * Its closed round trips by the market regime each began in, for a
   * strategy that reads the regime (a model-driven one), from the fills it
   * made since Keel started; each of its orders' signals keeps the regime
   * for good.
   */
  byRegime: z.array(z.object({ regime: regimeLabelSchema, trades: z.number().int().nonnegative(), wins: z.number().int().nonnegative(), realizedPnl: decimalString })).optional(),
});
export type StrategyAccounting = z.infer<typeof strategyAccountingSchema>;

export const strategyInstanceSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  venue: venueId,
  symbol,
  timeframe,
  params: strategyParamsSchema,
  limits: strategyLimitsSchema,
  status: strategyStatusSchema,
  /** Why it is in `error` or was stopped by Keel (a limit, the emergency stop); null otherwise. */
  statusReason: z.string().nullable(),
  /** Whether an instance running at shutdown runs again after a restart (once its venue is reconciled). */
  resumeAfterRestart: z.boolean(),
  accounting: strategyAccountingSchema,
  createdAt: timestampMs,
  updatedAt: timestampMs,
});
export type StrategyInstance = z.infer<typeof strategyInstanceSchema>;

const idParams = z.object({ id: strategyIdSchema }).strict();
const noLimits: StrategyLimits = { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: null };

export const createStrategyParams = z
  .object({
    type: strategyTypeSchema,
    name: name.optional(),
    venue: venueId,
    symbol,
    timeframe,
    params: strategyParamsSchema,
    limits: strategyLimitsSchema.optional(),
    resumeAfterRestart: z.boolean().optional(),
  })
  .strict();
export type CreateStrategyParams = z.infer<typeof createStrategyParams>;

export const updateStrategyParams = z
  .object({
    id: strategyIdSchema,
    params: strategyParamsSchema.optional(),
    name: name.optional(),
    limits: strategyLimitsSchema.optional(),
    resumeAfterRestart: z.boolean().optional(),
  })
  .strict();
export type UpdateStrategyParams = z.infer<typeof updateStrategyParams>;

/** Why a strategy's order was not sent when its size rounded down to nothing; a backtest's result view looks for it to say what to change. */
export const UNDER_ONE_LOT = 'its size came to less than one lot';

/** `reload`: read the user's strategy folder again first (new, changed and removed files). */
const catalogParams = z.object({ reload: z.boolean().optional() }).strict();

export const strategyMethods = {
  'strategies.catalog': method('query', catalogParams, z.object({ entries: z.array(strategyCatalogEntrySchema) })),
  'strategies.list': method('query', empty, z.object({ strategies: z.array(strategyInstanceSchema) })),
  'strategies.create': method('command', createStrategyParams, strategyInstanceSchema),
  /** Changes a stopped (or errored) instance's parameters, name, limits or restart switch. */
  'strategies.update': method('command', updateStrategyParams, strategyInstanceSchema),
  'strategies.start': method('command', idParams, strategyInstanceSchema),
  /** Keeps its position and resting orders; it places nothing new until resumed. */
  'strategies.pause': method('command', idParams, strategyInstanceSchema),
  'strategies.resume': method('command', idParams, strategyInstanceSchema),
  /** Cancels its own open orders (nobody else's); `flatten` also closes its own position. */
  'strategies.stop': method('command', z.object({ id: strategyIdSchema, flatten: z.boolean().optional() }).strict(), strategyInstanceSchema),
  /** Deletes a stopped instance; its orders and fills stay in the books. */
  'strategies.delete': method('command', idParams, ok),
} as const;

export const strategyEvents = {
  'strategies.updated': strategyInstanceSchema,
} as const;

export { noLimits as NO_STRATEGY_LIMITS };
