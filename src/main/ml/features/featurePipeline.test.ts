import { ATR, BollingerBands, EMA, MACD, RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { RegimeClassifier } from '../regime/regimeClassifier';
import { FEATURE_COUNT, FEATURE_DEFINITIONS, FEATURES_WARMUP, featureIndex } from './featureSet';
import { FeaturePipeline, type FeatureRow } from './featurePipeline';
import { syntheticBars } from './syntheticBars';

const bars = syntheticBars({ count: 300, seed: 11, drift: 0.0005, sigma: 0.01 });

function stream(series: readonly Bar[]): FeatureRow[] {
  const pipeline = new FeaturePipeline();
  return series.map((bar) => pipeline.update(bar));
}

const rows = stream(bars);
const col = (name: string, i: number): number => (rows[i] as FeatureRow).values[featureIndex(name)] as number;

describe('feature pipeline warm-up', () => {
  it('each feature is NaN before its declared warm-up and a number from then on', () => {
    for (const [j, def] of FEATURE_DEFINITIONS.entries()) {
      const firstValue = rows.findIndex((r) => !Number.isNaN(r.values[j]));
      expect(firstValue, def.name).toBe(def.warmup - 1);
      const gap = rows.slice(firstValue).findIndex((r) => !Number.isFinite(r.values[j]));
      expect(gap, `${def.name} lost its value later`).toBe(-1);
    }
  });

  it('is ready exactly from the longest warm-up on', () => {
    expect(rows.findIndex((r) => r.ready)).toBe(FEATURES_WARMUP - 1);
    expect(rows.slice(FEATURES_WARMUP - 1).every((r) => r.ready)).toBe(true);
    expect(rows.every((r) => r.values.length === FEATURE_COUNT)).toBe(true);
  });
});

describe('feature pipeline values', () => {
  it('returns are log returns over 1, 3, 12 and 48 bars', () => {
    for (const i of [48, 100, 299]) {
      for (const h of [1, 3, 12, 48]) {
        expect(col(`ret_${h}`, i)).toBeCloseTo(Math.log((bars[i] as Bar).close / (bars[i - h] as Bar).close), 14);
      }
    }
  });

  it('realised volatility is the RMS of the last 20 one-bar log returns', () => {
    const i = 150;
    let squares = 0;
    for (let t = i - 19; t <= i; t++) squares += Math.log((bars[t] as Bar).close / (bars[t - 1] as Bar).close) ** 2;
    expect(col('rv_20', i)).toBeCloseTo(Math.sqrt(squares / 20), 14);
  });

  it('volume z-score compares the bar with the 20 bars before it', () => {
    const i = 120;
    const prior = bars.slice(i - 20, i).map((b) => b.volume);
    const mean = prior.reduce((a, b) => a + b, 0) / 20;
    const sd = Math.sqrt(prior.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
    expect(col('volume_z_20', i)).toBeCloseTo(((bars[i] as Bar).volume - mean) / sd, 12);
  });

  it('RSI, MACD, ATR and Bollinger %B are trading-signals values, scaled by the close where they are in price units', () => {
    const rsi = new RSI(14);
    const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
    const atr = new ATR(14);
    const bb = new BollingerBands(20, 2);
    const i = 200;
    let expected = { rsi: 0, line: 0, signal: 0, hist: 0, atr: 0, pctb: 0 };
    for (const bar of bars.slice(0, i + 1)) {
      const r = rsi.add(bar.close) as number;
      const m = macd.add(bar.close);
      const a = atr.add(bar) as number;
      const b = bb.add(bar.close);
      if (m && b) expected = { rsi: r, line: m.macd / bar.close, signal: m.signal / bar.close, hist: m.histogram / bar.close, atr: a / bar.close, pctb: (bar.close - b.lower) / (b.upper - b.lower) };
    }
    expect(col('rsi_14', i)).toBe(expected.rsi);
    expect(col('macd_12_26_9_line', i)).toBe(expected.line);
    expect(col('macd_12_26_9_signal', i)).toBe(expected.signal);
    expect(col('macd_12_26_9_hist', i)).toBe(expected.hist);
    expect(col('atr_14_norm', i)).toBe(expected.atr);
    expect(col('bb_20_2_pctb', i)).toBe(expected.pctb);
  });

  it('encodes the UTC time of day and weekday of the bar open on circles', () => {
    // 2024-01-03 was a Wednesday (Monday = 0, so 2); 06:00 is a quarter of the day.
    const start = Date.UTC(2024, 0, 3, 6);
    const [row] = stream(syntheticBars({ count: 1, seed: 1, start }));
    const v = (name: string) => (row as FeatureRow).values[featureIndex(name)] as number;
    expect(v('tod_sin')).toBeCloseTo(1, 12);
    expect(v('tod_cos')).toBeCloseTo(0, 12);
    expect(v('dow_sin')).toBeCloseTo(Math.sin((2 * Math.PI * 2) / 7), 12);
    expect(v('dow_cos')).toBeCloseTo(Math.cos((2 * Math.PI * 2) / 7), 12);
  });

  it('one-hot encodes the regime classifier label once it has one', () => {
    const classifier = new RegimeClassifier();
    const names = ['regime_trending_up', 'regime_trending_down', 'regime_ranging', 'regime_volatile'];
    for (const [i, bar] of bars.entries()) {
      const label = classifier.update(bar).label;
      const hot = names.map((n) => col(n, i));
      if (label === null) expect(hot.every(Number.isNaN)).toBe(true);
      else expect(hot).toEqual(names.map((n) => (n === `regime_${label}` ? 1 : 0)));
    }
  });

  it('gives flat bands a %B of one half and constant volume a z-score of zero rather than NaN', () => {
    const flat: Bar[] = Array.from({ length: 30 }, (_, i) => ({ time: i * 60_000, open: 10, high: 10, low: 10, close: 10, volume: 5 }));
    const last = stream(flat).at(-1) as FeatureRow;
    expect(last.values[featureIndex('bb_20_2_pctb')]).toBe(0.5);
    expect(last.values[featureIndex('volume_z_20')]).toBe(0);
    expect(last.values[featureIndex('ret_3')]).toBe(0);
  });
});

describe('feature pipeline input checks', () => {
  it('refuses bars out of time order and impossible prices', () => {
    const pipeline = new FeaturePipeline();
    pipeline.update(bars[1] as Bar);
    expect(() => pipeline.update(bars[0] as Bar)).toThrow(/time order/);
    expect(() => pipeline.update({ ...(bars[2] as Bar), close: 0 })).toThrow(/close/);
    expect(() => pipeline.update({ ...(bars[2] as Bar), volume: Number.NaN })).toThrow(/volume/);
  });
});
