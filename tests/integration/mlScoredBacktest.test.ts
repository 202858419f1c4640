/**
 * Backtests of the ML-scored strategy with a model trained here:
 * - parity: the same bars through the live scorer path (scored in a pool of
 *   the ML worker) and through the backtest path (BacktestService → the
 *   backtest worker, the model resolved at submit time and scored there in
 *   its own thread) give the same signals, decisions and trades;
 * - it sees only the past: cutting the data short changes no signal or
 *   decision before the cut, and nothing is decided before the feature
 *   pipeline's warm-up;
 * - a backtest naming a model that cannot be used is refused at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryResearchStore } from '../../src/main/backtest/inMemoryResearchStore';
import { BacktestService } from '../../src/main/backtest/service/backtestService';
import { runStrategyBacktest, type StrategyBacktestResult } from '../../src/main/backtest/strategyBacktest';
import type { BacktestWorkerMethods } from '../../src/main/backtest/worker/backtestWorker';
import { mlScored } from '../../src/main/engine/strategies/catalog/mlScored';
import type { StrategyDefinition } from '../../src/main/engine/strategies/definition';
import { syntheticBars } from '../../src/main/ml/features/syntheticBars';
import { MemoryModelStore } from '../../src/main/ml/registry/memoryModelStore';
import { ModelRegistry } from '../../src/main/ml/registry/modelRegistry';
import { createBacktestScoring } from '../../src/main/ml/scoring/backtestScoring';
import { startScoringPool } from '../../src/main/ml/scoring/liveScoring';
import { ModelScoring, SCORING_WARMUP_BARS } from '../../src/main/ml/scoring/modelScoring';
import { RegistryModelSource, resolveModel, type ResolvedModel } from '../../src/main/ml/scoring/modelVersions';
import { WorkerRowScorer } from '../../src/main/ml/scoring/rowScorers';
import { MemorySignalSink } from '../../src/main/ml/signals/memorySignalSink';
import type { MlWorkerMethods } from '../../src/main/ml/worker/mlWorker';
import { locateWorker } from '../../src/main/workers/locate';
import { WorkerPool } from '../../src/main/workers/pool';
import { backtestSettingsSchema, type BacktestResult } from '../../src/shared/contract/backtests';
import type { Signal } from '../../src/shared/contract/signals';
import { KeelError } from '../../src/shared/errors';
import type { ModelRecord } from '../../src/shared/models';
import { registerSmallModel } from '../support/smallModel';

const HOUR = 3_600_000;
const cents = (x: number): number => Math.round(x * 100) / 100;
/** Hourly bars at cent precision, as a dataset would hold them. */
const ALL = syntheticBars({ count: 1_500, seed: 42 }).map((b) => ({ ...b, open: cents(b.open), high: cents(b.high), low: cents(b.low), close: cents(b.close) }));
/** The model learns from the first bars; the strategy is played on the ones after. */
const TRAIN = ALL.slice(0, 700);
const PLAY = ALL.slice(700);
const definition = mlScored as unknown as StrategyDefinition;
const PARAMS = { model: 'btc-direction', threshold: 0.34, allowShort: true, regimeGate: 'off' };
const SETTINGS = backtestSettingsSchema.parse({ finalizeTrades: true, commission: 0.0005, fractionalUnit: 0.001 });
const NOW = Date.UTC(2026, 0, 1);

let registry: ModelRegistry;
let model: ModelRecord;
let resolved: ResolvedModel;
let mlPool: WorkerPool<MlWorkerMethods>;
let backtestPool: WorkerPool<BacktestWorkerMethods>;

beforeAll(async () => {
  let ids = 0;
  registry = new ModelRegistry(new MemoryModelStore(), () => NOW, () => `m-${++ids}`);
  model = await registerSmallModel(registry, TRAIN, 'btc-direction');
  resolved = resolveModel(registry, 'btc-direction');
  [mlPool, backtestPool] = await Promise.all([startScoringPool(), WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), { name: 'backtest', size: 1 })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([mlPool?.stop({ deadlineMs: 5_000 }), backtestPool?.stop({ deadlineMs: 5_000 })]);
});

/** The backtest path, in this thread: the model scored in-process as the backtest worker scores it. */
async function inProcess(bars = PLAY): Promise<{ result: StrategyBacktestResult; signals: Signal[] }> {
  const { scoring, sink } = createBacktestScoring({ 'btc-direction': resolved }, '1h');
  const result = await runStrategyBacktest({ definition, params: PARAMS, symbol: 'SYN/USD', bars, settings: SETTINGS, models: scoring });
  await scoring.close();
  return { result, signals: sink.result().list };
}

