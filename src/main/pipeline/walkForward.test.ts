import { describe, expect, it } from 'vitest';
import type { BacktestTrade, EquityPoint } from '../../shared/contract/backtests';
import { backtestEvidence, maxDrawdownPct, outOfSampleDeflatedSharpe, planWalkForward, stretchFigures } from './walkForward';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function curve(values: number[]): EquityPoint[] {
  return values.map((equity, i) => ({ time: T0 + i * DAY, equity, drawdownPct: 0 }));
}

function trade(exitDay: number, pnl: number): BacktestTrade {
  return { size: 1, entryBar: exitDay - 1, exitBar: exitDay, entryTime: T0 + (exitDay - 1) * DAY, exitTime: T0 + exitDay * DAY, entryPrice: 100, exitPrice: 100 + pnl, pnl, commission: 0, returnPct: pnl };
}

describe('planWalkForward', () => {
  it('puts the in-sample share first and splits the rest into equal folds', () => {
    const times = Array.from({ length: 100 }, (_, i) => i);
    expect(planWalkForward(times, 0.6, 4)).toEqual({ splitTime: 60, foldStarts: [60, 70, 80, 90] });
    expect(planWalkForward(times, 0.5, 3)).toEqual({ splitTime: 50, foldStarts: [50, 66, 83] });
  });

  it('refuses bars too few for every stretch', () => {
    expect(planWalkForward([0, 1, 2, 3, 4], 0.6, 2)).toBeNull();
    expect(planWalkForward([0, 1, 2], 0.3, 1)).toBeNull();
  });
});

describe('stretch figures', () => {
  it('counts the trades that closed in the stretch and its own return, drawdown and profit factor', () => {
    const equity = curve([100, 110, 99, 121, 121, 130]);
    const trades = [trade(1, 10), trade(2, -11), trade(3, 22), trade(5, 9)];
    const f = stretchFigures(equity, trades, T0 + DAY, T0 + 4 * DAY)!;
    expect(f.trades).toBe(3);
    expect(f.returnPct).toBeCloseTo((121 / 110 - 1) * 100, 10);
    expect(f.maxDrawdownPct).toBeCloseTo(10, 10);
    expect(f.profitFactor).toBeCloseTo((10 + 22) / 11, 10);
    expect([f.from, f.to]).toEqual([T0 + DAY, T0 + 3 * DAY]);
  });

  it('is null for a stretch of fewer than two bars, and has no profit factor without a loss', () => {
    expect(stretchFigures(curve([100, 101]), [], T0 + DAY, undefined)).toBeNull();
    expect(stretchFigures(curve([100, 101, 102]), [trade(1, 1)], T0, undefined)!.profitFactor).toBeNull();
  });

  it('measures a drawdown from the stretch high, not from a high before it', () => {
    expect(maxDrawdownPct([200, 100, 90, 120])).toBeCloseTo(55, 10);
    expect(maxDrawdownPct([100, 90, 120])).toBeCloseTo(10, 10);
    expect(maxDrawdownPct([100, 110, 120])).toBe(0);
  });
});

describe('backtest evidence', () => {
  // A steady climb with noise: positive out-of-sample returns.
  const values = Array.from({ length: 200 }, (_, i) => 1000 * (1 + 0.002 * i) * (1 + 0.01 * Math.sin(i * 1.7)));
  const equity = curve(values);
  const trades = Array.from({ length: 40 }, (_, i) => trade(5 * i + 3, i % 3 === 0 ? -2 : 4));
  const plan = planWalkForward(equity.map((p) => p.time), 0.5, 4)!;

  it('figures each fold, the out-of-sample whole and the in-sample part', () => {
    const evidence = backtestEvidence(equity, trades, plan, { searchId: 's', backtestId: 'b', trials: 10 });
    expect(evidence.folds).toHaveLength(4);
    expect(evidence.folds.reduce((s, f) => s + f.trades, 0)).toBe(evidence.outOfSample!.trades);
    expect(evidence.inSample!.trades + evidence.outOfSample!.trades).toBe(40);
    expect(evidence.worstFoldDrawdownPct).toBe(Math.max(...evidence.folds.map((f) => f.maxDrawdownPct)));
    expect(evidence.worstDrawdownPct).toBeGreaterThanOrEqual(evidence.worstFoldDrawdownPct!);
    expect(evidence).toMatchObject({ searchId: 's', backtestId: 'b', trials: 10 });
  });

  it('deflates the out-of-sample Sharpe ratio more the more sets were tried', () => {
    const one = outOfSampleDeflatedSharpe(equity, plan.splitTime, 1)!;
    const many = outOfSampleDeflatedSharpe(equity, plan.splitTime, 1000)!;
    expect(one).toBeGreaterThan(0.5);
    expect(many).toBeLessThan(one);
    expect(outOfSampleDeflatedSharpe(curve([100, 100, 100, 100]), T0, 5)).toBeNull();
  });
});
