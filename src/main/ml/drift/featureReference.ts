/**
 * The training reference of a model's features: for each feature, the decile
 * edges of its training rows and the share of those rows in each bin. It is
 * what live PSI is measured against, kept with the model's training
 * parameters (`trainingParams.reference`) so the training rows themselves
 * need not be kept. Edges are kept exactly (a rounded edge would move the
 * training values sitting on it into the next bin); shares are rounded to 7
 * significant digits, which PSI cannot tell apart.
 */
import { z } from 'zod';
import { binCounts, quantileEdges, type BinnedReference } from './psi';

export const REFERENCE_BINS = 10;

const finite = z.number().finite();

const featureBinsSchema = z
  .object({
    feature: z.string().min(1),
    // At most 36 bins: the monitor keeps a row's bin as one base-36 digit.
    edges: z.array(finite).max(35),
    shares: z.array(z.number().min(0).max(1)),
  })
  .superRefine((f, ctx) => {
    if (f.shares.length !== f.edges.length + 1) ctx.addIssue({ code: 'custom', message: `${f.feature}: ${f.edges.length} edges need ${f.edges.length + 1} shares`, path: ['shares'] });
    for (let i = 1; i < f.edges.length; i++) if (!((f.edges[i] as number) > (f.edges[i - 1] as number))) ctx.addIssue({ code: 'custom', message: `${f.feature}: edges must increase`, path: ['edges', i] });
  });

export const featureReferenceSchema = z.object({
  format: z.literal('keel.feature-reference'),
  version: z.literal(1),
  /** Training rows the shares were counted from. */
  rows: z.number().int().positive(),
  features: z.array(featureBinsSchema).min(1),
});
export type FeatureReference = z.infer<typeof featureReferenceSchema>;

/** Where a model keeps its reference in its training parameters. */
export const REFERENCE_KEY = 'reference';

/** Builds the reference from the training rows (row-major, `names.length` columns). */
export function buildFeatureReference(matrix: { values: ArrayLike<number>; rows: number; cols: number }, names: readonly string[], bins = REFERENCE_BINS): FeatureReference {
  if (matrix.cols !== names.length) throw new RangeError(`a reference of ${names.length} features needs as many columns (got ${matrix.cols})`);
  if (matrix.rows < 1) throw new RangeError('a reference needs at least one row');
  const column = new Float64Array(matrix.rows);
  const features = names.map((feature, j) => {
    for (let i = 0; i < matrix.rows; i++) column[i] = matrix.values[i * matrix.cols + j] as number;
    const edges = quantileEdges(column, bins);
    const counts = binCounts(column, edges);
    const total = counts.reduce((a, b) => a + b, 0);
    return { feature, edges, shares: counts.map((c) => (total === 0 ? 0 : round7(c / total))) };
  });
  return { format: 'keel.feature-reference', version: 1, rows: matrix.rows, features };
}

/** A model's reference from its training parameters; null when it has none (an imported model, or one trained before references were kept). */
export function referenceOf(trainingParams: Record<string, unknown>): FeatureReference | null {
  const raw = trainingParams[REFERENCE_KEY];
  if (raw === undefined) return null;
  const parsed = featureReferenceSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** One feature's bins as PSI reads them. */
export function binnedReference(reference: FeatureReference, feature: string): BinnedReference | null {
  const bins = reference.features.find((f) => f.feature === feature);
  return bins ? { edges: bins.edges, shares: bins.shares, count: reference.rows } : null;
}

function round7(value: number): number {
  return Number(value.toPrecision(7));
}
