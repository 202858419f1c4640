import { describe, expect, it } from 'vitest';
import { classifyRegime, DEFAULT_REGIME_THRESHOLDS, type RegimeInputs } from './regimeRules';

const calm: RegimeInputs = { adx: 10, efficiency: 0.1, netChange: 1, volatilityPercentile: 0.5, volatilityRatio: 1 };

describe('regime rules', () => {
  it('documents its default thresholds', () => {
    expect(DEFAULT_REGIME_THRESHOLDS).toEqual({ trendAdx: 25, trendEfficiency: 0.35, volatilePercentile: 0.9, volatileRatio: 1.5 });
  });

  it('needs both a high ADX and a high efficiency ratio for a trend, and takes its direction from the net change', () => {
    expect(classifyRegime(calm)).toBe('ranging');
    expect(classifyRegime({ ...calm, adx: 25, efficiency: 0.35 })).toBe('trending_up');
    expect(classifyRegime({ ...calm, adx: 25, efficiency: 0.35, netChange: -0.1 })).toBe('trending_down');
    expect(classifyRegime({ ...calm, adx: 24.99, efficiency: 0.9 })).toBe('ranging');
    expect(classifyRegime({ ...calm, adx: 60, efficiency: 0.349 })).toBe('ranging');
    expect(classifyRegime({ ...calm, adx: 60, efficiency: 0.9, netChange: 0 })).toBe('ranging');
  });

  it('needs volatility both in the top decile and well above its median to be volatile, and then volatile wins over trend', () => {
    const trending = { ...calm, adx: 40, efficiency: 0.8 };
    expect(classifyRegime({ ...trending, volatilityPercentile: 0.9, volatilityRatio: 1.5 })).toBe('volatile');
    expect(classifyRegime({ ...trending, volatilityPercentile: 1, volatilityRatio: 1.49 })).toBe('trending_up');
    expect(classifyRegime({ ...calm, volatilityPercentile: 0.89, volatilityRatio: 3 })).toBe('ranging');
  });
});
