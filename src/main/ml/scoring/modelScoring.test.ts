import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../../shared/models';
import type { ScoringInstance } from '../../engine/strategies/modelScoring';
import { FEATURE_NAMES, FEATURES_WARMUP, featuresHash } from '../features/featureSet';
import { FeaturePipeline } from '../features/featurePipeline';
import { syntheticBars } from '../features/syntheticBars';
import { MemoryModelStore } from '../registry/memoryModelStore';
import { ModelRegistry, type NewModel } from '../registry/modelRegistry';
import { MemorySignalSink } from '../signals/memorySignalSink';
import { ModelScoring, SCORING_WARMUP_BARS, UNDECIDED_NOTE } from './modelScoring';
import { RegistryModelSource } from './modelVersions';
import type { RowScorer } from './rowScorers';
import type { ScoredRow } from './scoringObserver';
import { keelErrorOf } from '../../../../tests/support/keelError';

const FEATURES = ['rsi_14', 'ret_1', 'atr_14_norm'];

function newModel(patch: Partial<NewModel> = {}): NewModel {
  const features = patch.features ?? FEATURES;
  return {
    name: 'btc',
    algorithm: 'gbdt',
    features,
    featuresHash: featuresHash(features),
    target: { kind: 'direction', horizon: 4, threshold: 0 },
    trainingWindow: null,
    dataHash: null,
    metrics: {},
    featureImportance: [],
    trainingLog: [],
    errors: [],
    parentId: null,
    maxAgeMs: null,
    ...patch,
  };
}

/** A registry on a clock the test moves, a sink, an observer, and a row scorer that answers what the test says. */
function harness() {
  let now = 1_000;
  let ids = 0;
  const registry = new ModelRegistry(new MemoryModelStore(), () => now, () => `m-${++ids}`);
  const sink = new MemorySignalSink({ now: () => now });
  const observed: ScoredRow[] = [];
  const rows: Array<{ model: string; row: number[] }> = [];
  let answer: (row: Float32Array) => Promise<Float64Array> | Float64Array = () => Float64Array.of(0.7, 0.2, 0.1);
  const scorer: RowScorer = {
    score: async (model, row) => {
      rows.push({ model: model.record.id, row: Array.from(row) });
      return answer(row);
    },
    close: async () => undefined,
  };
  const scoring = new ModelScoring({ source: new RegistryModelSource(registry, () => now), scorer, sink, observer: { observe: (row) => observed.push(row) } });
  const logs: string[] = [];
  const said: string[] = [];
  const instance: ScoringInstance = {
    strategyId: 's-1',
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    timeframe: '1h',
    log: (level, message) => logs.push(`${level}: ${message}`),
    say: (text) => said.push(text),
  };
  const add = (patch: Partial<NewModel> = {}, activate = true): ModelRecord => {
    const record = registry.register(newModel(patch), new TextEncoder().encode('{"stored":true}'));
    return activate ? registry.activate(record.id) : record;
  };
  return {
    registry,
    sink,
    scoring,
    instance,
    observed,
    rows,
    logs,
    said,
    add,
    answer: (next: typeof answer) => (answer = next),
    setNow: (time: number) => (now = time),
  };
}

const BARS = syntheticBars({ count: SCORING_WARMUP_BARS + 10, seed: 11 });

