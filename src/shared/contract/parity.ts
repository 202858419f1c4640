/**
 * The contract's parity report: a strategy instance that ran on paper or
 * live, replayed over the same bars through the backtest kernel with the
 * venue's fill model, and compared decision by decision. Each row pairs one
 * live order with the replay's order on the same bar and side (or stands
 * alone), says why they differ, and gives the figures. docs/parity.md
 * defines every reason and the tracking error.
 */
import { z } from 'zod';
import { decimalString, orderSide, orderStatus, orderType, symbol, timeframe, timestampMs, venueId } from '../domain';
import { method } from './common';
import { strategyIdSchema } from './strategies';

/**
 * Why a row is there, in the order the matcher decides them:
 * - same: the same decision on the same bar, filled alike at the same price;
 * - price: the same decision, filled at another price (slippage);
 * - fillModel: the same decision, filled on one side and not the other;
 * - latency: the same decision, sent later after its bar's close than the threshold;
 * - missedBar: bars the instance did not process (paused, stopped, in error), with the replay's decisions on them;
 * - missing: the replay decided on a bar the instance processed, and the instance did not;
 * - extra: the instance sent an order the replay did not.
 */
export const PARITY_REASONS = ['same', 'price', 'fillModel', 'latency', 'missedBar', 'missing', 'extra'] as const;
export const parityReasonSchema = z.enum(PARITY_REASONS);
export type ParityReason = z.infer<typeof parityReasonSchema>;

export const PARITY_SEVERITIES = ['ok', 'info', 'warning', 'error'] as const;
export const paritySeveritySchema = z.enum(PARITY_SEVERITIES);
export type ParitySeverity = z.infer<typeof paritySeveritySchema>;

/** One order of either side, as far as the comparison needs it. */
export const parityOrderSchema = z.object({
  orderId: z.string(),
  type: orderType,
  side: orderSide,
  /** When it was sent: live, the moment the instance sent it; in the replay, its bar's close. */
  createdAt: timestampMs,
  quantity: decimalString,
  /** A limit's price; null for market orders. */
  price: decimalString.nullable(),
  status: orderStatus,
  filledQuantity: decimalString,
  averagePrice: decimalString.nullable(),
});
export type ParityOrder = z.infer<typeof parityOrderSchema>;

export const parityRowSchema = z.object({
  reason: parityReasonSchema,
  severity: paritySeveritySchema,
  /** Open time of the bar decided on (the first of a stretch of missed bars). */
  barTime: timestampMs,
  /** Bars the row covers: 1, or the length of a stretch of missed bars. */
  bars: z.number().int().positive(),
  side: orderSide.nullable(),
  live: parityOrderSchema.nullable(),
  replay: parityOrderSchema.nullable(),
  /** Live average fill minus the replay's, against the trader when positive (a buy paid more, a sell got less). */
  slippage: z.object({ price: decimalString, bps: z.number() }).nullable(),
  /** How long after its bar's close the live order was sent. */
  lagMs: z.number().int().nullable(),
  /** The reason in words, with the figures. */
  note: z.string(),
});
export type ParityRow = z.infer<typeof parityRowSchema>;

export const paritySummarySchema = z.object({
  instanceId: z.string(),
  name: z.string(),
  venue: venueId,
  symbol,
  timeframe,
  /** The period compared: decisions on bars closing after `from`, up to `to`. */
  from: timestampMs,
  to: timestampMs,
  /** Bars in the period, and the warm-up replayed before it. */
  bars: z.number().int().nonnegative(),
  warmupBars: z.number().int().nonnegative(),
  /** How the replay filled orders, in words (model, spread, fees, starting cash). */
  fillModel: z.string(),
  latencyThresholdMs: z.number().int().nonnegative(),
  liveOrders: z.number().int().nonnegative(),
  replayOrders: z.number().int().nonnegative(),
  /** Pairs of one live and one replay order. */
  matched: z.number().int().nonnegative(),
  /** Pairs that differ in nothing. */
  same: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  extra: z.number().int().nonnegative(),
  /** Bars the instance did not process. */
  missedBars: z.number().int().nonnegative(),
  /** Closed round trips in the period. */
  liveTrades: z.number().int().nonnegative(),
  replayTrades: z.number().int().nonnegative(),
  /** Net PnL (after fees) of the period's closed round trips, in the settlement currency. */
  livePnl: decimalString,
  replayPnl: decimalString,
  /** Mean slippage of the pairs filled on both sides, in basis points (positive: live did worse). */
  meanSlippageBps: z.number().nullable(),
  /** Root mean square of the per-trade return difference, in basis points; null without a closed round trip on either side. */
  trackingErrorBps: z.number().nullable(),
  /** Why the replay could not follow the whole period (a strategy that failed), else null. */
  replayFailure: z.string().nullable(),
});
export type ParitySummary = z.infer<typeof paritySummarySchema>;

export const parityReportSchema = z.object({
  summary: paritySummarySchema,
  /** In bar order. */
  rows: z.array(parityRowSchema),
  computedAt: timestampMs,
});
export type ParityReport = z.infer<typeof parityReportSchema>;

export const parityParams = z
  .object({
    id: strategyIdSchema,
    from: timestampMs.optional(),
    to: timestampMs.optional(),
    /** How late after its bar's close an order may be sent before it counts as latency; default 5 % of a bar, at least 5 s. */
    latencyMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .strict();
export type ParityParams = z.infer<typeof parityParams>;

export const parityMethods = {
  /** Replays an instance's period through the backtest and compares it trade by trade. */
  'strategies.parity': method('query', parityParams, parityReportSchema),
} as const;
