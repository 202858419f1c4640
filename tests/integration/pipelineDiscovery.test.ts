/**
 * Discovery through the real backtest service and its worker threads: a
 * search over the SMA cross family on the in-sample part of a dataset, the
 * best sets backtested on the whole history and judged per out-of-sample
 * fold, the lookahead and warm-up checks run, and the candidates that pass
 * the Discovery gate kept as cards, each move journaled, progress reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/main/backtest/datasets/datasetLibrary';
import { InMemoryResearchStore } from '../../src/main/backtest/inMemoryResearchStore';
import { BacktestService, type BacktestPool } from '../../src/main/backtest/service/backtestService';
import type { BacktestWorkerMethods } from '../../src/main/backtest/worker/backtestWorker';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { locateWorker } from '../../src/main/workers/locate';
import { WorkerPool } from '../../src/main/workers/pool';
import { barsCsv } from '../support/barsCsv';
import { discoveryBoard, discoveryFinished } from '../support/discoveryBoard';
import { syntheticBars } from '../support/syntheticBars';

let pool: BacktestPool;
beforeAll(async () => {
  pool = await WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), { name: 'backtest', size: 2 });
}, 60_000);
afterAll(async () => {
  await pool?.stop();
});

function setup() {
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:00Z'));
  const research = new InMemoryResearchStore();
  let n = 0;
  const backtests = new BacktestService({ store: research, publish: () => undefined, pool, now: () => clock.now(), ids: () => `bt-${++n}`, progressIntervalMs: 0, logger: silentLogger });
  const dataset = new DatasetLibrary(research, () => clock.now(), () => 'ds-1').import({ name: 'Synthetic', csv: barsCsv(syntheticBars({ seed: 11, count: 500, volatility: 0.02 })) });
  return { backtests, dataset, clock, ...discoveryBoard({ backtests, clock, datasetName: (id) => research.getDataset(id)?.name }) };
}

describe('discovery', () => {
  it('searches in sample, judges the best sets out of sample fold by fold, checks them, and keeps those the gate passes', async () => {
    const { backtests, dataset, board, store, progress, discovery } = setup();
    board.setGates({ discovery: { minOosTrades: 1, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: true } });
    const { jobId } = discovery.discover({
      families: [{ type: 'sma-cross', space: { fast: { min: 3, max: 12, step: 1 }, slow: { min: 15, max: 40, step: 1 } } }],
      markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }],
      method: 'random',
      maxTrials: 8,
      candidates: 2,
      folds: 3,
      inSampleFraction: 0.6,
      seed: 3,
    });
    const end = await discoveryFinished(progress, jobId);
    expect(end, end.message).toMatchObject({ status: 'done', done: end.total, total: 1 + 2 * 3 });
    // Said in words: the family's name and the dataset's, not their ids.
    expect(end.label).toBe('SMA cross on dataset Synthetic as BTC/USDT 1d');
    // Progress only goes forward.
    const steps = progress.filter((p) => p.jobId === jobId).map((p) => p.done);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));

    const cards = board.list().cards;
    expect(cards.length).toBe(end.kept);
    expect(cards.length).toBeGreaterThan(0);
    const search = backtests.get(cards[0]!.evidence.backtest.searchId!);
    expect(search).toMatchObject({ kind: 'optimize', status: 'done' });
    // The search saw only the in-sample part.
    const split = cards[0]!.evidence.backtest.folds[0]!.from;
    expect(search.settings.to).toBe(split);
    for (const card of cards) {
      const { backtest, checks } = card.evidence;
      expect(card).toMatchObject({ column: 'discovery', type: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1d', discoveryId: jobId, dataLabel: 'dataset Synthetic as BTC/USDT 1d' });
      expect(search.optimize!.trials.some((t) => JSON.stringify(t.params) === JSON.stringify(card.params))).toBe(true);
      expect(backtest.folds).toHaveLength(3);
      expect(backtest.folds.reduce((s, f) => s + f.trades, 0)).toBe(backtest.outOfSample!.trades);
      expect(backtest.inSample!.to).toBeLessThan(split);
      expect(backtest.trials).toBe(new Set(search.optimize!.trials.map((t) => JSON.stringify(t.params))).size);
      expect(backtest.deflatedSharpe).not.toBeNull();
      expect(backtest.worstDrawdownPct).toBeGreaterThanOrEqual(backtest.worstFoldDrawdownPct!);
      // The full run the figures came from is the same set on all the data.
      const full = backtests.get(backtest.backtestId!);
      expect(full.strategy.params).toEqual(card.params);
      expect(full.tradeCount).toBe(backtest.inSample!.trades + backtest.outOfSample!.trades + full.trades.filter((t) => t.exitTime > backtest.outOfSample!.to).length);
      // The SMA cross reads no future bar and waits out its warm-up.
      expect(checks.lookahead.status, checks.lookahead.detail).toBe('passed');
      expect(checks.warmup.status, checks.warmup.detail).toBe('passed');
      expect(card.nextGate!.column).toBe('paper');
      expect(store.moves(10, card.id).map((m) => [m.kind, m.to, m.automatic])).toEqual([['created', 'discovery', true]]);
      expect(store.moves(10, card.id)[0]!.reason).toBe(`kept by a discovery on dataset Synthetic as BTC/USDT 1d (${backtest.trials} sets tried)`);
    }
  }, 120_000);

  it('keeps nothing the Discovery gate refuses, and says so', async () => {
    const { dataset, board, progress, discovery } = setup();
    board.setGates({ discovery: { minOosTrades: 1_000_000, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: false } });
    const { jobId } = discovery.discover({
      families: [{ type: 'sma-cross', space: { fast: { min: 3, max: 8, step: 1 }, slow: { min: 15, max: 30, step: 1 } } }],
      markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }],
      maxTrials: 4,
      candidates: 1,
      folds: 2,
      seed: 1,
    });
    const end = await discoveryFinished(progress, jobId);
    expect(end).toMatchObject({ status: 'done', kept: 0, message: 'kept 0 cards' });
    expect(board.list().cards).toEqual([]);
  }, 120_000);

  it('runs again on its schedule until stopped', async () => {
    const { dataset, board, progress, discovery, clock } = setup();
    board.setGates({ discovery: { minOosTrades: 1_000_000, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: false } });
    const { jobId } = discovery.discover({
      families: [{ type: 'sma-cross', space: { fast: { min: 3, max: 8, step: 1 }, slow: { min: 15, max: 30, step: 1 } } }],
      markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }],
      maxTrials: 3,
      candidates: 1,
      folds: 1,
      everyHours: 6,
    });
    await discoveryFinished(progress, jobId);
    clock.advanceBy(6 * 3_600_000 - 1);
    expect(new Set(progress.map((p) => p.jobId))).toEqual(new Set([jobId]));
    clock.advanceBy(1);
    const again = progress.find((p) => p.jobId !== jobId);
    expect(again).toBeDefined();
    await discoveryFinished(progress, again!.jobId);
    await discovery.stop();
    clock.advanceBy(24 * 3_600_000);
    expect(new Set(progress.map((p) => p.jobId)).size).toBe(2);
    expect(() => discovery.discover({ families: [{ type: 'sma-cross' }], markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }] })).toThrow(/shutting down/);
  }, 120_000);

  it('stops at once when Keel stops, canceling the search under way', async () => {
    const { dataset, backtests, progress, discovery } = setup();
    const { jobId } = discovery.discover({
      families: [{ type: 'sma-cross', space: { fast: { min: 3, max: 12, step: 1 }, slow: { min: 15, max: 40, step: 1 } } }],
      markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }],
      maxTrials: 200,
      candidates: 3,
    });
    while (backtests.list().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await discovery.stop();
    expect(backtests.list().map((b) => b.status)).toEqual(['canceled']);
    expect(progress.filter((p) => p.jobId === jobId).at(-1)).toMatchObject({ status: 'failed', message: expect.stringMatching(/Keel is stopping/) });
  }, 60_000);

  it('refuses an unknown family before starting, and reports a market too short to split', async () => {
    const { dataset, progress, discovery } = setup();
    expect(() => discovery.discover({ families: [{ type: 'no-such' }], markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }] })).toThrow(/No strategy type "no-such"/);
    expect(() => discovery.discover({ families: [{ type: 'ml-scored' }], markets: [{ dataset: dataset.id, symbol: 'BTC/USDT', timeframe: '1d' }] })).not.toThrow();
    const job = progress.at(-1)!.jobId;
    const end = await discoveryFinished(progress, job);
    expect(end).toMatchObject({ status: 'failed', message: expect.stringMatching(/ML-scored needs a model: give params.model/) });
  }, 60_000);
});
