/**
 * The paper venue's long daily history: two years of hourly past generated
 * behind the first 1-minute bar, deterministic for a seed, continuous with
 * the 1-minute bars, every timeframe of an hour or more aggregated from the
 * one series; and the 1-minute bars that age out of the retention kept as
 * hours, across restarts.
 */
import { describe, expect, it } from 'vitest';
import { aggregateCandles, ONE_MINUTE_MS, type Bar } from '../../core/candles';
import { generateDeepHistory, HOUR_MS } from './deepHistory';
import { stepsToNumber } from './fixedPoint';
import { PAPER_INSTRUMENTS, instrumentMath } from './instruments';
import { InMemoryPaperVenueStore } from './store';
import { SymbolMarket } from './symbolMarket';
import { START } from './testSupport';

const DAY_MS = 86_400_000;
const spec = PAPER_INSTRUMENTS.find((s) => s.instrument.symbol === 'BTC/USDT:USDT')!;
const math = instrumentMath(spec.instrument, spec.market.maxQuantity);
const tickSize = stepsToNumber(1, math.tick);
const lotSize = stepsToNumber(1, math.lot);
const onTick = (price: number) => Math.abs(price / tickSize - Math.round(price / tickSize)) < 1e-6;
/** Bars with volume in whole lots: sums of float volumes differ in the last bit with the order they are added in, lots do not (the contract sends lots). */
const lots = (bars: readonly (Bar | undefined)[]) => bars.map((b) => (b ? { ...b, volume: Math.round(b.volume / lotSize) } : b));

function deep(anchorTime: number, seed = 11, days = 730): Bar[] {
  return generateDeepHistory({ seed, symbol: spec.instrument.symbol, market: spec.market, tick: math.tick, lot: math.lot, anchor: { time: anchorTime, open: 81_234.5 }, days });
}

function market(options: { now?: number; seed?: number; store?: InMemoryPaperVenueStore; retentionMinutes?: number } = {}): SymbolMarket {
  const store = options.store;
  const persisted = store?.loadMarket().find((m) => m.symbol === spec.instrument.symbol);
  return new SymbolMarket({
    spec,
    math,
    seed: options.seed ?? 11,
    now: options.now ?? START,
    historyMinutes: 90,
    ...(options.retentionMinutes !== undefined ? { retentionMinutes: options.retentionMinutes } : {}),
    ...(store ? { store } : {}),
    ...(persisted ? { persisted } : {}),
  });
}

function save(m: SymbolMarket, store: InMemoryPaperVenueStore, now: number): void {
  store.transaction(() => m.persist(store, now));
}

describe('the generated hourly past', () => {
  it('is contiguous hours from a UTC day start, each opening at the last close, on the tick, ending at the anchor price', () => {
    const anchor = START; // 09:30:15 is inside an hour: the newest bar is a part hour
    const bars = deep(anchor);
    expect(bars[0]!.time).toBe(Math.floor(anchor / DAY_MS) * DAY_MS - 730 * DAY_MS);
    expect(bars.at(-1)!.time).toBe(Math.floor(anchor / HOUR_MS) * HOUR_MS);
    expect(bars).toHaveLength(730 * 24 + 10);
    for (let i = 0; i < bars.length; i++) {
      const bar = bars[i]!;
      if (i > 0) {
        expect(bar.time - bars[i - 1]!.time).toBe(HOUR_MS);
        expect(bar.open).toBe(bars[i - 1]!.close);
      }
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.low).toBeGreaterThan(0);
      expect(onTick(bar.open) && onTick(bar.high) && onTick(bar.low) && onTick(bar.close)).toBe(true);
    }
    expect(bars.at(-1)!.close).toBe(81_234.5);
  });

  it('is the same for the same seed, symbol and anchor, and another for another seed', () => {
    expect(deep(START)).toEqual(deep(START));
    expect(deep(START, 12).slice(0, 100)).not.toEqual(deep(START).slice(0, 100));
  });

  it('wanders like a market over two years: neither flat nor off to extremes', () => {
    const closes = aggregateCandles(deep(START), '1d').map((b) => b.close);
    const returns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
    const dailyVol = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    // 55 % a year is 2.9 % a day; clustering moves it around that.
    expect(dailyVol).toBeGreaterThan(0.015);
    expect(dailyVol).toBeLessThan(0.06);
    expect(Math.max(...closes) / Math.min(...closes)).toBeLessThan(20);
  });
});

