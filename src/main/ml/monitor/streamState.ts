/**
 * The saved form of one stream's monitor: plain JSON in the journal, checked
 * with zod on the way back so a damaged state is refused rather than judged
 * from. Bounded: the rows waiting for their outcome (at most the target's
 * horizon), the online model (a few weights per feature), the last outcomes'
 * hits (at most the accuracy window, one character each) and the PSI
 * window's bin codes (one character per feature per row).
 */
import { z } from 'zod';
import { timeframe } from '../../../shared/domain';

const finite = z.number().finite();

export const pendingRowSchema = z.object({
  time: z.number().int().nonnegative(),
  close: finite.positive(),
  features: z.array(finite),
  /** The model's call: a direction code, or the predicted return. */
  batch: finite,
  /** The online model's class, predicted when the bar was scored. */
  online: z.number().int().nonnegative(),
});
export type PendingRow = z.infer<typeof pendingRowSchema>;

export const streamStateSchema = z.object({
  format: z.literal('keel.monitor-stream'),
  version: z.literal(1),
  modelId: z.string().min(1),
  venue: z.string().min(1),
  symbol: z.string().min(1),
  timeframe,
  observations: z.number().int().nonnegative(),
  outcomes: z.number().int().nonnegative(),
  missed: z.number().int().nonnegative(),
  lastTime: z.number().int().nonnegative().nullable(),
  updatedAt: z.number().int().nonnegative().nullable(),
  pending: z.array(pendingRowSchema),
  /** The online model's own saved form (checked by OnlineLogisticRegression.fromJSON). */
  online: z.unknown(),
  /** One character per judged outcome, oldest first: 0 both wrong, 1 the model right, 2 the online model right, 3 both. */
  hits: z.string().regex(/^[0-3]*$/),
  /** One string per scored row in the PSI window, oldest first: each feature's reference bin as a base-36 digit. */
  psiRows: z.array(z.string().regex(/^[0-9a-z]*$/)),
});
export type StreamState = z.infer<typeof streamStateSchema>;