describe('ml-scored backtests', () => {
  it('score the same signals and make the same decisions and trades through the live scorer as through the backtest worker', async () => {
    // Live: versions looked up in the registry, rows scored in the ML worker pool.
    const liveSink = new MemorySignalSink({ idPrefix: 'bt-sig' });
    const live = new ModelScoring({ source: new RegistryModelSource(registry, () => NOW), scorer: new WorkerRowScorer(async () => mlPool), sink: liveSink, timeframe: '1h' });
    const liveRun = await runStrategyBacktest({ definition, params: PARAMS, symbol: 'SYN/USD', bars: PLAY, settings: SETTINGS, models: live });

    // Backtest: through the service and its worker, the model resolved at submit time.
    const store = new InMemoryResearchStore();
    store.saveDataset({ id: 'syn', name: 'SYN hourly', symbol: 'SYN/USD', bars: PLAY.length, from: PLAY[0]!.time, to: PLAY.at(-1)!.time, periodMs: HOUR, createdAt: 1 }, PLAY);
    const service = new BacktestService({ store, pool: backtestPool, now: () => NOW, publish: () => undefined, models: { resolve: (ref) => resolveModel(registry, ref) } });
    const { id } = service.run({ strategy: { type: 'ml-scored', params: PARAMS }, data: { dataset: 'syn' }, settings: SETTINGS });
    await service.settled(id);
    const run: BacktestResult = service.get(id);
    expect(run.status, run.error ?? '').toBe('done');

    const signals = liveSink.list();
    expect(signals).toHaveLength(PLAY.length - SCORING_WARMUP_BARS - 1);
    expect(run.signals).toEqual({ count: signals.length, acted: signals.filter((s) => s.acted).length, list: signals });
    expect(run.trades).toEqual(liveRun.trades);

    // Decisions, bar by bar, are the same in this thread too.
    const local = await inProcess();
    expect(local.signals).toEqual(signals);
    expect(local.result.decisions).toEqual(liveRun.decisions);

    // It traded on the model's calls, and every order it placed is linked to the signal that caused it.
    expect(liveRun.trades.length).toBeGreaterThan(3);
    const acted = signals.filter((s) => s.acted);
    expect(acted.length).toBeGreaterThan(3);
    for (const signal of acted) expect(signal.orderIds.length).toBeGreaterThan(0);
    for (const signal of signals.filter((s) => !s.acted)) expect(signal.orderIds).toEqual([]);
    expect(signals.some((s) => s.note === 'already long' || s.note === 'already short')).toBe(true);
    for (const signal of signals) {
      expect(signal).toMatchObject({ modelId: model.id, modelName: 'btc-direction', modelVersion: 1, featuresHash: model.featuresHash, timeframe: '1h', strategyId: 'backtest' });
    }
    // Each trade carries the regime it began in.
    expect(run.trades.every((t) => t.regime !== undefined)).toBe(true);
    expect(run.trades.some((t) => t.regime !== null)).toBe(true);
  }, 180_000);

  it('see only the past and decide nothing before the feature pipeline has warmed up', async () => {
    const full = await inProcess();
    expect(full.result.firstDecisionBar).toBe(SCORING_WARMUP_BARS);
    expect(full.signals[0]!.time).toBe(PLAY[SCORING_WARMUP_BARS]!.time);
    expect(Math.min(...full.result.trades.map((t) => t.entryBar))).toBeGreaterThan(SCORING_WARMUP_BARS);
    for (const cut of [SCORING_WARMUP_BARS + 60, SCORING_WARMUP_BARS + 250]) {
      const part = await inProcess(PLAY.slice(0, cut));
      const before = <T extends { time: number }>(list: T[]) => list.filter((s) => s.time < PLAY[cut - 1]!.time);
      expect(before(part.signals).length).toBeGreaterThan(10);
      // The signal on the last bar before the cut was decided knowing it could not trade; compare the ones before it.
      expect(before(part.signals)).toEqual(before(full.signals));
      const decided = (r: StrategyBacktestResult) => r.decisions.filter((d) => d.bar < cut - 1);
      expect(decided(part.result)).toEqual(decided(full.result));
    }
  }, 120_000);

  it('are refused at once when the model cannot be used, naming it', () => {
    const store = new InMemoryResearchStore();
    store.saveDataset({ id: 'syn', name: 'SYN', symbol: 'SYN/USD', bars: PLAY.length, from: PLAY[0]!.time, to: PLAY.at(-1)!.time, periodMs: HOUR, createdAt: 1 }, PLAY);
    const service = new BacktestService({ store, pool: backtestPool, now: () => NOW, publish: () => undefined, models: { resolve: (ref) => resolveModel(registry, ref) } });
    const refused = (params: Record<string, unknown>): KeelError => {
      try {
        service.run({ strategy: { type: 'ml-scored', params: { ...PARAMS, ...params } as never }, data: { dataset: 'syn' } });
      } catch (error) {
        if (error instanceof KeelError) return error;
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(refused({ model: 'eth-dreams' })).toMatchObject({ code: 'VALIDATION_FAILED', data: { param: 'model', model: 'eth-dreams' } });
    expect(refused({ model: 'eth-dreams' }).message).toMatch(/Model "eth-dreams" cannot be used: there is no model named "eth-dreams"/);
    expect(refused({ model: '' })).toMatchObject({ code: 'VALIDATION_FAILED', data: { param: 'model' } });
    expect(service.list()).toEqual([]);
    const unequipped = new BacktestService({ store, pool: backtestPool, now: () => NOW, publish: () => undefined });
    expect(() => unequipped.run({ strategy: { type: 'ml-scored', params: PARAMS }, data: { dataset: 'syn' } })).toThrow(/scores models, and backtests here have no model registry/);
  });
});