describe('long charts on the paper venue', () => {
  it('serves two years of daily bars at once, consistent with 4h and 1h bars and with the 1-minute bars they overlap', () => {
    const m = market();
    const daily = m.candles('1d', 1000);
    expect(daily.length).toBeGreaterThanOrEqual(731);
    for (let i = 1; i < daily.length; i++) expect(daily[i]!.time - daily[i - 1]!.time).toBe(DAY_MS);
    expect(daily.at(-1)!.time).toBe(Math.floor(START / DAY_MS) * DAY_MS);

    const hourly = m.candles('1h', 5000);
    const fourHourly = m.candles('4h', 5000);
    // The days that the 5,000 hours cover completely read the same built from hours, from 4 hours, or asked for.
    const fromHours = aggregateCandles(hourly, '1d').slice(1);
    const fromFour = aggregateCandles(fourHourly, '1d').slice(-fromHours.length);
    expect(fromHours.length).toBeGreaterThan(200);
    expect(lots(daily.slice(-fromHours.length))).toEqual(lots(fromHours));
    expect(lots(fromFour)).toEqual(lots(fromHours));
    // Where the 1-minute bars are, the hours are theirs.
    const minutes = m.oneMinute();
    const firstFullHour = Math.ceil(minutes[0]!.time / HOUR_MS) * HOUR_MS;
    const fromMinutes = aggregateCandles(minutes.filter((b) => b.time >= firstFullHour), '1h');
    expect(lots(hourly.slice(-fromMinutes.length))).toEqual(lots(fromMinutes));
    // The past joins the 1-minute bars without a jump: the hour they start in opens at the past's last close.
    const joint = hourly.find((b) => b.time === Math.floor(minutes[0]!.time / HOUR_MS) * HOUR_MS)!;
    const before = hourly[hourly.indexOf(joint) - 1]!;
    expect(joint.open).toBe(before.close);
  });

  it('reads the same after a restart and for another market with the same seed; a shorter request is the tail of a longer one', () => {
    const store = new InMemoryPaperVenueStore();
    const first = market({ store });
    const daily = first.candles('1d', 900);
    save(first, store, START);
    const restarted = market({ store, now: START + 5 * ONE_MINUTE_MS });
    expect(restarted.candles('1d', 900).slice(0, -1)).toEqual(daily.slice(0, -1));
    expect(market().candles('1d', 900)).toEqual(daily);
    expect(market().candles('1d', 30)).toEqual(daily.slice(-30));
    expect(market({ seed: 12 }).candles('1d', 900).slice(0, 10)).not.toEqual(daily.slice(0, 10));
  });

  it('keeps the 1-minute bars that age out of the retention as hours, in memory and across a restart', () => {
    const store = new InMemoryPaperVenueStore();
    // One hour of retention: the oldest 1-minute bars leave at the next UTC day.
    const m = market({ store, retentionMinutes: 60 });
    save(m, store, START);
    const before = m.candles('1d', 800);
    const nextDay = Math.floor(START / DAY_MS) * DAY_MS + DAY_MS + 2 * HOUR_MS;
    m.advance(nextDay, 200);
    save(m, store, nextDay);
    expect(m.oneMinute()[0]!.time).toBeGreaterThanOrEqual(Math.floor(nextDay / DAY_MS) * DAY_MS);
    const after = m.candles('1d', 800);
    // Yesterday's bar is still there and unchanged, and so is every day before it.
    expect(lots(after.slice(0, -1).slice(-before.length))).toEqual(lots(before));
    expect(store.loadBars(`${spec.instrument.symbol}#1h`, 0).length).toBeGreaterThan(0);

    const restarted = market({ store, now: nextDay + ONE_MINUTE_MS, retentionMinutes: 60 });
    expect(lots(restarted.candles('1d', 800).slice(0, -1))).toEqual(lots(after.slice(0, -1)));
  });

  it('rolls up the 1-minute bars a host asleep over a day boundary left in the store', () => {
    const store = new InMemoryPaperVenueStore();
    const m = market({ store, retentionMinutes: 60 });
    save(m, store, START);
    const before = m.candles('1d', 800);
    // The host comes back two days later: yesterday's minutes were never pruned by a running market.
    const later = START + 2 * DAY_MS;
    const restarted = market({ store, now: later, retentionMinutes: 60 });
    const after = restarted.candles('1d', 800);
    const startDay = Math.floor(START / DAY_MS) * DAY_MS;
    const dayOf = (bars: Bar[]) => bars.find((b) => b.time === startDay);
    expect(lots([dayOf(after)])).toEqual(lots([dayOf(before)]));
  });
});
