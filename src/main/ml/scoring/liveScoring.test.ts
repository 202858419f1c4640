/**
 * The live scorer over a real pool of the ML worker: a tree model and an
 * imported ONNX model score in the worker exactly as in this thread; a
 * scoring that waits too long, or whose worker crashes in the middle of it,
 * gives no score for that bar (the reason in the strategy's log) and the
 * next bar is scored, by the pool's replacement worker after a crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelScore, ModelSession, ScoringInstance } from '../../engine/strategies/modelScoring';
import { SimulatedClock } from '../../engine/ports/clock';
import { locateWorker, sourceWorker } from '../../workers/locate';
import { packBars } from '../../workers/packedBars';
import { WorkerPool } from '../../workers/pool';
import { featuresHash } from '../features/featureSet';
import { syntheticBars } from '../features/syntheticBars';
import { MemoryModelStore } from '../registry/memoryModelStore';
import { ModelRegistry } from '../registry/modelRegistry';
import { MemorySignalSink } from '../signals/memorySignalSink';
import type { MlWorkerMethods } from '../worker/mlWorker';
import { createLiveModelScoring, startScoringPool } from './liveScoring';
import { ModelScoring, SCORING_WARMUP_BARS } from './modelScoring';
import { FixedModelSource, resolveModel } from './modelVersions';
import { InProcessRowScorer } from './rowScorers';
import { logisticModel } from '../../../../tests/support/onnx/models';
import { registerSmallModel } from '../../../../tests/support/smallModel';

const BARS = syntheticBars({ count: 900, seed: 3 });
const LIVE = BARS.slice(600);
const ONNX_FEATURES = ['ret_1', 'rsi_14'];

let registry: ModelRegistry;
let pool: WorkerPool<MlWorkerMethods>;
const pools: Array<WorkerPool<MlWorkerMethods>> = [];
const dirs: string[] = [];

beforeAll(async () => {
  let ids = 0;
  registry = new ModelRegistry(new MemoryModelStore(), () => Date.UTC(2030, 0, 1), () => `m-${++ids}`);
  await registerSmallModel(registry, BARS.slice(0, 600), 'small');
  // p = softmax over (long, short, neutral) of [40·ret_1, −40·ret_1, 0.02·(rsi − 50)]: a model whose calls move with the bars.
  const onnx = registry.register(
    {
      name: 'onnx-direction',
      algorithm: 'onnx',
      features: ONNX_FEATURES,
      featuresHash: featuresHash(ONNX_FEATURES),
      target: { kind: 'direction', horizon: 1, threshold: 0 },
      trainingWindow: null,
      dataHash: null,
      metrics: { outputKind: 'probabilities', outputs: 3 },
      featureImportance: [],
      trainingLog: [],
      errors: [],
      parentId: null,
      maxAgeMs: null,
    },
    logisticModel({ weights: [[40, -40, 0], [0, 0, 0.02]], bias: [0, 0, -1] }),
  );
  registry.activate(onnx.id);
  pool = await startScoringPool();
  pools.push(pool);
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.stop({ deadlineMs: 5_000 })));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function instance(logs: string[]): ScoringInstance {
  return { strategyId: 's-1', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h', log: (_level, message) => logs.push(message), say: () => undefined };
}

/** A session fed the first SCORING_WARMUP_BARS of LIVE, ready to score. */
function warmed(scoring: ModelScoring, logs: string[] = []): ModelSession {
  const session = scoring.open(instance(logs));
  for (const bar of LIVE.slice(0, SCORING_WARMUP_BARS)) session.update(bar);
  return session;
}

function inProcess(): { scoring: ModelScoring; sink: MemorySignalSink } {
  const sink = new MemorySignalSink({});
  const models = { small: resolveModel(registry, 'small'), 'onnx-direction': resolveModel(registry, 'onnx-direction') };
  return { scoring: new ModelScoring({ source: new FixedModelSource(models), scorer: new InProcessRowScorer(), sink }), sink };
}

