import { describe, expect, it } from 'vitest';
import type { Ticker } from '../../../shared/domain';
import type { Bar } from '../../core/candles';
import { SimulatedClock } from '../../engine/ports/clock';
import { ONE_MINUTE_MS } from '../../core/candles';
import { DayWindow } from './dayWindow';
import { formatSteps, stepsToNumber } from './fixedPoint';
import { PAPER_INSTRUMENTS, instrumentMath } from './instruments';
import { Prng } from '../../core/prng';
import { InMemoryPaperVenueStore, type PaperBarRecord } from './store';
import { SymbolMarket, formatHalfSteps } from './symbolMarket';
import { START } from './testSupport';

const DAY_MS = 86_400_000;

/**
 * The ticker as it was computed before the 24h figures were kept
 * incrementally: a scan of the 1-minute bars on every call. Kept verbatim as
 * the oracle the O(1) ticker must agree with exactly.
 */
function scannedTicker(market: SymbolMarket, venue: string, now: number): Ticker {
  const all = market.oneMinute();
  const bars = all.slice(0, -1);
  const current = all[all.length - 1]!;
  const { tick, lot } = market.math;
  const tickSize = stepsToNumber(1, tick);
  const lotSize = stepsToNumber(1, lot);
  const from = current.time - DAY_MS + ONE_MINUTE_MS;
  let first = bars.length;
  while (first > 0 && bars[first - 1]!.time >= from) first--;
  const openBar = first < bars.length ? bars[first]! : current;
  let high = current.high;
  let low = current.low;
  let volumeLots = Math.round(current.volume / lotSize);
  for (let i = first; i < bars.length; i++) {
    const bar = bars[i]!;
    if (bar.high > high) high = bar.high;
    if (bar.low < low) low = bar.low;
    volumeLots += Math.round(bar.volume / lotSize);
  }
  const openTicks = Math.round(openBar.open / tickSize);
  const last = market.lastTicks;
  const bid = market.book.bestBid();
  const ask = market.book.bestAsk();
  const mark = market.markTicks();
  return {
    venue,
    symbol: market.symbol,
    bid: formatSteps(Number.isNaN(bid) ? last : bid, tick),
    ask: formatSteps(Number.isNaN(ask) ? last : ask, tick),
    last: formatSteps(last, tick),
    mark: formatHalfSteps(mark, tick.decimals, tick.mantissa),
    open24h: formatSteps(openTicks, tick),
    high24h: formatSteps(Math.round(high / tickSize), tick),
    low24h: formatSteps(Math.round(low / tickSize), tick),
    change24h: formatSteps(last - openTicks, tick),
    changePercent24h: openTicks > 0 ? ((last - openTicks) / openTicks) * 100 : 0,
    volume24h: formatSteps(volumeLots, lot),
    timestamp: now,
    // Not 24h figures: the perpetual's own (funding.test.ts checks them).
    ...fundingFields(market.ticker(venue, now)),
  };
}

function fundingFields({ indexPrice, fundingRate, nextFundingTime }: Ticker): Partial<Ticker> {
  return { indexPrice, fundingRate, nextFundingTime };
}

function markets(now: number, historyMinutes: number): SymbolMarket[] {
  return PAPER_INSTRUMENTS.map((spec) => {
    const instrument = { ...spec.instrument, venue: 'paper' };
    return new SymbolMarket({ spec, math: instrumentMath(instrument, spec.market.maxQuantity), seed: 5, now, historyMinutes });
  });
}

/** One market step, as the venue runs it: the model moves, trades print and fold into the live candle. */
function step(market: SymbolMarket, now: number, dtMs: number): void {
  market.advance(now, dtMs);
  for (const trade of market.generateTrades(dtMs)) market.recordTrade(trade, now);
}

