/**
 * Every built-in strategy, run through the whole kernel on seeded synthetic
 * bars with its default parameters:
 * - it sees only the past: cutting the data short changes none of its
 *   decisions, trades or equity before the cut;
 * - it waits for its warm-up: no decision or order before `warmupBars`, and
 *   every indicator it made has a value (this bar's and the one before) when
 *   it is first asked to decide;
 * - it trades on the data, so neither check passes by doing nothing.
 * A model-driven strategy needs a model to run: mlScoredBacktest.test.ts
 * holds it to the same checks with a trained one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runStrategyBacktest, type StrategyBacktestResult } from '../../src/main/backtest/strategyBacktest';
import { BUILTIN_STRATEGIES } from '../../src/main/engine/strategies/catalog';
import type { StrategyContext } from '../../src/main/engine/strategies/context';
import { resolveParams, usesMarketFeatures, type StrategyDefinition } from '../../src/main/engine/strategies/definition';
import type { Bands, Series } from '../../src/main/engine/strategies/indicators';
import { backtestSettingsSchema } from '../../src/shared/contract/backtests';
import type { StrategyParams } from '../../src/shared/contract/strategies';
import type { Bar } from '../../src/shared/domain';
import { syntheticBars } from '../support/syntheticBars';

const BARS = syntheticBars({ seed: 20_240_611 });
// Commission makes sizing and PnL depend on every price; finalizing closes what is open at the end so every entry is a trade.
const SETTINGS = backtestSettingsSchema.parse({ commission: 0.001, finalizeTrades: true });
// Cuts fall inside open positions and between them; each has decisions of every strategy before it.
const CUTS = [190, 311, 440, 557];

/** What the instrumented strategy saw and did, checked against its warm-up. */
interface Probe {
  series: Array<{ name: string; series: Series }>;
  /** Indicator values missing when a decision was asked for, as "bar N: name". */
  missing: string[];
  /** `ctx.bars().length` at each decision and each order call. */
  decisionBars: number[];
  orderBars: number[];
}

/** The definition with a context that records its indicators and orders, and a check before each decision. */
function instrumented(definition: StrategyDefinition): { definition: StrategyDefinition; probe: Probe } {
  const probe: Probe = { series: [], missing: [], decisionBars: [], orderBars: [] };
  const wrapped: StrategyDefinition = {
    ...definition,
    create(ctx, params) {
      const track = <S extends Series>(name: string, series: S): S => {
        probe.series.push({ name, series });
        return series;
      };
      const trackBands = (name: string, bands: Bands): Bands => ({
        upper: track(`${name}.upper`, bands.upper),
        middle: track(`${name}.middle`, bands.middle),
        lower: track(`${name}.lower`, bands.lower),
      });
      const ordering =
        <A extends unknown[], R>(call: (...args: A) => R) =>
        (...args: A): R => {
          probe.orderBars.push(ctx.bars().length);
          return call(...args);
        };
      const watched: StrategyContext = {
        ...ctx,
        indicators: {
          sma: (period, source) => track(`sma(${period})`, ctx.indicators.sma(period, source)),
          ema: (period, source) => track(`ema(${period})`, ctx.indicators.ema(period, source)),
          rsi: (period, source) => track(`rsi(${period})`, ctx.indicators.rsi(period, source)),
          atr: (period) => track(`atr(${period})`, ctx.indicators.atr(period)),
          bollinger: (period, deviations) => trackBands(`bollinger(${period})`, ctx.indicators.bollinger(period, deviations)),
          donchian: (period) => trackBands(`donchian(${period})`, ctx.indicators.donchian(period)),
          custom: (compute) => track('custom', ctx.indicators.custom(compute)),
        },
        submit: ordering(ctx.submit),
        buy: ordering(ctx.buy),
        sell: ordering(ctx.sell),
        closePosition: ordering(ctx.closePosition),
      };
      const handlers = definition.create(watched, params);
      const onBar = handlers.onBar?.bind(handlers);
      return {
        ...handlers,
        onBar(bar) {
          const seen = ctx.bars().length;
          probe.decisionBars.push(seen);
          for (const { name, series } of probe.series) {
            if (series.at(0) === null || series.at(1) === null) probe.missing.push(`bar ${seen - 1}: ${name}`);
          }
          return onBar?.(bar);
        },
      };
    },
  };
  return { definition: wrapped, probe };
}