describe('the live scorer in a worker pool', () => {
  it('scores tree and ONNX models in the worker exactly as this thread does, recording the same signals', async () => {
    const liveSink = new MemorySignalSink({});
    const live = createLiveModelScoring({ registry, sink: liveSink, now: () => Date.UTC(2030, 0, 1), pool: async () => pool });
    const local = inProcess();
    const a = warmed(live);
    const b = warmed(local.scoring);
    const answers: Array<[ModelScore | null, ModelScore | null]> = [];
    for (const bar of LIVE.slice(SCORING_WARMUP_BARS, SCORING_WARMUP_BARS + 12)) {
      a.update(bar);
      b.update(bar);
      for (const model of ['small', 'onnx-direction']) answers.push([await a.score(model), await b.score(model)]);
    }
    for (const [fromWorker, here] of answers) {
      expect(fromWorker).not.toBeNull();
      expect(fromWorker).toEqual(here);
      const p = fromWorker!.probabilities;
      expect(p.long + p.short + p.neutral).toBeCloseTo(1, 5);
    }
    // The ONNX model's calls follow the bars: not every one is the same.
    expect(new Set(answers.filter((_, i) => i % 2 === 1).map(([s]) => s!.direction)).size).toBeGreaterThan(1);
    expect(liveSink.list()).toEqual(local.sink.list());
    expect(liveSink.list()).toHaveLength(24);
  }, 60_000);

  it('gives no score for a bar that waits past its time limit behind a long job, and scores the next', async () => {
    // The pool's time limits run on a clock the test moves.
    const clock = new SimulatedClock(0);
    const slow = await WorkerPool.start<MlWorkerMethods>(locateWorker('mlWorker'), { name: 'ml-scoring', size: 1, clock });
    pools.push(slow);
    const logs: string[] = [];
    const sink = new MemorySignalSink({});
    const scoring = createLiveModelScoring({ registry, sink, now: () => Date.UTC(2030, 0, 1), pool: async () => slow, timeoutMs: 300 });
    const session = warmed(scoring, logs);
    // A training that holds the pool's only worker.
    const holding = new AbortController();
    const training = slow.request('train', { algorithm: 'gbdt', bars: packBars(BARS), target: { kind: 'return', horizon: 3 }, params: { rounds: 100_000, maxDepth: 6 } }, { signal: holding.signal });
    training.catch(() => undefined);
    session.update(LIVE[SCORING_WARMUP_BARS]!);
    const waiting = session.score('small');
    while (slow.stats.queued === 0) await new Promise((resolve) => setImmediate(resolve));
    clock.advanceTo(300);
    expect(await waiting).toBeNull();
    expect(logs).toEqual([expect.stringMatching(/^no score from model "small": scoring small v1 failed: scoreRows got no answer within 300 ms/)]);
    expect(sink.list()).toEqual([]);
    holding.abort();
    await expect(training).rejects.toMatchObject({ code: 'WORKER_CANCELED' });
    session.update(LIVE[SCORING_WARMUP_BARS + 1]!);
    expect(await session.score('small')).toMatchObject({ model: { name: 'small', version: 1 } });
    expect(sink.list()).toHaveLength(1);
  }, 60_000);

  it('gives no score for a bar whose worker crashed mid-score; the pool replaces it and the next bar is scored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-scoring-crash-'));
    dirs.push(dir);
    const marker = join(dir, 'crash');
    writeFileSync(marker, 'crash once');
    process.env.KEEL_TEST_CRASH_SCORING_FILE = marker;
    const crashing = await WorkerPool.start<MlWorkerMethods>(sourceWorker(fileURLToPath(new URL('../../../../tests/support/workers/crashingMlWorker.ts', import.meta.url))), { name: 'ml-scoring', size: 1 });
    delete process.env.KEEL_TEST_CRASH_SCORING_FILE;
    pools.push(crashing);
    const logs: string[] = [];
    const sink = new MemorySignalSink({});
    const scoring = createLiveModelScoring({ registry, sink, now: () => Date.UTC(2030, 0, 1), pool: async () => crashing });
    const local = inProcess();
    const session = warmed(scoring, logs);
    const reference = warmed(local.scoring);

    const first = LIVE[SCORING_WARMUP_BARS]!;
    session.update(first);
    expect(await session.score('small')).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^no score from model "small": scoring small v1 failed: .*exit code 9/);
    expect(sink.list()).toEqual([]);

    const second = LIVE[SCORING_WARMUP_BARS + 1]!;
    session.update(second);
    reference.update(first);
    reference.update(second);
    const after = await session.score('small');
    expect(after).not.toBeNull();
    expect(after!.probabilities).toEqual((await reference.score('small'))!.probabilities);
    expect(crashing.stats).toMatchObject({ live: 1, replaced: 1 });
  }, 60_000);
});