describe('24h ticker', () => {
  it('kept incrementally, equals a full scan of the 1m bars at every point of a long run', () => {
    const clock = new SimulatedClock(START);
    const all = markets(clock.now(), 2000);
    const rng = new Prng(77);
    let compared = 0;
    const compare = (): void => {
      for (const market of all) {
        expect(market.ticker('paper', clock.now())).toEqual(scannedTicker(market, 'paper', clock.now()));
        compared++;
      }
    };
    compare();
    const btc = all[0]!;
    let spikeHigh = 0;
    let spikeAt = 0;
    let highAfterSpikeLeft: number | null = null;
    let lastStepAt = clock.now();
    for (let i = 1; i <= 10_000; i++) {
      if (i === 4_000) {
        // A long quiet spell: three hours of minutes without a trade.
        clock.advanceBy(3 * 3_600_000);
      } else if (i === 8_000) {
        // A sleep longer than the kept history: the history is refilled with flat bars and trimmed.
        clock.advanceBy(15 * DAY_MS);
      } else {
        // Mostly sub-minute steps, some of several minutes, so bars close one or many at a time.
        clock.advanceBy(rng.next() < 0.97 ? 200 + Math.floor(rng.next() * 20_000) : Math.floor(rng.next() * 10 * ONE_MINUTE_MS));
      }
      const now = clock.now();
      if (i === 1_000) {
        // A spike that sets the 24h high, then leaves the window a day later.
        btc.setPrice(now, btc.price * 1.3);
        btc.recordTrade({ side: 'buy', ticks: btc.book.bestAsk(), lots: 5 }, now);
        spikeHigh = Number(btc.ticker('paper', now).high24h);
        spikeAt = now;
        btc.setPrice(now, btc.price / 1.3);
      }
      // As the venue does: the model moves at most 5 s per step, however long the gap.
      const dt = Math.min(5_000, now - lastStepAt);
      lastStepAt = now;
      for (const market of all) step(market, now, dt);
      if (i % 100 === 0 || i === 4_000 || i === 4_001 || i === 8_000 || i === 8_001) compare();
      if (spikeAt > 0 && highAfterSpikeLeft === null && now - spikeAt > DAY_MS) highAfterSpikeLeft = Number(btc.ticker('paper', now).high24h);
    }
    expect(compared).toBeGreaterThanOrEqual(3 * 101);
    // The run covered the cases that matter: the spike was the high, and it left the window after a day.
    expect(spikeHigh).toBeGreaterThan(0);
    expect(highAfterSpikeLeft).not.toBeNull();
    expect(highAfterSpikeLeft!).toBeLessThan(spikeHigh);
    // After the long sleep, the last 24h are flat bars at the last price, plus the live one.
    expect(clock.now() - START).toBeGreaterThan(16 * DAY_MS);
  });

  it('counts the live candle, and only the bars of the last 24 hours', () => {
    const clock = new SimulatedClock(START);
    const [market] = markets(clock.now(), 3000);
    const ticker = market!.ticker('paper', clock.now());
    const bars = market!.oneMinute();
    const day = bars.slice(-1440);
    const tick = stepsToNumber(1, market!.math.tick);
    expect(Number(ticker.open24h)).toBeCloseTo(day[0]!.open, 6);
    expect(Math.round(Number(ticker.high24h) / tick)).toBe(Math.round(Math.max(...day.map((c) => c.high)) / tick));
    expect(Math.round(Number(ticker.low24h) / tick)).toBe(Math.round(Math.min(...day.map((c) => c.low)) / tick));
    expect(ticker).toEqual(scannedTicker(market!, 'paper', clock.now()));
  });
});

