/**
 * A small direction model trained here on seeded bars (a few shallow
 * boosted trees over a handful of features) and registered as its name's
 * active version: enough for a strategy to trade on, quick to train.
 */
import { ModelRegistry } from '../../src/main/ml/registry/modelRegistry';
import { trainModel } from '../../src/main/ml/training/trainModel';
import type { Bar } from '../../src/shared/domain';
import type { ModelRecord } from '../../src/shared/models';

export const SMALL_MODEL_FEATURES = ['ret_1', 'ret_3', 'rsi_14', 'macd_12_26_9_hist', 'bb_20_2_pctb'];

export async function registerSmallModel(registry: ModelRegistry, bars: readonly Bar[], name = 'small', options: { horizon?: number; maxAgeMs?: number | null } = {}): Promise<ModelRecord> {
  const target = { kind: 'direction' as const, horizon: options.horizon ?? 3, threshold: 0 };
  const outcome = await trainModel({ algorithm: 'gbdt', bars, target, features: SMALL_MODEL_FEATURES, params: { rounds: 8, maxDepth: 3, minSamplesLeaf: 10 }, folds: 2 });
  const record = registry.register(
    {
      name,
      algorithm: 'gbdt',
      features: outcome.features,
      featuresHash: outcome.featuresHash,
      target,
      trainingWindow: outcome.trainingWindow,
      dataHash: outcome.dataHash,
      metrics: outcome.metrics,
      featureImportance: outcome.featureImportance,
      trainingLog: outcome.log,
      errors: [],
      parentId: null,
      maxAgeMs: options.maxAgeMs ?? null,
    },
    new TextEncoder().encode(outcome.modelJson),
  );
  return registry.activate(record.id);
}
