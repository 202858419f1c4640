import { describe, expect, it } from 'vitest';
import { runStrategyBacktest, type StrategyBacktestResult } from '../../../backtest/strategyBacktest';
import { MemoryModelStore } from '../../../ml/registry/memoryModelStore';
import { ModelRegistry } from '../../../ml/registry/modelRegistry';
import { ModelScoring, SCORING_WARMUP_BARS } from '../../../ml/scoring/modelScoring';
import { featuresHash } from '../../../ml/features/featureSet';
import { RegistryModelSource } from '../../../ml/scoring/modelVersions';
import type { RowScorer } from '../../../ml/scoring/rowScorers';
import { MemorySignalSink } from '../../../ml/signals/memorySignalSink';
import { backtestSettingsSchema } from '../../../../shared/contract/backtests';
import type { StrategyParams } from '../../../../shared/contract/strategies';
import { ScriptedScoring, SCRIPTED_MODEL, type ScriptedCall } from '../../../../../tests/support/scriptedScoring';
import { syntheticBars } from '../../../../../tests/support/syntheticBars';
import type { StrategyDefinition } from '../definition';
import { confidenceText, mlScored, regimeGateRefusal } from './mlScored';

const definition = mlScored as unknown as StrategyDefinition;
const BARS = syntheticBars({ seed: 31, count: 40 });
const SETTINGS = backtestSettingsSchema.parse({ finalizeTrades: true });
const quiet: ScriptedCall = { direction: 'neutral', confidence: 0.5 };

/** Runs ml-scored over BARS with the model saying `calls[bar]` (neutral 0.5 on every other bar). */
async function run(calls: Record<number, ScriptedCall>, params: StrategyParams = {}): Promise<{ result: StrategyBacktestResult; scoring: ScriptedScoring }> {
  const scoring = new ScriptedScoring((index) => calls[index] ?? quiet);
  const result = await runStrategyBacktest({ definition, params: { model: SCRIPTED_MODEL, ...params }, symbol: 'SYN/USD', bars: BARS, settings: SETTINGS, models: scoring });
  return { result, scoring };
}

