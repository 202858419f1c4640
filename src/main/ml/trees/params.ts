/**
 * Training parameters as zod schemas: a request (from the UI, or a worker
 * message) is checked and its defaults filled in one place, and the contract
 * can reuse the schemas for `models.train {params}`.
 */
import { z } from 'zod';
import { KeelError } from '../../../shared/errors';
import { MAX_BINS } from './binning';

const fraction = z.number().gt(0).max(1);

export const gbdtParamsSchema = z.object({
  objective: z.enum(['binary', 'multiclass', 'regression']),
  /** Multiclass only: classes 0..numClasses-1 (3: long / short / neutral). */
  numClasses: z.number().int().min(3).max(256).default(3),
  rounds: z.number().int().min(1).max(100_000).default(100),
  learningRate: z.number().gt(0).max(1).default(0.1),
  maxDepth: z.number().int().min(1).max(32).default(6),
  maxLeaves: z.number().int().min(2).max(1 << 16).default(31),
  minSamplesLeaf: z.number().int().min(1).default(20),
  minChildWeight: z.number().min(0).default(1e-3),
  /** L2 penalty on leaf values. */
  lambda: z.number().min(0).default(1),
  minGain: z.number().min(0).default(0),
  /** Rows drawn (without replacement) for each round. */
  subsample: fraction.default(1),
  /** Features drawn for each tree. */
  featureFraction: fraction.default(1),
  maxBins: z.number().int().min(2).max(MAX_BINS).default(MAX_BINS),
  /** Stop when the validation loss has not improved for this many rounds, keeping the best round (needs a validation set). */
  earlyStoppingRounds: z.number().int().min(1).optional(),
  seed: z.number().int().default(0),
});
export type GbdtParamsInput = z.input<typeof gbdtParamsSchema>;
export type GbdtParams = z.output<typeof gbdtParamsSchema>;

export const forestParamsSchema = z.object({
  task: z.enum(['classification', 'regression']),
  /** Classification: classes 0..numClasses-1 (default: the largest label + 1, at least 2). */
  numClasses: z.number().int().min(2).max(256).optional(),
  trees: z.number().int().min(1).max(100_000).default(100),
  /** Draw each tree's rows with replacement (bagging); without it, each tree sees sampleFraction of the rows once. */
  bootstrap: z.boolean().default(true),
  sampleFraction: fraction.default(1),
  /** Features tried per split: a fraction of them, or sqrt (classification default), third (regression default), all. */
  maxFeatures: z.union([fraction, z.enum(['sqrt', 'third', 'all'])]).optional(),
  maxDepth: z.number().int().min(1).max(64).default(24),
  /** No limit when absent. */
  maxLeaves: z.number().int().min(2).optional(),
  minSamplesLeaf: z.number().int().min(1).default(1),
  minGain: z.number().min(0).default(0),
  maxBins: z.number().int().min(2).max(MAX_BINS).default(MAX_BINS),
  seed: z.number().int().default(0),
});
export type ForestParamsInput = z.input<typeof forestParamsSchema>;
export type ForestParams = z.output<typeof forestParamsSchema>;

/** Parses with a schema, refusing as VALIDATION_FAILED with the first few issues. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || what}: ${issue.message}`);
  throw new KeelError('VALIDATION_FAILED', `Invalid ${what}: ${issues.join('; ')}`);
}