function run(definition: StrategyDefinition, params: StrategyParams, bars: readonly Bar[]): Promise<StrategyBacktestResult> {
  return runStrategyBacktest({ definition, params, symbol: 'SYN/USD', bars, settings: SETTINGS });
}

/** Entered quantity per entry bar and price: a position closed in pieces splits its trade differently, but not what was entered. */
function entries(result: StrategyBacktestResult, beforeBar: number): Map<string, number> {
  const entered = new Map<string, number>();
  for (const t of result.trades) {
    if (t.entryBar >= beforeBar) continue;
    const key = `${t.entryBar}@${t.entryPrice}`;
    entered.set(key, (entered.get(key) ?? 0) + t.size);
  }
  return entered;
}

const PLAIN = BUILTIN_STRATEGIES.filter((d) => !usesMarketFeatures(d));

const CASES: Array<[string, StrategyDefinition, StrategyParams]> = [
  ...PLAIN.map((d): [string, StrategyDefinition, StrategyParams] => [d.type, d, {}]),
  ['breakout (bollinger)', BUILTIN_STRATEGIES.find((d) => d.type === 'breakout')!, { channel: 'bollinger' }],
];

it('covers every built-in', () => {
  expect(CASES.map(([, d]) => d.type)).toEqual(expect.arrayContaining(PLAIN.map((d) => d.type)));
  expect(BUILTIN_STRATEGIES.filter((d) => usesMarketFeatures(d)).map((d) => d.type)).toEqual(['ml-scored']);
  expect(BUILTIN_STRATEGIES[0]!.type).toBe('sma-cross');
});

describe.each(CASES)('%s', (_label, definition, input) => {
  const params = resolveParams(definition, input);
  const warmup = definition.warmupBars(params);
  const { definition: watched, probe } = instrumented(definition);
  let full: StrategyBacktestResult;

  beforeAll(async () => {
    full = await run(watched, params, BARS);
  }, 60_000);

  it('trades on the synthetic bars', () => {
    expect(full.trades.length).toBeGreaterThanOrEqual(1);
    expect(full.decisions.length).toBeGreaterThanOrEqual(1);
  });

  // The warm-up is handed over at start (live from the venue's history, here the first bars): onStart may act
  // once it has seen all of it (a grid lays its ladder then), and the first onBar decision is the bar after.
  it('decides nothing before its warm-up', () => {
    expect(full.firstDecisionBar).toBe(warmup);
    expect(full.decisions[0]!.bar).toBeGreaterThanOrEqual(warmup - 1);
    expect(Math.min(...probe.decisionBars)).toBe(warmup + 1);
    expect(Math.min(...probe.orderBars)).toBeGreaterThanOrEqual(warmup);
  });

  it('has every indicator ready, this bar and the one before, whenever it decides', () => {
    expect(probe.missing).toEqual([]);
  });

  it('sends no order when the data is shorter than its warm-up', async () => {
    const short = instrumented(definition);
    const result = await run(short.definition, params, BARS.slice(0, Math.max(2, warmup)));
    if (warmup < 2) {
      // A backtest needs two bars, on which a warm-up of one is complete: then nothing it did may come before that.
      expect(short.probe.orderBars.every((bar) => bar >= warmup)).toBe(true);
      expect(short.probe.decisionBars).toEqual([]);
      return;
    }
    expect(short.probe.orderBars).toEqual([]);
    expect(short.probe.decisionBars).toEqual([]);
    expect(result.decisions).toEqual([]);
    expect(result.trades).toEqual([]);
  });

  it.each(CUTS)('sees only the past: cut at bar %i', async (cut) => {
    const part = await run(definition, params, BARS.slice(0, cut));
    const decided = (r: StrategyBacktestResult) => r.decisions.filter((d) => d.bar < cut - 1);
    expect(decided(full).length).toBeGreaterThan(0);
    expect(decided(part)).toEqual(decided(full));
    const closed = (r: StrategyBacktestResult) => r.trades.filter((t) => t.exitBar < cut - 1);
    expect(closed(part)).toEqual(closed(full));
    expect(entries(part, cut)).toEqual(entries(full, cut));
    expect(part.equity.slice(0, cut - 1)).toEqual(full.equity.slice(0, cut - 1));
  });
});
