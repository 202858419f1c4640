/**
 * The contract's model monitoring: how a model does on the live bars it
 * scores. Per stream (the model on one venue, symbol and timeframe): the
 * outcomes realised so far, the rolling accuracy of the model and of the
 * online model learning beside it, each feature's drift from its training
 * distribution (PSI), and a status with its reasons in words. From here a
 * drifting model is retrained (a new version from the same recipe on the
 * most recent data) or rolled back (`models.activate` of an earlier
 * version), and retraining is put on a schedule.
 */
import { z } from 'zod';
import { symbol, timeframe, timestampMs, venueId } from '../domain';
import { method } from './common';

export const MODEL_DRIFT_STATUSES = ['ok', 'watch', 'drifting'] as const;
export const modelDriftStatusSchema = z.enum(MODEL_DRIFT_STATUSES);
export type ModelDriftStatus = z.infer<typeof modelDriftStatusSchema>;

export const featurePsiSchema = z.object({
  feature: z.string(),
  /** Null while too few rows have been scored, or when the model has no training reference. */
  psi: z.number().nullable(),
  status: z.enum(['stable', 'watch', 'drifting', 'unknown']),
});
export type FeaturePsi = z.infer<typeof featurePsiSchema>;

export const driftReasonSchema = z.object({
  /** What was judged: a feature's PSI, the model's accuracy against its out-of-sample accuracy, or the online model against it. */
  kind: z.enum(['psi', 'accuracy', 'online']),
  status: z.enum(['watch', 'drifting']),
  text: z.string(),
});
export type DriftReason = z.infer<typeof driftReasonSchema>;

export const streamDriftSchema = z.object({
  venue: venueId,
  symbol,
  timeframe,
  /** Closed bars scored. */
  observations: z.number().int().nonnegative(),
  /** Scored bars whose target horizon has passed, so their outcome is known. */
  outcomes: z.number().int().nonnegative(),
  /** Scored bars still waiting for their horizon. */
  pending: z.number().int().nonnegative(),
  /** Share right over the last `accuracyWindow` outcomes (direction; for a return model the sign); null before the first. */
  batchAccuracy: z.number().nullable(),
  onlineAccuracy: z.number().nullable(),
  /** Outcomes the rolling accuracies are over now (at most the window). */
  accuracySamples: z.number().int().nonnegative(),
  /** Rows in the window PSI is measured over. */
  psiRows: z.number().int().nonnegative(),
  psi: z.array(featurePsiSchema),
  /** The largest feature PSI; null when none is known. */
  maxPsi: z.number().nullable(),
  status: modelDriftStatusSchema,
  reasons: z.array(driftReasonSchema),
  /** What is not judged yet, and why (too few outcomes, no training reference ...). */
  notes: z.array(z.string()),
  updatedAt: timestampMs.nullable(),
});
export type StreamDrift = z.infer<typeof streamDriftSchema>;

export const retrainScheduleSchema = z.object({
  name: z.string(),
  everyHours: z.number().int().positive(),
  nextRunAt: timestampMs,
  lastRunAt: timestampMs.nullable(),
  /** The job the last run started (in `jobs.list`; a run that could not start is there as failed). */
  lastJobId: z.string().nullable(),
  /** Why the last run did not start, or was skipped. */
  lastError: z.string().nullable(),
});
export type RetrainSchedule = z.infer<typeof retrainScheduleSchema>;

export const modelDriftSchema = z.object({
  modelId: z.string(),
  name: z.string(),
  version: z.number().int().positive(),
  /** The worst status of its streams; ok before any bar was scored. */
  status: modelDriftStatusSchema,
  /** False for a model without a training reference (an imported one): its PSI is unknown. */
  hasReference: z.boolean(),
  /** Its out-of-sample accuracy (direction hit rate for a return model), what live accuracy is compared with; null when unknown. */
  referenceAccuracy: z.number().nullable(),
  thresholds: z.object({
    psiWatch: z.number(),
    psiDrift: z.number(),
    accuracyWindow: z.number().int().positive(),
    minOutcomes: z.number().int().positive(),
    psiWindow: z.number().int().positive(),
    minPsiRows: z.number().int().positive(),
    /** Standard errors by which accuracy must fall short, or the online model lead, to count. */
    z: z.number(),
  }),
  streams: z.array(streamDriftSchema),
  /** Retraining on a schedule for the model's name; null when off. */
  schedule: retrainScheduleSchema.nullable(),
  updatedAt: timestampMs.nullable(),
});
export type ModelDrift = z.infer<typeof modelDriftSchema>;

/** Longest schedule interval: a year. */
export const MAX_RETRAIN_EVERY_HOURS = 8_760;

const modelId = z.string().min(1).max(64);

export const modelMonitorMethods = {
  /** The monitor's view of a version: per stream it is scored on, outcomes, accuracies, PSI, status and reasons; and its name's schedule. */
  'models.drift': method('query', z.object({ id: modelId }).strict(), modelDriftSchema),
  /**
   * Trains a new version of the same name (algorithm, features, target and
   * parameters as this version) on the same data source over its most
   * recent window, as long as this version's, ending at the data's end. The
   * new version is a candidate whose parent is this one. Answers the job.
   */
  'models.retrain': method('command', z.object({ id: modelId }).strict(), z.object({ jobId: z.string() })),
  /** Retrains a name's active version (or its newest) every N hours of engine time; null turns it off. */
  'models.setSchedule': method(
    'command',
    z.object({ name: z.string().trim().min(1).max(80), everyHours: z.number().int().min(1).max(MAX_RETRAIN_EVERY_HOURS).nullable() }).strict(),
    z.object({ schedule: retrainScheduleSchema.nullable() }),
  ),
} as const;

export const modelMonitorEvents = {
  /** A version's monitor view changed (a bar scored, an outcome realised, its schedule set or run): at most once a second per version. */
  'models.drift': modelDriftSchema,
} as const;
