import { describe, expect, it } from 'vitest';
import { generateHistory, type HistoryRequest } from './history';
import { PAPER_INSTRUMENTS, instrumentMath, type PaperInstrumentSpec } from './instruments';
import { PriceProcess, initialProcessState, processParams } from './priceProcess';
import { Prng } from './prng';
import { toSteps } from './fixedPoint';

const END = Date.UTC(2025, 2, 3, 10, 0, 0);

function request(spec: PaperInstrumentSpec, seed: number, overrides: Partial<HistoryRequest> = {}): HistoryRequest {
  const math = instrumentMath(spec.instrument, spec.market.maxQuantity);
  return {
    symbol: spec.instrument.symbol,
    seed,
    params: processParams(spec.market.anchorPrice, spec.market.annualVolatility),
    market: spec.market,
    tick: math.tick,
    lot: math.lot,
    endTime: END,
    minutes: 4320,
    ...overrides,
  };
}

function logReturns(closes: number[]): number[] {
  return closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
}

function autocorrelation(x: number[], lag: number): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - mean) ** 2;
    if (i >= lag) num += (x[i]! - mean) * (x[i - lag]! - mean);
  }
  return num / den;
}

function meanAutocorrelation(x: number[], lags: number): number {
  let sum = 0;
  for (let lag = 1; lag <= lags; lag++) sum += autocorrelation(x, lag);
  return sum / lags;
}

const [BTC, ETH, SOL] = PAPER_INSTRUMENTS as [PaperInstrumentSpec, PaperInstrumentSpec, PaperInstrumentSpec];

describe('generated history', () => {
  it('is 3 days of consecutive, consistent 1m bars on the tick, ending where the live minute starts', () => {
    for (const spec of [BTC, ETH, SOL]) {
      const { bars } = generateHistory(request(spec, 1));
      const tick = instrumentMath(spec.instrument, spec.market.maxQuantity).tick;
      expect(bars).toHaveLength(4320);
      expect(bars[bars.length - 1]!.time).toBe(END - 60_000);
      const problems: string[] = [];
      for (let i = 0; i < bars.length; i++) {
        const b = bars[i]!;
        if (i > 0 && b.time - bars[i - 1]!.time !== 60_000) problems.push(`${i}: gap`);
        if (i > 0 && b.open !== bars[i - 1]!.close) problems.push(`${i}: open is not the previous close`);
        if (b.high < Math.max(b.open, b.close) || b.low > Math.min(b.open, b.close)) problems.push(`${i}: high/low`);
        if (!(b.volume > 0)) problems.push(`${i}: volume`);
        if (toSteps(String(b.close), tick) <= 0) problems.push(`${i}: off tick ${b.close}`);
      }
      expect(problems).toEqual([]);
    }
  });

  it('stays in each instrument’s believable range', () => {
    const ranges: Array<[PaperInstrumentSpec, number, number]> = [
      [BTC, 60_000, 100_000],
      [ETH, 2_000, 4_000],
      [SOL, 100, 250],
    ];
    for (const [spec, low, high] of ranges) {
      for (const seed of [1, 2, 3]) {
        const { bars } = generateHistory(request(spec, seed));
        expect(Math.min(...bars.map((b) => b.low))).toBeGreaterThan(low);
        expect(Math.max(...bars.map((b) => b.high))).toBeLessThan(high);
      }
    }
  });

  it('is the same path for the same seed and start, another for another seed or start', () => {
    const a = generateHistory(request(BTC, 7, { minutes: 600 }));
    const b = generateHistory(request(BTC, 7, { minutes: 600 }));
    expect(b.bars).toEqual(a.bars);
    expect(b.state).toEqual(a.state);
    expect(generateHistory(request(BTC, 8, { minutes: 600 })).bars.map((c) => c.close)).not.toEqual(a.bars.map((c) => c.close));
    expect(generateHistory(request(BTC, 7, { minutes: 600, endTime: END + 60_000 })).bars.map((c) => c.close)).not.toEqual(
      a.bars.map((c) => c.close),
    );
  });

  it('ends exactly at a persisted price, with the same shape', () => {
    const free = generateHistory(request(ETH, 4, { minutes: 600 }));
    const pinned = generateHistory(request(ETH, 4, { minutes: 600, endPrice: 2500.37 }));
    expect(pinned.bars[pinned.bars.length - 1]!.close).toBe(2500.37);
    expect(Math.exp(pinned.state.logPrice)).toBeCloseTo(2500.37, 6);
    const factor = 2500.37 / free.bars[free.bars.length - 1]!.close;
    pinned.bars.forEach((bar, i) => expect(bar.close).toBeCloseTo(free.bars[i]!.close * factor, 1));
  });

  it('clusters volatility: absolute 1m returns are autocorrelated, unlike the same returns shuffled', () => {
    for (const spec of [BTC, ETH, SOL]) {
      for (const seed of [1, 2, 3]) {
        const { bars } = generateHistory(request(spec, seed));
        const absolute = logReturns(bars.map((b) => b.close)).map(Math.abs);
        const shuffled = [...absolute];
        const rng = new Prng(seed + 100);
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(rng.next() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const clustered = meanAutocorrelation(absolute, 10);
        const baseline = meanAutocorrelation(shuffled, 10);
        expect(clustered).toBeGreaterThan(0.04);
        expect(clustered).toBeGreaterThan(baseline + 0.03);
      }
    }
  });

  it('has fat tails at 1m (kurtosis above the normal’s 3)', () => {
    const { bars } = generateHistory(request(BTC, 2));
    const r = logReturns(bars.map((b) => b.close));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const m2 = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    const m4 = r.reduce((a, b) => a + (b - mean) ** 4, 0) / r.length;
    expect(m4 / (m2 * m2)).toBeGreaterThan(3.5);
  });
});

describe('PriceProcess', () => {
  it('switches between ranging and trending, and between calm and stormy regimes', () => {
    const process = new PriceProcess(processParams(80_000, 0.55), initialProcessState(80_000), new Prng(12));
    const trends = new Set<number>();
    const vols = new Set<number>();
    for (let s = 0; s < 4 * 86_400; s += 10) {
      process.advance(10_000);
      const state = process.state();
      trends.add(state.trend);
      vols.add(state.volRegime);
    }
    expect([...trends].sort()).toEqual([-1, 0, 1]);
    expect([...vols].sort()).toEqual([0, 1, 2]);
  });

  it('has the same variance per second whether stepped 200 ms or 1 s at a time', () => {
    const params = processParams(3_000, 0.7);
    const coarse = new PriceProcess(params, initialProcessState(3_000), new Prng(1));
    const fine = new PriceProcess(params, initialProcessState(3_000), new Prng(1));
    let coarseVar = 0;
    let fineVar = 0;
    let prevC = coarse.price;
    let prevF = fine.price;
    for (let i = 0; i < 20_000; i++) {
      const c = coarse.advance(1000);
      coarseVar += Math.log(c / prevC) ** 2;
      prevC = c;
      for (let k = 0; k < 5; k++) fine.advance(200);
      const f = fine.price;
      fineVar += Math.log(f / prevF) ** 2;
      prevF = f;
    }
    expect(fineVar / coarseVar).toBeGreaterThan(0.8);
    expect(fineVar / coarseVar).toBeLessThan(1.25);
  });
});