describe('DayWindow', () => {
  const bar = (minute: number, high: number, low: number, volume = 1): Bar => ({
    time: minute * ONE_MINUTE_MS,
    open: low,
    high,
    low,
    close: high,
    volume,
  });

  it('tracks the oldest bar, the extremes and the volume as bars enter and leave', () => {
    const window = new DayWindow(0.5);
    expect(window.first).toBeUndefined();
    expect(window.high).toBe(Number.NEGATIVE_INFINITY);
    expect(window.low).toBe(Number.POSITIVE_INFINITY);
    const bars = [bar(0, 10, 5, 1), bar(1, 12, 6, 2), bar(2, 12, 4, 0.5), bar(3, 9, 7, 3), bar(4, 8, 8, 0)];
    for (const b of bars) window.push(b);
    expect([window.size, window.first, window.high, window.low, window.volumeLots]).toEqual([5, bars[0], 12, 4, 13]);
    window.evictBefore(2 * ONE_MINUTE_MS);
    // The equal high of minute 2 is still in the window; the low of 4 too.
    expect([window.size, window.first, window.high, window.low, window.volumeLots]).toEqual([3, bars[2], 12, 4, 7]);
    window.evictBefore(3 * ONE_MINUTE_MS);
    expect([window.size, window.first, window.high, window.low, window.volumeLots]).toEqual([2, bars[3], 9, 7, 6]);
    window.evictBefore(10 * ONE_MINUTE_MS);
    expect([window.size, window.first, window.high, window.low, window.volumeLots]).toEqual([0, undefined, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0]);
    expect(() => {
      window.push(bar(11, 1, 1));
      window.push(bar(10, 1, 1));
    }).toThrow(/time order/);
  });

  it('stays equal to a scan over many pushes and evictions (and compacts its storage)', () => {
    const window = new DayWindow(0.001);
    const rng = new Prng(3);
    const kept: Bar[] = [];
    for (let m = 0; m < 20_000; m++) {
      const low = 100 + Math.floor(rng.next() * 50);
      const b = bar(m, low + Math.floor(rng.next() * 10), low, Math.round(rng.next() * 5000) / 1000);
      window.push(b);
      kept.push(b);
      const from = (m - 59) * ONE_MINUTE_MS;
      window.evictBefore(from);
      while (kept.length > 0 && kept[0]!.time < from) kept.shift();
      if (m % 97 === 0) {
        expect(window.first).toBe(kept[0]);
        expect(window.high).toBe(Math.max(...kept.map((k) => k.high)));
        expect(window.low).toBe(Math.min(...kept.map((k) => k.low)));
        expect(window.volumeLots).toBe(kept.reduce((s, k) => s + Math.round(k.volume / 0.001), 0));
      }
    }
  });
});

describe('1-minute history', () => {
  const fromRecord = (market: SymbolMarket, r: PaperBarRecord): Bar => ({
    time: r.time,
    open: stepsToNumber(r.open, market.math.tick),
    high: stepsToNumber(r.high, market.math.tick),
    low: stepsToNumber(r.low, market.math.tick),
    close: stepsToNumber(r.close, market.math.tick),
    volume: stepsToNumber(r.volume, market.math.lot),
  });

  it('drops whole days beyond the retention while it runs, and the store it persists to keeps exactly its closed bars', () => {
    const spec = PAPER_INSTRUMENTS[2]!;
    const instrument = { ...spec.instrument, venue: 'paper' };
    const clock = new SimulatedClock(START);
    const market = new SymbolMarket({ spec, math: instrumentMath(instrument, spec.market.maxQuantity), seed: 5, now: clock.now(), historyMinutes: 1440, retentionMinutes: 2 * 1440 });
    const store = new InMemoryPaperVenueStore();
    market.persist(store, clock.now());
    for (let i = 0; i < 4 * 1440; i++) {
      clock.advanceBy(ONE_MINUTE_MS);
      step(market, clock.now(), 5_000);
      if (i % 7 === 0) market.persist(store, clock.now());
    }
    market.persist(store, clock.now());
    const now = clock.now();
    const keepFrom = now - (now % DAY_MS) - 2 * DAY_MS;
    const bars = market.oneMinute();
    expect(bars[0]!.time).toBe(keepFrom);
    bars.forEach((bar, i) => expect(bar.time).toBe(keepFrom + i * ONE_MINUTE_MS));
    expect(bars.at(-1)!.time).toBe(now - (now % ONE_MINUTE_MS));
    // What the store holds reads back as the very same bars.
    expect(store.loadBars(market.symbol, 0).map((r) => fromRecord(market, r))).toEqual(bars.slice(0, -1));
    expect(fromRecord(market, store.loadMarket()[0]!.live!)).toEqual(bars.at(-1));
  });
});
