/**
 * The contract's signals: what a model said about a closed bar for a running
 * model-driven strategy (direction, confidence, the model version and the
 * feature code that produced it), whether the strategy acted on it, and the
 * orders it caused. The Signals feed, the chart's markers and an order's
 * detail all read them from here.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { method } from './common';
import { regimeLabelSchema } from './regime';

export const SIGNAL_DIRECTIONS = ['long', 'short', 'neutral'] as const;
export const signalDirectionSchema = z.enum(SIGNAL_DIRECTIONS);
export type SignalDirection = z.infer<typeof signalDirectionSchema>;

export const signalSchema = z.object({
  id: z.string(),
  /** Open time of the closed bar that was scored. */
  time: timestampMs,
  venue: venueId,
  symbol,
  timeframe,
  direction: signalDirectionSchema,
  /** The model's probability of `direction`, 0..1. */
  confidence: z.number().min(0).max(1),
  /** Every class's probability (long, short, neutral) when the model gives them. */
  probabilities: z.object({ long: z.number(), short: z.number(), neutral: z.number() }).nullable(),
  modelId: z.string(),
  modelName: z.string(),
  modelVersion: z.number().int().positive(),
  featuresHash: z.string(),
  /** The strategy instance it was scored for; null for one scored outside a strategy. */
  strategyId: z.string().nullable(),
  /** The regime of the bar, when the strategy reads it. */
  regime: regimeLabelSchema.nullable(),
  /** True when it passed the strategy's threshold (and regime gate) and the strategy acted on it. */
  acted: z.boolean(),
  /** Why it did or did not act ("confidence 0.62 below 0.75", "regime volatile is gated out", ...). */
  note: z.string(),
  /** Orders it caused, oldest first. */
  orderIds: z.array(z.string()),
  createdAt: timestampMs,
});
export type Signal = z.infer<typeof signalSchema>;

export const MAX_SIGNALS_LISTED = 5_000;

export const listSignalsParams = z
  .object({
    strategyId: z.string().min(1).max(64).optional(),
    venue: venueId.optional(),
    symbol: symbol.optional(),
    modelId: z.string().min(1).max(64).optional(),
    /** The signal(s) that caused this order. */
    orderId: z.string().min(1).max(64).optional(),
    /** Only signals on bars opening before this time (paging back). */
    before: timestampMs.optional(),
    /** Newest first; default 200. */
    limit: z.number().int().min(1).max(MAX_SIGNALS_LISTED).optional(),
  })
  .strict();
export type ListSignalsParams = z.infer<typeof listSignalsParams>;

export const signalMethods = {
  'signals.list': method('query', listSignalsParams, z.object({ signals: z.array(signalSchema) })),
} as const;

export const signalEvents = {
  /** A model scored a closed bar for a running strategy. */
  'signals.new': signalSchema,
  /** A signal changed after it was published: the strategy acted on it and orders were linked. */
  'signals.updated': signalSchema,
} as const;
