import { describe, expect, it } from 'vitest';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';
import type { Bar } from '../../core/candles';
import { SimulatedClock } from '../../engine/ports/clock';
import { DEFAULT_HISTORY_MINUTES, generateGap, generateHistory, type GapRequest, type HistoryRequest } from './history';
import { PAPER_INSTRUMENTS, instrumentMath, type PaperInstrumentSpec } from './instruments';
import type { PaperVenue, PaperVenueOptions } from './paperVenue';
import { PriceProcess, initialProcessState, processParams } from './priceProcess';
import { Prng } from '../../core/prng';
import { InMemoryPaperVenueStore, type PaperBarRecord, type PaperMarketRecord, type PaperVenueStore } from './store';
import { toSteps } from './fixedPoint';
import { BTC, ETH, SOL, START, harness, order } from './testSupport';

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

const [BTC_SPEC, ETH_SPEC, SOL_SPEC] = PAPER_INSTRUMENTS as [PaperInstrumentSpec, PaperInstrumentSpec, PaperInstrumentSpec];

describe('generated history', () => {
  it('is 7 days of consecutive, consistent 1m bars on the tick, ending where the live minute starts', () => {
    for (const spec of [BTC_SPEC, ETH_SPEC, SOL_SPEC]) {
      const { bars } = generateHistory(request(spec, 1, { minutes: DEFAULT_HISTORY_MINUTES }));
      const tick = instrumentMath(spec.instrument, spec.market.maxQuantity).tick;
      expect(bars).toHaveLength(7 * 1440);
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
      [BTC_SPEC, 60_000, 100_000],
      [ETH_SPEC, 2_000, 4_000],
      [SOL_SPEC, 100, 250],
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
    const a = generateHistory(request(BTC_SPEC, 7, { minutes: 600 }));
    const b = generateHistory(request(BTC_SPEC, 7, { minutes: 600 }));
    expect(b.bars).toEqual(a.bars);
    expect(b.state).toEqual(a.state);
    expect(generateHistory(request(BTC_SPEC, 8, { minutes: 600 })).bars.map((c) => c.close)).not.toEqual(a.bars.map((c) => c.close));
    expect(generateHistory(request(BTC_SPEC, 7, { minutes: 600, endTime: END + 60_000 })).bars.map((c) => c.close)).not.toEqual(
      a.bars.map((c) => c.close),
    );
  });

  it('ends exactly at a persisted price, with the same shape', () => {
    const free = generateHistory(request(ETH_SPEC, 4, { minutes: 600 }));
    const pinned = generateHistory(request(ETH_SPEC, 4, { minutes: 600, endPrice: 2500.37 }));
    expect(pinned.bars[pinned.bars.length - 1]!.close).toBe(2500.37);
    expect(Math.exp(pinned.state.logPrice)).toBeCloseTo(2500.37, 6);
    const factor = 2500.37 / free.bars[free.bars.length - 1]!.close;
    pinned.bars.forEach((bar, i) => expect(bar.close).toBeCloseTo(free.bars[i]!.close * factor, 1));
  });

  it('clusters volatility: absolute 1m returns are autocorrelated, unlike the same returns shuffled', () => {
    for (const spec of [BTC_SPEC, ETH_SPEC, SOL_SPEC]) {
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
    const { bars } = generateHistory(request(BTC_SPEC, 2));
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

describe('generated gap', () => {
  const gapRequest = (overrides: Partial<GapRequest> = {}): GapRequest => {
    const { endTime: _endTime, minutes: _minutes, ...model } = request(ETH_SPEC, 9);
    return { ...model, state: { ...initialProcessState(3012.5), garch: 1.6, pendingMs: 400, pendingShock: 0.2, trend: 1 }, from: END, minutes: 180, open: 3012.47, ...overrides };
  };

  it('continues from the stopped state: opens at the previous close, one bar a minute on the tick', () => {
    const { bars, state } = generateGap(gapRequest());
    expect(bars).toHaveLength(180);
    expect(bars[0]!.open).toBe(3012.47);
    const tick = instrumentMath(ETH_SPEC.instrument, ETH_SPEC.market.maxQuantity).tick;
    bars.forEach((b, i) => {
      expect(b.time).toBe(END + i * 60_000);
      if (i > 0) expect(b.open).toBe(bars[i - 1]!.close);
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
      expect(toSteps(String(b.close), tick)).toBeGreaterThan(0);
    });
    // Three hours from 3012.5 stay near it, and the model state moves on.
    expect(Math.abs(Math.log(bars.at(-1)!.close / 3012.5))).toBeLessThan(0.1);
    expect(Math.abs(Math.exp(state.logPrice) / bars.at(-1)!.close - 1)).toBeLessThan(1e-5);
  });

  it('is the same bars for the same state, seed and first minute, whenever it ends', () => {
    const long = generateGap(gapRequest());
    expect(generateGap(gapRequest()).bars).toEqual(long.bars);
    expect(generateGap(gapRequest({ minutes: 60 })).bars).toEqual(long.bars.slice(0, 60));
    expect(generateGap(gapRequest({ seed: 10 })).bars.map((b) => b.close)).not.toEqual(long.bars.map((b) => b.close));
    expect(generateGap(gapRequest({ from: END + 60_000 })).bars.map((b) => b.close)).not.toEqual(long.bars.map((b) => b.close));
  });
});

describe('PriceProcess.advanceMinute', () => {
  it('is sixty one-second steps: the same state, the extremes of the second-end prices and their mean activity', () => {
    const params = processParams(170, 0.9);
    const stepped = new PriceProcess(params, initialProcessState(170), new Prng(4));
    const minuted = new PriceProcess(params, initialProcessState(170), new Prng(4));
    const out = new Float64Array(3);
    for (let m = 0; m < 300; m++) {
      let high = -Infinity;
      let low = Infinity;
      let activity = 0;
      for (let s = 0; s < 60; s++) {
        const price = stepped.advance(1000);
        high = Math.max(high, price);
        low = Math.min(low, price);
        activity += stepped.activity;
      }
      minuted.advanceMinute(out);
      expect(minuted.state()).toEqual(stepped.state());
      expect([Math.exp(out[0]!), Math.exp(out[1]!), out[2]]).toEqual([high, low, activity / 60]);
    }
  });
});

/** Every timeframe's candles, as many as the contract serves at once. */
async function candles(venue: PaperVenue, symbol: string): Promise<Record<Timeframe, Bar[]>> {
  const out = {} as Record<Timeframe, Bar[]>;
  for (const tf of TIMEFRAMES) out[tf] = await venue.candles(symbol, tf, 5000);
  return out;
}

/** `after` holds every candle of `before` unchanged, except the newest, which may only have grown (more minutes folded in). */
function expectKept(before: readonly Bar[], after: readonly Bar[]): void {
  // Hourly and longer charts reach two years back: their oldest candles slide out of a fixed-size answer as time goes on.
  before = before.filter((c) => c.time >= after[0]!.time);
  const start = after.findIndex((c) => c.time === before[0]!.time);
  expect(start).toBeGreaterThanOrEqual(0);
  const overlap = after.slice(start, start + before.length);
  expect(overlap.slice(0, -1)).toEqual(before.slice(0, -1));
  const [was, now] = [before.at(-1)!, overlap.at(-1)!];
  expect(now.time).toBe(was.time);
  expect(now.open).toBe(was.open);
  expect(now.high).toBeGreaterThanOrEqual(was.high);
  expect(now.low).toBeLessThanOrEqual(was.low);
  expect(now.volume).toBeGreaterThanOrEqual(was.volume);
}

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('market history across restarts', () => {
  const options = (store: PaperVenueStore, extra: Partial<PaperVenueOptions> = {}): Partial<PaperVenueOptions> => ({
    store,
    historyMinutes: 2 * 1440,
    initialBalance: '1000000',
    ...extra,
  });

  /** A first run that trades a little and stops in the middle of a minute. */
  async function firstRun(store: PaperVenueStore, extra: Partial<PaperVenueOptions> = {}) {
    const first = harness(options(store, extra));
    await first.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.05' }));
    await first.venue.start();
    first.clock.advanceBy(3 * MINUTE + 20_000);
    await first.venue.stop();
    const before: Record<string, Record<Timeframe, Bar[]>> = {};
    for (const symbol of [BTC, ETH, SOL]) before[symbol] = await candles(first.venue, symbol);
    return { ...first, before };
  }

  it('serves the very same candles of every timeframe after a restart in the same minute, and the live bar goes on forming', async () => {
    const store = new InMemoryPaperVenueStore();
    const first = await firstRun(store);
    const tickers = [BTC, ETH, SOL].map((s) => first.venue.ticker(s));
    const second = harness(options(store), new SimulatedClock(first.clock.now() + 15_000));
    for (const symbol of [BTC, ETH, SOL]) expect(await candles(second.venue, symbol)).toEqual(first.before[symbol]);
    // The 24h figures and the last price are those the first run ended with.
    [BTC, ETH, SOL].forEach((symbol, i) => {
      const { bid: _b, ask: _a, mark: _m, timestamp: _t, ...figures } = tickers[i]!;
      expect(second.venue.ticker(symbol)).toMatchObject(figures);
    });
    // The restored live bar keeps folding trades: the path continues from it.
    const was = first.before[ETH]!['1m'].at(-1)!;
    await second.venue.start();
    second.clock.advanceBy(8_000);
    expect(second.clock.now() - (second.clock.now() % MINUTE)).toBe(was.time);
    const live = (await second.venue.candles(ETH, '1m', 1))[0]!;
    expect(live).toMatchObject({ time: was.time, open: was.open });
    expect(live.volume).toBeGreaterThan(was.volume);
    expect(live.high).toBeGreaterThanOrEqual(was.high);
    expect(live.low).toBeLessThanOrEqual(was.low);
  });

  it('after hours away, keeps every bar it had, closes the live one as it had formed and fills the gap the same way every time', async () => {
    // Two identical first runs (the market replays for the same seed and start), restarted at the same time.
    const a = await firstRun(new InMemoryPaperVenueStore());
    const b = await firstRun(new InMemoryPaperVenueStore());
    expect(b.before).toEqual(a.before);
    const later = a.clock.now() + 2 * 3_600_000 + 15 * MINUTE;
    const secondA = harness(options(a.store), new SimulatedClock(later));
    const secondB = harness(options(b.store), new SimulatedClock(later));
    for (const symbol of [BTC, ETH, SOL]) {
      const after = await candles(secondA.venue, symbol);
      expect(await candles(secondB.venue, symbol)).toEqual(after);
      const before = a.before[symbol]!;
      // Every 1m bar is there unchanged, the one that was live at the stop included.
      const oneMinute = after['1m'];
      expect(oneMinute.slice(0, before['1m'].length)).toEqual(before['1m']);
      // Then one bar a minute while the host was down, from the last close on, up to the live minute.
      const gap = oneMinute.slice(before['1m'].length);
      expect(gap).toHaveLength((later - (later % MINUTE) - before['1m'].at(-1)!.time) / MINUTE);
      gap.forEach((bar, i) => {
        const previous = i === 0 ? before['1m'].at(-1)! : gap[i - 1]!;
        expect(bar.time - previous.time).toBe(MINUTE);
        expect(bar.open).toBe(previous.close);
      });
      expect(gap.slice(0, -1).every((bar) => bar.volume > 0)).toBe(true);
      expect(Number(secondA.venue.ticker(symbol).last)).toBe(gap.at(-1)!.close);
      for (const tf of TIMEFRAMES) expectKept(before[tf], after[tf]);
    }

    // The gap was stored: a third start, later again, serves it unchanged.
    const gapped = await candles(secondA.venue, SOL);
    await secondA.venue.stop();
    const third = harness(options(a.store), new SimulatedClock(later + 5 * MINUTE));
    const again = await candles(third.venue, SOL);
    expect(again['1m'].slice(0, gapped['1m'].length)).toEqual(gapped['1m']);
    for (const tf of TIMEFRAMES) expectKept(gapped[tf], again[tf]);
  });

  it('stores closed bars as they close, a few at a time, never the whole history again', async () => {
    class CountingStore extends InMemoryPaperVenueStore {
      readonly batches: number[] = [];
      override saveBars(symbol: string, bars: readonly PaperBarRecord[]): void {
        if (symbol === BTC) this.batches.push(bars.length);
        super.saveBars(symbol, bars);
      }
    }
    const store = new CountingStore();
    const { venue, clock } = harness(options(store));
    // The generated history is stored once, at construction.
    expect(store.batches).toEqual([2 * 1440]);
    await venue.start();
    clock.advanceBy(10 * MINUTE);
    expect(store.batches.slice(1)).toEqual(new Array(10).fill(1));
    const closed = (await venue.candles(BTC, '1m', 5000)).slice(0, -1);
    expect(store.loadBars(BTC, 0).map((r) => r.time)).toEqual(closed.map((c) => c.time));
    // A crash now loses at most the live bar's last second: the stored live bar is that recent.
    const record = store.loadMarket().find((m) => m.symbol === BTC)!;
    expect(record.live!.time).toBe(clock.now() - (clock.now() % MINUTE));
  });

  it('drops whole days beyond the retention from memory and the store, and a long absence leaves a hole rather than a slow start', async () => {
    const store = new InMemoryPaperVenueStore();
    const extra = { historyMinutes: 1440, historyRetentionMinutes: 2 * 1440 };
    const first = await firstRun(store, extra);
    expect(store.loadBars(ETH, 0)[0]!.time).toBe(START - (START % MINUTE) - DAY);
    const later = first.clock.now() + 2 * DAY + 7 * MINUTE;
    const second = harness(options(store, extra), new SimulatedClock(later));
    const keepFrom = later - (later % DAY) - 2 * DAY;
    const stored = store.loadBars(ETH, 0);
    expect(stored[0]!.time).toBe(keepFrom);
    const oneMinute = await second.venue.candles(ETH, '1m', 5000);
    expect(oneMinute[0]!.time).toBe(keepFrom);
    expect(oneMinute.slice(0, -1).map((c) => c.time)).toEqual(stored.map((r) => r.time));
    // What was kept is unchanged; the gap generated is at most a first start's history.
    const before = first.before[ETH]!['1m'];
    const kept = before.filter((c) => c.time >= keepFrom);
    expect(oneMinute.slice(0, kept.length)).toEqual(kept);
    const gap = oneMinute.slice(kept.length);
    expect(gap[0]!.time).toBe(later - (later % MINUTE) - 1440 * MINUTE);
    expect(gap).toHaveLength(1441);
    // Days are served whole: the retention starts at midnight, and the days before it (the hole, the first run's
    // days rolled up into hours, the generated past) come before it without a gap.
    const days = (await second.venue.candles(ETH, '1d', 10)).map((c) => c.time);
    expect(days).toEqual(Array.from({ length: 10 }, (_, i) => keepFrom - 7 * DAY + i * DAY));
  });

  it('starts a journal written before bars were kept from the persisted price, and keeps what it generates', async () => {
    const store = new InMemoryPaperVenueStore();
    const record: PaperMarketRecord = {
      symbol: BTC,
      price: 71_234.5,
      lastTicks: 712_345,
      process: { ...initialProcessState(71_234.5), garch: 1.3 },
      updatedAt: START - 3_600_000,
    };
    store.saveMarket(record);
    const { venue, clock } = harness(options(store));
    const oneMinute = await venue.candles(BTC, '1m', 5000);
    expect(oneMinute).toHaveLength(2 * 1440 + 1);
    expect(oneMinute.at(-2)!.close).toBe(71_234.5);
    expect(store.loadBars(BTC, 0)).toHaveLength(2 * 1440);
    const again = harness(options(store), new SimulatedClock(clock.now() + 1_000));
    expect(await again.venue.candles(BTC, '1m', 5000)).toEqual(oneMinute);
  });
});
