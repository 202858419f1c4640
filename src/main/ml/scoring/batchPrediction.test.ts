import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { ModelRecord } from '../../../shared/models';
import { computeFeatureMatrix } from '../features/featureMatrix';
import { FEATURE_NAMES, FEATURES_WARMUP } from '../features/featureSet';
import { syntheticBars } from '../features/syntheticBars';
import { trainModel } from '../training/trainModel';
import { predictBatchCsv, type BatchScorer } from './batchPrediction';
import { scoreBars, scoreFeatureRows } from './scoreBars';

/** The worker's scoring, in process. */
const scorer: BatchScorer = { bars: scoreBars, features: scoreFeatureRows };

const FEATURES = ['rsi_14', 'ret_1', 'atr_14_norm', 'ret_12'];
let bars: Bar[];
let record: ModelRecord;
let bytes: Uint8Array;

beforeAll(async () => {
  bars = syntheticBars({ count: 600, seed: 21, interval: 60_000, sigma: 0.002 });
  const outcome = await trainModel({ algorithm: 'gbdt', bars, target: { kind: 'direction', horizon: 3, threshold: 0.001 }, features: FEATURES, params: { rounds: 5, maxDepth: 3 }, folds: 2 });
  bytes = new TextEncoder().encode(outcome.modelJson);
  record = {
    id: 'm-1',
    name: 'btc',
    version: 1,
    algorithm: 'gbdt',
    features: outcome.features,
    featuresHash: outcome.featuresHash,
    target: { kind: 'direction', horizon: 3, threshold: 0.001 },
    trainingWindow: outcome.trainingWindow,
    dataHash: outcome.dataHash,
    metrics: outcome.metrics,
    trainingParams: {},
    featureImportance: outcome.featureImportance,
    trainingLog: [],
    errors: [],
    parentId: null,
    status: 'candidate',
    createdAt: 1,
    maxAgeMs: null,
    sizeBytes: bytes.length,
  };
});

function barsCsv(list: readonly Bar[]): string {
  return ['time,open,high,low,close,volume', ...list.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume].join(','))].join('\n');
}

/** The pipeline's own rows for the bars, written as a features file: the model's features in another order, times first. */
function featuresCsv(list: readonly Bar[], withTime: boolean): string {
  const m = computeFeatureMatrix(list);
  const order = [...FEATURES].reverse();
  const lines = [[...(withTime ? ['time'] : []), ...order].join(',')];
  for (let r = 0; r < m.rows; r++) {
    if (m.ready[r] !== 1) continue;
    const cells = order.map((f) => String(m.values[r * m.cols + FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number])]));
    lines.push([...(withTime ? [String(m.times[r])] : []), ...cells].join(','));
  }
  return lines.join('\n');
}

describe('predictBatchCsv', () => {
  it('scores a file of bars past the warm-up: time and the three class probabilities', async () => {
    const result = await predictBatchCsv(record, bytes, barsCsv(bars), scorer);
    expect(result.columns).toEqual(['time', 'p_long', 'p_short', 'p_neutral']);
    expect(result.skipped).toBe(FEATURES_WARMUP - 1);
    expect(result.rows).toHaveLength(bars.length - result.skipped);
    expect(result.rows[0]![0]).toBe(bars[FEATURES_WARMUP - 1]!.time);
    for (const row of result.rows) expect(row[1]! + row[2]! + row[3]!).toBeCloseTo(1, 9);
    expect(result.csv.split('\n')[0]).toBe('time,p_long,p_short,p_neutral');
  });

  it('scores the same rows given as features, in any column order, to the same answer', async () => {
    const fromBars = await predictBatchCsv(record, bytes, barsCsv(bars), scorer);
    const fromFeatures = await predictBatchCsv(record, bytes, featuresCsv(bars, true), scorer);
    expect(fromFeatures.columns).toEqual(fromBars.columns);
    expect(fromFeatures.skipped).toBe(0);
    expect(fromFeatures.rows).toEqual(fromBars.rows);
    expect(fromFeatures.csv).toBe(fromBars.csv);
  });

  it('keys a features file without times by its row in the file', async () => {
    const result = await predictBatchCsv(record, bytes, featuresCsv(bars.slice(0, 100), false), scorer);
    expect(result.columns[0]).toBe('row');
    expect(result.rows.map((r) => r[0])).toEqual(Array.from({ length: 100 - (FEATURES_WARMUP - 1) }, (_, i) => i + 2));
  });

  it('refuses a features file that lacks a feature, or a file of neither kind, with where it is at fault', async () => {
    await expect(predictBatchCsv(record, bytes, 'time,rsi_14,ret_1,ret_12\n1700000000000,1,2,3', scorer)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { row: 1, column: null, columnName: 'atr_14_norm', rule: 'missing-feature' } });
    await expect(predictBatchCsv(record, bytes, 'when,what\n1,2', scorer)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { row: 1, rule: 'header' } });
    // A file of bars is read by the price-file rules, with theirs.
    await expect(predictBatchCsv(record, bytes, 'time,open,high,low,close\n1700000000000,1,2,0.5,x', scorer)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { row: 2, column: 5, rule: 'number' } });
  });
});