describe('ml-scored decisions', () => {
  it('goes long on a confident long, linking the order to the signal, and acts on nothing below the threshold', async () => {
    const { result, scoring } = await run({ 5: { direction: 'long', confidence: 0.8 }, 8: { direction: 'short', confidence: 0.74 } }, { allowShort: true });
    const entry = scoring.signalAt(5)!;
    expect(entry).toMatchObject({ direction: 'long', acted: true, note: 'long at confidence 0.80' });
    expect(entry.orderIds).toHaveLength(1);
    // The buy fills at the next bar's open; the short call below 0.75 leaves it alone until the end closes it.
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({ entryBar: 6, exitBar: BARS.length - 1 });
    expect(result.trades[0]!.size).toBeGreaterThan(0);
    expect(scoring.signalAt(8)).toMatchObject({ acted: false, note: 'confidence 0.74 below 0.75', orderIds: [] });
    expect(scoring.signalAt(6)).toMatchObject({ acted: false, note: 'confidence 0.50 below 0.75' });
    // Every signal but the entry's is not acted on and caused no order.
    const linked = scoring.sink.list().filter((s) => s.orderIds.length > 0);
    expect(linked.map((s) => s.id)).toEqual([entry.id]);
    expect(result.decisions.find((d) => d.bar === 5)?.text).toMatch(/scripted v1: long at confidence 0.80/);
  });

  it('on a confident opposite call closes and reverses, both orders linked to that signal', async () => {
    const { result, scoring } = await run({ 3: { direction: 'long', confidence: 0.9 }, 7: { direction: 'long', confidence: 0.95 }, 10: { direction: 'short', confidence: 0.9 } });
    expect(scoring.signalAt(7)).toMatchObject({ acted: false, note: 'already long', orderIds: [] });
    const flip = scoring.signalAt(10)!;
    expect(flip).toMatchObject({ acted: true, note: 'closed long; short at confidence 0.90' });
    expect(flip.orderIds).toHaveLength(2);
    expect(new Set(flip.orderIds).size).toBe(2);
    expect(flip.orderIds).not.toContain(scoring.signalAt(3)!.orderIds[0]);
    expect(result.trades.map((t) => [t.entryBar, t.exitBar, Math.sign(t.size)])).toEqual([
      [4, 11, 1],
      [11, BARS.length - 1, -1],
    ]);
  });

  it('with shorting off, a confident short only closes a long and never opens a short', async () => {
    const { result, scoring } = await run(
      { 2: { direction: 'short', confidence: 0.9 }, 4: { direction: 'long', confidence: 0.9 }, 9: { direction: 'short', confidence: 0.9 } },
      { allowShort: false },
    );
    expect(scoring.signalAt(2)).toMatchObject({ acted: false, note: 'short not allowed', orderIds: [] });
    expect(scoring.signalAt(9)).toMatchObject({ acted: true, note: 'closed long; short not allowed' });
    expect(scoring.signalAt(9)!.orderIds).toHaveLength(1);
    expect(result.trades.map((t) => [t.entryBar, t.exitBar, Math.sign(t.size)])).toEqual([[5, 10, 1]]);
  });

  it('keeps entries out of the regimes its gate names, and never holds back an exit', async () => {
    const calls = {
      2: { direction: 'long', confidence: 0.9, regime: 'volatile' },
      4: { direction: 'long', confidence: 0.9, regime: 'ranging' },
      8: { direction: 'short', confidence: 0.9, regime: 'volatile' },
    } satisfies Record<number, ScriptedCall>;
    const notVolatile = await run(calls, { regimeGate: 'not-volatile' });
    expect(notVolatile.scoring.signalAt(2)).toMatchObject({ acted: false, note: 'regime volatile gated out', orderIds: [] });
    expect(notVolatile.scoring.signalAt(4)).toMatchObject({ acted: true, note: 'long at confidence 0.90' });
    // The short in a volatile market still closes the long; the short entry is gated.
    expect(notVolatile.scoring.signalAt(8)).toMatchObject({ acted: true, note: 'closed long; regime volatile gated out' });
    expect(notVolatile.result.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([[5, 9]]);
    // The regime each round trip began in is kept with it.
    expect(notVolatile.result.trades[0]!.regime).toBe('ranging');

    const withTrend = await run({ 3: { direction: 'long', confidence: 0.9, regime: 'trending_down' }, 6: { direction: 'short', confidence: 0.9, regime: 'trending_down' } }, { regimeGate: 'with-trend' });
    expect(withTrend.scoring.signalAt(3)).toMatchObject({ acted: false, note: 'regime trending down gated out (a long enters only trending up)' });
    expect(withTrend.scoring.signalAt(6)).toMatchObject({ acted: true, note: 'short at confidence 0.90' });
  });

  it('closes on a confident neutral with the neutral exit, and after the model\'s horizon with the horizon exit', async () => {
    const calls = { 3: { direction: 'long', confidence: 0.9 }, 12: { direction: 'neutral', confidence: 0.8 } } satisfies Record<number, ScriptedCall>;
    const neutral = await run(calls, { exitOn: 'neutral-or-opposite' });
    expect(neutral.scoring.signalAt(12)).toMatchObject({ acted: true, note: 'neutral at confidence 0.80: closed long' });
    expect(neutral.result.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([[4, 13]]);
    const holds = await run(calls);
    expect(holds.scoring.signalAt(12)).toMatchObject({ acted: false, note: 'neutral: keeps the long (exits on the opposite signal)' });

    // The scripted model's horizon is 3 bars: entered on bar 3's signal, closed on bar 6's.
    const horizon = await run({ 3: { direction: 'long', confidence: 0.9 } }, { exitAfterHorizon: true });
    expect(horizon.scoring.signalAt(6)).toMatchObject({ acted: true, note: 'closed long after the horizon of 3 bars; confidence 0.50 below 0.75' });
    expect(horizon.scoring.signalAt(6)!.orderIds).toHaveLength(1);
    expect(horizon.result.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([[4, 7]]);
  });

  it('decides nothing on a bar the model could not score, saying so', async () => {
    const scoring = new ScriptedScoring((index) => (index === 5 ? null : index === 6 ? { direction: 'long', confidence: 0.9 } : quiet));
    const result = await runStrategyBacktest({ definition, params: { model: SCRIPTED_MODEL }, symbol: 'SYN/USD', bars: BARS, settings: SETTINGS, models: scoring });
    expect(result.decisions.find((d) => d.bar === 5)?.text).toMatch(/no decision/);
    expect(scoring.signalAt(5)).toBeUndefined();
    expect(result.trades.map((t) => t.entryBar)).toEqual([7]);
  });

  it('sizes by a share of equity or by a fixed value', async () => {
    const call = { 3: { direction: 'long', confidence: 0.9 } } satisfies Record<number, ScriptedCall>;
    const price = BARS[4]!.open;
    const share = await run(call, { sizing: 'equity-fraction', equityFraction: 0.5 });
    expect(share.result.trades[0]!.size).toBe(Math.floor((10_000 * 0.5) / price));
    const fixed = await run(call, { sizing: 'fixed-value', orderValue: 2_000 });
    expect(fixed.result.trades[0]!.size).toBe(Math.floor(2_000 / price));
  });
});

describe('an expired model', () => {
  it('makes no new decision: its signals are recorded, not acted on, and the strategy says why', async () => {
    const bars = syntheticBars({ seed: 5, count: SCORING_WARMUP_BARS + 20 });
    const store = new MemoryModelStore();
    let now = 1_000;
    const registry = new ModelRegistry(store, () => now, () => 'm-old');
    const features = ['ret_1', 'rsi_14'];
    const record = registry.register(
      {
        name: 'old',
        algorithm: 'gbdt',
        features,
        featuresHash: featuresHash(features),
        target: { kind: 'direction', horizon: 2, threshold: 0 },
        trainingWindow: null,
        dataHash: null,
        metrics: {},
        featureImportance: [],
        trainingLog: [],
        errors: [],
        parentId: null,
        maxAgeMs: 60_000,
      },
      new TextEncoder().encode('{}'),
    );
    registry.activate(record.id);
    // A row scorer that always calls long with certainty: only the age can keep it from trading.
    const scorer: RowScorer = { score: async () => Float64Array.of(0.99, 0.005, 0.005), close: async () => undefined };
    const sink = new MemorySignalSink({});
    const scoring = new ModelScoring({ source: new RegistryModelSource(registry, () => now), scorer, sink });
    now += 120_000;
    const result = await runStrategyBacktest({ definition, params: { model: 'old' }, symbol: 'SYN/USD', bars, settings: SETTINGS, models: scoring });
    expect(result.trades).toEqual([]);
    const signals = sink.list();
    expect(signals.length).toBeGreaterThan(10);
    for (const signal of signals) {
      expect(signal).toMatchObject({ direction: 'long', acted: false, modelName: 'old', modelVersion: 1, orderIds: [] });
      expect(signal.note).toMatch(/expired/);
    }
    expect(result.decisions.at(-1)?.text).toMatch(/^no decision: model old v1 expired/);
    // The same version, still young, trades.
    now = 1_000;
    const young = await runStrategyBacktest({ definition, params: { model: 'old' }, symbol: 'SYN/USD', bars, settings: SETTINGS, models: new ModelScoring({ source: new RegistryModelSource(registry, () => now), scorer, sink: new MemorySignalSink({}) }) });
    expect(young.trades.length).toBe(1);
  });
});

describe('note helpers', () => {
  it('words the regime gate', () => {
    expect(regimeGateRefusal('off', 'long', 'volatile')).toBeNull();
    expect(regimeGateRefusal('not-volatile', 'short', 'volatile')).toBe('regime volatile gated out');
    expect(regimeGateRefusal('not-volatile', 'short', 'trending_up')).toBeNull();
    expect(regimeGateRefusal('trending', 'long', 'ranging')).toBe('regime ranging gated out (enters only in a trend)');
    expect(regimeGateRefusal('trending', 'short', 'trending_up')).toBeNull();
    expect(regimeGateRefusal('with-trend', 'short', 'trending_down')).toBeNull();
    expect(regimeGateRefusal('with-trend', 'long', null)).toBe('regime not known yet: gated out');
  });

  it('shows enough decimals to tell a confidence from the threshold', () => {
    expect(confidenceText(0.62, 0.75)).toBe('0.62');
    expect(confidenceText(0.7499, 0.75)).toBe('0.7499');
    expect(confidenceText(0.75, 0.75)).toBe('0.75');
  });
});
