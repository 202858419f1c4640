import { describe, expect, it } from 'vitest';
import type { RegimeView } from '../../../shared/contract';
import { BAR_CLOSE_GRACE_MS, REGIME_REFRESH_MS, REGIME_STYLE, bandColor, describeRegime, nextRegimeDelay, regimeBand } from './regimeStyle';

const view = (patch: Partial<RegimeView> = {}): RegimeView => ({
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  timeframe: '1m',
  label: 'trending_up',
  time: 0,
  since: null,
  adx: 28.14,
  efficiency: 0.482,
  volatilityPercentile: 0.092,
  history: [],
  ...patch,
});

describe('nextRegimeDelay', () => {
  it('asks just after the bar closes when that comes before the 30 s refresh', () => {
    const minute = 60_000;
    expect(nextRegimeDelay(10 * minute + 50_000, '1m')).toBe(10_000 + BAR_CLOSE_GRACE_MS);
    expect(nextRegimeDelay(10 * minute + 1_000, '1m')).toBe(REGIME_REFRESH_MS);
    expect(nextRegimeDelay(10 * minute, '1m')).toBe(REGIME_REFRESH_MS);
    expect(nextRegimeDelay(3_600_000 - 5_000, '1h')).toBe(5_000 + BAR_CLOSE_GRACE_MS);
    expect(nextRegimeDelay(3_600_000 + 5_000, '1h')).toBe(REGIME_REFRESH_MS);
  });
});

describe('describeRegime', () => {
  it('says the regime in words with what it was read from', () => {
    expect(describeRegime(view(), '1m')).toBe('Regime on 1m: Trending up (ADX 28.1, efficiency 0.48, volatility 9th percentile)');
    expect(describeRegime(view({ volatilityPercentile: 0.21, adx: null }), '5m')).toContain('ADX —, efficiency 0.48, volatility 21st percentile');
    expect(describeRegime(view({ volatilityPercentile: 0.12 }), '5m')).toContain('12th percentile');
  });

  it('says when there is nothing to say yet', () => {
    expect(describeRegime(undefined, '1h')).toBe('Regime on 1h: not known yet');
    expect(describeRegime(view({ label: null }), '1d')).toBe('Regime on 1d: not enough history yet');
  });
});

describe('the band', () => {
  it('colours each bar by its regime and leaves bars without one blank', () => {
    expect(regimeBand([{ time: 1, label: 'volatile' }, { time: 2, label: null }])).toEqual([
      { timeMs: 1, color: `${REGIME_STYLE.volatile.color}cc`, text: 'Volatile' },
      { timeMs: 2, color: null, text: null },
    ]);
    expect(bandColor(null)).toBeNull();
  });

  it('gives every regime its own colour', () => {
    const colours = Object.values(REGIME_STYLE).map((s) => s.color);
    expect(new Set(colours).size).toBe(colours.length);
  });
});
