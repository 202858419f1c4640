import { describe, expect, it } from 'vitest';
import { breakout } from '../engine/strategies/catalog/breakout';
import { BUILTIN_STRATEGIES } from '../engine/strategies/catalog';
import { scaleSize } from './sizeScaling';

const byType = (type: string) => BUILTIN_STRATEGIES.find((d) => d.type === type)!;

describe('live size scaling', () => {
  it('multiplies the family\'s size parameter and leaves the others', () => {
    expect(scaleSize(breakout, { period: 20, fraction: 0.4, allowShort: true }, 0.25)).toEqual({ period: 20, fraction: 0.1, allowShort: true });
    expect(scaleSize(byType('grid'), { levels: 5, levelValue: 500 }, 0.5)).toMatchObject({ levels: 5, levelValue: 250 });
    expect(scaleSize(byType('ema-atr-trend'), { riskFraction: 0.02 }, 0.5)).toMatchObject({ riskFraction: 0.01 });
    // SMA cross sizes all-in: its share of all-in is what scales.
    expect(scaleSize(byType('sma-cross'), { fast: 5, slow: 20 }, 0.25)).toEqual({ fast: 5, slow: 20, allInShare: 0.25 });
  });

  it('scales a default the card did not set', () => {
    expect(scaleSize(byType('rsi-reversion'), {}, 0.5)).toMatchObject({ fraction: 0.25 });
  });

  it('refuses a strategy with no size parameter below full size, and a size under the parameter\'s minimum', () => {
    const fixed = { type: 'fixed-size', params: [{ name: 'period', label: 'Period', type: 'int' as const, default: 10, min: 1, max: 100, step: 1, description: 'Bars.' }] };
    expect(() => scaleSize(fixed, { period: 20 }, 0.25)).toThrow(/fixed-size has no size parameter to scale/);
    expect(scaleSize(fixed, { period: 20 }, 1)).toEqual({ period: 20 });
    expect(() => scaleSize(breakout, { fraction: 0.02 }, 0.25)).toThrow(/below its minimum 0.01/);
  });

  it('refuses a factor outside (0, 1]', () => {
    for (const factor of [0, -1, 1.5, Number.NaN]) expect(() => scaleSize(breakout, {}, factor)).toThrow(/size factor/);
  });
});
