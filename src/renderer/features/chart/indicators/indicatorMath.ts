/**
 * Indicator values for the chart, computed with trading-signals, the library
 * the strategies' indicators use, so a line on the chart is the number a
 * strategy reads. Streams are incremental: a bar with a new time is added, a
 * bar with the time of the last one (the candle still forming) replaces it,
 * through the library's own `replace`, so each live update costs one step
 * rather than a recomputation of the history.
 */
import { ATR, BollingerBands, EMA, MACD, RSI, SMA, VWAP } from 'trading-signals';
import type { Bar } from '../../../../shared/domain';
import type { IndicatorConfig, IndicatorKind } from './indicatorCatalog';

export type IndicatorValues = Record<string, number | null>;

export interface IndicatorPoint {
  time: number;
  values: IndicatorValues;
}

type PriceSource = 'open' | 'high' | 'low' | 'close';
type Step = (bar: Bar, replace: boolean) => IndicatorValues;

const DAY_MS = 86_400_000;

/** The kinds drawn as values per bar (the volume profile is drawn from a whole range instead). */
export type SeriesKind = Exclude<IndicatorKind, 'volumeProfile'>;

export function isSeriesKind(kind: IndicatorKind): kind is SeriesKind {
  return kind !== 'volumeProfile';
}

const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** Which session a bar belongs to for an anchored VWAP: days and weeks in UTC (weeks start on Monday). */
export function vwapSession(timeMs: number, anchor: string): number {
  const day = Math.floor(timeMs / DAY_MS);
  if (anchor === 'day') return day;
  // 1970-01-01 was a Thursday: three days on, weeks start on Monday.
  if (anchor === 'week') return Math.floor((day + 3) / 7);
  return 0;
}

function vwapStep(anchor: string): Step {
  let vwap = new VWAP();
  let session: number | null = null;
  // Whether the library took the last bar: it ignores a bar without volume, and a replace must then be an add.
  let lastTaken = false;
  return (bar, replace) => {
    const s = vwapSession(bar.time, anchor);
    if (!replace && s !== session) {
      vwap = new VWAP();
      session = s;
    }
    if (bar.volume > 0) {
      vwap.update({ high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }, replace && lastTaken);
      lastTaken = true;
    } else if (!replace) {
      lastTaken = false;
    }
    return { value: finite(vwap.getResult()) };
  };
}

function stepOf(config: Pick<IndicatorConfig, 'kind' | 'params'>): Step {
  const p = config.params;
  const source = (typeof p.source === 'string' ? p.source : 'close') as PriceSource;
  switch (config.kind) {
    case 'sma': {
      const sma = new SMA(Number(p.period));
      return (bar, replace) => ({ value: finite(sma.update(bar[source], replace)) });
    }
    case 'ema': {
      const ema = new EMA(Number(p.period));
      // As the strategies read it: nothing until the average has its period of prices.
      return (bar, replace) => {
        ema.update(bar[source], replace);
        return { value: ema.isStable ? finite(ema.getResult()) : null };
      };
    }
    case 'bollinger': {
      const bands = new BollingerBands(Number(p.period), Number(p.deviations));
      return (bar, replace) => {
        const r = bands.update(bar.close, replace);
        return { upper: finite(r?.upper), middle: finite(r?.middle), lower: finite(r?.lower) };
      };
    }
    case 'vwap':
      return vwapStep(String(p.anchor));
    case 'rsi': {
      const rsi = new RSI(Number(p.period));
      return (bar, replace) => ({ value: finite(rsi.update(bar[source], replace)) });
    }
    case 'macd': {
      const macd = new MACD(new EMA(Number(p.fast)), new EMA(Number(p.slow)), new EMA(Number(p.signal)));
      return (bar, replace) => {
        const r = macd.update(bar.close, replace);
        return { macd: finite(r?.macd), signal: finite(r?.signal), histogram: finite(r?.histogram) };
      };
    }
    case 'atr': {
      const atr = new ATR(Number(p.period));
      return (bar, replace) => ({ value: finite(atr.update({ high: bar.high, low: bar.low, close: bar.close }, replace)) });
    }
    case 'volumeProfile':
      throw new RangeError('The volume profile is drawn from a range of bars, not bar by bar');
  }
}

/** One indicator over one chart's bars, fed oldest first. */
export class IndicatorStream {
  private readonly step: Step;
  private lastTime: number | null = null;

  constructor(config: Pick<IndicatorConfig, 'kind' | 'params'>) {
    this.step = stepOf(config);
  }

  /** Adds a bar, or replaces the last one when it has the same time; a bar older than the last is ignored (null). */
  update(bar: Bar): IndicatorPoint | null {
    if (this.lastTime !== null && bar.time < this.lastTime) return null;
    const replace = bar.time === this.lastTime;
    this.lastTime = bar.time;
    return { time: bar.time, values: this.step(bar, replace) };
  }
}

/** Feeds bars (oldest first) to a stream; the points they gave. */
export function feedBars(stream: IndicatorStream, bars: readonly Bar[]): IndicatorPoint[] {
  const out: IndicatorPoint[] = [];
  for (const bar of bars) {
    const point = stream.update(bar);
    if (point) out.push(point);
  }
  return out;
}

/** The indicator's value at every bar (bars oldest first). */
export function computeSeries(config: Pick<IndicatorConfig, 'kind' | 'params'>, bars: readonly Bar[]): IndicatorPoint[] {
  return feedBars(new IndicatorStream(config), bars);
}
