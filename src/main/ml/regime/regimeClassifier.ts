/**
 * The streaming market regime classifier: fed one closed bar at a time (as
 * the feature pipeline and strategies are), it measures trend strength with
 * trading-signals' ADX and efficiency ratio (ER: |net change| over the window
 * divided by the window's high-low range) and quantises realised volatility
 * by its percentile rank in a trailing window, then applies the rules in
 * `regimeRules.ts`. Every input is a function of bars already seen, so a
 * label never changes when later bars change.
 */
import { ADX, ER } from 'trading-signals';
import { z } from 'zod';
import type { Bar } from '../../../shared/domain';
import { checkBar } from '../features/streaming/barCheck';
import { RealisedVolatility } from '../features/streaming/realisedVolatility';
import { RingBuffer } from '../features/streaming/ringBuffer';
import { SortedWindow } from '../features/streaming/sortedWindow';
import { classifyRegime, DEFAULT_REGIME_THRESHOLDS, regimeThresholdsSchema, type RegimeLabel } from './regimeRules';

const period = z.number().int().min(2).max(10_000);

export const regimeParamsSchema = z
  .object({
    adxPeriod: period,
    efficiencyPeriod: period,
    /** One-bar returns in each realised-volatility estimate. */
    volatilityWindow: period,
    /** Trailing volatility estimates the percentile rank is taken against. */
    percentileWindow: period,
    /** Trailing estimates needed before a percentile is trusted (and a label given). */
    minHistory: z.number().int().min(1),
    thresholds: regimeThresholdsSchema,
  })
  .refine((p) => p.minHistory <= p.percentileWindow, { message: 'minHistory cannot exceed percentileWindow' });
export type RegimeParams = z.infer<typeof regimeParamsSchema>;

export const DEFAULT_REGIME_PARAMS: Readonly<RegimeParams> = Object.freeze({
  adxPeriod: 14,
  efficiencyPeriod: 20,
  volatilityWindow: 20,
  percentileWindow: 250,
  minHistory: 50,
  thresholds: DEFAULT_REGIME_THRESHOLDS,
});

/** What the classifier saw at one bar; measurements are NaN until their own warm-up, the label null until all are ready. */
export interface RegimeReading {
  label: RegimeLabel | null;
  adx: number;
  efficiency: number;
  netChange: number;
  volatility: number;
  volatilityPercentile: number;
  volatilityRatio: number;
}

/** Bars the default classifier needs before its first label. */
export function regimeWarmup(params: RegimeParams = DEFAULT_REGIME_PARAMS): number {
  const adx = 2 * params.adxPeriod - 1;
  const volatility = params.volatilityWindow + 1 + params.minHistory;
  return Math.max(adx, params.efficiencyPeriod, volatility);
}

export class RegimeClassifier {
  readonly params: RegimeParams;
  readonly warmup: number;
  private adx: ADX;
  /** Set once ADX had to be rebuilt: until the new one warms up, a missing ADX reads as 0 instead of holding the label back. */
  private adxRebuilt = false;
  private readonly er: ER;
  private readonly closes: RingBuffer;
  private readonly volatility: RealisedVolatility;
  private readonly history: SortedWindow;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(params: RegimeParams = DEFAULT_REGIME_PARAMS) {
    this.params = regimeParamsSchema.parse(params);
    this.warmup = regimeWarmup(this.params);
    this.adx = new ADX(this.params.adxPeriod);
    this.er = new ER(this.params.efficiencyPeriod);
    this.closes = new RingBuffer(this.params.efficiencyPeriod);
    this.volatility = new RealisedVolatility(this.params.volatilityWindow);
    this.history = new SortedWindow(this.params.percentileWindow);
  }

  update(bar: Bar): RegimeReading {
    checkBar(bar, this.lastTime);
    this.lastTime = bar.time;
    const candle = { high: bar.high, low: bar.low, close: bar.close };

    const adx = this.measureAdx(candle);
    const erValue = this.er.add(candle);
    const efficiency = erValue === null ? Number.NaN : erValue;
    this.closes.push(bar.close);
    const netChange = this.closes.full ? bar.close - this.closes.get(0) : Number.NaN;

    // Rank against the trailing estimates first, then remember this one: the rank never includes itself.
    const volatility = this.volatility.update(bar.close);
    let volatilityPercentile = Number.NaN;
    let volatilityRatio = Number.NaN;
    if (!Number.isNaN(volatility)) {
      if (this.history.size >= this.params.minHistory) {
        volatilityPercentile = this.history.percentileRank(volatility);
        const median = this.history.median();
        volatilityRatio = median > 0 ? volatility / median : volatility > 0 ? Number.POSITIVE_INFINITY : 1;
      }
      this.history.push(volatility);
    }

    const ready = !Number.isNaN(adx) && !Number.isNaN(efficiency) && !Number.isNaN(netChange) && !Number.isNaN(volatilityPercentile);
    const label = ready ? classifyRegime({ adx, efficiency, netChange, volatilityPercentile, volatilityRatio }, this.params.thresholds) : null;
    return { label, adx, efficiency, netChange, volatility, volatilityPercentile, volatilityRatio };
  }

  /**
   * A stretch of bars with no range at all (an illiquid market, or a history
   * that opens flat) makes trading-signals' DX divide 0 by 0, and the NaN then
   * stays in ADX's smoothing for good. No movement is no trend: that bar
   * reads 0, and ADX is rebuilt to measure the bars that follow.
   */
  private measureAdx(candle: { high: number; low: number; close: number }): number {
    const value = this.adx.add(candle);
    if (value !== null && Number.isFinite(value)) return value;
    if (value !== null) {
      this.adx = new ADX(this.params.adxPeriod);
      this.adxRebuilt = true;
      return 0;
    }
    return this.adxRebuilt ? 0 : Number.NaN;
  }
}

/** Labels for a whole bar series, by streaming the same classifier (for chart bands and per-trade tagging). */
export function classifyRegimes(bars: readonly Bar[], params: RegimeParams = DEFAULT_REGIME_PARAMS): Array<RegimeLabel | null> {
  const classifier = new RegimeClassifier(params);
  return bars.map((bar) => classifier.update(bar).label);
}
