/**
 * Discovery of ML-scored variants: the family names a model, the search
 * varies the confidence threshold, the backtests score the model's active
 * version in the workers, and each card kept pins that version, so the card
 * goes on trading the model its evidence was gathered with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/main/backtest/datasets/datasetLibrary';
import { InMemoryResearchStore } from '../../src/main/backtest/inMemoryResearchStore';
import { BacktestService } from '../../src/main/backtest/service/backtestService';
import type { BacktestWorkerMethods } from '../../src/main/backtest/worker/backtestWorker';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { syntheticBars } from '../../src/main/ml/features/syntheticBars';
import { MemoryModelStore } from '../../src/main/ml/registry/memoryModelStore';
import { ModelRegistry } from '../../src/main/ml/registry/modelRegistry';
import { findModelVersion, resolveModel } from '../../src/main/ml/scoring/modelVersions';
import { locateWorker } from '../../src/main/workers/locate';
import { WorkerPool } from '../../src/main/workers/pool';
import type { ModelRecord } from '../../src/shared/models';
import { barsCsv } from '../support/barsCsv';
import { discoveryBoard, discoveryFinished } from '../support/discoveryBoard';
import { registerSmallModel } from '../support/smallModel';

const cents = (x: number): number => Math.round(x * 100) / 100;
const ALL = syntheticBars({ count: 1_400, seed: 42 }).map((b) => ({ ...b, open: cents(b.open), high: cents(b.high), low: cents(b.low), close: cents(b.close) }));
const NOW = Date.UTC(2026, 0, 1);

let pool: WorkerPool<BacktestWorkerMethods>;
let registry: ModelRegistry;
let model: ModelRecord;

beforeAll(async () => {
  let ids = 0;
  registry = new ModelRegistry(new MemoryModelStore(), () => NOW, () => `m-${++ids}`);
  model = await registerSmallModel(registry, ALL.slice(0, 600), 'btc-direction');
  pool = await WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), { name: 'backtest', size: 2 });
}, 120_000);
afterAll(async () => {
  await pool?.stop({ deadlineMs: 5_000 });
});

describe('discovery of ML-scored variants', () => {
  it('backtests the model in the workers and pins the version each kept card scored', async () => {
    const clock = new SimulatedClock(NOW);
    const research = new InMemoryResearchStore();
    let n = 0;
    const backtests = new BacktestService({
      store: research,
      publish: () => undefined,
      pool,
      now: () => clock.now(),
      ids: () => `bt-${++n}`,
      models: { resolve: (ref) => resolveModel(registry, ref) },
      logger: silentLogger,
    });
    const dataset = new DatasetLibrary(research, () => clock.now(), () => 'ds-ml').import({ name: 'Hourly', csv: barsCsv(ALL.slice(600)) });
    const models = {
      pin: (ref: string) => {
        const record = findModelVersion(registry.list(), ref);
        return { id: record.id, name: record.name, version: record.version };
      },
    };
    const { board, progress, discovery } = discoveryBoard({ backtests, clock, models });
    board.setGates({ discovery: { minOosTrades: 0, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: false } });
    const { jobId } = discovery.discover({
      families: [{ type: 'ml-scored', params: { model: 'btc-direction', regimeGate: 'off', allowShort: true }, space: { threshold: { min: 0.34, max: 0.4 } } }],
      markets: [{ dataset: dataset.id, symbol: 'BTC/USDT:USDT', timeframe: '1h' }],
      maxTrials: 3,
      candidates: 1,
      folds: 2,
      seed: 5,
    });
    const end = await discoveryFinished(progress, jobId, 120_000);
    expect(end, end.message).toMatchObject({ status: 'done', kept: 1 });
    const [card] = board.list().cards;
    expect(card).toMatchObject({ type: 'ml-scored', model: { name: 'btc-direction', version: model.version }, params: { model: model.id, regimeGate: 'off' } });
    // The search and the full run scored the model: its trades are in the evidence.
    const full = backtests.get(card!.evidence.backtest.backtestId!);
    expect(full.signals?.count).toBeGreaterThan(0);
    expect(card!.evidence.checks.warmup.detail).toMatch(/warm-up/);
  }, 240_000);
});
