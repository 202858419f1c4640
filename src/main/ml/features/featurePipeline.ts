/**
 * The one feature pipeline: training, backtests and live scoring all feed it
 * closed bars one at a time, and it answers the feature vector for that bar
 * in FEATURE_NAMES order. It keeps only rolling state built from bars already
 * fed, so a row can never see a later bar; the batch helper streams the same
 * code over a history. Values are NaN until each feature's warm-up is met;
 * `ready` says every feature exists.
 */
import { ATR, BollingerBands, EMA, MACD, RSI } from 'trading-signals';
import type { Bar } from '../../../shared/domain';
import { REGIME_LABELS } from '../regime/regimeRules';
import { RegimeClassifier, type RegimeReading } from '../regime/regimeClassifier';
import {
  ATR_PERIOD,
  BOLLINGER_DEVIATIONS,
  BOLLINGER_PERIOD,
  FEATURE_COUNT,
  MACD_FAST,
  MACD_SIGNAL,
  MACD_SLOW,
  RETURN_HORIZONS,
  RSI_PERIOD,
  VOLATILITY_WINDOW,
  VOLUME_WINDOW,
} from './featureSet';
import { checkBar } from './streaming/barCheck';
import { RealisedVolatility } from './streaming/realisedVolatility';
import { RingBuffer } from './streaming/ringBuffer';

const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;

export interface FeatureRow {
  time: number;
  /** One value per FEATURE_NAMES entry; NaN where a feature is still warming up. */
  values: Float64Array;
  /** True when no value is NaN. */
  ready: boolean;
  /** The regime classifier's reading at this bar (the label is also one-hot in `values`). */
  regime: RegimeReading;
}

/** A writable row of numbers: a Float64Array for one row, or a Float32Array matrix with an offset. */
type Target = { [index: number]: number };

export class FeaturePipeline {
  private readonly closes = new RingBuffer(Math.max(...RETURN_HORIZONS) + 1);
  private readonly volatility = new RealisedVolatility(VOLATILITY_WINDOW);
  private readonly rsi = new RSI(RSI_PERIOD);
  private readonly macd = new MACD(new EMA(MACD_FAST), new EMA(MACD_SLOW), new EMA(MACD_SIGNAL));
  private readonly atr = new ATR(ATR_PERIOD);
  private readonly bollinger = new BollingerBands(BOLLINGER_PERIOD, BOLLINGER_DEVIATIONS);
  private readonly volumes = new RingBuffer(VOLUME_WINDOW);
  private readonly regime = new RegimeClassifier();
  private lastTime = Number.NEGATIVE_INFINITY;
  private seen = 0;

  /** Closed bars fed so far. */
  get bars(): number {
    return this.seen;
  }

  /** Feeds the next closed bar and answers its feature row. */
  update(bar: Bar): FeatureRow {
    const values = new Float64Array(FEATURE_COUNT);
    const { ready, regime } = this.write(bar, values, 0);
    return { time: bar.time, values, ready, regime };
  }

  /**
   * Feeds the next closed bar and writes its row into `out` at `offset`
   * (the batch path: no allocation per bar). Answers whether the row is ready.
   */
  write(bar: Bar, out: Target, offset: number): { ready: boolean; regime: RegimeReading } {
    checkBar(bar, this.lastTime);
    this.lastTime = bar.time;
    this.seen++;
    const close = bar.close;
    let col = offset;
    let ready = true;
    const put = (value: number | null | undefined): void => {
      const v = value === null || value === undefined ? Number.NaN : value;
      if (Number.isNaN(v)) ready = false;
      out[col++] = v;
    };

    this.closes.push(close);
    for (const h of RETURN_HORIZONS) put(this.closes.size > h ? Math.log(close / this.closes.back(h)) : Number.NaN);

    put(this.volatility.update(close));
    put(this.rsi.add(close));

    const macd = this.macd.add(close);
    const signalStable = this.macd.signal.isStable;
    put(macd === null ? null : macd.macd / close);
    put(macd === null || !signalStable ? null : macd.signal / close);
    put(macd === null || !signalStable ? null : macd.histogram / close);

    const atr = this.atr.add({ high: bar.high, low: bar.low, close });
    put(atr === null ? null : atr / close);

    const bands = this.bollinger.add(close);
    if (bands === null) put(null);
    else {
      const width = bands.upper - bands.lower;
      put(width > 0 ? (close - bands.lower) / width : 0.5);
    }

    // The z-score compares this bar's volume with the bars before it, then joins them.
    if (this.volumes.full) {
      const { mean, variance } = this.volumes.meanVariance();
      put(variance > 0 ? (bar.volume - mean) / Math.sqrt(variance) : 0);
    } else put(null);
    this.volumes.push(bar.volume);

    const dayFraction = (((bar.time % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    put(Math.sin(TWO_PI * dayFraction));
    put(Math.cos(TWO_PI * dayFraction));
    const weekday = (new Date(bar.time).getUTCDay() + 6) % 7; // Monday = 0
    put(Math.sin((TWO_PI * weekday) / 7));
    put(Math.cos((TWO_PI * weekday) / 7));

    const regime = this.regime.update(bar);
    for (const label of REGIME_LABELS) put(regime.label === null ? null : regime.label === label ? 1 : 0);

    return { ready, regime };
  }
}
