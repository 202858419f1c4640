/**
 * The contract's machine-learning domain. For now: the market regime of an
 * instrument (trending up, trending down, ranging, volatile), with the recent
 * history of labels for the chart's band.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { method } from './common';

export const REGIME_LABELS = ['trending_up', 'trending_down', 'ranging', 'volatile'] as const;
export const regimeLabelSchema = z.enum(REGIME_LABELS);
export type RegimeLabelName = z.infer<typeof regimeLabelSchema>;

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

export const mlMethods = {
  'regime.current': method('query', z.object({ venue: venueId, symbol, timeframe, history: z.number().int().min(0).max(1_000).optional() }).strict(), regimeViewSchema),
} as const;
