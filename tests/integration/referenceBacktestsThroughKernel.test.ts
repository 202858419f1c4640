/**
 * The four reference runs, reproduced by the SMA cross strategy running in
 * the strategy runtime through the whole kernel (risk stage, order intake,
 * the simulated exchange with the "bar" fill model): every trade's bars,
 * prices, size and PnL, every statistic within 1e-9 relative, and the
 * equity curve.
 */
import { describe, expect, it } from 'vitest';
import { backtestSettingsSchema, type BacktestSettings } from '../../src/shared/contract/backtests';
import { runStrategyBacktest, type StrategyBacktestResult } from '../../src/main/backtest/strategyBacktest';
import { smaCross } from '../../src/main/engine/strategies/catalog/smaCross';
import { FIELDS, loadReferenceRun, parseDuration, parseUtc, REFERENCE_RUNS, type ReferenceRun } from '../support/referenceBacktests';

const REL = 1e-9;

function close(actual: number, expected: number): boolean {
  if (expected === 0) return Math.abs(actual) < 1e-12;
  return Math.abs((actual - expected) / expected) <= REL;
}

function settingsOf(run: ReferenceRun): BacktestSettings {
  const kw = run.meta.backtest_kwargs;
  return backtestSettingsSchema.parse({
    ...(kw.cash ? { cash: Number(kw.cash) } : {}),
    ...(kw.commission ? { commission: Number(kw.commission) } : {}),
    ...(kw.spread ? { spread: Number(kw.spread) } : {}),
    exclusiveOrders: kw.exclusive_orders === 'True',
    finalizeTrades: kw.finalize_trades === 'True',
  });
}

describe.each(REFERENCE_RUNS)('%s through the kernel', (name) => {
  const run = loadReferenceRun(name);
  let result: StrategyBacktestResult;

  it('runs', async () => {
    result = await runStrategyBacktest({
      definition: smaCross,
      params: { fast: run.meta.run_kwargs.n1 ?? 10, slow: run.meta.run_kwargs.n2 ?? 30 },
      symbol: run.meta.data,
      bars: run.bars,
      settings: settingsOf(run),
    });
    expect(result.trades.length).toBe(run.trades.length);
  }, 120_000);

  it('makes every trade the reference makes', () => {
    run.trades.forEach((expected, i) => {
      const actual = result.trades[i]!;
      const label = `trade ${i}`;
      expect([actual.size, actual.entryBar, actual.exitBar], label).toEqual([expected.size, expected.entryBar, expected.exitBar]);
      expect(actual.entryTime, label).toBe(expected.entryTime);
      expect(actual.exitTime, label).toBe(expected.exitTime);
      for (const [field, a, e] of [
        ['entryPrice', actual.entryPrice, expected.entryPrice],
        ['exitPrice', actual.exitPrice, expected.exitPrice],
        ['pnl', actual.pnl, expected.pnl],
        ['commission', actual.commission, expected.commission],
        ['return', actual.returnPct / 100, expected.returnFraction],
      ] as const) {
        expect(close(a, e), `${label} ${field}: got ${a}, expected ${e}`).toBe(true);
      }
    });
  });

  it('has the reference equity on every bar', () => {
    run.equity.forEach((row, i) => {
      expect(close(result.equity[i]!.equity, row.equity), `equity at bar ${i}: got ${result.equity[i]!.equity}, expected ${row.equity}`).toBe(true);
    });
  });

  it.each(FIELDS)('statistic %s', (label, field, kind) => {
    const actual = result.stats[field];
    const expected = run.stats[label];
    if (expected === undefined) {
      expect(label).toBe('Commissions [$]');
      expect(actual).toBe(0);
      return;
    }
    if (kind === 'time') expect(actual).toBe(parseUtc(expected as string));
    else if (kind === 'duration') expect(actual).toBe(parseDuration(expected as string));
    else expect(close(actual as number, expected as number), `${label}: got ${actual}, expected ${expected}`).toBe(true);
  });
});
