import { describe, expect, it } from 'vitest';
import { backtestSettingsSchema } from '../../../shared/contract/backtests';
import type { ClassificationFold } from '../../../shared/contract/trainingMetrics';
import type { Bar } from '../../../shared/domain';
import { runStrategyBacktest } from '../../backtest/strategyBacktest';
import { mlScored } from '../../engine/strategies/catalog/mlScored';
import type { StrategyDefinition } from '../../engine/strategies/definition';
import { syntheticBars } from '../features/syntheticBars';
import { MemoryModelStore } from '../registry/memoryModelStore';
import { ModelRegistry } from '../registry/modelRegistry';
import { createBacktestScoring } from '../scoring/backtestScoring';
import { SCORING_WARMUP_BARS } from '../scoring/modelScoring';
import { resolveModel } from '../scoring/modelVersions';
import { modelToJsonText, type TreeModel } from '../trees';
import { foldBacktestBars, foldBacktestWindow, foldPriceDecimals } from './foldBacktest';
import { trainModel } from './trainModel';

const cents = (x: number): number => Math.round(x * 100) / 100;
/** Hourly bars at cent precision, as a venue's history holds them; their moves follow their recent returns, so a model finds something. */
const BARS: Bar[] = syntheticBars({ count: 1_600, seed: 7, sigma: (i) => 0.004 + 0.002 * Math.sin(i / 50), drift: 0.0003 }).map((b) => ({
  ...b,
  open: cents(b.open),
  high: cents(b.high),
  low: cents(b.low),
  close: cents(b.close),
}));
const TARGET = { kind: 'direction' as const, horizon: 3, threshold: 0.002 };
const FEATURES = ['ret_1', 'ret_3', 'ret_12', 'rsi_14', 'macd_12_26_9_hist', 'bb_20_2_pctb', 'rv_20'];

describe('a training fold\'s backtest', () => {
  it('is the ML-scored strategy with its defaults run through the backtest kernel on the fold\'s bars, as a direct run of that model gives', async () => {
    const folds: Array<{ fold: ClassificationFold; model: TreeModel }> = [];
    const outcome = await trainModel(
      { algorithm: 'gbdt', bars: BARS, target: TARGET, features: FEATURES, params: { rounds: 60, maxDepth: 4, learningRate: 0.3 }, folds: 3 },
      { onFold: (fold, model) => folds.push({ fold: fold as ClassificationFold, model }) },
    );
    if (outcome.metrics.kind !== 'classification') throw new Error('expected classification metrics');
    expect(folds.map((f) => f.fold)).toEqual(outcome.metrics.folds);

    let ids = 0;
    const registry = new ModelRegistry(new MemoryModelStore(), () => 0, () => `m-${++ids}`);
    let traded = 0;
    for (const { fold, model } of folds) {
      // The fold's model, registered and named in the strategy's parameters, as `backtests.run` would take it.
      const name = `fold-${fold.fold}`;
      const record = registry.register(
        { name, algorithm: 'gbdt', features: FEATURES, featuresHash: outcome.featuresHash, target: TARGET, trainingWindow: null, dataHash: null, metrics: {}, featureImportance: [], trainingLog: [], errors: [], parentId: null, maxAgeMs: null },
        new TextEncoder().encode(modelToJsonText(model)),
      );
      registry.activate(record.id);
      const first = BARS.findIndex((b) => b.time === fold.from);
      const last = BARS.findIndex((b) => b.time === fold.to);
      // The strategy's warm-up before the block, the block, and the bar after it for the last decision to fill.
      const bars = BARS.slice(first - SCORING_WARMUP_BARS, last + 2);
      const { scoring } = createBacktestScoring({ [name]: resolveModel(registry, name) }, '1h');
      const direct = await runStrategyBacktest({
        definition: mlScored as unknown as StrategyDefinition,
        params: { model: name },
        symbol: 'BTC/USD',
        bars,
        settings: backtestSettingsSchema.parse({ commission: 0.001, fractionalUnit: 0.000001, finalizeTrades: true }),
        models: scoring,
      });
      await scoring.close();
      const s = direct.stats;
      expect(fold.backtest).toEqual({
        strategy: 'ml-scored',
        threshold: 0.75,
        commission: 0.001,
        from: fold.from,
        to: fold.to,
        bars: fold.testRows,
        signals: fold.testRows,
        acted: expect.any(Number),
        trades: s.trades,
        netPnl: direct.trades.reduce((sum, t) => sum + t.pnl, 0),
        fees: s.commissions,
        returnPct: s.returnPct,
        buyHoldReturnPct: s.buyHoldReturnPct,
        maxDrawdownPct: s.maxDrawdownPct,
        sharpeRatio: s.sharpeRatio,
        winRatePct: s.winRatePct,
        exposurePct: s.exposureTimePct,
      });
      // Net of fees: each trade paid its commission, and the equity moved by the trades' net profit.
      expect(s.equityFinal - 10_000).toBeCloseTo(fold.backtest!.netPnl, 6);
      if (s.trades > 0) expect(fold.backtest!.fees).toBeGreaterThan(0);
      traded += s.trades;
    }
    // The comparison is about trades, not an idle strategy.
    expect(traded).toBeGreaterThan(3);
  }, 60_000);

  it('plays the warm-up before the block and one bar after it, and skips a block that ends before the warm-up does', () => {
    expect(foldBacktestWindow(400, 500, 1_000)).toEqual({ first: 400 - SCORING_WARMUP_BARS, last: 501 });
    // Too little data before the block: decisions begin once the warm-up is over.
    expect(foldBacktestWindow(100, 500, 1_000)).toEqual({ first: 0, last: 501 });
    expect(foldBacktestWindow(100, SCORING_WARMUP_BARS - 1, 1_000)).toBeNull();
    // No bar after the block for the last decision to fill at.
    expect(foldBacktestWindow(400, 999, 1_000)).toBeNull();
  });

  it('rounds prices to about ten significant digits, leaving precise enough bars as they are', () => {
    expect(foldBacktestBars(BARS)).toEqual(BARS);
    expect(foldPriceDecimals([{ time: 0, open: 1, high: 65_000.5, low: 1, close: 1, volume: 1 }])).toBe(5);
    expect(foldPriceDecimals([{ time: 0, open: 1, high: 0.000123, low: 1, close: 1, volume: 1 }])).toBe(10);
    const [bar] = foldBacktestBars([{ time: 0, open: 1.123456789123, high: 1.5, low: 1, close: 1.2, volume: 3 }]);
    expect(bar).toEqual({ time: 0, open: 1.123456789, high: 1.5, low: 1, close: 1.2, volume: 3 });
  });
});