describe('ModelScoring.check', () => {
  it('warms up long enough for every feature and the regime\'s full volatility window', () => {
    expect(SCORING_WARMUP_BARS).toBeGreaterThanOrEqual(FEATURES_WARMUP);
    expect(SCORING_WARMUP_BARS).toBe(271);
  });

  it('accepts a name with an active version, or any version by its id', () => {
    const h = harness();
    const active = h.add();
    const candidate = h.add({}, false);
    expect(() => h.scoring.check('btc')).not.toThrow();
    expect(() => h.scoring.check(active.id)).not.toThrow();
    expect(() => h.scoring.check(candidate.id)).not.toThrow();
  });

  it.each([
    ['an unknown name', (h: ReturnType<typeof harness>) => void h, 'nope', /no model named "nope"/],
    ['a name with no active version', (h: ReturnType<typeof harness>) => void h.add({ name: 'idle' }, false), 'idle', /"idle" has no active version/],
    ['a return model', (h: ReturnType<typeof harness>) => void h.add({ name: 'ret', target: { kind: 'return', horizon: 3 } }), 'ret', /predicts a return/],
    ['a model from other feature code', (h: ReturnType<typeof harness>) => void h.add({ name: 'old-code', featuresHash: 'feedfacefeedface' }), 'old-code', /other feature code.*retrain it/],
    ['a model of features Keel does not compute', (h: ReturnType<typeof harness>) => void h.add({ name: 'alien', features: ['tea_leaves'] }), 'alien', /does not compute \(tea_leaves\)/],
    ['an ONNX model with two outputs', (h: ReturnType<typeof harness>) => void h.add({ name: 'binary', algorithm: 'onnx', metrics: { outputs: 2 } }), 'binary', /answers 2 outputs/],
  ])('refuses %s with VALIDATION_FAILED saying why', (_what, setUp, ref, why) => {
    const h = harness();
    setUp(h);
    const error = keelErrorOf(() => h.scoring.check(ref));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(why);
  });

  it('refuses a version past its maximum age', () => {
    const h = harness();
    h.add({ maxAgeMs: 60_000 });
    expect(() => h.scoring.check('btc')).not.toThrow();
    h.setNow(1_000 + 60_001);
    expect(keelErrorOf(() => h.scoring.check('btc')).message).toMatch(/model btc v1 expired \(older than its maximum age of 1 min\)/);
  });
});

