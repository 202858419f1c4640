import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  annualisation,
  computeStatistics,
  deflatedSharpe,
  drawdownSeries,
  expectedMaxSharpe,
  inverseNormalCdf,
  normalCdf,
  periodReturns,
  probabilisticSharpe,
  sharpeMoments,
  utcDayOfWeek,
  type StatisticsInput,
} from './statistics';
import { FIELDS, loadReferenceRun, parseDuration, parseUtc, REFERENCE_RUNS, type ReferenceRun } from '../../../tests/support/referenceBacktests';

const REL = 1e-9;

function expectClose(actual: number | null, expected: number, label: string): void {
  expect(actual, label).not.toBeNull();
  if (expected === 0) {
    expect(actual, label).toBe(0);
    return;
  }
  const rel = Math.abs((actual! - expected) / expected);
  expect(rel, `${label}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(REL);
}


/**
 * The slow SMA's length: the run's `n2`, or 30 for the test-suite strategy,
 * whose 10/30 defaults the reference table lists (it runs without kwargs).
 */
function slowSma(run: ReferenceRun): number {
  return run.meta.run_kwargs.n2 ?? 30;
}

function inputOf(run: ReferenceRun): StatisticsInput {
  return {
    bars: run.bars,
    equity: run.equity.map((r) => r.equity),
    trades: run.trades,
    // An n-bar SMA first has a value on bar n − 1: the warm-up, where buy & hold starts.
    firstTradableBar: slowSma(run) - 1,
  };
}

describe.each(REFERENCE_RUNS)('reference run %s', (name) => {
  const run = loadReferenceRun(name);
  const stats = computeStatistics(inputOf(run));

  it('lines the fixture files up: one equity row per bar, trade times from bar indices', () => {
    expect(run.equity.length).toBe(run.bars.length);
    expect(run.bars.length).toBe(run.meta.data_rows);
    run.equity.forEach((row, i) => expect(row.time).toBe(run.bars[i]!.time));
    for (const t of run.trades) {
      expect(run.bars[t.entryBar]!.time).toBe(t.entryTime);
      expect(run.bars[t.exitBar]!.time).toBe(t.exitTime);
      expect(t.exitTime - t.entryTime).toBe(t.durationMs);
    }
  });

  it.each(FIELDS)('%s', (label, field, kind) => {
    const actual = stats[field];
    const expected = run.stats[label];
    if (expected === undefined) {
      // The reference leaves the commissions line out when none was charged.
      expect(label).toBe('Commissions [$]');
      expect(run.trades.every((t) => t.commission === 0)).toBe(true);
      expect(actual).toBe(0);
      return;
    }
    if (kind === 'time') expect(actual).toBe(parseUtc(expected as string));
    else if (kind === 'duration') expect(actual).toBe(parseDuration(expected as string));
    else expectClose(actual, expected as number, label);
  });

  it('reproduces the per-bar drawdown and the drawdown durations', () => {
    const dd = drawdownSeries(
      run.bars.map((b) => b.time),
      run.equity.map((r) => r.equity),
    );
    run.equity.forEach((row, i) => {
      expectClose(dd.drawdown[i]!, row.drawdown, `drawdown at bar ${i}`);
      expect(dd.durationMs[i], `duration at bar ${i}`).toBe(row.drawdownDurationMs);
    });
    for (const p of dd.periods) {
      expect(dd.drawdown[p.startBar]).toBe(0);
      expect(p.depth).toBe(Math.max(...dd.drawdown.slice(p.startBar, p.endBar + 1)));
    }
  });

  it('gives a probabilistic Sharpe ratio from the resampled period returns', () => {
    const times = run.bars.map((b) => b.time);
    const returns = periodReturns(times, inputOf(run).equity, annualisation(times).unit);
    const m = sharpeMoments(returns)!;
    expect(stats.probabilisticSharpe).toBe(probabilisticSharpe(m.sharpe, m.observations, m.skew, m.kurtosis));
    expect(stats.probabilisticSharpe).toBeGreaterThan(0);
    expect(stats.probabilisticSharpe).toBeLessThan(1);
    // A losing run is more likely than not to have no edge; a winning one the opposite.
    expect(stats.probabilisticSharpe! > 0.5).toBe(m.sharpe > 0);
  });
});

describe('annualisation', () => {
  const day = 86_400_000;
  it('detects the data frequency as the definitions describe', () => {
    expect(annualisation(loadReferenceRun('btcusd_sma3_6').bars.map((b) => b.time))).toEqual({ unit: 'month', periodsPerYear: 12 });
    expect(annualisation(loadReferenceRun('goog_sma10_30_testsuite').bars.map((b) => b.time))).toEqual({ unit: 'day', periodsPerYear: 252 });
    expect(annualisation(loadReferenceRun('eurusd_sma10_20_spread').bars.map((b) => b.time))).toEqual({ unit: 'day', periodsPerYear: 252 });
    const everyDay = Array.from({ length: 60 }, (_, i) => Date.UTC(2024, 0, 1) + i * day);
    expect(annualisation(everyDay)).toEqual({ unit: 'day', periodsPerYear: 365 });
  });

  it('resamples to the last equity of each calendar day with bars', () => {
    const t0 = Date.UTC(2024, 0, 5, 20); // a Friday evening
    const hour = 3_600_000;
    const times = [t0, t0 + hour, t0 + 3 * day, t0 + 3 * day + hour, t0 + 4 * day];
    expect(periodReturns(times, [100, 110, 99, 121, 133.1], 'day')).toEqual([121 / 110 - 1, 133.1 / 121 - 1]);
  });
});

describe('undefined statistics', () => {
  const day = 86_400_000;
  const bars = Array.from({ length: 30 }, (_, i) => {
    const close = 100 + Math.sin(i) * 5;
    return { time: Date.UTC(2024, 0, 1) + i * day, open: close, high: close, low: close, close };
  });

  it('are null without trades or drawdowns, never NaN or Infinity', () => {
    const s = computeStatistics({ bars, equity: bars.map(() => 1000), trades: [], firstTradableBar: 0 });
    for (const [key, value] of Object.entries(s)) {
      expect(value === null || Number.isFinite(value), key).toBe(true);
    }
    expect(s).toMatchObject({
      trades: 0,
      commissions: 0,
      exposureTimePct: 0,
      returnPct: 0,
      returnAnnPct: 0,
      volatilityAnnPct: 0,
      sharpeRatio: null,
      sortinoRatio: null,
      calmarRatio: null,
      maxDrawdownPct: 0,
      avgDrawdownPct: null,
      maxDrawdownDurationMs: null,
      avgDrawdownDurationMs: null,
      winRatePct: null,
      bestTradePct: null,
      worstTradePct: null,
      avgTradePct: null,
      maxTradeDurationMs: null,
      avgTradeDurationMs: null,
      profitFactor: null,
      expectancyPct: null,
      sqn: null,
      kellyCriterion: null,
      probabilisticSharpe: null,
    });
  });

  it('profit factor and Kelly are null with no losing trade', () => {
    const win = { size: 1, entryPrice: 100, exitPrice: 110, pnl: 10, commission: 0, returnFraction: 0.1 };
    const s = computeStatistics({
      bars,
      equity: bars.map((_, i) => 1000 + (i >= 5 ? 10 : 0) + (i >= 15 ? 12 : 0)),
      trades: [
        { ...win, entryBar: 2, exitBar: 5 },
        { ...win, entryBar: 10, exitBar: 15, pnl: 12, returnFraction: 0.12 },
      ],
      firstTradableBar: 0,
    });
    expect(s.profitFactor).toBeNull();
    expect(s.kellyCriterion).toBeNull();
    expect(s.winRatePct).toBe(100);
    expect(s.exposureTimePct).toBe((10 / 30) * 100);
    expect(s.avgTradePct).toBeCloseTo((Math.sqrt(1.1 * 1.12) - 1) * 100, 12);
    expect(s.maxTradeDurationMs).toBe(5 * day);
  });

  it('rejects malformed input', () => {
    expect(() => computeStatistics({ bars: [], equity: [], trades: [], firstTradableBar: 0 })).toThrow(RangeError);
    expect(() => computeStatistics({ bars, equity: [1], trades: [], firstTradableBar: 0 })).toThrow(RangeError);
    expect(() => computeStatistics({ bars, equity: bars.map(() => 1), trades: [], firstTradableBar: 30 })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------
// Probabilistic and deflated Sharpe ratios, against values worked out here by
// other means: Φ by Simpson integration of the normal density, Φ⁻¹ by bisection.

function phiByIntegration(x: number): number {
  const steps = 20_000;
  const h = x / steps;
  const density = (t: number): number => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = density(0) + density(x);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (s * h) / 3;
}

function quantileByBisection(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (phiByIntegration(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('normal distribution helpers', () => {
  it('match tabulated values and an independent integration', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 15);
    expect(normalCdf(0)).toBe(0.5);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(inverseNormalCdf(1e-6)).toBeCloseTo(-4.753424308822899, 12);
    expect(Math.abs(normalCdf(-5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-12);
    for (const x of [-3.7, -2.2, -1, -0.3, 0.4, 1.5, 2.9, 4.1]) {
      expect(Math.abs(normalCdf(x) - phiByIntegration(x)), `Φ(${x})`).toBeLessThan(1e-14);
    }
    for (const p of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expect(Math.abs(inverseNormalCdf(p) - quantileByBisection(p)), `Φ⁻¹(${p})`).toBeLessThan(1e-11);
    }
  });
});

describe('probabilistic Sharpe ratio', () => {
  it('is Φ((SR − SR*)·√(n − 1) / √(1 − skew·SR + (kurt − 1)/4·SR²))', () => {
    // SR 0.1 over 250 periods, skew −0.5, kurtosis 4:
    // variance term 1 + 0.05 + 0.0075 = 1.0575; z = 0.1·√249 / √1.0575.
    const z = (0.1 * Math.sqrt(249)) / Math.sqrt(1.0575);
    expect(probabilisticSharpe(0.1, 250, -0.5, 4)).toBeCloseTo(phiByIntegration(z), 13);
    // Against a benchmark of 0.05: z halves.
    expect(probabilisticSharpe(0.1, 250, -0.5, 4, 0.05)).toBeCloseTo(phiByIntegration(z / 2), 13);
    // Normal returns (skew 0, kurtosis 3), SR 0.2, n 101: z = 0.2·10 / √(1 + 0.5·0.04) = 2 / √1.02.
    expect(probabilisticSharpe(0.2, 101, 0, 3)).toBeCloseTo(phiByIntegration(2 / Math.sqrt(1.02)), 13);
    expect(probabilisticSharpe(0, 50, 1, 9)).toBe(0.5);
  });

  it('is null when it has no meaning', () => {
    expect(probabilisticSharpe(0.1, 1, 0, 3)).toBeNull();
    // 1 − skew·SR + … ≤ 0: the variance term is negative.
    expect(probabilisticSharpe(1, 100, 3, 1)).toBeNull();
  });

  it('takes its moments from the returns: sample Sharpe, biased skew and kurtosis', () => {
    const r = [0.01, -0.02, 0.03, 0.005, -0.01];
    // mean 0.003; deviations 0.007, −0.023, 0.027, 0.002, −0.013
    const d = [0.007, -0.023, 0.027, 0.002, -0.013];
    const m2 = d.reduce((s, x) => s + x ** 2, 0) / 5; // (49 + 529 + 729 + 4 + 169)e-6 / 5
    const m3 = d.reduce((s, x) => s + x ** 3, 0) / 5;
    const m4 = d.reduce((s, x) => s + x ** 4, 0) / 5;
    const m = sharpeMoments(r)!;
    expect(m.observations).toBe(5);
    expect(m.sharpe).toBeCloseTo(0.003 / Math.sqrt((m2 * 5) / 4), 12);
    expect(m.skew).toBeCloseTo(m3 / m2 ** 1.5, 12);
    expect(m.kurtosis).toBeCloseTo(m4 / m2 ** 2, 12);
    expect(m2).toBeCloseTo(0.000296, 15);
    expect(sharpeMoments([0.01, 0.01, 0.01])).toBeNull();
    expect(sharpeMoments([0.01, 0.02])).toBeNull();
  });
});

describe('deflated Sharpe ratio', () => {
  const eulerGamma = 0.5772156649015329;
  const handSr0 = (trials: number, variance: number): number =>
    Math.sqrt(variance) *
    ((1 - eulerGamma) * quantileByBisection(1 - 1 / trials) + eulerGamma * quantileByBisection(1 - 1 / (trials * Math.E)));

  it('equals the probabilistic Sharpe ratio for a single trial', () => {
    expect(expectedMaxSharpe(1, 0.01)).toBe(0);
    expect(deflatedSharpe(0.1, 1, { observations: 250, skew: -0.5, kurtosis: 4 })).toBe(probabilisticSharpe(0.1, 250, -0.5, 4));
  });

  it('tests against the expected best Sharpe of N skill-less trials', () => {
    // 100 trials whose Sharpe estimates vary by 0.0025 (sd 0.05):
    // SR0 = 0.05·((1 − γ)·Φ⁻¹(0.99) + γ·Φ⁻¹(1 − 1/(100e))) ≈ 0.05·(0.42278·2.32635 + 0.57722·2.68021) ≈ 0.12653.
    const sr0 = handSr0(100, 0.0025);
    expect(sr0).toBeCloseTo(0.05 * (0.42278 * 2.32635 + 0.57722 * 2.68021), 5);
    expect(expectedMaxSharpe(100, 0.0025)).toBeCloseTo(sr0, 11);
    const z = ((0.2 - sr0) * Math.sqrt(249)) / Math.sqrt(1 + 0.5 * 0.2 + (4 - 1) / 4 * 0.04);
    expect(deflatedSharpe(0.2, 100, { observations: 250, skew: -0.5, kurtosis: 4, sharpeVariance: 0.0025 })).toBeCloseTo(phiByIntegration(z), 11);
  });

  it('defaults the trials\' Sharpe variance to a zero-Sharpe estimate\'s, 1/(n − 1)', () => {
    const sr0 = handSr0(20, 1 / 99);
    const z = ((0.3 - sr0) * Math.sqrt(99)) / Math.sqrt(1 + ((3 - 1) / 4) * 0.09);
    expect(deflatedSharpe(0.3, 20, { observations: 100, skew: 0, kurtosis: 3 })).toBeCloseTo(phiByIntegration(z), 11);
  });

  it('falls as the number of trials grows', () => {
    const opts = { observations: 500, skew: 0, kurtosis: 3 };
    const values = [1, 2, 10, 100, 1000].map((n) => deflatedSharpe(0.12, n, opts)!);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]!);
    expect(() => deflatedSharpe(0.1, 0, opts)).toThrow(RangeError);
    expect(() => deflatedSharpe(0.1, 2.5, opts)).toThrow(RangeError);
  });
});

describe('utcDayOfWeek', () => {
  it('is the UTC day of the week a Date gives, before and after 1970 and across day boundaries (property)', () => {
    const time = fc.oneof(
      fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
      fc.tuple(fc.integer({ min: -40_000, max: 40_000 }), fc.constantFrom(0, 1, 86_399_999)).map(([day, ms]) => day * 86_400_000 + ms),
    );
    fc.assert(
      fc.property(time, (t) => {
        expect(utcDayOfWeek(t)).toBe(new Date(t).getUTCDay());
      }),
      { numRuns: 5_000 },
    );
    for (const t of [0, -1, 86_400_000, -86_400_000, -86_400_001, Date.UTC(2024, 1, 29, 23, 59, 59, 999)]) {
      expect(utcDayOfWeek(t), String(t)).toBe(new Date(t).getUTCDay());
    }
  });
});
