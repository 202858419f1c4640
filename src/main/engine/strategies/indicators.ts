/**
 * Indicators bound to a strategy's bar stream. A strategy creates them once
 * (in `create`); the runtime feeds every closed bar to all of them before any
 * handler sees that bar, warm-up included, so values are always up to date
 * and never include a bar that has not closed. The maths is trading-signals'
 * streaming indicators; a handle keeps the last few values so a strategy can
 * compare "this bar" with "the one before" (crossovers).
 */
import { ATR, BollingerBands, DonchianChannels, EMA, RSI, SMA } from 'trading-signals';
import type { Bar } from '../../../shared/domain';

/** A value per closed bar; `at(0)` is the newest, `at(1)` the one before. Null during an indicator's own warm-up. */
export interface Series {
  at(ago?: number): number | null;
  /** True once the newest value exists. */
  readonly ready: boolean;
}

export interface Bands {
  upper: Series;
  middle: Series;
  lower: Series;
}

export type PriceSource = 'open' | 'high' | 'low' | 'close';

export interface Indicators {
  sma(period: number, source?: PriceSource): Series;
  ema(period: number, source?: PriceSource): Series;
  rsi(period: number, source?: PriceSource): Series;
  atr(period: number): Series;
  bollinger(period: number, deviations: number): Bands;
  donchian(period: number): Bands;
  /** Any per-bar function of the bars so far (for indicators the library lacks). */
  custom(compute: (bar: Bar) => number | null): Series;
}

/** True when `fast` was strictly below `slow` on the previous bar and is strictly above it now; false while either is missing. */
export function crossedAbove(fast: Series, slow: Series): boolean {
  // Asked on every bar: each value is read only once the ones before it exist, and no array is built.
  const f1 = fast.at(1);
  if (f1 === null) return false;
  const s1 = slow.at(1);
  if (s1 === null || !(f1 < s1)) return false;
  const f0 = fast.at(0);
  const s0 = slow.at(0);
  return f0 !== null && s0 !== null && f0 > s0;
}

export function crossedBelow(fast: Series, slow: Series): boolean {
  return crossedAbove(slow, fast);
}

/** Values kept per series: enough for crossovers and short look-backs. */
const KEEP = 8;

/**
 * The last KEEP values in a ring, newest at `newest`. Every indicator of
 * every strategy pushes one value per bar: a ring is written in place, where
 * an array trimmed from the front is copied. The values stay JS values (a
 * number is boxed once, when pushed) because strategies read each of them
 * several times per bar, and a read from a typed array would box it on
 * every read instead.
 */
class SeriesBuffer implements Series {
  private readonly values: Array<number | null> = new Array<number | null>(KEEP).fill(null);
  private newest = KEEP - 1;

  push(value: number | null): void {
    this.newest = (this.newest + 1) % KEEP;
    this.values[this.newest] = value === null || !Number.isFinite(value) ? null : value;
  }

  at(ago = 0): number | null {
    if (!Number.isInteger(ago) || ago < 0 || ago >= KEEP) throw new RangeError(`Indicator values are kept for ${KEEP} bars; asked for ${ago} bars ago`);
    return this.values[(this.newest - ago + KEEP) % KEEP]!;
  }

  get ready(): boolean {
    return this.at(0) !== null;
  }
}

function checkPeriod(period: number, what: string): void {
  if (!Number.isInteger(period) || period < 1 || period > 100_000) throw new RangeError(`${what} period must be a whole number from 1 to 100000, got ${period}`);
}

/** The runtime's side: makes handles and feeds them every closed bar. */
export class IndicatorSet implements Indicators {
  private readonly updates: Array<(bar: Bar) => void> = [];

  /** Feeds one closed bar to every indicator, in the order they were created. */
  update(bar: Bar): void {
    for (const update of this.updates) update(bar);
  }

  sma(period: number, source: PriceSource = 'close'): Series {
    checkPeriod(period, 'SMA');
    const sma = new SMA(period);
    return this.series((bar) => sma.add(bar[source]));
  }

  ema(period: number, source: PriceSource = 'close'): Series {
    checkPeriod(period, 'EMA');
    const ema = new EMA(period);
    return this.series((bar) => {
      ema.add(bar[source]);
      return ema.isStable ? ema.getResult() : null;
    });
  }

  rsi(period: number, source: PriceSource = 'close'): Series {
    checkPeriod(period, 'RSI');
    const rsi = new RSI(period);
    return this.series((bar) => rsi.add(bar[source]));
  }

  atr(period: number): Series {
    checkPeriod(period, 'ATR');
    const atr = new ATR(period);
    return this.series((bar) => atr.add({ high: bar.high, low: bar.low, close: bar.close }));
  }

  bollinger(period: number, deviations: number): Bands {
    checkPeriod(period, 'Bollinger');
    if (!(deviations > 0)) throw new RangeError(`Bollinger deviations must be positive, got ${deviations}`);
    const bands = new BollingerBands(period, deviations);
    return this.bands((bar) => bands.add(bar.close));
  }

  donchian(period: number): Bands {
    checkPeriod(period, 'Donchian');
    const channel = new DonchianChannels(period);
    return this.bands((bar) => channel.add({ high: bar.high, low: bar.low }));
  }

  custom(compute: (bar: Bar) => number | null): Series {
    return this.series(compute);
  }

  private series(compute: (bar: Bar) => number | null): Series {
    const buffer = new SeriesBuffer();
    this.updates.push((bar) => buffer.push(compute(bar)));
    return buffer;
  }

  private bands(compute: (bar: Bar) => { upper: number; middle: number; lower: number } | null): Bands {
    const upper = new SeriesBuffer();
    const middle = new SeriesBuffer();
    const lower = new SeriesBuffer();
    this.updates.push((bar) => {
      const result = compute(bar);
      upper.push(result?.upper ?? null);
      middle.push(result?.middle ?? null);
      lower.push(result?.lower ?? null);
    });
    return { upper, middle, lower };
  }
}