describe('a scoring session', () => {
  it('answers nothing while the features warm up, saying why once in the log and each time as its last signal', async () => {
    const h = harness();
    h.add();
    const session = h.scoring.open(h.instance);
    session.update(BARS[0]!);
    expect(await session.score('btc')).toBeNull();
    session.update(BARS[1]!);
    expect(await session.score('btc')).toBeNull();
    expect(h.logs).toEqual(['warning: no score from model "btc": features still warming up (every feature exists after 71 bars)']);
    expect(h.said).toEqual(['no decision: features still warming up (every feature exists after 71 bars)', 'no decision: features still warming up (every feature exists after 71 bars)']);
    expect(h.sink.list()).toEqual([]);
    expect(h.rows).toEqual([]);
  });

  it('scores the newest bar\'s row in the model\'s feature order, records the signal and tells the observer', async () => {
    const h = harness();
    const model = h.add();
    const session = h.scoring.open(h.instance);
    const pipeline = new FeaturePipeline();
    let row = pipeline.update(BARS[0]!);
    for (const bar of BARS) {
      session.update(bar);
      if (bar !== BARS[0]) row = pipeline.update(bar);
    }
    const bar = BARS.at(-1)!;
    h.setNow(5_000);
    const score = await session.score('btc');
    expect(score).toMatchObject({
      time: bar.time,
      direction: 'long',
      confidence: 0.7,
      probabilities: { long: 0.7, short: 0.2, neutral: 0.1 },
      model: { id: model.id, name: 'btc', version: 1 },
      featuresHash: featuresHash(FEATURES),
      regime: row.regime.label,
      horizon: 4,
    });
    const expected = FEATURES.map((f) => Math.fround(row.values[FEATURE_NAMES.indexOf(f)]!));
    expect(h.rows).toEqual([{ model: model.id, row: expected }]);
    expect(h.sink.list()).toEqual([
      {
        id: score!.signalId,
        time: bar.time,
        venue: 'paper',
        symbol: 'BTC/USDT:USDT',
        timeframe: '1h',
        direction: 'long',
        confidence: 0.7,
        probabilities: { long: 0.7, short: 0.2, neutral: 0.1 },
        modelId: model.id,
        modelName: 'btc',
        modelVersion: 1,
        featuresHash: featuresHash(FEATURES),
        strategyId: 's-1',
        regime: row.regime.label,
        acted: false,
        note: UNDECIDED_NOTE,
        orderIds: [],
        createdAt: 5_000,
      },
    ]);
    expect(h.observed).toEqual([
      { modelId: model.id, venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h', time: bar.time, close: bar.close, features: expected, probabilities: { long: 0.7, short: 0.2, neutral: 0.1 }, value: null },
    ]);
    // Asked again for the same bar: the same answer, no second signal.
    expect(await session.score('btc')).toBe(score);
    expect(h.sink.list()).toHaveLength(1);
    // Its decision and its orders reach the sink.
    session.decide(score!.signalId, true, 'long at confidence 0.70');
    session.linkOrder(score!.signalId, 'o-1');
    expect(h.sink.get(score!.signalId)).toMatchObject({ acted: true, note: 'long at confidence 0.70', orderIds: ['o-1'] });
  });

  it('reads the strongest class as the direction, a tie for the top as neutral', async () => {
    const h = harness();
    h.add();
    const session = h.scoring.open(h.instance);
    const calls: Array<[number[], string, number]> = [
      [[0.1, 0.8, 0.1], 'short', 0.8],
      [[0.2, 0.3, 0.5], 'neutral', 0.5],
      [[0.4, 0.4, 0.2], 'neutral', 0.2],
    ];
    let i = 0;
    for (const bar of BARS.slice(0, SCORING_WARMUP_BARS)) session.update(bar);
    for (const [probabilities, direction, confidence] of calls) {
      h.answer(() => Float64Array.from(probabilities));
      session.update(BARS[SCORING_WARMUP_BARS + i++]!);
      expect(await session.score('btc')).toMatchObject({ direction, confidence });
    }
  });

  it('gives no score for a bar whose scoring failed, and scores the next one', async () => {
    const h = harness();
    h.add();
    const session = h.scoring.open(h.instance);
    for (const bar of BARS.slice(0, SCORING_WARMUP_BARS)) session.update(bar);
    h.answer(() => Promise.reject(new Error('the worker pool has no workers left')));
    expect(await session.score('btc')).toBeNull();
    expect(h.logs.at(-1)).toBe('warning: no score from model "btc": scoring btc v1 failed: the worker pool has no workers left');
    h.answer(() => Float64Array.of(0.5, 0.5));
    session.update(BARS[SCORING_WARMUP_BARS]!);
    expect(await session.score('btc')).toBeNull();
    expect(h.logs.at(-1)).toMatch(/answered 2 values, not 3 probabilities/);
    h.answer(() => Float64Array.of(0.2, 0.7, 0.1));
    session.update(BARS[SCORING_WARMUP_BARS + 1]!);
    expect(await session.score('btc')).toMatchObject({ direction: 'short' });
    expect(h.sink.list()).toHaveLength(1);
  });

  it('follows the active version of a name from one bar to the next, and keeps a pinned one', async () => {
    const h = harness();
    const v1 = h.add();
    const session = h.scoring.open(h.instance);
    for (const bar of BARS.slice(0, SCORING_WARMUP_BARS)) session.update(bar);
    expect((await session.score('btc'))?.model).toEqual({ id: v1.id, name: 'btc', version: 1 });
    const v2 = h.add({ features: ['ret_3'] });
    session.update(BARS[SCORING_WARMUP_BARS]!);
    expect((await session.score('btc'))?.model).toEqual({ id: v2.id, name: 'btc', version: 2 });
    expect((await session.score(v1.id))?.model).toEqual({ id: v1.id, name: 'btc', version: 1 });
    expect(h.rows.map((r) => [r.model, r.row.length])).toEqual([
      [v1.id, 3],
      [v2.id, 1],
      [v1.id, 3],
    ]);
    // Retired with nothing active in its place: no score, saying so.
    h.registry.retire(v2.id);
    session.update(BARS[SCORING_WARMUP_BARS + 1]!);
    expect(await session.score('btc')).toBeNull();
    expect(h.logs.at(-1)).toMatch(/"btc" has no active version/);
  });

  it('records an expired version\'s signal as not acted on, and answers no score', async () => {
    const h = harness();
    h.add({ maxAgeMs: 60_000 });
    const session = h.scoring.open(h.instance);
    for (const bar of BARS.slice(0, SCORING_WARMUP_BARS)) session.update(bar);
    h.setNow(1_000 + 120_000);
    expect(await session.score('btc')).toBeNull();
    const [signal] = h.sink.list();
    expect(signal).toMatchObject({ direction: 'long', acted: false, orderIds: [] });
    expect(signal!.note).toBe('model btc v1 expired (older than its maximum age of 1 min): it makes no new decisions');
    expect(h.said.at(-1)).toBe(`no decision: ${signal!.note}`);
  });
});
