/**
 * A permutation importance of an imported ONNX model, as the ML worker
 * runs it: the model loaded from its bytes, the rows made (from bars or the
 * import's golden rows), each feature shuffled in turn, the drop measured,
 * the session closed. Only a classifier (probabilities, or a binary P(1))
 * can be measured: the drop is in log loss or accuracy against a class.
 */
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ModelTarget } from '../../../shared/models';
import { importOnnxModel, permutationImportance, type ImportanceMetric } from '../onnx';
import { rowsFromBars, rowsFromGoldenRows, type StoredGoldenRow } from './importanceRows';

export interface PermutationJob {
  bytes: Uint8Array;
  features: string[];
  source: { bars: readonly Bar[]; target: ModelTarget } | { goldenRows: readonly StoredGoldenRow[] };
  metric: ImportanceMetric;
  seed: number;
  repeats: number;
}

export interface PermutationOutcome {
  metric: ImportanceMetric;
  baseline: number;
  rows: number;
  from: number | null;
  to: number | null;
  /** In the model's feature order. */
  features: Array<{ feature: string; importance: number; std: number }>;
}

export interface PermutationHooks {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function runPermutationJob(job: PermutationJob, hooks: PermutationHooks = {}): Promise<PermutationOutcome> {
  const data = 'bars' in job.source ? rowsFromBars(job.source.bars, job.features, job.source.target) : rowsFromGoldenRows(job.source.goldenRows, job.features.length);
  const model = await importOnnxModel({ bytes: job.bytes, features: job.features });
  try {
    if (model.outputKind === 'value') throw new KeelError('VALIDATION_FAILED', 'The model answers one value, not class probabilities: permutation importance here measures a classifier.');
    for (let i = 0; i < data.count; i++) {
      if (data.labels[i]! >= model.width) {
        throw new KeelError('VALIDATION_FAILED', `Row ${i + 1} is labelled class ${data.labels[i]}, and the model answers ${model.width} classes${'bars' in job.source ? ' (a direction target needs long, short and neutral)' : ''}.`);
      }
    }
    const result = await permutationImportance({
      model,
      rows: data.rows,
      count: data.count,
      featureCount: job.features.length,
      labels: data.labels,
      metric: job.metric,
      seed: job.seed,
      repeats: job.repeats,
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
    return {
      metric: result.metric,
      baseline: result.baseline,
      rows: data.count,
      from: data.from,
      to: data.to,
      features: result.features.map((f) => ({ feature: job.features[f.feature]!, importance: f.importance, std: f.std })),
    };
  } finally {
    await model.close();
  }
}
