/**
 * What the model registry keeps about each model version, shared by the
 * engine and the screen: how it was made (algorithm, features and their
 * code hash, target, training window, data hash), how good it was (metrics,
 * feature importance), where it came from (parent version, training log)
 * and where it stands (candidate, active, retired). The model itself (tree
 * JSON, online state, ONNX bytes) is stored beside it, never sent with it.
 */
import { z } from 'zod';
import { timestampMs } from './domain';

export const MODEL_ALGORITHMS = ['gbdt', 'random-forest', 'online-logistic', 'onnx'] as const;
export const MODEL_STATUSES = ['candidate', 'active', 'retired'] as const;

export const modelTargetSchema = z.discriminatedUnion('kind', [
  /** Direction of the return over the next `horizon` bars beyond ±`threshold` (a fraction): long, short or neutral. */
  z.object({ kind: z.literal('direction'), horizon: z.number().int().min(1).max(10_000), threshold: z.number().min(0).max(1) }),
  /** The return over the next `horizon` bars itself. */
  z.object({ kind: z.literal('return'), horizon: z.number().int().min(1).max(10_000) }),
]);
export type ModelTarget = z.infer<typeof modelTargetSchema>;

export const featureImportanceSchema = z.array(z.object({ feature: z.string(), importance: z.number() }));

export const modelRecordSchema = z.object({
  id: z.string().min(1).max(64),
  /** Versions of one model share a name; one of them at most is active. */
  name: z.string().min(1).max(80),
  version: z.number().int().positive(),
  algorithm: z.enum(MODEL_ALGORITHMS),
  features: z.array(z.string().min(1).max(80)).min(1).max(1_000),
  /** Hash of the feature names and the feature code's version: a model is scored only by the code it was trained with. */
  featuresHash: z.string(),
  target: modelTargetSchema,
  /** The bars it was trained on; null for an imported model. */
  trainingWindow: z.object({ from: timestampMs, to: timestampMs }).nullable(),
  /** Hash of the training data; null for an imported model. */
  dataHash: z.string().nullable(),
  /** Named figures (accuracy, log loss, AUC, per fold ...). */
  metrics: z.record(z.string(), z.unknown()),
  /** How it was trained (the tree parameters with their defaults filled in, the folds); for an imported model, the golden rows it was checked with. */
  trainingParams: z.record(z.string(), z.unknown()).default({}),
  featureImportance: featureImportanceSchema,
  trainingLog: z.array(z.string()),
  errors: z.array(z.string()),
  parentId: z.string().nullable(),
  status: z.enum(MODEL_STATUSES),
  createdAt: timestampMs,
  /** A model older than this is not used for new decisions (null: never expires). */
  maxAgeMs: z.number().int().positive().nullable(),
  /** Size of the stored model, bytes. */
  sizeBytes: z.number().int().nonnegative(),
});
export type ModelRecord = z.infer<typeof modelRecordSchema>;

/** True once a model is too old to be used for new decisions. */
export function isModelExpired(model: Pick<ModelRecord, 'createdAt' | 'maxAgeMs'>, now: number): boolean {
  return model.maxAgeMs !== null && now - model.createdAt > model.maxAgeMs;
}
